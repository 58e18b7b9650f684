/*
 * -s: flows summed per group of a statkey. Every group keeps exact
 * 128-bit packet and byte sums, its flow count and its span (first
 * start to last end), so rates are over the group's own time. Groups
 * come out ordered by flows, packets or bytes, most first, ties by key,
 * so the output never depends on hashing.
 */
#ifndef FLOWPRINT_STATS_H
#define FLOWPRINT_STATS_H

#include "base/htab.h"
#include "flowview.h"
#include "statkey.h"

struct statgroup {
	struct htab_node node;
	uint64_t flows;
	u128 pkts, bytes;
	uint64_t first_ms, last_ms;
	uint8_t key[];		/* statkey.len bytes */
};

struct stats {
	struct statkey key;
	struct htab tab;
	size_t group_size;	/* sizeof struct statgroup + key, aligned */
	char *block;		/* groups are carved from blocks, freed together */
	size_t block_used;
	char **blocks;
	size_t nblocks;
};

/* 0, or -1 when out of memory. */
int stats_init(struct stats *s, const struct statkey *k);
/* Counts v (twice, once per side, for a two-sided key). 0, or -1 when out of memory. */
int stats_add(struct stats *s, const struct flowview *v);
/*
 * The first top groups (0: all) in order, most first by the key's
 * order; *n set. The array is the caller's to free. NULL with *n 0 when
 * empty or out of memory.
 */
struct statgroup **stats_sorted(const struct stats *s, size_t top, size_t *n);
static inline size_t stats_groups(const struct stats *s)
{
	return s->tab.count;
}
void stats_free(struct stats *s);

#endif
