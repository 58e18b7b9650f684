/*
 * NetFlow v9 (RFC 3954): a 20-byte header (count, sysUptime, unix_secs,
 * sequence counting datagrams, source id) and flowsets: templates (0),
 * options templates (1) and data (ids from 256) described by the
 * exporter's templates. Decoding keeps templates per exporter address,
 * port and source id in a bounded cache; the encoder sends fixed IPv4 and
 * IPv6 templates (256, 257) and re-sends them every N datagrams and
 * every T seconds.
 */
#ifndef FLOWPIPES_NETFLOW_V9_H
#define FLOWPIPES_NETFLOW_V9_H

#include "netflow/nf_template.h"
#include "netflow/nf_template_encode.h"
#include "netflow/nfcodec.h"

#define NF9_HEADER_LEN 20

/*
 * Decodes one datagram from exporter (port: its UDP source port, 0 when
 * unknown), learning its templates into cache
 * and passing each flow record to fn. Returns the number of records, or
 * -1 when part of it was malformed (res says what and where; records
 * from the well-formed flowsets before it were still delivered). Data
 * flowsets whose template is not known yet are counted in
 * res->no_template and skipped.
 */
int nf9_decode(struct nft_cache *cache, const uint8_t *p, size_t len,
    const struct flow_addr *exporter, uint16_t port, nf_record_fn fn, void *ctx,
    struct nf_result *res);

static inline void nf9_encoder_init(struct nft_encoder *e, const struct nft_enc_options *opt,
    nf_emit_fn emit, void *ctx)
{
	nft_encoder_init(e, 9, opt, emit, ctx);
}

#endif
