/*
 * Data sets that came before their template (an exporter's first
 * datagrams after a collector starts, or a template lost on the way):
 * kept, bounded by HELD_MAX_SETS sets and HELD_MAX_BYTES bytes over all
 * exporters, and decoded when the template arrives. Beyond the bound the
 * oldest set goes; what goes, or is still held at the end, is the
 * caller's "no template" count (held_drop_fn).
 */
#ifndef FLOWRECV_HELD_H
#define FLOWRECV_HELD_H

#include <stddef.h>
#include <stdint.h>

#include "netflow/nf_template.h"

#define HELD_MAX_SETS 1024
#define HELD_MAX_BYTES (4u << 20)

struct held_set {
	struct held_set *next;
	struct nft_key key;
	struct flow_addr exporter;
	struct nft_export x;	/* the clock of the datagram it came in; x.exporter is
				   &exporter */
	size_t len;
	uint8_t bytes[];
};

/* A set leaves without being decoded (the bound, or the end). */
typedef void (*held_drop_fn)(void *ctx, const struct held_set *h);

struct held {
	struct held_set *head, **tail;	/* oldest first */
	size_t sets, bytes;
	unsigned long kept, decoded;
	held_drop_fn drop;
	void *ctx;
};

void held_init(struct held *h, held_drop_fn drop, void *ctx);
/* Keeps a copy of a set. false when it cannot (larger than the bound, out of memory). */
bool held_keep(struct held *h, const struct nft_key *key, const uint8_t *set, size_t len,
    const struct nft_export *x);
/*
 * Decodes every held set of key's exporter, port, version and domain
 * whose template c now knows (fn as for nft_decode_set; res gains the
 * outcome), and forgets it. before(ctx, clock) comes first for each set,
 * with the clock of the datagram it came in: its records are of that
 * time, not of the datagram that brought the template.
 */
void held_retry(struct held *h, struct nft_cache *c, const struct nft_key *key,
    void (*before)(void *ctx, const struct nft_export *x), nf_record_fn fn, void *ctx,
    struct nf_result *res);
/* Drops every set (through drop). */
void held_flush(struct held *h);

#endif
