/* Shared NetFlow v9 / IPFIX encoder: templates, datagram filling, field values. */
#include <string.h>
#include <time.h>

#include "flow/flowclock.h"
#include "netflow/nf_template_encode.h"

#define V9_HEADER_LEN    20
#define IPFIX_HEADER_LEN 16

static void add_field(struct nft_enc_template *t, uint16_t id, uint16_t len)
{
	t->field[t->nfields].id = id;
	t->field[t->nfields].len = len;
	t->nfields++;
	t->rec_len = (uint16_t)(t->rec_len + len);
}

/*
 * The two templates. v9 carries first/last as uptimes against the
 * header (FIRST_SWITCHED 22, LAST_SWITCHED 21); IPFIX as absolute
 * milliseconds (flowStartMilliseconds 152, flowEndMilliseconds 153).
 */
static void build_template(struct nft_encoder *e, int v6)
{
	struct nft_enc_template *t = &e->tmpl[v6];
	bool ipfix = e->version == 10;

	memset(t, 0, sizeof *t);
	t->id = v6 ? NFT_TEMPLATE_V6 : NFT_TEMPLATE_V4;
	add_field(t, v6 ? 27 : 8, v6 ? 16 : 4);		/* source address */
	add_field(t, v6 ? 28 : 12, v6 ? 16 : 4);	/* destination address */
	add_field(t, v6 ? 62 : 15, v6 ? 16 : 4);	/* next hop */
	add_field(t, 10, 4);				/* input ifindex */
	add_field(t, 14, 4);				/* output ifindex */
	add_field(t, 2, 8);				/* packets */
	add_field(t, 1, 8);				/* octets */
	add_field(t, ipfix ? 152 : 22, ipfix ? 8 : 4);	/* first */
	add_field(t, ipfix ? 153 : 21, ipfix ? 8 : 4);	/* last */
	add_field(t, 7, 2);				/* source port */
	add_field(t, 11, 2);				/* destination port */
	/* ICMP type*256+code: IPFIX has one element per family; v9's ICMP_TYPE
	 * is read for both by collectors (nfdump ignores 139 in v9) */
	add_field(t, v6 && ipfix ? 139 : 32, 2);
	add_field(t, 6, 1);				/* TCP flags */
	add_field(t, 4, 1);				/* protocol */
	add_field(t, 5, 1);				/* ToS */
	add_field(t, 16, 4);				/* source AS */
	add_field(t, 17, 4);				/* destination AS */
	add_field(t, v6 ? 29 : 9, 1);			/* source mask */
	add_field(t, v6 ? 30 : 13, 1);			/* destination mask */
	add_field(t, 38, 1);				/* engine type */
	add_field(t, 39, 1);				/* engine id */
	if (e->opt.sampling > 0)
		add_field(t, 34, 4);			/* sampling interval */
}

void nft_encoder_init(struct nft_encoder *e, uint8_t version, const struct nft_enc_options *opt,
    nf_emit_fn emit, void *ctx)
{
	memset(e, 0, sizeof *e);
	e->version = version;
	e->opt = *opt;
	if (e->opt.max_len == 0 || e->opt.max_len > NF_DGRAM_MAX)
		e->opt.max_len = NF_DGRAM_MAX;
	e->emit = emit;
	e->ctx = ctx;
	build_template(e, 0);
	build_template(e, 1);
	nf_export_clock_reset(&e->clock);
}

static size_t header_len(const struct nft_encoder *e)
{
	return e->version == 10 ? IPFIX_HEADER_LEN : V9_HEADER_LEN;
}

/* v9 pads each flowset to 32 bits (RFC 3954 5.3); IPFIX needs none. */
static size_t padded(const struct nft_encoder *e, size_t len)
{
	return e->version == 9 ? (len + 3) & ~(size_t)3 : len;
}

static size_t templates_len(const struct nft_encoder *e)
{
	return 4 + 4 + 4u * e->tmpl[0].nfields + 4 + 4u * e->tmpl[1].nfields;
}

static size_t set_len(const struct nft_encoder *e, int fam, unsigned count)
{
	return count ? padded(e, 4 + (size_t)count * e->tmpl[fam].rec_len) : 0;
}

static size_t datagram_len(const struct nft_encoder *e, unsigned n4, unsigned n6)
{
	return header_len(e) + (e->with_templates ? templates_len(e) : 0) +
	    set_len(e, 0, n4) + set_len(e, 1, n6);
}

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static bool templates_due(const struct nft_encoder *e)
{
	if (!e->templates_ever)
		return true;
	if (e->opt.refresh_packets && e->since_templates >= e->opt.refresh_packets)
		return true;
	return e->opt.refresh_secs &&
	    monotonic_ms() - e->templates_at_ms >= (uint64_t)e->opt.refresh_secs * 1000u;
}

static void write_templates(const struct nft_encoder *e, struct bytewriter *w)
{
	size_t start = w->pos;

	bw_u16(w, e->version == 10 ? 2 : 0);	/* template set id */
	bw_u16(w, 0);
	for (int f = 0; f < 2; f++) {
		const struct nft_enc_template *t = &e->tmpl[f];

		bw_u16(w, t->id);
		bw_u16(w, t->nfields);
		for (unsigned i = 0; i < t->nfields; i++) {
			bw_u16(w, t->field[i].id);
			bw_u16(w, t->field[i].len);
		}
	}
	bw_patch_u16(w, start + 2, (uint16_t)(w->pos - start));
}

static void write_addr(struct bytewriter *w, const struct flow_addr *a, uint16_t len)
{
	static const uint8_t zero[16];

	/* a field of the other family (an IPv4 next hop on an IPv6 flow) goes out as zeros */
	bw_bytes(w, (a->family == FLOW_AF_INET6) == (len == 16) ? a->bytes : zero, len);
}

