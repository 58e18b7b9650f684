/* Time spans and the join rule of flow-stitch (see span.h). */
#include "flow/flowproto.h"
#include "span.h"

void span_of_record(struct span *sp, const struct flowrec *r, uint64_t first_ms, uint64_t last_ms)
{
	bool tcp = r->prot == FLOW_PROTO_TCP;

	sp->first = first_ms;
	sp->last = last_ms;
	sp->fin = tcp && (r->tcp_flags & (FLOW_TCP_FIN | FLOW_TCP_RST)) ? sp->last : SPAN_NO_FIN;
	sp->syn = tcp && (r->tcp_flags & FLOW_TCP_SYN);
}

bool span_joins(const struct span *a, const struct span *b, uint64_t idle_ms, uint64_t fin_gap_ms)
{
	const struct span *early = b->first < a->first ? b : a;
	const struct span *later = early == a ? b : a;

	if (early->fin != SPAN_NO_FIN && later->first >= early->fin)
		return !later->syn && later->first <= early->last + fin_gap_ms;
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
	if (b->first < a->first)
		a->syn = b->syn;
	else if (b->first == a->first)
		a->syn = a->syn || b->syn;
	a->first = b->first < a->first ? b->first : a->first;
	a->last = b->last > a->last ? b->last : a->last;
	a->fin = b->fin < a->fin ? b->fin : a->fin;
}

uint64_t span_deadline(const struct span *sp, uint64_t idle_ms, uint64_t fin_gap_ms)
{
	return sp->last + (sp->fin != SPAN_NO_FIN ? fin_gap_ms : idle_ms);
}
