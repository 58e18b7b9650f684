/*
 * The primitives of the filter grammar, one table row each: keyword (and
 * the second word some need: "in if", "next hop"), whether src/dst may
 * come before it, the value(s) it reads, the kind of argument and how a
 * word of it is read. Arguments:
 *	number kinds: [OP] VALUE | LOW-HIGH | in [ VALUE|LOW-HIGH ... ]
 *	address kinds: ADDR | ADDR/LEN | in [ ... ]
 *	flags: LETTERS with ~ before those that must be clear
 * A keyword with two values (src and dst) and no src/dst before it
 * matches when either side does.
 */
#include <stdlib.h>
#include <string.h>

#include "flow/flowfield_access.h"
#include "flow/flowproto.h"
#include "pstate.h"
#include "values.h"

enum arg_kind {
	A_NUM,		/* numbers compared */
	A_ICMP,		/* numbers, and the flow is ICMP or ICMPv6 */
	A_HOST,		/* address, no /len */
	A_NET,		/* address/len */
	A_ADDR,		/* address, /len optional */
	A_FLAGS,
	A_FAMILY,	/* no argument: srcaddr of the family in src */
	A_ANY		/* no argument: true */
};

#define NOV 0xff	/* no second value */
#define U32 UINT32_MAX
#define U64 UINT64_MAX

struct prim {
	const char *name, *second;
	enum arg_kind kind;
	uint8_t src, dst;	/* values read (enum fvalue); dst NOV: one */
	bool dir;		/* src/dst may come before it */
	bool ranges;		/* LOW-HIGH words */
	value_parser parse;
	uint64_t max;
	const char *what;	/* for "expected WHAT after ..." */
};

static const struct prim prims[] = {
	{ "host", NULL, A_HOST, FF_SRCADDR, FF_DSTADDR, true, false, NULL, 0, "an address" },
	{ "ip", NULL, A_HOST, FF_SRCADDR, FF_DSTADDR, true, false, NULL, 0, "an address" },
	{ "net", NULL, A_NET, FF_SRCADDR, FF_DSTADDR, true, false,
	  NULL, 0, "a network (address/length)" },
	{ "port", NULL, A_NUM, FF_SRCPORT, FF_DSTPORT, true, true,
	  value_uint, 65535, "a port number" },
	{ "as", NULL, A_NUM, FF_SRC_AS, FF_DST_AS, true, true, value_uint, U32, "an AS number" },
	{ "mask", NULL, A_NUM, FF_SRC_MASK, FF_DST_MASK, true, true,
	  value_uint, 128, "a prefix length" },
	{ "if", NULL, A_NUM, FF_INPUT, FF_OUTPUT, false, true,
	  value_uint, U32, "an interface index" },
	{ "in", "if", A_NUM, FF_INPUT, NOV, false, true, value_uint, U32, "an interface index" },
	{ "out", "if", A_NUM, FF_OUTPUT, NOV, false, true, value_uint, U32, "an interface index" },
	{ "exporter", NULL, A_ADDR, FF_EXADDR, NOV, false, false, NULL, 0, "an address" },
	{ "router", "ip", A_ADDR, FF_EXADDR, NOV, false, false, NULL, 0, "an address" },
	{ "next", "hop", A_ADDR, FF_NEXTHOP, NOV, false, false, NULL, 0, "an address" },
	{ "next", "ip", A_ADDR, FF_NEXTHOP, NOV, false, false, NULL, 0, "an address" },
	{ "proto", NULL, A_NUM, FF_PROT, NOV, false, false,
	  value_proto, 255, "a protocol name or number" },
	{ "icmp-type", NULL, A_ICMP, FV_ICMP_TYPE, NOV, false, true,
	  value_uint, 255, "an ICMP type" },
	{ "icmp-code", NULL, A_ICMP, FV_ICMP_CODE, NOV, false, true,
	  value_uint, 255, "an ICMP code" },
	{ "packets", NULL, A_NUM, FF_DPKTS, NOV, false, true, value_scaled, U64, "a packet count" },
	{ "bytes", NULL, A_NUM, FF_DOCTETS, NOV, false, true, value_scaled, U64, "a byte count" },
	{ "duration", NULL, A_NUM, FV_DURATION, NOV, false, true, value_duration, U32,
	  "a duration (N or Nms milliseconds, Ns seconds)" },
	{ "bps", NULL, A_NUM, FV_BPS, NOV, false, true, value_scaled, U64, "a rate in bits/s" },
	{ "pps", NULL, A_NUM, FV_PPS, NOV, false, true, value_scaled, U64, "a rate in packets/s" },
	{ "bpp", NULL, A_NUM, FV_BPP, NOV, false, true,
	  value_scaled, U64, "a number of bytes per packet" },
	{ "start", NULL, A_NUM, FV_START, NOV, false, false, value_time, U64,
	  "a time (YYYY-MM-DDThh:mm:ssZ)" },
	{ "end", NULL, A_NUM, FV_END, NOV, false, false,
	  value_time, U64, "a time (YYYY-MM-DDThh:mm:ssZ)" },
	{ "flags", NULL, A_FLAGS, FF_TCP_FLAGS, NOV, false, false, NULL, 0,
	  "TCP flag letters (FSRPAUEC, ~ before those that must be clear)" },
	{ "tos", NULL, A_NUM, FF_TOS, NOV, false, true, value_uint, 255, "a ToS value" },
	{ "engine-type", NULL, A_NUM, FF_ENGINE_TYPE, NOV, false, true,
	  value_uint, 255, "an engine type" },
	{ "engine-id", NULL, A_NUM, FF_ENGINE_ID, NOV, false, true,
	  value_uint, 255, "an engine id" },
	{ "ipv4", NULL, A_FAMILY, FF_SRCADDR, NOV, false, false, NULL, FLOW_AF_INET, NULL },
	{ "inet", NULL, A_FAMILY, FF_SRCADDR, NOV, false, false, NULL, FLOW_AF_INET, NULL },
	{ "ipv6", NULL, A_FAMILY, FF_SRCADDR, NOV, false, false, NULL, FLOW_AF_INET6, NULL },
	{ "inet6", NULL, A_FAMILY, FF_SRCADDR, NOV, false, false, NULL, FLOW_AF_INET6, NULL },
	{ "any", NULL, A_ANY, NOV, NOV, false, false, NULL, 0, NULL },
};

