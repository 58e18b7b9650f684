/*
 * NetFlow v5 time: unix_secs.unix_nsecs is the export moment, sysuptime
 * the exporter's uptime (ms) then, first/last uptimes of the packets.
 * All uptime differences are taken in unsigned 32-bit arithmetic so an
 * uptime that wrapped between first and export is harmless.
 */
#ifndef FLOWPIPES_FLOWCLOCK_H
#define FLOWPIPES_FLOWCLOCK_H

#include "flow/flowrec.h"

/* Export moment, milliseconds since the epoch. */
uint64_t flow_export_ms(const struct flowrec *r);
/* Absolute time (ms since the epoch) of an uptime value of this record. */
uint64_t flow_uptime_abs_ms(const struct flowrec *r, uint32_t uptime);
static inline uint64_t flow_first_ms(const struct flowrec *r)
{
	return flow_uptime_abs_ms(r, r->first);
}

static inline uint64_t flow_last_ms(const struct flowrec *r)
{
	return flow_uptime_abs_ms(r, r->last);
}
/*
 * Sets the export clock (unix_secs/unix_nsecs from export_ms, sysuptime
 * given) and first/last from absolute ms. Times after the export moment
 * or before boot are representable only modulo 2^32 ms; callers pick
 * a boot time (export_ms - sysuptime) at or before the flows they write.
 */
void flow_set_clock(struct flowrec *r, uint64_t export_ms, uint32_t sysuptime);
void flow_set_first_last(struct flowrec *r, uint64_t first_ms, uint64_t last_ms);

#endif
