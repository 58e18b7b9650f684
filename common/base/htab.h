/*
 * Intrusive hash table with an LRU list: the flow tables of pcap-flows,
 * ct2ft and flow-stitch. The caller embeds struct htab_node in its entry,
 * supplies the hash and an equality test, and owns memory. The LRU list
 * runs oldest (head) to newest (tail) by htab_touch/insert, so expiry
 * scans stop at the first entry that is still live.
 *
 * The index is open addressing with linear probing: one array of 8-byte
 * slots, each a node address (48 bits, what user space has on the Linux
 * ports) with a 16-bit tag of its hash beside it (15 bits of the hash and
 * a top bit that is always set, so a tag never matches an empty or dead
 * slot), so a lookup walks one run of a cache line or two, tests each
 * slot with one comparison and reads only the entry that matches. A
 * removed entry leaves a tombstone; the index is rebuilt (doubled when
 * over half full) when live and dead slots pass 7/8 of it.
 */
#ifndef FLOWPIPES_HTAB_H
#define FLOWPIPES_HTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct htab_node {
	struct htab_node *older, *newer;
	uint64_t hash;
};

struct htab {
	uint64_t *slots;	/* 0 empty, 1 tombstone, else tag << 48 | node address */
	size_t mask;
	size_t count;
	size_t dead;		/* tombstones */
	struct htab_node lru;	/* sentinel: lru.newer is the oldest entry */
	uint64_t seed;		/* random per table: crafted keys cannot aim at one slot */
};

#define htab_entry(node, type, member) \
	((type *)(void *)((char *)(node) - offsetof(type, member)))

/* Sizes the table for about expected entries (it grows when needed). 0 or -1. */
int htab_init(struct htab *t, size_t expected);
void htab_free(struct htab *t);	/* frees the index, not the entries */
/*
 * The entry of that hash for which eq(entry, key) holds, or NULL. Inline,
 * so the caller's eq is inlined too.
 */
static inline struct htab_node *htab_find(const struct htab *t, uint64_t hash,
    bool (*eq)(const struct htab_node *n, const void *key), const void *key);
/* Inserts as newest. Returns 0, or -1 when growing failed (entry still inserted). */
int htab_insert(struct htab *t, struct htab_node *n, uint64_t hash);
void htab_remove(struct htab *t, struct htab_node *n);
void htab_touch(struct htab *t, struct htab_node *n);	/* make newest */
/* NULL when empty; inline, as every expiry check starts with it. */
static inline struct htab_node *htab_oldest(const struct htab *t)
{
	return t->lru.newer == &t->lru ? NULL : t->lru.newer;
}

/* NULL at the end. */
static inline struct htab_node *htab_newer(const struct htab *t, const struct htab_node *n)
{
	return n->newer == &t->lru ? NULL : n->newer;
}

/*
 * Hints for a caller that knows the hash of a lookup some time before it
 * makes it: fetch the slot first, then (the slot at hand by then) the
 * entry it points at. Nothing changes.
 */
static inline void htab_prefetch_slot(const struct htab *t, uint64_t hash)
{
	__builtin_prefetch(&t->slots[hash & t->mask]);
}

/*
 * For a walk from oldest to newest that removes as it goes (expiry): the
 * slot of the entry after n (that entry fetched one step before) and the
 * entry after that, so neither is a cache miss when its turn comes.
 * Always inlined: GCC 12 deletes a call to a function whose only effect
 * is a prefetch (it takes it for one without side effects), and did so
 * here.
 */
static inline __attribute__((always_inline))
void htab_prefetch_after(const struct htab *t, const struct htab_node *n)
{
	const struct htab_node *next = n->newer;

	if (next == &t->lru)
		return;
	__builtin_prefetch(&t->slots[next->hash & t->mask], 1);
	if (next->newer != &t->lru)
		__builtin_prefetch(next->newer);
}

#define HTAB_SLOT_EMPTY 0u
#define HTAB_SLOT_DEAD 1u
#define HTAB_ADDR_BITS 48

/* A hash's tag, the 16 bits its slot keeps beside the node's address. */
static inline uint64_t htab_tag_(uint64_t hash)
{
	return hash >> HTAB_ADDR_BITS | 0x8000u;
}

/* Whether slot s holds a node whose hash has this tag (the one to compare). */
static inline bool htab_slot_tagged_(uint64_t s, uint64_t tag)
{
	return s >> HTAB_ADDR_BITS == tag;	/* empty and dead slots have tag 0 */
}

/* The node a slot points at (a slot that is neither empty nor dead). */
static inline struct htab_node *htab_slot_node_(uint64_t s)
{
	return (struct htab_node *)(uintptr_t)(s & ((UINT64_C(1) << HTAB_ADDR_BITS) - 1));
}

