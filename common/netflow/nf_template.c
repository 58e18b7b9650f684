/* NetFlow v9 / IPFIX template cache and data record decoding. */
#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "flow/flowclock.h"
#include "flow/flowproto.h"
#include "netflow/nf_ie.h"
#include "netflow/nf_template.h"

/* ---- cache ---- */

static uint64_t key_hash(const struct nft_key *k)
{
	uint8_t b[26];

	b[0] = k->exporter.family;
	memcpy(b + 1, k->exporter.bytes, 16);
	b[17] = k->version;
	memcpy(b + 18, &k->domain, 4);
	memcpy(b + 22, &k->id, 2);
	memcpy(b + 24, &k->port, 2);
	return hash_bytes(b, sizeof b, 0x6e66);
}

static bool key_same_domain(const struct nft_key *a, const struct nft_key *b)
{
	return a->version == b->version && a->domain == b->domain && a->port == b->port &&
	    flow_addr_equal(&a->exporter, &b->exporter);
}

static bool key_eq(const struct htab_node *n, const void *key)
{
	const struct nft_template *t = htab_entry(n, struct nft_template, node);
	const struct nft_key *k = key;

	return t->key.id == k->id && key_same_domain(&t->key, k);
}

int nft_cache_init(struct nft_cache *c, size_t max)
{
	memset(c, 0, sizeof *c);
	c->max = max ? max : NFT_CACHE_DEFAULT;
	if (c->max < 2)	/* a template being read must never be evicted by the domain entry */
		c->max = 2;
	return htab_init(&c->tab, c->max < 1024 ? c->max : 1024);
}

static void drop(struct nft_cache *c, struct nft_template *t)
{
	htab_remove(&c->tab, &t->node);
	free(t);
}

void nft_cache_free(struct nft_cache *c)
{
	struct htab_node *n;

	while ((n = htab_oldest(&c->tab)) != NULL)
		drop(c, htab_entry(n, struct nft_template, node));
	htab_free(&c->tab);
}

static struct nft_template *lookup(struct nft_cache *c, const struct nft_key *key)
{
	struct htab_node *n = htab_find(&c->tab, key_hash(key), key_eq, key);

	return n ? htab_entry(n, struct nft_template, node) : NULL;
}

static bool outlived(const struct nft_cache *c, const struct nft_template *t)
{
	return c->lifetime_s && t->key.id >= NFT_MIN_ID && c->now_s > t->stamp_s + c->lifetime_s;
}

const struct nft_template *nft_find(struct nft_cache *c, const struct nft_key *key)
{
	struct nft_template *t = lookup(c, key);

	if (t && outlived(c, t)) {
		drop(c, t);
		c->expired++;
		return NULL;
	}
	if (t)
		htab_touch(&c->tab, &t->node);
	return t;
}

const char *nft_check(const struct nft_field *f, unsigned n)
{
	size_t len = 0;

	if (n == 0)
		return "template has no fields";
	if (n > NFT_MAX_FIELDS)
		return "template has more than 512 fields";
	for (unsigned i = 0; i < n; i++)
		len += f[i].len == NFT_VARLEN ? 1 : f[i].len;
	if (len == 0)
		return "template records would be 0 bytes long";
	if (len > 65535)
		return "template records would be longer than a datagram";
	return NULL;
}

int nft_store(struct nft_cache *c, const struct nft_key *key, bool options,
    const struct nft_field *f, unsigned n)
{
	struct nft_template *old = lookup(c, key), *t;

	if (old)
		drop(c, old);
	while (c->tab.count >= c->max && htab_oldest(&c->tab)) {
		drop(c, htab_entry(htab_oldest(&c->tab), struct nft_template, node));
		c->evicted++;
	}
	t = malloc(sizeof *t + n * sizeof *f);
	if (t == NULL)
		return -1;
	memset(t, 0, sizeof *t);
	t->key = *key;
	t->options = options;
	t->nfields = (uint16_t)n;
	t->stamp_s = c->now_s;
	memcpy(t->field, f, n * sizeof *f);
	for (unsigned i = 0; i < n; i++) {
		/* enterprise fields are none of ours */
		t->field[i].role = (uint8_t)(f[i].pen ? NF_ROLE_NONE : nf_ie_role(f[i].id));
		t->variable |= f[i].len == NFT_VARLEN;
		t->sampling |= f[i].pen == 0 && nf_ie_is_sampling(f[i].id);
		t->min_len += f[i].len == NFT_VARLEN ? 1 : f[i].len;
	}
	htab_insert(&c->tab, &t->node, key_hash(key));
	return 0;
}

