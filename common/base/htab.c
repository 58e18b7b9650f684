/* Intrusive chained hash table with an LRU list (see htab.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/htab.h"

static int alloc_buckets(struct htab *t, size_t n)
{
	struct htab_node **b = calloc(n, sizeof *b);

	if (b == NULL)
		return -1;
	t->buckets = b;
	t->mask = n - 1;
	return 0;
}

int htab_init(struct htab *t, size_t expected)
{
	size_t n = 64;

	memset(t, 0, sizeof *t);
	if (getrandom(&t->seed, sizeof t->seed, GRND_NONBLOCK) != (ssize_t)sizeof t->seed)
		t->seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	while (n < expected && n < ((size_t)1 << 40))
		n <<= 1;
	t->lru.older = t->lru.newer = &t->lru;
	return alloc_buckets(t, n);
}

void htab_free(struct htab *t)
{
	free(t->buckets);
	t->buckets = NULL;
}

struct htab_node *htab_find(const struct htab *t, uint64_t hash,
    bool (*eq)(const struct htab_node *n, const void *key), const void *key)
{
	for (struct htab_node *n = t->buckets[hash & t->mask]; n; n = n->chain)
		if (n->hash == hash && eq(n, key))
			return n;
	return NULL;
}

/* Doubles the bucket array; on allocation failure keeps the old one. */
static int grow(struct htab *t)
{
	struct htab_node **old = t->buckets;
	size_t oldn = t->mask + 1;

	if (alloc_buckets(t, oldn * 2) < 0) {
		t->buckets = old;
		t->mask = oldn - 1;
		return -1;
	}
	for (size_t i = 0; i < oldn; i++) {
		struct htab_node *n = old[i], *next;
		for (; n; n = next) {
			next = n->chain;
			n->chain = t->buckets[n->hash & t->mask];
			t->buckets[n->hash & t->mask] = n;
		}
	}
	free(old);
	return 0;
}

static void lru_append(struct htab *t, struct htab_node *n)
{
	n->newer = &t->lru;
	n->older = t->lru.older;
	t->lru.older->newer = n;
	t->lru.older = n;
}

static void lru_unlink(struct htab_node *n)
{
	n->older->newer = n->newer;
	n->newer->older = n->older;
}

int htab_insert(struct htab *t, struct htab_node *n, uint64_t hash)
{
	struct htab_node **b = &t->buckets[hash & t->mask];

	n->hash = hash;
	n->chain = *b;
	*b = n;
	lru_append(t, n);
	if (++t->count > t->mask + 1)
		return grow(t);
	return 0;
}

void htab_remove(struct htab *t, struct htab_node *n)
{
	struct htab_node **pp = &t->buckets[n->hash & t->mask];

	while (*pp != n)
		pp = &(*pp)->chain;
	*pp = n->chain;
	lru_unlink(n);
	t->count--;
}

void htab_touch(struct htab *t, struct htab_node *n)
{
	if (t->lru.older == n)
		return;
	lru_unlink(n);
	lru_append(t, n);
}

struct htab_node *htab_oldest(const struct htab *t)
{
	return t->lru.newer == &t->lru ? NULL : t->lru.newer;
}

struct htab_node *htab_newer(const struct htab *t, const struct htab_node *n)
{
	return n->newer == &t->lru ? NULL : n->newer;
}

/* 64-bit multiply-mix over 8-byte words (wyhash-style folding). */
static inline uint64_t mix(uint64_t a, uint64_t b)
{
	__uint128_t m = (__uint128_t)a * b;
	return (uint64_t)m ^ (uint64_t)(m >> 64);
}

uint64_t hash_bytes(const void *p, size_t len, uint64_t seed)
{
	const unsigned char *s = p;
	uint64_t h = seed ^ 0x9e3779b97f4a7c15ull ^ len;

	while (len >= 8) {
		uint64_t w;
		memcpy(&w, s, 8);
		h = mix(h ^ w, 0xbf58476d1ce4e5b9ull);
		s += 8;
		len -= 8;
	}
	if (len) {
		uint64_t w = 0;
		memcpy(&w, s, len);
		h = mix(h ^ w, 0x94d049bb133111ebull);
	}
	return mix(h, 0x2545f4914f6cdd1dull);
}
