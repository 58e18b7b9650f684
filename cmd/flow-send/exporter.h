/*
 * flow-send's export side: the v5, v9 or IPFIX encoder chosen by -V,
 * the datagrams it finishes paced (-x) and sent to every destination
 * (unpaced, in batches of up to DEST_BATCH_MAX per system call),
 * and the reverse direction of a paired record (flow-stitch -b) sent
 * as a record of its own, since NetFlow has no place for it.
 */
#ifndef FLOW_SEND_EXPORTER_H
#define FLOW_SEND_EXPORTER_H

#include <stdbool.h>

#include "dest.h"
#include "netflow/netflow_v5.h"
#include "netflow/nf_template_encode.h"
#include "pace.h"

struct exporter {
	int version;			/* 5, 9 or 10 */
	struct nf5_encoder v5;
	struct nft_encoder tmpl;	/* v9 and IPFIX */
	struct dest *dest;
	int ndest;
	struct pace pace;
	unsigned long reverse;		/* records made from reverse counters */
	unsigned long lost;		/* datagrams no destination took */
	unsigned nbatch;		/* finished datagrams not handed to the kernel yet */
	struct iovec iov[DEST_BATCH_MAX];
	uint8_t batch[DEST_BATCH_MAX][NF5_MAX_LEN > NF_DGRAM_MAX ? NF5_MAX_LEN : NF_DGRAM_MAX];
};

struct exporter_options {
	int version;
	struct nf5_options v5;
	struct nft_enc_options tmpl;
	struct pace pace;
};

void exporter_init(struct exporter *x, const struct exporter_options *o, struct dest *dest, int ndest);
/* Queues a record (and its reverse direction when it has one). */
void exporter_add(struct exporter *x, const struct flowrec *r);
/* Sends the partial datagram and every finished one. */
void exporter_flush(struct exporter *x);
/* Hands the finished datagrams to the kernel (before waiting for input). */
void exporter_push(struct exporter *x);
/* A partial datagram is waiting for records. */
bool exporter_pending(const struct exporter *x);
unsigned long exporter_datagrams(const struct exporter *x);

#endif
