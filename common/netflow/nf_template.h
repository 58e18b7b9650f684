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
	bool sampling;		/* has sampling fields (nf_ie_is_sampling): records go to
				   hooks.sampling */
	uint64_t stamp_s;	/* nft_cache.now_s when learnt or last refreshed */
	size_t min_len;		/* record length (variable fields count 1 byte) */
	uint16_t nfields;
	struct nft_field field[];
};

struct nft_export;

/*
 * What a collector may want beside the flow records (all NULL after
 * nft_cache_init): a data set whose template is not known, to hold until
 * it comes (return true when kept, false to count it in res->no_template);
 * and every record of a template with sampling fields, raw, before the
 * flow record itself reaches fn.
 */
struct nft_hooks {
	bool (*no_template)(void *ctx, const struct nft_key *key, const uint8_t *set, size_t len,
	    const struct nft_export *x);
	void (*sampling)(void *ctx, const struct nft_template *t, const uint8_t *rec, size_t len);
	void *ctx;
};

struct nft_cache {
	struct htab tab;
	size_t max;
	unsigned long evicted;	/* templates dropped to stay within max */
	struct nft_hooks hooks;
	uint64_t now_s;		/* the caller's clock (a collector: the header's export
				   time) */
	uint64_t lifetime_s;	/* 0: forever; else a template not refreshed for this long is
				   gone */
	unsigned long expired;	/* templates dropped by lifetime_s */
};

int nft_cache_init(struct nft_cache *c, size_t max);
void nft_cache_free(struct nft_cache *c);
/*
 * The template for key, or NULL (also when it outlived lifetime_s: then
 * it is dropped and counted in expired). A hit makes it the most recently used.
 */
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

/*
 * One field of a record at rec's position: its bytes and length (a
 * variable-length one by its length prefix). false when it runs past the end.
 */
bool nft_read_field(const struct nft_field *f, struct bytecursor *rec, const uint8_t **b,
    size_t *len);

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