bool nft_withdraw(struct nft_cache *c, const struct nft_key *key, bool options)
{
	struct nft_template *t = lookup(c, key);

	if (t == NULL || t->options != options || t->key.id < NFT_MIN_ID)
		return false;
	drop(c, t);
	return true;
}

unsigned nft_withdraw_all(struct nft_cache *c, const struct nft_key *key, bool options)
{
	struct htab_node *n = htab_oldest(&c->tab), *next;
	unsigned gone = 0;

	for (; n; n = next) {
		struct nft_template *t = htab_entry(n, struct nft_template, node);

		next = htab_newer(&c->tab, n);
		if (key_same_domain(&t->key, key) && t->options == options &&
		    t->key.id >= NFT_MIN_ID) {
			drop(c, t);
			gone++;
		}
	}
	return gone;
}

/* ---- data records ---- */

enum have_bits {
	H_OCTETS = 1 << 0, H_PKTS = 1 << 1, H_UP_FIRST = 1 << 2, H_UP_LAST = 1 << 3,
	H_ABS_FIRST = 1 << 4, H_ABS_LAST = 1 << 5, H_SYSINIT = 1 << 6, H_ICMP = 1 << 7,
	H_NEXTHOP = 1 << 8, H_ICMP_TYPE = 1 << 9, H_ICMP_CODE = 1 << 10,
	H_DELTA_FIRST = 1 << 11, H_DELTA_LAST = 1 << 12,
	H_SRCADDR = 1 << 13, H_DSTADDR = 1 << 14, H_SRCPORT = 1 << 15, H_DSTPORT = 1 << 16,
	H_POST_SRCADDR = 1 << 17, H_POST_DSTADDR = 1 << 18, H_POST_SRCPORT = 1 << 19,
	H_POST_DSTPORT = 1 << 20
};

struct rec_state {
	struct flowrec r;
	unsigned have;
	uint32_t up_first, up_last;
	uint64_t abs_first, abs_last, sysinit;
	uint64_t delta_first_us, delta_last_us;	/* IPFIX: before the export time */
	struct flow_addr post_src, post_dst;	/* post-NAT views (used when alone) */
	uint16_t post_sport, post_dport;
	uint16_t icmp;
	uint8_t icmp_type, icmp_code;
	bool untimed;		/* no usable flow times: placed at the export moment */
};

/* Seconds from 1900 (NTP era 0) to 1970. */
#define NTP_UNIX_OFFSET 2208988800u

/* dateTimeMicroseconds/Nanoseconds (NTP format) to ms since 1970. */
static uint64_t ntp_ms(uint64_t v)
{
	uint64_t secs = v >> 32, frac = v & 0xffffffffu;

	if (secs < NTP_UNIX_OFFSET)
		return 0;
	return (secs - NTP_UNIX_OFFSET) * 1000u + ((frac * 1000u) >> 32);
}

/*
 * An all-zero address never replaces a real one: templates with both an
 * IPv4 and an IPv6 source (Procera) fill the family not in use with zeros.
 */
static void set_addr(struct flow_addr *a, const uint8_t *b, size_t len)
{
	static const uint8_t zero[16];

	if (memcmp(b, zero, len) == 0 && !flow_addr_is_zero(a))
		return;
	if (len == 4)
		flow_addr_set_v4(a, b);
	else if (len == 16)
		flow_addr_set_v6(a, b);
}

static void set_time(struct rec_state *s, bool first, uint64_t ms)
{
	if (first) {
		s->abs_first = ms;
		s->have |= H_ABS_FIRST;
	} else {
		s->abs_last = ms;
		s->have |= H_ABS_LAST;
	}
}

static void set_post(struct rec_state *s, struct flow_addr *a, unsigned bit, const uint8_t *b,
    size_t len)
{
	set_addr(a, b, len);
	s->have |= bit;
}

