/* Absolute times and both-way sums of one record (see flowview.h). */
#include "flow/flowclock.h"
#include "flowview.h"

/* Whether uptime lies at or after the epoch on r's export clock. */
static bool after_epoch(const struct flowrec *r, uint32_t uptime)
{
	return (uint64_t)(uint32_t)(r->sysuptime - uptime) <= flow_export_ms(r);
}

enum flowview_time flowview_make(struct flowview *v, const struct flowrec *r)
{
	enum flowview_time st = FLOWVIEW_OK;
	bool rev = r->rdpkts != 0;

	v->r = r;
	v->pkts = (u128)r->dpkts + r->rdpkts;
	v->bytes = (u128)r->doctets + r->rdoctets;
	if (!after_epoch(r, r->first) || !after_epoch(r, r->last) ||
	    (rev && (!after_epoch(r, r->rfirst) || !after_epoch(r, r->rlast))))
		return FLOWVIEW_BEFORE_EPOCH;
	v->start_ms = flow_first_ms(r);
	v->end_ms = flow_last_ms(r);
	if (v->end_ms < v->start_ms) {
		v->end_ms = v->start_ms;
		st = FLOWVIEW_CLAMPED;
	}
	if (rev) {
		uint64_t rf = flow_uptime_abs_ms(r, r->rfirst),
		    rl = flow_uptime_abs_ms(r, r->rlast);
		if (rl < rf) {
			rl = rf;
			st = FLOWVIEW_CLAMPED;
		}
		if (rf < v->start_ms)
			v->start_ms = rf;
		if (rl > v->end_ms)
			v->end_ms = rl;
	}
	return st;
}
