/* Sums of one flow direction and the record written for them. */
#include <string.h>

#include "flow/flowclock.h"
#include "flowsum.h"

static uint64_t min64(uint64_t a, uint64_t b) { return a < b ? a : b; }
static uint64_t max64(uint64_t a, uint64_t b) { return a > b ? a : b; }

/* The uptime lies further back than the export moment is after 1970. */
static bool before_epoch(const struct flowrec *r, uint32_t uptime)
{
	uint32_t behind = r->sysuptime - uptime;	/* as flow_uptime_abs_ms takes it */
	return behind > flow_export_ms(r);
}

enum flowsum_time flowsum_from_record(struct flowsum *s, const struct flowrec *r)
{
	enum flowsum_time t = FLOWSUM_TIME_OK;

	/* a record that carries reverse fields (already paired input) */
	s->has_rev = r->rdpkts != 0 || r->rdoctets != 0 || r->rtcp_flags != 0;
	if (before_epoch(r, r->first) || (s->has_rev && before_epoch(r, r->rfirst)))
		return FLOWSUM_TIME_BEFORE_EPOCH;
	s->rec = *r;
	s->first_ms = flow_first_ms(r);
	s->rfirst_ms = s->has_rev ? flow_uptime_abs_ms(r, r->rfirst) : 0;
	/*
	 * last a few ms past sysuptime reads as 49.7 days back under the
	 * 32-bit rule: keep the packets, lose only the bogus duration
	 */
	if (before_epoch(r, r->last) || flow_last_ms(r) < s->first_ms) {
		s->last_ms = s->first_ms;
		t = FLOWSUM_TIME_CLAMPED;
	} else {
		s->last_ms = flow_last_ms(r);
	}
	if (s->has_rev &&
	    (before_epoch(r, r->rlast) || flow_uptime_abs_ms(r, r->rlast) < s->rfirst_ms)) {
		s->rlast_ms = s->rfirst_ms;
		t = FLOWSUM_TIME_CLAMPED;
	} else {
		s->rlast_ms = s->has_rev ? flow_uptime_abs_ms(r, r->rlast) : 0;
	}
	s->export_ms = flow_export_ms(r);
	s->used = true;
	return t;
}

void flowsum_load_add(struct flowsum_load *l, const struct flowsum *s, bool reversed)
{
	uint64_t first = s->has_rev ? min64(s->first_ms, s->rfirst_ms) : s->first_ms;
	int way = reversed ? 1 : 0;

	if (!s->used)
		return;
	/* the parts of one flow were joined under flowsum_load_fits: no wrap */
	l->pkts[way] += s->rec.dpkts;
	l->octets[way] += s->rec.doctets;
	l->pkts[!way] += s->rec.rdpkts;
	l->octets[!way] += s->rec.rdoctets;
	l->first_ms = l->used ? min64(l->first_ms, first) : first;
	l->export_ms = l->used ? max64(l->export_ms, s->export_ms) : s->export_ms;
	l->used = true;
}

enum flowsum_fit flowsum_load_fits(const struct flowsum_load *a, const struct flowsum_load *b)
{
	uint64_t sum;

	if (!a->used || !b->used)
		return FLOWSUM_FITS;
	for (int w = 0; w < 2; w++)
		if (__builtin_add_overflow(a->pkts[w], b->pkts[w], &sum) ||
		    __builtin_add_overflow(a->octets[w], b->octets[w], &sum))
			return FLOWSUM_OVERFLOW;
	/* every time of a record lies at or before its export moment */
	if (max64(a->export_ms, b->export_ms) - min64(a->first_ms, b->first_ms) >= UINT32_MAX)
		return FLOWSUM_TOO_LONG;
	return FLOWSUM_FITS;
}

/* Reverse-side times of two sums, either of which may have none. */
static void add_rev_times(struct flowsum *d, uint64_t first, uint64_t last, bool has)
{
	if (!has)
		return;
	d->rfirst_ms = d->has_rev ? min64(d->rfirst_ms, first) : first;
	d->rlast_ms = d->has_rev ? max64(d->rlast_ms, last) : last;
	d->has_rev = true;
}

void flowsum_add(struct flowsum *d, const struct flowsum *s)
{
	struct flowrec sum = d->rec;	/* counters and clock, before d->rec may change */

	if (!s->used)
		return;
	if (!d->used) {
		*d = *s;
		return;
	}
	sum.dpkts += s->rec.dpkts;
	sum.doctets += s->rec.doctets;
	sum.tcp_flags |= s->rec.tcp_flags;
	sum.rdpkts += s->rec.rdpkts;
	sum.rdoctets += s->rec.rdoctets;
	sum.rtcp_flags |= s->rec.rtcp_flags;
	/* the clock of the latest export; ties take the later input */
	if (s->export_ms >= d->export_ms) {
		sum.unix_secs = s->rec.unix_secs;
		sum.unix_nsecs = s->rec.unix_nsecs;
		sum.sysuptime = s->rec.sysuptime;
	}
	/* other fields from the earliest record; ties keep the one seen first */
	if (s->first_ms < d->first_ms)
		d->rec = s->rec;
	d->rec.dpkts = sum.dpkts;
	d->rec.doctets = sum.doctets;
	d->rec.tcp_flags = sum.tcp_flags;
	d->rec.rdpkts = sum.rdpkts;
	d->rec.rdoctets = sum.rdoctets;
	d->rec.rtcp_flags = sum.rtcp_flags;
	d->rec.unix_secs = sum.unix_secs;
	d->rec.unix_nsecs = sum.unix_nsecs;
	d->rec.sysuptime = sum.sysuptime;
	d->first_ms = min64(d->first_ms, s->first_ms);
	d->last_ms = max64(d->last_ms, s->last_ms);
	d->export_ms = max64(d->export_ms, s->export_ms);
	add_rev_times(d, s->rfirst_ms, s->rlast_ms, s->has_rev);
}

void flowsum_output(struct flowrec *out, const struct flowsum *fw, const struct flowsum *rv)
{
	struct flowsum sum = *fw;

	if (rv != NULL && rv->used) {
		/* rv's own direction is our reverse; its reverse fields are our forward */
		const struct flowrec *clock = rv->export_ms > sum.export_ms ? &rv->rec : &sum.rec;
		sum.rec.unix_secs = clock->unix_secs;
		sum.rec.unix_nsecs = clock->unix_nsecs;
		sum.rec.sysuptime = clock->sysuptime;
		sum.export_ms = max64(sum.export_ms, rv->export_ms);
		sum.rec.rdpkts += rv->rec.dpkts;
		sum.rec.rdoctets += rv->rec.doctets;
		sum.rec.rtcp_flags |= rv->rec.tcp_flags;
		add_rev_times(&sum, rv->first_ms, rv->last_ms, true);
		sum.rec.dpkts += rv->rec.rdpkts;
		sum.rec.doctets += rv->rec.rdoctets;
		sum.rec.tcp_flags |= rv->rec.rtcp_flags;
		if (rv->has_rev) {
			sum.first_ms = min64(sum.first_ms, rv->rfirst_ms);
			sum.last_ms = max64(sum.last_ms, rv->rlast_ms);
		}
	}
	*out = sum.rec;
	/* uptimes against the chosen clock: the one place a time is rewritten */
	flow_set_first_last(out, sum.first_ms, sum.last_ms);
	if (sum.has_rev) {
		struct flowrec t = *out;
		flow_set_first_last(&t, sum.rfirst_ms, sum.rlast_ms);
		out->rfirst = t.first;
		out->rlast = t.last;
	} else {
		out->rfirst = out->rlast = 0;
	}
}
