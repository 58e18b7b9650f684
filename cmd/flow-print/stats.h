/*
 * -s: flows summed per group of a statkey. Every group keeps exact
 * 128-bit packet and byte sums, its flow count and its span (first
 * start to last end), so rates are over the group's own time. Groups
 * come out ordered by flows, packets or bytes, most first, ties by key,
 * so the output never depends on hashing.
 *
 * The groups sit in blocks in the order they were first seen, and an
 * open-addressing index of (hash tag, group number) slots finds them:
 * one cache miss per flow when a key is new, where a chained table walks
 * nodes (a capture of a million distinct sources costs a miss per
 * node). Hashes are seeded at random per run (common/base/htab's
 * hash_bytes), so crafted keys cannot pile into one probe run.
 */
#ifndef FLOWPRINT_STATS_H
#define FLOWPRINT_STATS_H

#include "flowview.h"
#include "statkey.h"

struct statgroup {
	uint64_t flows;
	u128 pkts, bytes;
	uint64_t first_ms, last_ms;
	uint8_t key[];		/* statkey.len bytes */
};

struct statslot {
	uint32_t tag;		/* the key's hash: its low bits place the slot */
	uint32_t group;		/* group number + 1; 0: empty */
};

#define STATS_BATCH 16	/* sides of flows whose slots are fetched ahead */

/* A side of a flow, keyed and hashed, on its way into its group. */
struct statpending {
	uint8_t key[STATKEY_BYTES_MAX];
	uint32_t tag;
	u128 pkts, bytes;
	uint64_t first_ms, last_ms;
};

struct stats {
	struct statkey key;
	uint64_t seed;
	struct statslot *slots;
	size_t mask;		/* slots - 1 */
	size_t count;		/* groups */
	size_t group_size;	/* sizeof struct statgroup + key, aligned */
	char **blocks;		/* of 4096 groups each */
	size_t nblocks;
	struct statpending pending[STATS_BATCH];
	size_t npending;
};

/* 0, or -1 when out of memory. */
int stats_init(struct stats *s, const struct statkey *k);
/*
 * Counts v (twice, once per side, for a two-sided key), in batches: call
 * stats_finish before reading the groups. 0, or -1 when out of memory.
 */
int stats_add(struct stats *s, const struct flowview *v);
/* Counts what waits in the batch. 0, or -1 when out of memory. */
int stats_finish(struct stats *s);
static inline size_t stats_groups(const struct stats *s)
{
	return s->count;
}
/*
 * The first top groups (0: all) in order, most first by the key's
 * order; *n set. The array is the caller's to free. NULL with *n 0 when
 * empty or out of memory.
 */
struct statgroup **stats_sorted(const struct stats *s, size_t top, size_t *n);
void stats_free(struct stats *s);

#endif