#define NPRIMS (sizeof prims / sizeof prims[0])

/* Comparison words nfdump also takes. */
static const struct {
	const char *word;
	enum fop op;
} op_words[] = {
	{ "eq", OP_EQ }, { "ne", OP_NE }, { "lt", OP_LT }, { "le", OP_LE },
	{ "gt", OP_GT }, { "ge", OP_GE },
};

/* One argument item: a number range (lo..hi) or a network. */
struct item {
	uint64_t lo, hi;
	struct flow_addr net;
	uint8_t plen;
};

struct arg {
	enum fop op;		/* a single item with an operator */
	bool has_op;
	int n;
	struct item item[PARSE_LIST_MAX];
};

/* ---- reading argument words ---- */

struct reader {
	const struct prim *k;
	int with_len;		/* address kinds: value_net's with_len */
};

static int read_number(struct pstate *p, const struct reader *r, struct item *it, bool may_range)
{
	const struct token *t = &p->tok;
	const char *dash = NULL;

	if (t->kind != TK_WORD)
		return ps_expected(p, r->k->what);
	if (may_range && r->k->ranges && t->len > 2)
		dash = memchr(t->s + 1, '-', t->len - 2);
	if (dash != NULL) {
		size_t ln = (size_t)(dash - t->s);
		if (r->k->parse(t->s, ln, r->k->max, &it->lo) < 0 ||
		    r->k->parse(dash + 1, t->len - ln - 1, r->k->max, &it->hi) < 0)
			return ps_expected(p, r->k->what);
		if (it->lo > it->hi)
			return ps_fail(p, "range '%.*s' runs backwards",
			    (int)(t->len > 40 ? 40 : t->len), t->s);
	} else {
		if (r->k->parse(t->s, t->len, r->k->max, &it->lo) < 0)
			return ps_expected(p, r->k->what);
		it->hi = it->lo;
	}
	return 0;
}

static int read_net(struct pstate *p, const struct reader *r, struct item *it)
{
	if (p->tok.kind != TK_WORD ||
	    value_net(p->tok.s, p->tok.len, r->with_len, &it->net, &it->plen) < 0)
		return ps_expected(p, r->k->what);
	return 0;
}

static int read_item(struct pstate *p, const struct reader *r, struct item *it, bool may_range)
{
	int rc = r->k->parse != NULL ? read_number(p, r, it, may_range) : read_net(p, r, it);

	if (rc == 0)
		ps_next(p);
	return rc;
}

static int read_list(struct pstate *p, const struct reader *r, struct arg *a)
{
	ps_next(p);	/* "in" */
	if (p->tok.kind != TK_LBRACK)
		return ps_expected(p, "'['");
	ps_next(p);
	while (p->tok.kind != TK_RBRACK) {
		if (a->n == PARSE_LIST_MAX)
			return ps_fail(p, "more than %d items in a list", PARSE_LIST_MAX);
		if (read_item(p, r, &a->item[a->n++], true) < 0)
			return -1;
		if (p->tok.kind == TK_COMMA)
			ps_next(p);
	}
	if (a->n == 0)
		return ps_fail(p, "empty list");
	ps_next(p);
	return 0;
}