/* One field's value (len bytes at b, already bounds-checked) into the record. */
static void apply_field(struct rec_state *s, enum nf_role role, const uint8_t *b, size_t len)
{
	struct flowrec *r = &s->r;
	struct bytecursor vc = bc_make(b, len);
	uint64_t v = len >= 1 && len <= 8 ? bc_uint(&vc, len) : 0;
	bool addr = len == 4 || len == 16;

	if (len > 8 && !addr)
		return;
	switch (role) {
	case NF_ROLE_OCTETS: r->doctets = v; s->have |= H_OCTETS; break;
	case NF_ROLE_PACKETS: r->dpkts = v; s->have |= H_PKTS; break;
	case NF_ROLE_OCTETS_TOTAL: if (!(s->have & H_OCTETS)) r->doctets = v; break;
	case NF_ROLE_PACKETS_TOTAL: if (!(s->have & H_PKTS)) r->dpkts = v; break;
	case NF_ROLE_PROT: r->prot = (uint8_t)v; break;
	case NF_ROLE_TOS: r->tos = (uint8_t)v; break;
	case NF_ROLE_TCP_FLAGS: r->tcp_flags = (uint8_t)v; break;	/* low 8 bits of 1 or 2 */
	case NF_ROLE_SRCPORT: r->srcport = (uint16_t)v; s->have |= H_SRCPORT; break;
	case NF_ROLE_DSTPORT: r->dstport = (uint16_t)v; s->have |= H_DSTPORT; break;
	case NF_ROLE_SRCADDR: if (addr) set_addr(&r->srcaddr, b, len); s->have |= H_SRCADDR; break;
	case NF_ROLE_DSTADDR: if (addr) set_addr(&r->dstaddr, b, len); s->have |= H_DSTADDR; break;
	case NF_ROLE_POST_SRCPORT: s->post_sport = (uint16_t)v; s->have |= H_POST_SRCPORT; break;
	case NF_ROLE_POST_DSTPORT: s->post_dport = (uint16_t)v; s->have |= H_POST_DSTPORT; break;
	case NF_ROLE_POST_SRCADDR:
		if (addr)
			set_post(s, &s->post_src, H_POST_SRCADDR, b, len);
		break;
	case NF_ROLE_POST_DSTADDR:
		if (addr)
			set_post(s, &s->post_dst, H_POST_DSTADDR, b, len);
		break;
	case NF_ROLE_NEXTHOP:
		if (addr) {
			set_addr(&r->nexthop, b, len);
			s->have |= H_NEXTHOP;
		}
		break;
	case NF_ROLE_BGP_NEXTHOP:
		if (addr && !(s->have & H_NEXTHOP))
			set_addr(&r->nexthop, b, len);
		break;
	case NF_ROLE_SRC_MASK: r->src_mask = (uint8_t)v; break;
	case NF_ROLE_DST_MASK: r->dst_mask = (uint8_t)v; break;
	case NF_ROLE_INPUT: r->input = (uint32_t)v; break;
	case NF_ROLE_OUTPUT: r->output = (uint32_t)v; break;
	case NF_ROLE_SRC_AS: r->src_as = (uint32_t)v; break;
	case NF_ROLE_DST_AS: r->dst_as = (uint32_t)v; break;
	case NF_ROLE_UPTIME_LAST: s->up_last = (uint32_t)v; s->have |= H_UP_LAST; break;
	case NF_ROLE_UPTIME_FIRST: s->up_first = (uint32_t)v; s->have |= H_UP_FIRST; break;
	case NF_ROLE_ICMP_TYPE_CODE: s->icmp = (uint16_t)v; s->have |= H_ICMP; break;
	case NF_ROLE_ICMP_TYPE: s->icmp_type = (uint8_t)v; s->have |= H_ICMP_TYPE; break;
	case NF_ROLE_ICMP_CODE: s->icmp_code = (uint8_t)v; s->have |= H_ICMP_CODE; break;
	case NF_ROLE_ENGINE_TYPE: r->engine_type = (uint8_t)v; break;
	case NF_ROLE_ENGINE_ID: r->engine_id = (uint8_t)v; break;
	case NF_ROLE_FIRST_SECONDS: set_time(s, true, v * 1000u); break;
	case NF_ROLE_LAST_SECONDS: set_time(s, false, v * 1000u); break;
	case NF_ROLE_FIRST_MS: set_time(s, true, v); break;
	case NF_ROLE_LAST_MS: set_time(s, false, v); break;
	case NF_ROLE_FIRST_NTP: set_time(s, true, ntp_ms(v)); break;
	case NF_ROLE_LAST_NTP: set_time(s, false, ntp_ms(v)); break;
	case NF_ROLE_SYSINIT_MS: s->sysinit = v; s->have |= H_SYSINIT; break;
	case NF_ROLE_FIRST_DELTA_US: s->delta_first_us = v; s->have |= H_DELTA_FIRST; break;
	case NF_ROLE_LAST_DELTA_US: s->delta_last_us = v; s->have |= H_DELTA_LAST; break;
	case NF_ROLE_NONE:
	case NF_ROLE_SAMPLING:
		break;
	}
}