static uint64_t field_value(const struct nft_encoder *e, const struct flowrec *r, uint16_t id)
{
	bool icmp = r->prot == 1 || r->prot == 58;

	switch (id) {
	case 10: return r->input;
	case 14: return r->output;
	case 2:  return r->dpkts;
	case 1:  return r->doctets;
	case 22: return nf_export_clock_uptime(&e->clock, flow_first_ms(r));
	case 21: return nf_export_clock_uptime(&e->clock, flow_last_ms(r));
	case 152: return flow_first_ms(r);
	case 153: return flow_last_ms(r);
	case 7:  return r->srcport;
	case 11: return r->dstport;
	case 32: case 139: return icmp ? r->dstport : 0;
	case 6:  return r->tcp_flags;
	case 4:  return r->prot;
	case 5:  return r->tos;
	case 16: return r->src_as;
	case 17: return r->dst_as;
	case 9: case 29:  return r->src_mask;
	case 13: case 30: return r->dst_mask;
	case 38: return e->opt.engine_fixed ? e->opt.engine_type : r->engine_type;
	case 39: return e->opt.engine_fixed ? e->opt.engine_id : r->engine_id;
	case 34: return e->opt.sampling;
	default: return 0;
	}
}

static void write_record(const struct nft_encoder *e, const struct nft_enc_template *t,
    const struct flowrec *r, struct bytewriter *w)
{
	for (unsigned i = 0; i < t->nfields; i++) {
		uint16_t id = t->field[i].id, len = t->field[i].len;

		if (id == 8 || id == 27)
			write_addr(w, &r->srcaddr, len);
		else if (id == 12 || id == 28)
			write_addr(w, &r->dstaddr, len);
		else if (id == 15 || id == 62)
			write_addr(w, &r->nexthop, len);
		else
			bw_uint(w, field_value(e, r, id), len);
	}
}

static int family_of(const struct flowrec *r)
{
	return r->srcaddr.family == FLOW_AF_INET6 || r->dstaddr.family == FLOW_AF_INET6;
}

static void write_data_set(const struct nft_encoder *e, int fam, struct bytewriter *w)
{
	size_t start = w->pos;

	if (e->nfam[fam] == 0)
		return;
	bw_u16(w, e->tmpl[fam].id);
	bw_u16(w, 0);
	for (unsigned i = 0; i < e->n; i++)
		if (family_of(&e->rec[i]) == fam)
			write_record(e, &e->tmpl[fam], &e->rec[i], w);
	/* a count, not "until aligned": a full writer never advances */
	for (size_t pad = padded(e, w->pos - start) - (w->pos - start); pad > 0; pad--)
		bw_u8(w, 0);
	bw_patch_u16(w, start + 2, (uint16_t)(w->pos - start));
}

int nft_encoder_flush(struct nft_encoder *e)
{
	uint8_t buf[NF_DGRAM_MAX];
	struct bytewriter w = bw_make(buf, sizeof buf);
	uint64_t export_ms;
	int rc = 0;

	if (e->n == 0)
		return 0;
	export_ms = nf_export_clock_export_ms(&e->clock, 1000);
	bw_u16(&w, e->version);
	if (e->version == 9) {
		bw_u16(&w, (uint16_t)(e->n + (e->with_templates ? 2 : 0)));	/* records, templates included */
		bw_u32(&w, nf_export_clock_uptime(&e->clock, export_ms));
		bw_u32(&w, (uint32_t)(export_ms / 1000));
		bw_u32(&w, e->sequence);	/* counts datagrams */
	} else {
		bw_u16(&w, 0);			/* length, patched below */
		bw_u32(&w, (uint32_t)(export_ms / 1000));
		bw_u32(&w, e->sequence);	/* counts data records */
	}
	bw_u32(&w, e->opt.domain);
	if (e->with_templates)
		write_templates(e, &w);
	write_data_set(e, 0, &w);
	write_data_set(e, 1, &w);
	if (e->version == 10)
		bw_patch_u16(&w, 2, (uint16_t)w.pos);

	if (w.full || e->emit(e->ctx, buf, w.pos) != 0) {
		e->count.emit_failed++;
		rc = -1;
	}
	e->count.datagrams++;
	e->count.sent += e->n;
	e->sequence += e->version == 9 ? 1 : e->n;
	if (e->with_templates) {
		e->count.template_sends++;
		e->since_templates = 0;
		e->templates_at_ms = monotonic_ms();
		e->templates_ever = true;
	}
	e->since_templates++;
	e->n = e->nfam[0] = e->nfam[1] = 0;
	nf_export_clock_reset(&e->clock);
	return rc;
}

static bool fits(const struct nft_encoder *e, const struct flowrec *r, int fam)
{
	unsigned n4 = e->nfam[0] + (fam == 0), n6 = e->nfam[1] + (fam == 1);

	if (e->n >= NFT_ENC_MAX_RECORDS || datagram_len(e, n4, n6) > e->opt.max_len)
		return false;
	/* v9 uptimes are 32-bit; IPFIX times are absolute */
	return e->version == 10 || nf_export_clock_fits(&e->clock, r, 1000);
}

void nft_encoder_add(struct nft_encoder *e, const struct flowrec *r)
{
	int fam = family_of(r);

	e->count.records++;
	if (e->n > 0 && !fits(e, r, fam))
		nft_encoder_flush(e);
	if (e->n == 0)
		e->with_templates = templates_due(e);
	e->rec[e->n++] = *r;
	e->nfam[fam]++;
	/* IPFIX times are absolute: only v9 uptimes can be moved */
	if (nf_export_clock_add(&e->clock, r, 1000) && e->version == 9)
		e->count.clamped++;
}
