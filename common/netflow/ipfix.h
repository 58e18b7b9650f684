/*
 * IPFIX (RFC 7011): a 16-byte message header (length, export time,
 * sequence counting data records, observation domain) and sets:
 * templates (2), options templates (3) and data (ids from 256). Field
 * specifiers may carry an enterprise number; fields may be of variable
 * length. A template record with no fields withdraws a template.
 * Decoding keeps templates per exporter address and port and observation domain
 * in a bounded cache. The encoder sends fixed IPv4 and IPv6 templates
 * with absolute millisecond start/end times.
 */
#ifndef FLOWPIPES_IPFIX_H
#define FLOWPIPES_IPFIX_H

#include "netflow/nf_template.h"
#include "netflow/nf_template_encode.h"
#include "netflow/nfcodec.h"

#define IPFIX_HEADER_LEN 16

/*
 * Decodes the IPFIX messages in p (one or more back to back, each by its
 * length field), like nf9_decode.
 */
int ipfix_decode(struct nft_cache *cache, const uint8_t *p, size_t len,
    const struct flow_addr *exporter,
    uint16_t port, nf_record_fn fn, void *ctx, struct nf_result *res);

static inline void ipfix_encoder_init(struct nft_encoder *e, const struct nft_enc_options *opt,
    nf_emit_fn emit, void *ctx)
{
	nft_encoder_init(e, 10, opt, emit, ctx);
}

#endif
