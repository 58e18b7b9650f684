/*
 * One face for the three encoders: NetFlow v5, v9 and IPFIX behind the
 * same calls (an operations table chosen once, by version), one set of
 * options and one set of counters, so an exporter never asks which
 * version it speaks. Each finished datagram goes to the emit callback.
 */
#ifndef FLOWPIPES_NF_ENCODER_H
#define FLOWPIPES_NF_ENCODER_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flowrec.h"
#include "netflow/netflow_v5.h"
#include "netflow/nf_template_encode.h"
#include "netflow/nfcodec.h"

/* Largest datagram any of the encoders writes. */
#define NF_ENCODER_DGRAM_MAX (NF5_MAX_LEN > NF_DGRAM_MAX ? NF5_MAX_LEN : NF_DGRAM_MAX)
/* Largest sampling interval every version can carry (v5: 14 bits). */
#define NF_SAMPLING_MAX 16383

struct nf_export_options {
	int version;			/* 5, 9 or 10 */
	bool engine_fixed;		/* engine type/id from here, not the records */
	uint8_t engine_type, engine_id;
	uint32_t sampling;		/* 1 in N packets (1..NF_SAMPLING_MAX), 0: not said */
	uint32_t domain;		/* v9 source id / IPFIX observation domain */
	unsigned refresh_packets;	/* v9/IPFIX: templates every N datagrams (0: never) */
	unsigned refresh_secs;		/* and after this many seconds (0: never) */
};

/* What an encoder did; a version counts only what it can meet (the rest stay 0). */
struct nf_export_counters {
	unsigned long records;		/* records given to nf_encoder_add */
	unsigned long sent;		/* records written into datagrams */
	unsigned long datagrams;
	unsigned long emit_failed;	/* datagrams the emit callback refused */
	unsigned long skipped_v6;	/* v5: IPv6 records it cannot carry */
	unsigned long split;		/* v5: records whose counters took several v5 records */
	unsigned long truncated;	/* v5: split records whose counters still did not fit */
	unsigned long narrowed;		/* v5: AS or interface above 65535 */
	unsigned long clamped;		/* v9: times spanning 2^32 ms, earliest moved up */
	unsigned long template_sends;	/* v9/IPFIX: datagrams that carried the templates */
	unsigned long before_epoch;	/* IPFIX: records with a time before 1970, not sent */
};

/* What became of a record given to nf_encoder_add. */
enum nf_add {
	NF_ADD_QUEUED,			/* in the pending datagram (v5: perhaps split) */
	NF_ADD_NO_IPV6,			/* v5 carries IPv4 only: skipped, counted */
	NF_ADD_BEFORE_1970		/* IPFIX times are absolute: skipped, counted */
};

struct nf_encoder;

struct nf_encoder_ops {
	enum nf_add (*add)(struct nf_encoder *e, const struct flowrec *r);
	int (*flush)(struct nf_encoder *e);
	bool (*pending)(const struct nf_encoder *e);
	void (*counters)(const struct nf_encoder *e, struct nf_export_counters *out);
};

struct nf_encoder {
	const struct nf_encoder_ops *ops;
	union {
		struct nf5_encoder v5;
		struct nft_encoder tmpl;	/* v9, IPFIX */
	} u;
};

/* 0, or -1 when o->version is none of 5, 9, 10. */
int nf_encoder_init(struct nf_encoder *e, const struct nf_export_options *o, nf_emit_fn emit,
    void *ctx);

/* Queues a record; datagrams go to emit as they fill. */
static inline enum nf_add nf_encoder_add(struct nf_encoder *e, const struct flowrec *r)
{
	return e->ops->add(e, r);
}
/* Sends the pending partial datagram, if any. 0, or -1 when emit failed. */
static inline int nf_encoder_flush(struct nf_encoder *e) { return e->ops->flush(e); }
/* A partial datagram is waiting for records. */
static inline bool nf_encoder_pending(const struct nf_encoder *e) { return e->ops->pending(e); }
static inline void nf_encoder_counters(const struct nf_encoder *e, struct nf_export_counters *out)
{
	e->ops->counters(e, out);
}

#endif
