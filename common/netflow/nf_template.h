/*
 * Templates of NetFlow v9 (RFC 3954) and IPFIX (RFC 7011), which share
 * field numbers below 128 and the shape of a data record: the template
 * cache and the decoding of one data record into a flowrec. A template
 * is known only to its exporter: the cache is keyed by exporter address
 * and UDP source port (RFC 7011's transport session: two exporters on one
 * host), protocol version, source id / observation domain and template id, and
 * holds at most a fixed number of templates (the least recently used
 * goes first; evictions are counted).
 */
#ifndef FLOWPIPES_NF_TEMPLATE_H
#define FLOWPIPES_NF_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bytecursor.h"
#include "flow/flowrec.h"
#include "base/htab.h"
#include "netflow/nfcodec.h"

#define NFT_VARLEN        65535		/* IPFIX variable-length field */
#define NFT_MAX_FIELDS    512		/* far above any real template */
#define NFT_CACHE_DEFAULT 4096		/* templates kept, all exporters together */
#define NFT_MIN_ID        256		/* data set ids start here */

struct nft_field {
	uint16_t id;		/* field type / information element id */
	uint16_t len;		/* bytes, or NFT_VARLEN */
	uint32_t pen;		/* IPFIX enterprise number, 0 for IANA fields */
	uint8_t role;		/* enum nf_role, set by nft_store (nf_ie.h) */
};

struct nft_key {
	struct flow_addr exporter;
	uint16_t port;		/* exporter's UDP source port, 0 when unknown (files) */
	uint8_t version;	/* 9 or 10 */
	uint32_t domain;	/* v9 source id, IPFIX observation domain */
	uint16_t id;
};

struct nft_template {
	struct htab_node node;
	struct nft_key key;
	bool options;		/* options template: its records are skipped */
	bool has_sysinit;	/* id 0 only: the domain's systemInitTimeMilliseconds */
	uint64_t sysinit_ms;
	bool variable;		/* has variable-length fields */
	size_t min_len;		/* record length (variable fields count 1 byte) */
	uint16_t nfields;
	struct nft_field field[];
};

struct nft_cache {
	struct htab tab;
	size_t max;
	unsigned long evicted;	/* templates dropped to stay within max */
};

int nft_cache_init(struct nft_cache *c, size_t max);
void nft_cache_free(struct nft_cache *c);
/* The template for key, or NULL. A hit makes it the most recently used. */
const struct nft_template *nft_find(struct nft_cache *c, const struct nft_key *key);
/*
 * Checks a field list: 1..NFT_MAX_FIELDS fields and a record length of
 * 1..65535 bytes. Returns NULL when good, otherwise why not.
 */
const char *nft_check(const struct nft_field *f, unsigned n);
/* Stores (or replaces) a checked template. 0, or -1 when out of memory. */
int nft_store(struct nft_cache *c, const struct nft_key *key, bool options,
    const struct nft_field *f, unsigned n);
/* Forgets one template of the kind given (options or data); false when no such one was known. */
bool nft_withdraw(struct nft_cache *c, const struct nft_key *key, bool options);
/*
 * Forgets every template of one kind (options or data) of key's exporter,
 * version and domain (key->id unused); a domain's systemInitTime stays
 * (RFC 7011 8.1: each withdrawal names its own kind).
 */
unsigned nft_withdraw_all(struct nft_cache *c, const struct nft_key *key, bool options);

/* The header clock a data set's records are read against. */
struct nft_export {
	const struct flow_addr *exporter;
	uint64_t export_ms;	/* header export time */
	bool uptime_base;	/* v9: uptime fields count from export_ms - sysuptime */
	uint32_t sysuptime;
};

/*
 * An IPFIX exporter that counts flow times as uptimes (flowStartSysUpTime)
 * says when it booted in an options record (systemInitTimeMilliseconds,
 * 160). That value is kept per exporter and domain under template id 0,
 * which no real template uses.
 */
#define NFT_DOMAIN_ID 0

/*
 * Decodes the data records of one data set (the bytes after its 4-byte
 * header, base its offset in the datagram) with the template key names,
 * passing each flow record to fn. Without that template the set is
 * counted in res->no_template and skipped. Trailing bytes too few for a
 * record, or all zero, are padding. Options records are counted and
 * skipped (a systemInitTimeMilliseconds in one is kept). A record cut
 * short is an error at base + its offset.
 * Absolute times more than 2^32-1 ms apart have no flowrec form: the
 * earliest is moved up, and the record counted in res->clamped.
 */
void nft_decode_set(struct nft_cache *c, const struct nft_key *key, struct bytecursor *set,
    size_t base, const struct nft_export *x, nf_record_fn fn, void *ctx, struct nf_result *res);

#endif
