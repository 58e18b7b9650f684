/*
 * The totals block after every table or statistic: flows, packets and
 * bytes (exact 128-bit sums of the 64-bit counters, both directions of
 * a paired record), first and last time, span, average rates, and the
 * lines that could not be read.
 */
#ifndef FLOWPRINT_TOTALS_H
#define FLOWPRINT_TOTALS_H

#include <stdio.h>

#include "flowview.h"
#include "timefmt.h"

struct totals {
	uint64_t flows;
	u128 pkts, bytes;
	uint64_t first_ms, last_ms;
};

static inline void totals_add(struct totals *t, const struct flowview *v)
{
	if (t->flows == 0 || v->start_ms < t->first_ms)
		t->first_ms = v->start_ms;
	if (t->flows == 0 || v->end_ms > t->last_ms)
		t->last_ms = v->end_ms;
	t->flows++;
	t->pkts += v->pkts;
	t->bytes += v->bytes;
}

/*
 * Writes the block, every line after prefix ("" for a table, "# " to
 * keep line-format output readable by the other tools). 0, or -1 when
 * writing failed.
 */
int totals_print(const struct totals *t, FILE *fp, const char *prefix, struct timefmt *tf,
    bool human, unsigned long malformed);

#endif
