/* The stitching key of a record (see flowkey.h). */
#include <string.h>

#include "flowkey.h"
#include "base/htab.h"
#include "flow/flowproto.h"

#define HAS(set, f) (((set) >> (f)) & 1u)

int flowkey_parse(const char *list, flow_fieldset *out, struct why *w)
{
	flow_fieldset set;

	if (flow_fieldset_parse(list, &set, w) < 0)
		return -1;
	for (int f = 0; f < FF_COUNT; f++)
		if (HAS(set, f) && !HAS(FLOWKEY_ALLOWED, f))
			return why_set(w, "'%s' cannot be a key field: it changes within a flow",
			    flow_field_name((enum flow_field)f));
	*out = set;
	return 0;
}

static void side(struct flowkey_side *s, flow_fieldset set, const struct flow_addr *addr,
    uint16_t port, uint8_t mask, uint32_t as, enum flow_field faddr, enum flow_field fport,
    enum flow_field fmask, enum flow_field fas)
{
	if (HAS(set, faddr))
		s->addr = *addr;
	if (HAS(set, fport))
		s->port = port;
	if (HAS(set, fmask))
		s->mask = mask;
	if (HAS(set, fas))
		s->as = as;
}

/* A side field in the set brings its other-side twin along. */
static flow_fieldset mirrored(flow_fieldset set)
{
	static const enum flow_field pairs[][2] = {
		{ FF_SRCADDR, FF_DSTADDR }, { FF_SRCPORT, FF_DSTPORT },
		{ FF_SRC_MASK, FF_DST_MASK }, { FF_SRC_AS, FF_DST_AS },
	};

	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++)
		if (HAS(set, pairs[i][0]) || HAS(set, pairs[i][1]))
			set |= (1u << pairs[i][0]) | (1u << pairs[i][1]);
	return set;
}

/*
 * The query type an ICMP query or reply type belongs to, or -1: echo,
 * timestamp, information and address mask (RFC 792, 950) for ICMP, echo
 * (RFC 4443) for ICMPv6.
 */
static int icmp_query_type(uint8_t prot, uint8_t type)
{
	static const uint8_t v4[][2] = { { 8, 0 }, { 13, 14 }, { 15, 16 }, { 17, 18 } };

	if (prot == FLOW_PROTO_ICMPV6)
		return type == 128 || type == 129 ? 128 : -1;
	if (prot != FLOW_PROTO_ICMP)
		return -1;
	for (size_t i = 0; i < sizeof v4 / sizeof v4[0]; i++)
		if (type == v4[i][0] || type == v4[i][1])
			return v4[i][0];
	return -1;
}

bool flowkey_make(struct flowkey *k, const struct flowrec *r, flow_fieldset set, bool bidir)
{
	static const struct flowkey zero;	/* padding included: a static is all zero bytes */
	struct flowkey_side t;	/* swapped by memcpy: padding must stay zero */
	int query;

	memcpy(k, &zero, sizeof *k);	/* not memset: its rep stos is slow at this size */
	if (bidir)	/* both sides carry the same fields, or they could never match */
		set = mirrored(set);
	side(&k->a, set, &r->srcaddr, r->srcport, r->src_mask, r->src_as,
	    FF_SRCADDR, FF_SRCPORT, FF_SRC_MASK, FF_SRC_AS);
	side(&k->b, set, &r->dstaddr, r->dstport, r->dst_mask, r->dst_as,
	    FF_DSTADDR, FF_DSTPORT, FF_DST_MASK, FF_DST_AS);
	if (HAS(set, FF_EXADDR))
		k->exaddr = r->exaddr;
	if (HAS(set, FF_NEXTHOP))
		k->nexthop = r->nexthop;
	if (HAS(set, FF_INPUT))
		k->input = r->input;
	if (HAS(set, FF_OUTPUT))
		k->output = r->output;
	if (HAS(set, FF_ENGINE_TYPE))
		k->engine_type = r->engine_type;
	if (HAS(set, FF_ENGINE_ID))
		k->engine_id = r->engine_id;
	if (HAS(set, FF_PROT))
		k->prot = r->prot;
	if (HAS(set, FF_TOS))
		k->tos = r->tos;
	/* a query and its reply differ in type: key on the query, not the side */
	query = bidir && HAS(set, FF_DSTPORT) ?
	    icmp_query_type(r->prot, (uint8_t)(r->dstport >> 8)) : -1;
	if (query >= 0) {
		k->b.port = 0;
		k->icmp_query = (uint16_t)(query << 8 | (r->dstport & 0xff));
	}
	if (!bidir || memcmp(&k->a, &k->b, sizeof k->a) <= 0)
		return false;
	memcpy(&t, &k->a, sizeof t);
	memcpy(&k->a, &k->b, sizeof t);
	memcpy(&k->b, &t, sizeof t);
	return true;
}

bool flowkey_equal(const struct flowkey *a, const struct flowkey *b)
{
	return htab_key_equal(a, b, sizeof *a);	/* inline, a word at a time: no memcmp call */
}
