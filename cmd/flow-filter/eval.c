/* Evaluating the filter tree (eval.h). */
#include <string.h>

#include "eval.h"
#include "flow/flowclock.h"
#include "flow/flowfield_access.h"

/* last - first in ms, through the export clock so a wrapped uptime is
 * harmless; 0 when last is before first */
static uint64_t duration_ms(const struct flowrec *r)
{
	uint32_t since_first = r->sysuptime - r->first, since_last = r->sysuptime - r->last;

	return since_first >= since_last ? since_first - since_last : 0;
}

/* scale * count / ms, 0 for ms 0 (as nfdump), at most UINT64_MAX */
static uint64_t rate(uint64_t count, uint64_t scale, uint64_t ms)
{
	unsigned __int128 v;

	if (ms == 0)
		return 0;
	v = (unsigned __int128)count * scale / ms;
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

uint64_t fvalue_of(const struct flowrec *r, enum fvalue v)
{
	if ((int)v < FF_COUNT)
		return flow_field_get(r, (enum flow_field)v);
	switch (v) {
	case FV_DURATION:	return duration_ms(r);
	case FV_BPS:		return rate(r->doctets, 8000, duration_ms(r));
	case FV_PPS:		return rate(r->dpkts, 1000, duration_ms(r));
	case FV_BPP:		return r->dpkts ? r->doctets / r->dpkts : 0;
	case FV_START:		return flow_first_ms(r);
	case FV_END:		return flow_last_ms(r);
	case FV_ICMP_TYPE:	return r->dstport >> 8;
	case FV_ICMP_CODE:	return r->dstport & 0xff;
	default:		return 0;
	}
}

static bool compare(uint64_t v, enum fop op, uint64_t c)
{
	switch (op) {
	case OP_EQ: return v == c;
	case OP_NE: return v != c;
	case OP_LT: return v < c;
	case OP_LE: return v <= c;
	case OP_GT: return v > c;
	case OP_GE: return v >= c;
	}
	return false;
}

static bool in_set(const uint64_t *set, int n, uint64_t v)
{
	int lo = 0, hi = n - 1;

	while (lo <= hi) {
		int mid = lo + (hi - lo) / 2;
		if (set[mid] == v)
			return true;
		if (set[mid] < v)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return false;
}

static bool in_net(const struct flow_addr *a, const struct fnode *n)
{
	unsigned whole = n->plen / 8u, bits = n->plen % 8u;

	if (a->family != n->net.family || memcmp(a->bytes, n->net.bytes, whole) != 0)
		return false;
	if (bits == 0)
		return true;
	return ((a->bytes[whole] ^ n->net.bytes[whole]) & (0xff00u >> bits) & 0xffu) == 0;
}

static bool match(const struct ftree *t, int i, const struct flowrec *r)
{
	const struct fnode *n = &t->node[i];

	switch ((enum fnode_kind)n->kind) {
	case FN_AND:	return match(t, n->a, r) && match(t, n->b, r);
	case FN_OR:	return match(t, n->a, r) || match(t, n->b, r);
	case FN_NOT:	return !match(t, n->a, r);
	case FN_TRUE:	return true;
	case FN_CMP:	return compare(fvalue_of(r, n->value), n->op, n->lo);
	case FN_RANGE: {
		uint64_t v = fvalue_of(r, n->value);
		return v >= n->lo && v <= n->hi;
	}
	case FN_SET:	return in_set(t->set + n->a, n->b, fvalue_of(r, n->value));
	case FN_NET:	return in_net(flow_field_addr_c(r, (enum flow_field)n->value), n);
	case FN_FLAGS: {
		uint64_t v = fvalue_of(r, n->value);
		return (v & n->lo) == n->lo && (v & n->hi) == 0;
	}
	}
	return false;
}

bool ftree_match(const struct ftree *t, const struct flowrec *r)
{
	return match(t, t->root, r);
}
