/*
 * The -s table: a heading that says what was grouped and ordered by
 * (and, for ip or port, that each flow counts twice so percentages add
 * up to 200%), then per group its key, flows, packets and bytes with
 * their share of the total, and pps, bps, bpp over the group's span
 * ("-" for a span of 0 or no packets).
 */
#ifndef FLOWPRINT_STATREPORT_H
#define FLOWPRINT_STATREPORT_H

#include <stdio.h>

#include "stats.h"
#include "totals.h"

struct statreport_opts {
	size_t top;		/* -N: groups shown, 0 all */
	bool header;		/* heading and column titles */
	bool human;		/* -h */
};

/* 0, -1 when writing failed or out of memory (errno says). */
int statreport_print(const struct stats *s, const struct totals *t, FILE *fp,
    const struct statreport_opts *o);

#endif