static void start_record(struct rec_state *s, const struct nft_export *x)
{
	static const uint8_t zero[4];

	memset(s, 0, sizeof *s);
	flow_addr_set_v4(&s->r.srcaddr, zero);
	flow_addr_set_v4(&s->r.dstaddr, zero);
	flow_addr_set_v4(&s->r.nexthop, zero);
	flow_addr_set_v4(&s->r.exaddr, zero);
	if (x->exporter)
		s->r.exaddr = *x->exporter;
}

/* Sets the record's clock from whichever time fields it had; false when a time had to be moved. */
static bool apply_times(struct rec_state *s, const struct nft_export *x,
    const struct nft_template *domain)
{
	struct flowrec *r = &s->r;
	bool up = s->have & (H_UP_FIRST | H_UP_LAST);
	uint64_t first, last, exp, lo;
	bool clamped = false;

	if (up && x->uptime_base) {
		flow_set_clock(r, x->export_ms, x->sysuptime);
		r->first = s->have & H_UP_FIRST ? s->up_first : s->up_last;
		r->last = s->have & H_UP_LAST ? s->up_last : s->up_first;
		return true;
	}
	if (up && !(s->have & H_SYSINIT) && domain && domain->has_sysinit) {
		s->sysinit = domain->sysinit_ms;
		s->have |= H_SYSINIT;
	}
	if (s->have & H_DELTA_FIRST)	/* IPFIX delta times count back from the export */
		set_time(s, true, x->export_ms - (s->delta_first_us / 1000u < x->export_ms ?
		    s->delta_first_us / 1000u : x->export_ms));
	if (s->have & H_DELTA_LAST)
		set_time(s, false, x->export_ms - (s->delta_last_us / 1000u < x->export_ms ?
		    s->delta_last_us / 1000u : x->export_ms));
	if (up && (s->have & H_SYSINIT)) {	/* IPFIX uptimes count from systemInitTime */
		if (s->have & H_UP_FIRST)
			set_time(s, true, s->sysinit + s->up_first);
		if (s->have & H_UP_LAST)
			set_time(s, false, s->sysinit + s->up_last);
	}
	if (!(s->have & (H_ABS_FIRST | H_ABS_LAST))) {
		/* no usable times: the flow is placed at the export moment, and counted */
		s->untimed = true;
		flow_set_clock(r, x->export_ms, x->sysuptime);
		r->first = r->last = x->sysuptime;
		return true;
	}
	first = s->have & H_ABS_FIRST ? s->abs_first : s->abs_last;
	last = s->have & H_ABS_LAST ? s->abs_last : s->abs_first;
	exp = x->export_ms;
	if (first > exp)
		exp = first;
	if (last > exp)
		exp = last;
	lo = first < last ? first : last;
	if (exp - lo > UINT32_MAX) {
		/* uptimes are 32-bit ms: clamp what lies further back, never wrap it */
		lo = exp - UINT32_MAX;
		first = first < lo ? lo : first;
		last = last < lo ? lo : last;
		clamped = true;
	}
	flow_set_clock(r, exp, (uint32_t)(exp - lo));
	flow_set_first_last(r, first, last);
	return !clamped;
}

/* An exporter that sends only the post-NAT view (some NAT loggers): that view is the record's. */
static void post_nat_views(struct rec_state *s)
{
	struct flowrec *r = &s->r;

	if ((s->have & (H_POST_SRCADDR | H_SRCADDR)) == H_POST_SRCADDR)
		r->srcaddr = s->post_src;
	if ((s->have & (H_POST_DSTADDR | H_DSTADDR)) == H_POST_DSTADDR)
		r->dstaddr = s->post_dst;
	if ((s->have & (H_POST_SRCPORT | H_SRCPORT)) == H_POST_SRCPORT)
		r->srcport = s->post_sport;
	if ((s->have & (H_POST_DSTPORT | H_DSTPORT)) == H_POST_DSTPORT)
		r->dstport = s->post_dport;
}

