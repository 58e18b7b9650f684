/*
 * flow-send's export side: the encoder chosen by -V (netflow/nf_encoder.h,
 * one face for v5, v9 and IPFIX), the datagrams it finishes paced (-x)
 * and sent to every destination (unpaced, in batches of up to
 * DEST_BATCH_MAX per system call), and the reverse direction of a paired
 * record (flow-stitch -b) sent as a record of its own, since NetFlow has
 * no place for it.
 */
#ifndef FLOW_SEND_EXPORTER_H
#define FLOW_SEND_EXPORTER_H

#include <stdbool.h>

#include "dest.h"
#include "netflow/nf_encoder.h"
#include "pace.h"

struct exporter {
	struct nf_encoder enc;
	struct dest *dest;
	int ndest;
	struct pace pace;
	unsigned long reverse;		/* records made from reverse counters */
	unsigned long lost;		/* datagrams no destination took */
	unsigned long datagrams;	/* datagrams the encoder finished */
	unsigned nbatch;		/* finished datagrams not handed to the kernel yet */
	struct iovec iov[DEST_BATCH_MAX];
	uint8_t batch[DEST_BATCH_MAX][NF_ENCODER_DGRAM_MAX];
};

struct exporter_options {
	struct nf_export_options enc;
	struct pace pace;
};

/* What was exported: the encoder's counters, and the exporter's own. */
struct exporter_counts {
	struct nf_export_counters enc;
	unsigned long reverse, lost;
	unsigned long refused, retries, failed;	/* summed over the destinations */
};

/* 0, or -1 when the options name no version the encoders know. */
int exporter_init(struct exporter *x, const struct exporter_options *o, struct dest *dest,
    int ndest);
/*
 * Queues a record (and its reverse direction when it has one). Returns 0,
 * or for each enum nf_add other than NF_ADD_QUEUED that either met, its
 * bit (1u << NF_ADD_...): what the encoder skipped, and why.
 */
unsigned exporter_add(struct exporter *x, const struct flowrec *r);
/* Sends the partial datagram and every finished one. */
void exporter_flush(struct exporter *x);
/* Hands the finished datagrams to the kernel (before waiting for input). */
void exporter_push(struct exporter *x);
/* A partial datagram is waiting for records. */
bool exporter_pending(const struct exporter *x);
void exporter_counts(const struct exporter *x, struct exporter_counts *out);
static inline unsigned long exporter_datagrams(const struct exporter *x) { return x->datagrams; }

#endif
