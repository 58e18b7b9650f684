/* Shared NetFlow v9 / IPFIX encoder: templates, datagram filling, field values. */
#include <string.h>
#include <time.h>

#include "flow/flowclock.h"
#include "flow/flowproto.h"
#include "netflow/nf_ie.h"
#include "netflow/nf_template_encode.h"

#define V9_HEADER_LEN    20
#define IPFIX_HEADER_LEN 16

static void add_field(struct nft_enc_template *t, enum nf_ie_id id)
{
	const struct nf_ie *ie = nf_ie_find(id);

	t->field[t->nfields].id = ie->id;
	t->field[t->nfields].len = ie->len;
	t->field[t->nfields].role = (uint8_t)ie->role;
	t->nfields++;
	t->rec_len = (uint16_t)(t->rec_len + ie->len);
}

/*
 * The two templates. v9 carries first/last as uptimes against the
 * header (FIRST_SWITCHED, LAST_SWITCHED); IPFIX as absolute
 * milliseconds (flowStartMilliseconds, flowEndMilliseconds).
 */
static void build_template(struct nft_encoder *e, int v6)
{
	struct nft_enc_template *t = &e->tmpl[v6];
	bool ipfix = e->version == 10;

	memset(t, 0, sizeof *t);
	t->id = v6 ? NFT_TEMPLATE_V6 : NFT_TEMPLATE_V4;
	add_field(t, v6 ? NF_IE_SOURCE_IPV6_ADDRESS : NF_IE_SOURCE_IPV4_ADDRESS);
	add_field(t, v6 ? NF_IE_DESTINATION_IPV6_ADDRESS : NF_IE_DESTINATION_IPV4_ADDRESS);
	add_field(t, v6 ? NF_IE_IP_NEXT_HOP_IPV6_ADDRESS : NF_IE_IP_NEXT_HOP_IPV4_ADDRESS);
	add_field(t, NF_IE_INGRESS_INTERFACE);
	add_field(t, NF_IE_EGRESS_INTERFACE);
	add_field(t, NF_IE_PACKET_DELTA_COUNT);
	add_field(t, NF_IE_OCTET_DELTA_COUNT);
	add_field(t, ipfix ? NF_IE_FLOW_START_MILLISECONDS : NF_IE_FLOW_START_SYS_UP_TIME);
	add_field(t, ipfix ? NF_IE_FLOW_END_MILLISECONDS : NF_IE_FLOW_END_SYS_UP_TIME);
	add_field(t, NF_IE_SOURCE_TRANSPORT_PORT);
	add_field(t, NF_IE_DESTINATION_TRANSPORT_PORT);
	/* ICMP type*256+code: IPFIX has one element per family; v9's ICMP_TYPE
	 * is read for both by collectors (nfdump ignores 139 in v9) */
	add_field(t, v6 && ipfix ? NF_IE_ICMP_TYPE_CODE_IPV6 : NF_IE_ICMP_TYPE_CODE_IPV4);
	add_field(t, NF_IE_TCP_CONTROL_BITS);
	add_field(t, NF_IE_PROTOCOL_IDENTIFIER);
	add_field(t, NF_IE_IP_CLASS_OF_SERVICE);
	add_field(t, NF_IE_BGP_SOURCE_AS_NUMBER);
	add_field(t, NF_IE_BGP_DESTINATION_AS_NUMBER);
	add_field(t, v6 ? NF_IE_SOURCE_IPV6_PREFIX_LENGTH : NF_IE_SOURCE_IPV4_PREFIX_LENGTH);
	add_field(t, v6 ? NF_IE_DESTINATION_IPV6_PREFIX_LENGTH
	    : NF_IE_DESTINATION_IPV4_PREFIX_LENGTH);
	add_field(t, NF_IE_ENGINE_TYPE);
	add_field(t, NF_IE_ENGINE_ID);
	if (e->opt.sampling > 0)
		add_field(t, NF_IE_SAMPLING_INTERVAL);
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

/* v9: an uptime no later than the header's export moment (see nf_export_clock_export_ms). */
static uint32_t uptime(const struct nft_encoder *e, uint64_t abs_ms)
{
	return nf_export_clock_uptime(&e->clock, abs_ms < e->export_ms ? abs_ms : e->export_ms);
}

/* The value of a field that is not an address, by its role. */
static uint64_t field_value(const struct nft_encoder *e, const struct flowrec *r, enum nf_role role)
{
	switch (role) {
	case NF_ROLE_INPUT: return r->input;
	case NF_ROLE_OUTPUT: return r->output;
	case NF_ROLE_PACKETS: return r->dpkts;
	case NF_ROLE_OCTETS: return r->doctets;
	case NF_ROLE_UPTIME_FIRST: return uptime(e, flow_first_ms(r));
	case NF_ROLE_UPTIME_LAST: return uptime(e, flow_last_ms(r));
	case NF_ROLE_FIRST_MS: return flow_first_ms(r);
	case NF_ROLE_LAST_MS: return flow_last_ms(r);
	case NF_ROLE_SRCPORT: return r->srcport;
	case NF_ROLE_DSTPORT: return r->dstport;
	case NF_ROLE_ICMP_TYPE_CODE: return flow_is_icmp(r->prot) ? r->dstport : 0;
	case NF_ROLE_TCP_FLAGS: return r->tcp_flags;
	case NF_ROLE_PROT: return r->prot;
	case NF_ROLE_TOS: return r->tos;
	case NF_ROLE_SRC_AS: return r->src_as;
	case NF_ROLE_DST_AS: return r->dst_as;
	case NF_ROLE_SRC_MASK: return r->src_mask;
	case NF_ROLE_DST_MASK: return r->dst_mask;
	case NF_ROLE_ENGINE_TYPE: return e->opt.engine_fixed ? e->opt.engine_type : r->engine_type;
	case NF_ROLE_ENGINE_ID: return e->opt.engine_fixed ? e->opt.engine_id : r->engine_id;
	case NF_ROLE_SAMPLING: return e->opt.sampling;
	default: return 0;
	}
}

static void write_record(const struct nft_encoder *e, const struct nft_enc_template *t,
    const struct flowrec *r, struct bytewriter *w)
{
	for (unsigned i = 0; i < t->nfields; i++) {
		enum nf_role role = (enum nf_role)t->field[i].role;
		uint16_t len = t->field[i].len;

		if (role == NF_ROLE_SRCADDR)
			write_addr(w, &r->srcaddr, len);
		else if (role == NF_ROLE_DSTADDR)
			write_addr(w, &r->dstaddr, len);
		else if (role == NF_ROLE_NEXTHOP)
			write_addr(w, &r->nexthop, len);
		else
			bw_uint(w, field_value(e, r, role), len);
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
	e->export_ms = export_ms;
	bw_u16(&w, e->version);
	if (e->version == 9) {
		/* count: records, templates included */
		bw_u16(&w, (uint16_t)(e->n + (e->with_templates ? 2 : 0)));
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

/* A time after the last whole 32-bit second: v9 moves it back to that second. */
static bool beyond_last_second(const struct flowrec *r)
{
	return flow_first_ms(r) > NF_EXPORT_SECS_MS_MAX || flow_last_ms(r) > NF_EXPORT_SECS_MS_MAX;
}

/* flow_*_ms wrap below 0: a time before 1970 comes out after the export moment. */
static bool before_epoch(const struct flowrec *r)
{
	uint64_t exp = flow_export_ms(r);

	return flow_first_ms(r) > exp || flow_last_ms(r) > exp;
}

bool nft_encoder_add(struct nft_encoder *e, const struct flowrec *r)
{
	int fam = family_of(r);

	e->count.records++;
	if (e->version == 10 && before_epoch(r)) {
		e->count.before_epoch++;
		return false;
	}
	if (e->n > 0 && !fits(e, r, fam))
		nft_encoder_flush(e);
	if (e->n == 0)
		e->with_templates = templates_due(e);
	e->rec[e->n++] = *r;
	e->nfam[fam]++;
	/* IPFIX times are absolute: only v9 uptimes can be moved */
	if (nf_export_clock_add(&e->clock, r, 1000) + beyond_last_second(r) && e->version == 9)
		e->count.clamped++;
	return true;
}
