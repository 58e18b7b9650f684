/*
 * NetFlow v5: a 24-byte header and up to 30 records of 48 bytes, IPv4
 * only, 32-bit counters, times as exporter uptimes. flow_sequence
 * counts flows. The exporter address is the datagram's UDP source.
 */
#ifndef FLOWPIPES_NETFLOW_V5_H
#define FLOWPIPES_NETFLOW_V5_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flowrec.h"
#include "netflow/nf_export_clock.h"
#include "netflow/nfcodec.h"

#define NF5_HEADER_LEN   24
#define NF5_RECORD_LEN   48
#define NF5_MAX_RECORDS  30
#define NF5_MAX_LEN      (NF5_HEADER_LEN + NF5_RECORD_LEN * NF5_MAX_RECORDS)
/* What a 32-bit AS (RFC 6793 AS_TRANS) or interface index becomes in v5's 16 bits. */
#define NF5_AS_TRANS     23456
#define NF5_IFINDEX_MAX  65535
/* Most v5 records one flow is split into (counters up to about 4.4e12). */
#define NF5_MAX_SPLIT    1024

/* ---- decoder ---- */

/*
 * Length of the v5 datagram that starts at p (24 + 48 * count), or 0
 * when fewer than 24 bytes are there or the version is not 5. Splits
 * files of back-to-back datagrams.
 */
size_t nf5_datagram_len(const uint8_t *p, size_t len);
/*
 * Decodes one datagram of exactly len bytes from exporter. Each record
 * goes to fn. Returns the number of records, or -1 with the reason in
 * res (wrong version, count above 30, length not 24 + 48 * count): a
 * malformed datagram yields no records at all.
 */
int nf5_decode(const uint8_t *p, size_t len, const struct flow_addr *exporter,
    nf_record_fn fn, void *ctx, struct nf_result *res);

/* ---- encoder ---- */

struct nf5_options {
	bool engine_fixed;		/* -e: header engine from here, not the records */
	uint8_t engine_type, engine_id;
	uint16_t sampling;		/* header sampling_interval as sent (mode << 14 | N) */
};

struct nf5_counters {
	unsigned long records;		/* records given to nf5_add */
	unsigned long sent;		/* v5 records written into datagrams */
	unsigned long skipped_v6;	/* IPv6 records v5 cannot carry */
	unsigned long split;		/* records whose counters needed several v5 records */
	unsigned long truncated;	/* records whose counters did not fit even split */
	/* records with an AS or interface above 65535 (sent as AS_TRANS / 65535) */
	unsigned long narrowed;
	unsigned long datagrams;
	unsigned long emit_failed;	/* datagrams the emit callback refused */
};

struct nf5_encoder {
	struct nf5_options opt;
	nf_emit_fn emit;
	void *ctx;
	uint32_t flow_sequence;		/* flows sent before the pending datagram */
	unsigned n;
	uint8_t engine_type, engine_id;	/* of the pending datagram */
	struct nf_export_clock clock;
	struct flowrec rec[NF5_MAX_RECORDS];
	struct nf5_counters count;
};

void nf5_encoder_init(struct nf5_encoder *e, const struct nf5_options *opt, nf_emit_fn emit,
    void *ctx);
/*
 * Queues one record; datagrams go to emit as they fill. Counters above
 * 2^32-1 are split over several records with the same totals, at most
 * NF5_MAX_SPLIT and never more than the flow has packets (each record
 * carries one at least), the rest counted in truncated; an AS
 * above 65535 goes out as AS_TRANS, an interface as 65535 (counted in
 * narrowed). Returns
 * the number of v5 records queued (0 for an IPv6 record, which is
 * counted in skipped_v6).
 */
unsigned nf5_add(struct nf5_encoder *e, const struct flowrec *r);
/* Sends the pending partial datagram, if any. Returns 0, or -1 when emit failed. */
int nf5_flush(struct nf5_encoder *e);
static inline bool nf5_pending(const struct nf5_encoder *e) { return e->n > 0; }

/* Writes one datagram of n (1..30) records into out (NF5_MAX_LEN bytes); returns its length. */
size_t nf5_encode(const struct flowrec *rec, unsigned n, const struct nf5_options *hdr,
    uint8_t engine_type, uint8_t engine_id, uint32_t flow_sequence, uint8_t *out);

#endif