static void finish_record(struct rec_state *s, const struct nft_export *x,
    const struct nft_template *domain, struct nf_result *res)
{
	struct flowrec *r = &s->r;

	post_nat_views(s);

	if (flow_is_icmp(r->prot) && (s->have & (H_ICMP | H_ICMP_TYPE | H_ICMP_CODE))) {
		if (!(s->have & H_ICMP))
			s->icmp = flow_icmp_port(s->icmp_type, s->icmp_code);
		r->srcport = 0;
		r->dstport = s->icmp;
	}
	if (r->srcaddr.family == FLOW_AF_INET6 && !(s->have & H_NEXTHOP) &&
	    flow_addr_is_zero(&r->nexthop))
		flow_addr_set_zero(&r->nexthop, FLOW_AF_INET6);
	if (!apply_times(s, x, domain))
		res->clamped++;
	if (s->untimed)
		res->untimed++;
}

/* Keeps a domain's boot time (see NFT_DOMAIN_ID). */
static void note_sysinit(struct nft_cache *c, const struct nft_key *dkey, uint64_t ms,
    const struct nft_template **domain)
{
	struct nft_template *d = lookup(c, dkey);

	if (d == NULL) {
		static const struct nft_field none = { 0, 0, 0, NF_ROLE_NONE };

		if (nft_store(c, dkey, true, &none, 0) != 0)
			return;
		d = lookup(c, dkey);
	}
	d->has_sysinit = true;
	d->sysinit_ms = ms;
	*domain = d;
}

bool nft_read_field(const struct nft_field *f, struct bytecursor *rec, const uint8_t **b,
    size_t *len)
{
	*len = f->len;
	if (*len == NFT_VARLEN) {
		*len = bc_u8(rec);
		if (*len == 255)
			*len = bc_u16(rec);
	}
	*b = bc_bytes(rec, *len);
	return !rec->bad;
}

/* Reads one record; false when it runs past the end of the set. */
static bool read_record(const struct nft_template *t, struct bytecursor *set, struct rec_state *s)
{
	for (unsigned i = 0; i < t->nfields; i++) {
		const struct nft_field *f = &t->field[i];
		const uint8_t *b;
		size_t len;

		if (!nft_read_field(f, set, &b, &len))
			return false;
		if (f->role != NF_ROLE_NONE)
			apply_field(s, (enum nf_role)f->role, b, len);
	}
	return true;
}

void nft_decode_set(struct nft_cache *c, const struct nft_key *key, struct bytecursor *set,
    size_t base, const struct nft_export *x, nf_record_fn fn, void *ctx, struct nf_result *res)
{
	const struct nft_template *t = nft_find(c, key), *domain;
	struct nft_key dkey = *key;
	unsigned n = 0;

	if (t == NULL && c->hooks.no_template &&
	    c->hooks.no_template(c->hooks.ctx, key, set->p + set->pos, bc_left(set), x))
		return;
	if (t == NULL) {
		res->no_template++;
		res->missing_template = key->id;
		return;
	}
	dkey.id = NFT_DOMAIN_ID;
	domain = nft_find(c, &dkey);
	while (bc_left(set) >= t->min_len) {
		size_t at = set->pos;
		struct rec_state s;

		start_record(&s, x);
		if (!read_record(t, set, &s)) {
			set->pos = at;
			if (!bc_rest_zero(set))	/* zeros are padding */
				nf_result_error(res, base + at,
				    "record %u of template %u runs past the end of its set",
				    n + 1, t->key.id);
			return;
		}
		n++;
		if (t->sampling && c->hooks.sampling)
			c->hooks.sampling(c->hooks.ctx, t, set->p + at, set->pos - at);
		if (t->options) {
			res->option_records++;
			if (s.have & H_SYSINIT)
				note_sysinit(c, &dkey, s.sysinit, &domain);
			continue;
		}
		finish_record(&s, x, domain, res);
		fn(ctx, &s.r);
		res->records++;
	}
}
