/*
 * Intrusive chained hash table with an LRU list: the flow tables of
 * pcap-flows, ct2ft and flow-stitch. The caller embeds struct htab_node
 * in its entry, supplies the hash and an equality test, and owns memory.
 * The LRU list runs oldest (head) to newest (tail) by htab_touch/insert,
 * so expiry scans stop at the first entry that is still live.
 */
#ifndef FLOWPIPES_HTAB_H
#define FLOWPIPES_HTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct htab_node {
	struct htab_node *chain;
	struct htab_node *older, *newer;
	uint64_t hash;
};

struct htab {
	struct htab_node **buckets;
	size_t mask;
	size_t count;
	struct htab_node lru;	/* sentinel: lru.newer is the oldest entry */
	uint64_t seed;		/* random per table: crafted keys cannot aim at one bucket */
};

#define htab_entry(node, type, member) \
	((type *)(void *)((char *)(node) - offsetof(type, member)))

/* Sizes the table for about expected entries (it grows when needed). 0 or -1. */
int htab_init(struct htab *t, size_t expected);
void htab_free(struct htab *t);	/* frees the buckets, not the entries */
struct htab_node *htab_find(const struct htab *t, uint64_t hash,
    bool (*eq)(const struct htab_node *n, const void *key), const void *key);
/* Inserts as newest. Returns 0, or -1 when growing failed (entry still inserted). */
int htab_insert(struct htab *t, struct htab_node *n, uint64_t hash);
void htab_remove(struct htab *t, struct htab_node *n);
void htab_touch(struct htab *t, struct htab_node *n);	/* make newest */
struct htab_node *htab_oldest(const struct htab *t);	/* NULL when empty */
struct htab_node *htab_newer(const struct htab *t, const struct htab_node *n); /* NULL at end */

/* A fast, well-mixed 64-bit hash of len bytes. */
uint64_t hash_bytes(const void *p, size_t len, uint64_t seed);
/*
 * The hash of a key for this table, under its random seed. Nothing is
 * ever written in bucket order, so output does not depend on the seed.
 */
static inline uint64_t htab_hash(const struct htab *t, const void *key, size_t len)
{
	return hash_bytes(key, len, t->seed);
}

#endif
