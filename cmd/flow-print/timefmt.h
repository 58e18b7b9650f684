/*
 * Absolute times as ISO 8601 / RFC 3339 text with milliseconds:
 * 2026-10-25T02:30:00.000+02:00 in local time (TZ), 2026-10-25T00:30:00.000Z
 * with utc. The UTC offset is written always, so the hour a DST change
 * repeats reads twice with two offsets. Local time is worked out from the
 * offset in force, which is asked of localtime_r at both ends of an hour
 * of input time and kept for the hour when they agree (no zone moves its
 * clock there and back within an hour); in an hour they differ, it is
 * asked for every second. Then plain arithmetic.
 */
#ifndef FLOWPRINT_TIMEFMT_H
#define FLOWPRINT_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TIMEFMT_MAX 40

#define TIMEFMT_HOURS 16	/* hours cached: flows come roughly in time order */

struct timefmt {
	bool utc;
	struct {
		int64_t hour;	/* -1: empty */
		long off_start, off_end;
	} cache[TIMEFMT_HOURS];
	/* the text up to the seconds of the local minute last written */
	int64_t minute;		/* local seconds / 60; -1: none */
	char prefix[17];	/* YYYY-MM-DDTHH:MM: */
};

void timefmt_init(struct timefmt *t, bool utc);
/* ms since the epoch at p (TIMEFMT_MAX bytes, no NUL); returns the length. */
size_t timefmt_write(struct timefmt *t, char *p, uint64_t ms);

#endif
