/* -s keys: parse the spec, make and print key bytes (see statkey.h). */
#include <string.h>

#include "base/decnum.h"
#include "cells.h"
#include "flow/flowaddr.h"
#include "numfmt.h"
#include "statkey.h"

static const char *const order_names[] = { "flows", "packets", "bytes" };

const char *stat_order_name(enum stat_order o)
{
	return order_names[o];
}

static bool is_addr_field(int f)
{
	return f == FF_SRCADDR || f == FF_DSTADDR || f == FF_EXADDR || f == FF_NEXTHOP ||
	    f == STATKEY_IP;
}

/* The fields a group can be keyed by: every number and address but counters and clocks. */
static int field_id(const char *s, size_t n)
{
	int f;

	if (n == 2 && memcmp(s, "ip", 2) == 0)
		return STATKEY_IP;
	if (n == 4 && memcmp(s, "port", 4) == 0)
		return STATKEY_PORT;
	f = flow_field_lookup(s, n);
	switch (f) {
	case FF_UNIX_SECS: case FF_UNIX_NSECS: case FF_SYSUPTIME: case FF_DPKTS:
	case FF_DOCTETS: case FF_FIRST: case FF_LAST: case FF_RDPKTS: case FF_RDOCTETS:
	case FF_RFIRST: case FF_RLAST:
		return -1;
	default:
		return f;
	}
}

static int parse_order(struct statkey *k, const char *s, size_t n)
{
	for (unsigned i = 0; i < sizeof order_names / sizeof order_names[0]; i++)
		if (strlen(order_names[i]) == n && memcmp(order_names[i], s, n) == 0) {
			k->order = (enum stat_order)i;
			return 0;
		}
	return -1;
}

/* One FIELD[/BITS[/BITS6]][/ORDER] of s[0..n); last: the only place ORDER may be. */
static int parse_part(struct statkey *k, const char *s, size_t n, bool last, struct why *why)
{
	struct statkey_part *pt = &k->part[k->nparts];
	size_t len = strcspn(s, "/");
	unsigned nbits = 0;

	if (len > n)
		len = n;
	pt->field = field_id(s, len);
	if (pt->field < 0)
		return why_set(why, "cannot group by '%.*s'", (int)(len > 40 ? 40 : len), s);
	pt->addr = is_addr_field(pt->field);
	pt->bits4 = 32;
	pt->bits6 = 128;
	while (len < n) {
		const char *w = s + len + 1;
		size_t wn = strcspn(w, "/");
		uint64_t v;
		if (w + wn > s + n)
			wn = (size_t)(s + n - w);
		len += 1 + wn;
		if (dec_parse_u64(w, wn, 128, &v) == 0 && pt->addr && nbits < 2) {
			if (nbits++ == 0)
				pt->bits4 = v < 32 ? (unsigned)v : 32;
			pt->bits6 = (unsigned)v;
			continue;
		}
		if (last && len == n && parse_order(k, w, wn) == 0)
			continue;
		return why_set(why, "'%.*s': want an address prefix length (0-128, at most two) "
		    "or, at the end, /flows, /packets or /bytes", (int)(n > 40 ? 40 : n), s);
	}
	if (pt->field == STATKEY_IP || pt->field == STATKEY_PORT)
		k->two_sided = true;
	k->len += pt->addr ? 17 : 4;
	k->nparts++;
	return 0;
}

