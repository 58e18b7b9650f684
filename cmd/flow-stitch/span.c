/* Time spans and the join rule of flow-stitch (see span.h). */
#include "flow/flowproto.h"
#include "span.h"

void span_of_record(struct span *sp, const struct flowrec *r, uint64_t first_ms, uint64_t last_ms)
{
	bool tcp = r->prot == FLOW_PROTO_TCP;

	sp->first = first_ms;
	sp->last = last_ms;
	sp->fin = tcp && (r->tcp_flags & (FLOW_TCP_FIN | FLOW_TCP_RST)) ? sp->last : SPAN_NO_FIN;
	sp->syn = tcp && (r->tcp_flags & FLOW_TCP_SYN) ? sp->first : SPAN_NO_SYN;
}

/*
 * Which of two spans counts as the earlier: the earlier start; on the same
 * ms the one that opens with SYN (a SYN and the RST that answers it), then
 * the shorter, then the earlier FIN. Never which came first.
 */
static bool earlier(const struct span *x, const struct span *y)
{
	bool sx = span_opens_with_syn(x), sy = span_opens_with_syn(y);

	if (x->first != y->first)
		return x->first < y->first;
	if (sx != sy)
		return sx;
	if (x->last != y->last)
		return x->last < y->last;
	return x->fin < y->fin;
}

bool span_joins(const struct span *a, const struct span *b, uint64_t idle_ms, uint64_t fin_gap_ms)
{
	bool b_first = earlier(b, a);
	const struct span *early = b_first ? b : a;
	const struct span *later = b_first ? a : b;
	uint64_t syn = a->syn < b->syn ? a->syn : b->syn;

	if (syn != SPAN_NO_SYN && early->first < syn)
		return false;	/* a part before the SYN: an earlier connection's */
	if (early->fin != SPAN_NO_FIN && later->first >= early->fin)
		return !span_opens_with_syn(later) && later->first <= early->last + fin_gap_ms;
	return later->first <= early->last + idle_ms;
}

uint64_t span_gap(const struct span *a, const struct span *b)
{
	if (b->first > a->last)
		return b->first - a->last;
	if (a->first > b->last)
		return a->first - b->last;
	return 0;
}

void span_add(struct span *a, const struct span *b)
{
	a->syn = b->syn < a->syn ? b->syn : a->syn;
	a->first = b->first < a->first ? b->first : a->first;
	a->last = b->last > a->last ? b->last : a->last;
	a->fin = b->fin < a->fin ? b->fin : a->fin;
}

uint64_t span_deadline(const struct span *sp, uint64_t idle_ms, uint64_t fin_gap_ms)
{
	return sp->last + (sp->fin != SPAN_NO_FIN ? fin_gap_ms : idle_ms);
}
