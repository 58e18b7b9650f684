/*
 * The datagram decode dispatch a collector is built on: a datagram's
 * version (its first two bytes) picks the v5, v9 or IPFIX decoder; v9
 * and IPFIX templates are kept per exporter address, UDP source port and
 * source id / observation domain (netflow/nf_template.h), so exporters
 * never see each other's templates and one exporter's templates serve
 * its later datagrams. Records leave by callback; each datagram's
 * outcome (records, templates learnt, data sets without a template, the
 * first error with its byte offset and reason) lands in a struct
 * nf_result for the caller to count and report.
 */
#ifndef FLOWPIPES_NF_DATAGRAM_H
#define FLOWPIPES_NF_DATAGRAM_H

#include <stddef.h>
#include <stdint.h>

#include "flow/flowrec.h"
#include "netflow/nf_template.h"
#include "netflow/nfcodec.h"

struct nf_decoder {
	struct nft_cache templates;	/* every exporter's, bounded (LRU, evictions counted) */
	int version;			/* 0: each datagram's own; 5, 9 or 10: all as that */
};

/* max_templates 0: NFT_CACHE_DEFAULT. version as in struct nf_decoder. 0, or -1 (out of memory). */
int nf_decoder_init(struct nf_decoder *d, size_t max_templates, int version);
void nf_decoder_free(struct nf_decoder *d);
/* Templates dropped so far to stay within max_templates. */
unsigned long nf_decoder_evicted(const struct nf_decoder *d);

/* The version field of the datagram at p (its first two bytes), -1 when it has fewer. */
int nf_datagram_version(const uint8_t *p, size_t len);
/*
 * Where the first datagram of a buffer of back-to-back ones ends: a v5
 * datagram by its record count (24 + 48 * count, at most len), anything
 * else is all of len (IPFIX messages back to back are one call to
 * nf_decode_datagram, which splits them by their length fields; v9 has
 * no length). d NULL: the version each datagram says. For files of saved
 * datagrams.
 */
size_t nf_datagram_len(const struct nf_decoder *d, const uint8_t *p, size_t len);
/*
 * Decodes one datagram of len bytes from exporter (NULL: unknown, read
 * as 0.0.0.0) and its UDP source port (0 when unknown, as in files).
 * Each flow record goes to fn. res (cleared by the caller) gains the
 * outcome; res->version says which decoder ran. Returns the number of
 * records, or -1 when part of the datagram was malformed or its version
 * is none of 5, 9, 10 (res->err, res->err_at say what and where; records
 * from the well-formed parts before it were still delivered).
 */
int nf_decode_datagram(struct nf_decoder *d, const uint8_t *p, size_t len,
    const struct flow_addr *exporter, uint16_t port, nf_record_fn fn, void *ctx,
    struct nf_result *res);

#endif
