/* One datagram's header clock for records of several export moments. */
#include "flow/flowclock.h"
#include "netflow/nf_export_clock.h"

#define UPTIME_SPAN ((int64_t)UINT32_MAX)

static void record_span(const struct flowrec *r, int64_t *lo, int64_t *hi)
{
	int64_t exp = (int64_t)flow_export_ms(r);
	int64_t first = (int64_t)flow_first_ms(r);
	int64_t last = (int64_t)flow_last_ms(r);
	int64_t boot = exp - (int64_t)r->sysuptime;

	*lo = boot;
	if (first < *lo)
		*lo = first;
	if (last < *lo)
		*lo = last;
	*hi = exp;
	if (first > *hi)
		*hi = first;
	if (last > *hi)
		*hi = last;
}

void nf_export_clock_reset(struct nf_export_clock *c)
{
	c->lo = c->hi = 0;
	c->any = false;
}

bool nf_export_clock_fits(const struct nf_export_clock *c, const struct flowrec *r,
    unsigned round_ms)
{
	int64_t lo, hi;

	if (!c->any)
		return true;
	record_span(r, &lo, &hi);
	if (c->lo < lo)
		lo = c->lo;
	if (c->hi > hi)
		hi = c->hi;
	return hi - lo + (int64_t)round_ms <= UPTIME_SPAN;
}

static int64_t round_up(int64_t ms, unsigned round_ms)
{
	if (ms <= 0 || round_ms <= 1)
		return ms;
	return (ms + round_ms - 1) / round_ms * round_ms;
}

bool nf_export_clock_add(struct nf_export_clock *c, const struct flowrec *r, unsigned round_ms)
{
	int64_t lo, hi, top;
	bool narrowed = false;

	record_span(r, &lo, &hi);
	if (c->any) {
		/* nf_export_clock_fits said the span stays within 32 bits */
		if (lo < c->lo)
			c->lo = lo;
		if (hi > c->hi)
			c->hi = hi;
		return false;
	}
	/*
	 * Alone in the datagram, r must fit too: the exporter's boot time is
	 * given up first (it only keeps uptimes unchanged), then the earliest
	 * time is moved up (less than round_ms) so that the rounded export
	 * moment stays within 2^32 ms of it.
	 */
	top = round_up(hi, round_ms);
	if (top - lo > UPTIME_SPAN) {
		int64_t first = (int64_t)flow_first_ms(r), last = (int64_t)flow_last_ms(r);

		lo = first < last ? first : last;
	}
	if (top - lo > UPTIME_SPAN) {
		lo = top - UPTIME_SPAN;
		narrowed = true;
	}
	c->lo = lo;
	c->hi = hi;
	c->any = true;
	return narrowed;
}

uint64_t nf_export_clock_export_ms(const struct nf_export_clock *c, unsigned round_ms)
{
	int64_t hi = round_up(c->hi, round_ms);

	/* unix_secs is 32-bit: rounding up within the last second would wrap it to 0 */
	if (round_ms > 1 && hi > (int64_t)NF_EXPORT_SECS_MS_MAX)
		hi = c->hi / round_ms * round_ms;

	return hi > 0 ? (uint64_t)hi : 0;
}

uint32_t nf_export_clock_uptime(const struct nf_export_clock *c, uint64_t abs_ms)
{
	int64_t up = (int64_t)abs_ms - c->lo;

	if (up < 0)
		return 0;
	if (up > UPTIME_SPAN)
		return UINT32_MAX;
	return (uint32_t)up;
}
