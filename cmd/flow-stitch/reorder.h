/*
 * flow-stitch's reorder buffer: records wait here until the input's time
 * (the latest start seen, less -w) passes their start, and leave in start
 * order, equal starts by a hash of their content (never by arrival; only
 * a 64-bit collision between different records falls back to it). So any
 * arrival order within -w hands the table the same sequence, and the
 * table's greedy joins (a late ACK after FIN, a new SYN on a reused
 * tuple) come out the same. Each record keeps its arrival number, for
 * output order among equal starts.
 *
 * Input comes nearly in start order, so records go into a ring of
 * one-second buckets (appending is all a push costs) and a bucket is
 * sorted when its second has passed; starts beyond the ring (a clock
 * jump) wait in a heap until the ring reaches them. A waiting record is
 * kept packed where it can be (waitrec.h): with -w 1800 the records
 * waiting are most of the tool's memory.
 */
#ifndef FLOWSTITCH_REORDER_H
#define FLOWSTITCH_REORDER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/pool.h"
#include "flow/flowrec.h"

/*
 * Hooks that see a record a few records before its turn, for a caller
 * whose placing of a record reads memory out of cache: ahead gets the
 * record and returns a hint (flow-stitch: the hash of its key, whose
 * table slot it fetches); near gets that hint a little later (to fetch
 * the entry the slot points at). Neither may change anything.
 */
typedef uint64_t (*reorder_ahead_fn)(void *ctx, const struct flowrec *r);
typedef void (*reorder_near_fn)(void *ctx, uint64_t hint);

struct reorder_slot {
	uint64_t first;		/* the record's start, ms since the epoch */
	uint64_t content;	/* a hash of the record: equal starts go by it */
	uint64_t seq;		/* arrival number (and the order of equal twins) */
	uintptr_t held;		/* the record in a pool: packed, or whole when bit 0 is set */
};

struct reorder_bucket {
	struct reorder_slot *v;
	size_t n, cap;
};

struct reorder {
	struct reorder_bucket *ring;	/* second s lives in ring[s & mask] */
	size_t mask;
	uint64_t window_ms;
	uint64_t base;			/* the earliest second not handed out yet */
	bool based;
	struct reorder_bucket far;	/* beyond the ring: a min-heap */
	struct reorder_bucket scratch;	/* room to sort a bucket in */
	size_t count;
	uint64_t seq;
	reorder_ahead_fn ahead;		/* reorder_set_hooks, or NULL */
	reorder_near_fn near;
	void *hook_ctx;
	struct pool packed;		/* records that pack (waitrec.h) */
	struct pool whole;		/* the others */
};

/* Hands out one record in its turn; 0 to go on, -1 to stop. */
typedef int (*reorder_fn)(void *ctx, const struct flowrec *r, uint64_t seq);

/* window_ms: how far starts run out of order. 0, or -1 out of memory. */
int reorder_init(struct reorder *q, uint64_t window_ms);
/*
 * Adds a copy of r, which starts at first; *seq is its arrival number.
 * 0; 1 when its second was handed out already (the caller takes it at
 * once); -1 out of memory.
 */
int reorder_push(struct reorder *q, uint64_t first, const struct flowrec *r, uint64_t *seq);
/*
 * Hands out, in order, every record of the seconds that end at or before
 * until_ms (UINT64_MAX: all), and then the earliest seconds while more
 * than max wait (*forced counts those records). 0, or -1 when fn said stop.
 */
int reorder_take(struct reorder *q, uint64_t until_ms, size_t max, unsigned long long *forced,
    reorder_fn fn, void *ctx);
/* Sets the look-ahead hooks (either may be NULL). */
void reorder_set_hooks(struct reorder *q, reorder_ahead_fn ahead, reorder_near_fn near,
    void *ctx);
/* An arrival number for a record that does not wait (numbered with the rest). */
static inline uint64_t reorder_number(struct reorder *q)
{
	return q->seq++;
}
static inline size_t reorder_count(const struct reorder *q)
{
	return q->count;
}
void reorder_free(struct reorder *q);

#endif
