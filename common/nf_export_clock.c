/* One datagram's header clock for records of several export moments. */
#include "flowclock.h"
#include "nf_export_clock.h"

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

bool nf_export_clock_fits(const struct nf_export_clock *c, const struct flowrec *r, unsigned round_ms)
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

void nf_export_clock_add(struct nf_export_clock *c, const struct flowrec *r)
{
	int64_t lo, hi;

	record_span(r, &lo, &hi);
	if (!c->any || lo < c->lo)
		c->lo = lo;
	if (!c->any || hi > c->hi)
		c->hi = hi;
	c->any = true;
}

uint64_t nf_export_clock_export_ms(const struct nf_export_clock *c, unsigned round_ms)
{
	uint64_t hi = c->hi > 0 ? (uint64_t)c->hi : 0;

	if (round_ms > 1)
		hi = (hi + round_ms - 1) / round_ms * round_ms;
	return hi;
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
