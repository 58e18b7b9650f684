/* The v5, v9 and IPFIX encoders behind one operations table. */
#include <string.h>

#include "netflow/ipfix.h"
#include "netflow/netflow_v9.h"
#include "netflow/nf_encoder.h"

/* v5 header sampling_interval: mode 01 (1 in N packets) in the top 2 bits, N in 14 */
#define NF5_SAMPLING_PACKET_MODE 0x4000u

static enum nf_add v5_add(struct nf_encoder *e, const struct flowrec *r)
{
	return nf5_add(&e->u.v5, r) > 0 ? NF_ADD_QUEUED : NF_ADD_NO_IPV6;
}

static int v5_flush(struct nf_encoder *e)
{
	return nf5_flush(&e->u.v5);
}

static bool v5_pending(const struct nf_encoder *e)
{
	return nf5_pending(&e->u.v5);
}

static void v5_counters(const struct nf_encoder *e, struct nf_export_counters *out)
{
	const struct nf5_counters *c = &e->u.v5.count;

	memset(out, 0, sizeof *out);
	out->records = c->records;
	out->sent = c->sent;
	out->datagrams = c->datagrams;
	out->emit_failed = c->emit_failed;
	out->skipped_v6 = c->skipped_v6;
	out->split = c->split;
	out->truncated = c->truncated;
	out->narrowed = c->narrowed;
}

static enum nf_add tmpl_add(struct nf_encoder *e, const struct flowrec *r)
{
	return nft_encoder_add(&e->u.tmpl, r) ? NF_ADD_QUEUED : NF_ADD_BEFORE_1970;
}

static int tmpl_flush(struct nf_encoder *e)
{
	return nft_encoder_flush(&e->u.tmpl);
}

static bool tmpl_pending(const struct nf_encoder *e)
{
	return nft_encoder_pending(&e->u.tmpl);
}

static void tmpl_counters(const struct nf_encoder *e, struct nf_export_counters *out)
{
	const struct nft_enc_counters *c = &e->u.tmpl.count;

	memset(out, 0, sizeof *out);
	out->records = c->records;
	out->sent = c->sent;
	out->datagrams = c->datagrams;
	out->emit_failed = c->emit_failed;
	out->clamped = c->clamped;
	out->template_sends = c->template_sends;
	out->before_epoch = c->before_epoch;
}

static const struct nf_encoder_ops v5_ops = { v5_add, v5_flush, v5_pending, v5_counters };
static const struct nf_encoder_ops tmpl_ops = { tmpl_add, tmpl_flush, tmpl_pending, tmpl_counters };

int nf_encoder_init(struct nf_encoder *e, const struct nf_export_options *o, nf_emit_fn emit,
    void *ctx)
{
	memset(e, 0, sizeof *e);
	if (o->version == 5) {
		uint32_t n = o->sampling & NF_SAMPLING_MAX;
		struct nf5_options v5 = { o->engine_fixed, o->engine_type, o->engine_id,
		    (uint16_t)(n ? NF5_SAMPLING_PACKET_MODE | n : 0) };

		nf5_encoder_init(&e->u.v5, &v5, emit, ctx);
		e->ops = &v5_ops;
		return 0;
	}
	if (o->version == 9 || o->version == 10) {
		struct nft_enc_options t = { o->domain, o->refresh_packets, o->refresh_secs,
		    o->engine_fixed, o->engine_type, o->engine_id, o->sampling, 0 };

		if (o->version == 9)
			nf9_encoder_init(&e->u.tmpl, &t, emit, ctx);
		else
			ipfix_encoder_init(&e->u.tmpl, &t, emit, ctx);
		e->ops = &tmpl_ops;
		return 0;
	}
	return -1;
}