static inline struct htab_node *htab_find(const struct htab *t, uint64_t hash,
    bool (*eq)(const struct htab_node *n, const void *key), const void *key)
{
	uint64_t tag = htab_tag_(hash);

	for (size_t i = hash & t->mask;; i = (i + 1) & t->mask) {
		uint64_t s = t->slots[i];

		if (s == HTAB_SLOT_EMPTY)
			return NULL;
		if (htab_slot_tagged_(s, tag)) {
			struct htab_node *n = htab_slot_node_(s);
			if (n->hash == hash && eq(n, key))
				return n;
		}
	}
}

/*
 * The node a lookup of hash will most likely compare: the first in its
 * probe run whose slot tag matches (looking at most HTAB_PEEK_SLOTS
 * slots, a cache line), or NULL. For a prefetch once the slots are in
 * cache: with linear probing the home slot often holds another key.
 */
#define HTAB_PEEK_SLOTS 8

/* Always inlined, for the reason given at htab_prefetch_after. */
static inline __attribute__((always_inline))
const struct htab_node *htab_likely_node(const struct htab *t, uint64_t hash)
{
	uint64_t tag = htab_tag_(hash);
	size_t i = hash & t->mask;

	for (int k = 0; k < HTAB_PEEK_SLOTS; k++, i = (i + 1) & t->mask) {
		uint64_t s = t->slots[i];

		if (s == HTAB_SLOT_EMPTY)
			return NULL;
		if (htab_slot_tagged_(s, tag))
			return htab_slot_node_(s);
	}
	return NULL;
}

/* 64x64 -> 128-bit multiply, folded (wyhash's mixing step). */
static inline uint64_t hash_mix_(uint64_t a, uint64_t b)
{
	__uint128_t m = (__uint128_t)a * b;
	return (uint64_t)m ^ (uint64_t)(m >> 64);
}

static inline uint64_t hash_word_(const unsigned char *s)
{
	uint64_t w;

	memcpy(&w, s, 8);
	return w;
}

/*
 * A fast, well-mixed 64-bit hash of len bytes: 16 bytes per multiply, as
 * wyhash does (a 46-byte flow key is three, and a final one). Inline, so
 * a key of fixed size hashes without a loop or a call.
 */
static inline uint64_t hash_bytes(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ 0x9e3779b97f4a7c15ull ^ len;
	uint64_t a = 0, b = 0;

	for (; len > 16; s += 16, len -= 16)
		h = hash_mix_(hash_word_(s) ^ 0xa0761d6478bd642full, hash_word_(s + 8) ^ h);
	/* the last 1-16 bytes, zero-padded */
	if (len > 8) {
		a = hash_word_(s);
		memcpy(&b, s + 8, len - 8);
	} else {
		memcpy(&a, s, len);
	}
	h = hash_mix_(a ^ 0xe7037ed1a0b428dbull, b ^ h);
	return hash_mix_(h ^ 0x8ebc6af09c88c6e3ull, 0x589965cc75374cc3ull);
}

/*
 * hash_bytes' mixing for a table key: a key of 16 bytes or more ends with
 * the 16 bytes that end it, read as two whole words (overlapping the block
 * before), so no partial word is assembled on the stack, where the CPU
 * stalls loading what it has just stored in pieces (a third of the
 * hashing time of a 46-byte flow key). The values differ from
 * hash_bytes', which stay as they are for what stores them.
 */
static inline uint64_t hash_key_(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p, *end = s + len;
	uint64_t h = seed ^ 0x9e3779b97f4a7c15ull ^ len;

	if (len < 16)
		return hash_bytes(p, len, seed);
#pragma GCC unroll 4
	for (; len > 16; s += 16, len -= 16)
		h = hash_mix_(hash_word_(s) ^ 0xa0761d6478bd642full, hash_word_(s + 8) ^ h);
	h = hash_mix_(hash_word_(end - 16) ^ 0xe7037ed1a0b428dbull, hash_word_(end - 8) ^ h);
	return hash_mix_(h ^ 0x8ebc6af09c88c6e3ull, 0x589965cc75374cc3ull);
}

/*
 * The hash of a key for this table, under its random seed. Nothing is
 * ever written in slot order, so output does not depend on the seed.
 */
static inline uint64_t htab_hash(const struct htab *t, const void *key, size_t len)
{
	return hash_key_(key, len, t->seed);
}

/*
 * Equality of two keys of len bytes, a word at a time (the last word
 * overlapping): inline and unrolled, so a fixed-size key compares without
 * a call or a loop.
 */
static inline bool htab_key_equal(const void *a, const void *b, size_t len)
{
	const unsigned char *x = a, *y = b;
	uint64_t d = 0;

	if (len < 8)
		return memcmp(a, b, len) == 0;
#pragma GCC unroll 8
	for (size_t i = 0; i + 8 <= len; i += 8)
		d |= hash_word_(x + i) ^ hash_word_(y + i);
	return (d | (hash_word_(x + len - 8) ^ hash_word_(y + len - 8))) == 0;
}

#endif
