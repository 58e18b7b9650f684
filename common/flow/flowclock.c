/* NetFlow v5 export clock arithmetic, wrap-safe in 32-bit uptime. */
#include "flow/flowclock.h"

uint64_t flow_export_ms(const struct flowrec *r)
{
	return (uint64_t)r->unix_secs * 1000u + r->unix_nsecs / 1000000u;
}

uint64_t flow_uptime_abs_ms(const struct flowrec *r, uint32_t uptime)
{
	uint32_t behind = r->sysuptime - uptime;	/* wraps harmlessly */
	return flow_export_ms(r) - behind;
}

void flow_set_clock(struct flowrec *r, uint64_t export_ms, uint32_t sysuptime)
{
	r->unix_secs = (uint32_t)(export_ms / 1000u);
	r->unix_nsecs = (uint32_t)(export_ms % 1000u) * 1000000u;
	r->sysuptime = sysuptime;
}

void flow_set_first_last(struct flowrec *r, uint64_t first_ms, uint64_t last_ms)
{
	uint64_t now = flow_export_ms(r);
	/* uptime of t = sysuptime - (now - t), modulo 2^32 */
	r->first = r->sysuptime - (uint32_t)(now - first_ms);
	r->last = r->sysuptime - (uint32_t)(now - last_ms);
}