static int read_op_word(const struct token *t, enum fop *op)
{
	for (size_t i = 0; i < sizeof op_words / sizeof op_words[0]; i++)
		if (token_is(t, op_words[i].word)) {
			*op = op_words[i].op;
			return 0;
		}
	return -1;
}

/* The argument of a number or address primitive. */
static int read_arg(struct pstate *p, const struct reader *r, struct arg *a)
{
	a->n = 0;
	a->has_op = false;
	if (token_is(&p->tok, "in"))
		return read_list(p, r, a);
	if (p->tok.kind == TK_OP || read_op_word(&p->tok, &a->op) == 0) {
		if (p->tok.kind == TK_OP)
			a->op = p->tok.op;
		a->has_op = true;
		ps_next(p);
	}
	a->n = 1;
	/* an ordering of addresses means nothing: only = and != */
	if (a->has_op && r->k->parse == NULL && a->op != OP_EQ && a->op != OP_NE)
		return ps_fail(p, "addresses compare only with = or !=");
	return read_item(p, r, &a->item[0], !a->has_op);
}

/* ---- building leaves ---- */

static int leaf(struct pstate *p, struct fnode n, uint8_t value)
{
	n.value = value;
	p->t->needs |= fvalue_needs((enum fvalue)value);
	return ps_node(p, &n);
}

static int or_chain(struct pstate *p, int e, int next)
{
	return e < 0 ? next : ps_join(p, FN_OR, e, next);
}

static int cmp_leaf(struct pstate *p, enum fop op, uint64_t c, uint8_t value)
{
	return leaf(p, (struct fnode){ .kind = FN_CMP, .op = (uint8_t)op, .lo = c }, value);
}

static int range_leaf(struct pstate *p, const struct item *it, uint8_t value)
{
	return leaf(p, (struct fnode){ .kind = FN_RANGE, .lo = it->lo, .hi = it->hi }, value);
}

/* Single values of a list: one compare, or a set searched by halves. */
static int set_leaf(struct pstate *p, const uint64_t *v, int n, uint8_t value)
{
	int at;

	if (n == 1)
		return cmp_leaf(p, OP_EQ, v[0], value);
	if ((at = ftree_add_set(p->t, v, n)) < 0)
		return ps_fail(p, "out of memory");
	return leaf(p, (struct fnode){ .kind = FN_SET, .a = at, .b = n }, value);
}

static int number_leaves(struct pstate *p, const struct arg *a, uint8_t value)
{
	uint64_t single[PARSE_LIST_MAX];
	int ns = 0, e = -1;

	if (a->has_op)
		return cmp_leaf(p, a->op, a->item[0].lo, value);
	for (int i = 0; i < a->n; i++) {
		const struct item *it = &a->item[i];
		if (it->lo == it->hi)
			single[ns++] = it->lo;
		else if ((e = or_chain(p, e, range_leaf(p, it, value))) < 0)
			return -1;
	}
	if (ns > 0)
		e = or_chain(p, e, set_leaf(p, single, ns, value));
	return e;
}

static int net_leaves(struct pstate *p, const struct arg *a, uint8_t value)
{
	int e = -1;

	for (int i = 0; i < a->n; i++) {
		struct fnode n = { .kind = FN_NET, .net = a->item[i].net, .plen = a->item[i].plen };
		if ((e = or_chain(p, e, leaf(p, n, value))) < 0)
			return -1;
	}
	if (a->has_op && a->op == OP_NE)
		e = ps_join(p, FN_NOT, e, -1);
	return e;
}

static int arg_leaves(struct pstate *p, const struct prim *k, const struct arg *a, uint8_t value)
{
	return k->parse != NULL ? number_leaves(p, a, value) : net_leaves(p, a, value);
}

/* Which side(s) a primitive looks at: nothing before it, src, dst, or nfdump's pairs. */
enum side { SIDE_EITHER, SIDE_SRC, SIDE_DST, SIDE_BOTH, SIDE_SRC_OR_DST };

/* The leaves for one or both sides. */
static int sides(struct pstate *p, const struct prim *k, const struct arg *a, enum side dir)
{
	if (k->dst == NOV || dir == SIDE_SRC)
		return arg_leaves(p, k, a, k->src);
	if (dir == SIDE_DST)
		return arg_leaves(p, k, a, k->dst);
	return ps_join(p, dir == SIDE_BOTH ? FN_AND : FN_OR, arg_leaves(p, k, a, k->src),
	    arg_leaves(p, k, a, k->dst));
}

static int proto_is(struct pstate *p, uint64_t proto)
{
	return leaf(p, (struct fnode){ .kind = FN_CMP, .op = OP_EQ, .lo = proto }, FF_PROT);
}

