/*
 * The header clock of one NetFlow v5/v9 datagram that carries records
 * from different export moments. The datagram's export moment is the
 * latest time any of its records mentions, its boot time the earliest,
 * and every first/last is rewritten as an uptime against that boot, so
 * each record's absolute times survive. Records that share one boot keep
 * their uptimes unchanged. Uptimes are 32-bit ms, so the records of one
 * datagram must span less than about 49.7 days.
 */
#ifndef FLOWPIPES_NF_EXPORT_CLOCK_H
#define FLOWPIPES_NF_EXPORT_CLOCK_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flowrec.h"

/*
 * The last moment a header with whole 32-bit seconds can say
 * (2106-02-07 06:28:15): an export moment rounded up to whole seconds
 * stops there instead of wrapping to 1970.
 */
#define NF_EXPORT_SECS_MS_MAX ((uint64_t)UINT32_MAX * 1000u)

struct nf_export_clock {
	int64_t lo, hi;		/* earliest and latest ms since the epoch */
	bool any;
};

void nf_export_clock_reset(struct nf_export_clock *c);
/*
 * Whether r can join: the span stays below 2^32 ms less round_ms (the
 * rounding the header applies to the export moment). An empty clock
 * takes any record.
 */
bool nf_export_clock_fits(const struct nf_export_clock *c, const struct flowrec *r,
    unsigned round_ms);
/*
 * Adds r (which nf_export_clock_fits took). A record alone whose times
 * span 2^32 ms less round_ms or more cannot be carried exactly: its
 * earliest time is moved up, and the result is true (count it).
 */
bool nf_export_clock_add(struct nf_export_clock *c, const struct flowrec *r, unsigned round_ms);
/*
 * Export moment in ms, rounded up to a multiple of round_ms (1 or 1000),
 * but never past the last whole 32-bit second: there it rounds down, and
 * the datagram's times after it (less than a second) have no uptime form.
 */
uint64_t nf_export_clock_export_ms(const struct nf_export_clock *c, unsigned round_ms);
/* Uptime (ms since the boot time) of an absolute time, clamped to 32 bits. */
uint32_t nf_export_clock_uptime(const struct nf_export_clock *c, uint64_t abs_ms);

#endif
