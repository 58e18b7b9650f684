/*
 * -O: flows held and written in order of a key: start or end (earliest
 * first), bytes, packets, duration or bps (most first; a flow without a
 * span has no bps and sorts last); equal keys keep input order. At most
 * max flows are held: a longer input is written in sorted runs of max,
 * and sorter_runs tells how many, so the caller can say so.
 */
#ifndef FLOWPRINT_SORTER_H
#define FLOWPRINT_SORTER_H

#include <stddef.h>

#include "flowview.h"

enum sort_key { SORT_NONE, SORT_START, SORT_END, SORT_BYTES, SORT_PACKETS, SORT_DURATION,
	SORT_BPS };

/* The key named s, or SORT_NONE. */
enum sort_key sort_key_lookup(const char *s);

struct sorter_item {
	uint64_t key;		/* ascending; "most first" keys are stored inverted */
	size_t idx;
};

struct sorter {
	enum sort_key key;
	size_t max, n, cap;
	struct flowrec *recs;
	struct sorter_item *items;
	unsigned long runs;	/* runs written so far */
	int (*emit)(void *ctx, const struct flowview *v);
	void *ctx;
};

/* Holds nothing yet (memory grows with the flows held). */
void sorter_init(struct sorter *s, enum sort_key key, size_t max,
    int (*emit)(void *ctx, const struct flowview *v), void *ctx);
/* Holds a flow, writing a run first when max are held. 0, or what emit returned. */
int sorter_add(struct sorter *s, const struct flowview *v);
/* Writes what is held as one run. 0, or what emit returned. */
int sorter_flush(struct sorter *s);
void sorter_free(struct sorter *s);

#endif
