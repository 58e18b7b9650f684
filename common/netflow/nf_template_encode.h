/*
 * The part of the NetFlow v9 and IPFIX encoders they share: filling
 * datagrams with records under fixed templates (one for IPv4 records,
 * one for IPv6), re-sending the templates every N datagrams and every
 * T seconds, and writing each field's value from a flowrec. netflow_v9.c
 * and ipfix.c supply the templates and the message header.
 */
#ifndef FLOWPIPES_NF_TEMPLATE_ENCODE_H
#define FLOWPIPES_NF_TEMPLATE_ENCODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bytecursor.h"
#include "flow/flowrec.h"
#include "netflow/nf_export_clock.h"
#include "netflow/nfcodec.h"

#define NFT_TEMPLATE_V4 256
#define NFT_TEMPLATE_V6 257
#define NFT_ENC_MAX_RECORDS 64
#define NFT_ENC_MAX_FIELDS 24

struct nft_enc_options {
	uint32_t domain;		/* v9 source id / IPFIX observation domain (-d) */
	unsigned refresh_packets;	/* templates again after this many datagrams (0: never) */
	unsigned refresh_secs;		/* and after this many seconds (0: never) */
	bool engine_fixed;		/* -e: engine fields from here, not the records */
	uint8_t engine_type, engine_id;
	uint32_t sampling;		/* -S: samplingInterval field when > 0 */
	size_t max_len;			/* datagram size limit, 0: NF_DGRAM_MAX */
};

struct nft_enc_template {
	uint16_t id;
	uint8_t nfields;
	uint16_t rec_len;
	/* role: enum nf_role (netflow/nf_ie.h) */
	struct { uint16_t id, len; uint8_t role; } field[NFT_ENC_MAX_FIELDS];
};

struct nft_enc_counters {
	unsigned long records;		/* records given to the encoder */
	unsigned long sent;		/* data records written into datagrams */
	unsigned long datagrams;
	unsigned long template_sends;	/* datagrams that carried the templates */
	unsigned long emit_failed;
	unsigned long before_epoch;	/* IPFIX: records with a time before 1970, not sent */
	/* v9: records whose times span nearly 2^32 ms (earliest moved up < 1 s), or
	 * lie in the last 32-bit second (moved back to it: the header has whole seconds) */
	unsigned long clamped;
};

struct nft_encoder {
	uint8_t version;		/* 9 or 10 */
	struct nft_enc_options opt;
	nf_emit_fn emit;
	void *ctx;
	struct nft_enc_template tmpl[2];	/* IPv4, IPv6 */
	uint32_t sequence;		/* v9: datagrams sent; IPFIX: data records sent */
	unsigned since_templates;	/* datagrams since the templates last went out */
	uint64_t templates_at_ms;	/* monotonic time they last went out */
	bool templates_ever;
	/* the pending datagram */
	bool with_templates;
	size_t used;			/* bytes it will take */
	unsigned n, nfam[2];
	struct nf_export_clock clock;
	uint64_t export_ms;		/* its header's export moment, while it is written */
	struct flowrec rec[NFT_ENC_MAX_RECORDS];
	struct nft_enc_counters count;
};

/* Called by nf9_encoder_init / ipfix_encoder_init. */
void nft_encoder_init(struct nft_encoder *e, uint8_t version, const struct nft_enc_options *opt,
    nf_emit_fn emit, void *ctx);
/*
 * Queues a record; full datagrams go to emit. False when it cannot be
 * sent: IPFIX times are absolute milliseconds since 1970, so a record
 * with a time before 1970 (an uptime further back than its export
 * moment is after the epoch) has no form there; it is counted in
 * before_epoch. (v9 carries such times as uptimes.)
 */
bool nft_encoder_add(struct nft_encoder *e, const struct flowrec *r);
/* Sends the pending datagram, if any. 0, or -1 when emit failed. */
int nft_encoder_flush(struct nft_encoder *e);
static inline bool nft_encoder_pending(const struct nft_encoder *e) { return e->n > 0; }

#endif