int statkey_parse(struct statkey *k, const char *spec, struct why *why)
{
	const char *p = spec;

	*k = (struct statkey){ .order = STAT_BY_FLOWS };
	for (;;) {
		size_t n = strcspn(p, ",");
		if (k->nparts == STATKEY_FIELDS_MAX)
			return why_set(why, "at most %d fields", STATKEY_FIELDS_MAX);
		if (parse_part(k, p, n, p[n] == '\0', why) < 0)
			return -1;
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

static const struct flow_addr *part_addr(const struct flowrec *r, int f, bool dst_side)
{
	switch (f) {
	case FF_SRCADDR: return &r->srcaddr;
	case FF_DSTADDR: return &r->dstaddr;
	case FF_EXADDR: return &r->exaddr;
	case FF_NEXTHOP: return &r->nexthop;
	default: return dst_side ? &r->dstaddr : &r->srcaddr;
	}
}

static uint32_t part_number(const struct flowrec *r, int f, bool dst_side)
{
	switch (f) {
	case FF_ENGINE_TYPE: return r->engine_type;
	case FF_ENGINE_ID: return r->engine_id;
	case FF_INPUT: return r->input;
	case FF_OUTPUT: return r->output;
	case FF_SRCPORT: return r->srcport;
	case FF_DSTPORT: return r->dstport;
	case FF_PROT: return r->prot;
	case FF_TOS: return r->tos;
	case FF_TCP_FLAGS: return r->tcp_flags;
	case FF_RTCP_FLAGS: return r->rtcp_flags;
	case FF_SRC_MASK: return r->src_mask;
	case FF_DST_MASK: return r->dst_mask;
	case FF_SRC_AS: return r->src_as;
	case FF_DST_AS: return r->dst_as;
	default: return dst_side ? r->dstport : r->srcport;	/* port */
	}
}

/* family, then the address with the bits beyond the prefix cleared */
static uint8_t *put_prefix(uint8_t *out, const struct flow_addr *a, unsigned bits)
{
	out[0] = a->family;
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = bits > i * 8 ? bits - i * 8 : 0;
		uint8_t mask = keep >= 8 ? 0xff : (uint8_t)(0xff00u >> keep);
		out[1 + i] = a->bytes[i] & mask;
	}
	return out + 17;
}

void statkey_make(const struct statkey *k, const struct flowrec *r, bool dst_side, uint8_t *out)
{
	for (unsigned i = 0; i < k->nparts; i++) {
		const struct statkey_part *pt = &k->part[i];
		if (pt->addr) {
			const struct flow_addr *a = part_addr(r, pt->field, dst_side);
			out = put_prefix(out, a, a->family == FLOW_AF_INET6 ?
			    pt->bits6 : pt->bits4);
			continue;
		}
		/* big-endian, so key bytes sort as the numbers do */
		uint32_t v = part_number(r, pt->field, dst_side);
		out[0] = (uint8_t)(v >> 24);
		out[1] = (uint8_t)(v >> 16);
		out[2] = (uint8_t)(v >> 8);
		out[3] = (uint8_t)v;
		out += 4;
	}
}

flow_fieldset statkey_fields(const struct statkey *k)
{
	flow_fieldset set = 0;

	for (unsigned i = 0; i < k->nparts; i++) {
		int f = k->part[i].field;
		if (f == STATKEY_IP)
			set |= 1u << FF_SRCADDR | 1u << FF_DSTADDR;
		else if (f == STATKEY_PORT)
			set |= 1u << FF_SRCPORT | 1u << FF_DSTPORT;
		else
			set |= 1u << f;
	}
	return set;
}

static const char *part_name(int f)
{
	return f == STATKEY_IP ? "ip" : f == STATKEY_PORT ? "port" :
	    flow_field_name((enum flow_field)f);
}

size_t statkey_title(const struct statkey *k, unsigned i, char *p)
{
	const struct statkey_part *pt = &k->part[i];
	const char *name = part_name(pt->field);
	size_t n = strlen(name);

	memcpy(p, name, n);
	if (pt->addr && (pt->bits4 < 32 || pt->bits6 < 128)) {
		p[n++] = '/';
		n += num_u64(p + n, pt->bits4);
		if (pt->bits6 != pt->bits4) {
			p[n++] = '/';
			n += num_u64(p + n, pt->bits6);
		}
	}
	return n;
}

size_t statkey_cell(const struct statkey *k, unsigned i, const uint8_t *key, char *p)
{
	for (unsigned j = 0; j < i; j++)
		key += k->part[j].addr ? 17 : 4;
	const struct statkey_part *pt = &k->part[i];
	if (pt->addr) {
		struct flow_addr a = { .family = key[0] };
		memcpy(a.bytes, key + 1, 16);
		return cell_prefix(p, &a, a.family == FLOW_AF_INET6 ? pt->bits6 : pt->bits4);
	}
	uint32_t v = (uint32_t)key[0] << 24 | (uint32_t)key[1] << 16 | (uint32_t)key[2] << 8 |
	    key[3];
	if (pt->field == FF_PROT)
		return cell_proto(p, (uint8_t)v);
	return num_u64(p, v);
}