/* ICMP type and code mean something in ICMP and ICMPv6 flows only (as nfdump) */
static int icmp_guard(struct pstate *p, int e)
{
	int guard = ps_join(p, FN_OR, proto_is(p, FLOW_PROTO_ICMP), proto_is(p, FLOW_PROTO_ICMPV6));

	return ps_join(p, FN_AND, guard, e);
}

static int flags_leaf(struct pstate *p, const struct prim *k)
{
	struct fnode n = { .kind = FN_FLAGS };
	uint8_t set, clear;

	if (p->tok.kind != TK_WORD || value_flags(p->tok.s, p->tok.len, &set, &clear) < 0)
		return ps_expected(p, k->what);
	n.lo = set;
	n.hi = clear;
	ps_next(p);
	/* TCP flags of TCP flows only (as nfdump): a UDP flow has none set or clear */
	return ps_join(p, FN_AND, proto_is(p, FLOW_PROTO_TCP), leaf(p, n, k->src));
}

static int with_len(enum arg_kind kind)
{
	return kind == A_HOST ? 0 : kind == A_NET ? 2 : 1;
}

static int build(struct pstate *p, const struct prim *k, enum side dir)
{
	struct arg a;
	struct reader r = { k, with_len(k->kind) };
	int e;

	switch (k->kind) {
	case A_ANY:
		return ps_node(p, &(struct fnode){ .kind = FN_TRUE });
	case A_FAMILY:
		/* a /0 network of the family */
		return leaf(p, (struct fnode){ .kind = FN_NET, .net.family = (uint8_t)k->max },
		    k->src);
	case A_FLAGS:
		return flags_leaf(p, k);
	default:
		break;
	}
	if (read_arg(p, &r, &a) < 0)
		return -1;
	e = sides(p, k, &a, dir);
	return k->kind == A_ICMP ? icmp_guard(p, e) : e;
}

/* The table row for the current word (and the next one where a row has two). */
static const struct prim *lookup(struct pstate *p)
{
	for (size_t i = 0; i < NPRIMS; i++) {
		if (!token_is(&p->tok, prims[i].name))
			continue;
		if (prims[i].second == NULL)
			return &prims[i];
		struct lexer save = p->lx;
		struct token second = lexer_next(&save);
		if (token_is(&second, prims[i].second)) {
			ps_next(p);
			return &prims[i];
		}
	}
	return NULL;
}

/* A field of the line format by name: FIELD OP VALUE or FIELD in [...]. */
static int field_primitive(struct pstate *p, int f)
{
	struct arg a;
	struct prim k = {
		.name = flow_field_name((enum flow_field)f), .src = (uint8_t)f, .dst = NOV,
		.ranges = true, .parse = value_scaled, .max = flow_field_max((enum flow_field)f),
		.what = "a number"
	};
	struct reader r = { &k, 1 };

	if (flow_field_is_addr((enum flow_field)f)) {
		k.parse = NULL;
		k.what = "an address or network";
	}
	if (p->tok.kind != TK_OP && !token_is(&p->tok, "in") && read_op_word(&p->tok, &a.op) < 0)
		return ps_expected(p, "a comparison (= != < <= > >=) or 'in'");
	if (read_arg(p, &r, &a) < 0)
		return -1;
	return arg_leaves(p, &k, &a, k.src);
}

/* src, dst, "src and dst", "src or dst" at the current token, taken. */
static enum side direction(struct pstate *p)
{
	enum side d = token_is(&p->tok, "src") ? SIDE_SRC : token_is(&p->tok, "dst") ? SIDE_DST :
	    SIDE_EITHER;

	if (d == SIDE_EITHER)
		return d;
	ps_next(p);
	if (d == SIDE_SRC && (token_is(&p->tok, "and") || token_is(&p->tok, "or"))) {
		struct lexer save = p->lx;
		struct token next = lexer_next(&save);
		if (token_is(&next, "dst")) {
			d = token_is(&p->tok, "and") ? SIDE_BOTH : SIDE_SRC_OR_DST;
			ps_next(p);
			ps_next(p);
		}
	}
	return d;
}

int parse_primitive(struct pstate *p)
{
	enum side dir;
	const struct prim *k;
	int f;

	if (p->tok.kind != TK_WORD)
		return ps_fail(p, "expected a primitive (host, net, port, proto, bytes, ...)");
	dir = direction(p);
	k = lookup(p);
	if (dir != SIDE_EITHER && (k == NULL || !k->dir))
		return ps_expected(p, "host, ip, net, port, as or mask");
	if (k != NULL) {
		ps_next(p);
		return build(p, k, dir);
	}
	f = flow_field_lookup(p->tok.s, p->tok.len);
	if (f >= 0) {
		ps_next(p);
		return field_primitive(p, f);
	}
	return ps_fail(p, "unknown word '%.*s': expected a primitive (host, net, port, proto, "
	    "bytes, ...) or a field name", (int)(p->tok.len > 32 ? 32 : p->tok.len), p->tok.s);
}
