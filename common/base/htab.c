/* Intrusive open-addressing hash table with an LRU list (see htab.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/htab.h"
#include "base/hugemem.h"

#define MIN_SLOTS 64

static inline uint64_t slot_make(const struct htab_node *n, uint64_t hash)
{
	uintptr_t a = (uintptr_t)n;

	if ((uint64_t)a >> HTAB_ADDR_BITS)
		abort();	/* an address beyond 48 bits: not a platform this runs on */
	return htab_tag_(hash) << HTAB_ADDR_BITS | (uint64_t)a;
}

/*
 * An index of 2 MB or more sits on huge pages: its slots are read at
 * random, and on 4 kB pages nearly every lookup of a big table missed the
 * TLB (9.6 M packets, 250 k flows held: pcap-flows 2.5% faster).
 */
#define HUGE_INDEX (2u << 20)

static uint64_t *zeroed_slots(size_t n)
{
	size_t bytes = n * sizeof(uint64_t);	/* n is a power of two */
	uint64_t *s;

	if (bytes < HUGE_INDEX)
		return calloc(n, sizeof *s);
	s = huge_alloc(bytes);
	if (s != NULL)
		memset(s, 0, bytes);
	return s;
}

static int alloc_slots(struct htab *t, size_t n)
{
	uint64_t *s = zeroed_slots(n);

	if (s == NULL)
		return -1;
	t->slots = s;
	t->mask = n - 1;
	t->dead = 0;
	return 0;
}

int htab_init(struct htab *t, size_t expected)
{
	size_t n = MIN_SLOTS;

	memset(t, 0, sizeof *t);
	if (getrandom(&t->seed, sizeof t->seed, GRND_NONBLOCK) != (ssize_t)sizeof t->seed)
		t->seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	while (n < expected + expected / 4 && n < ((size_t)1 << 40))
		n <<= 1;
	t->lru.older = t->lru.newer = &t->lru;
	return alloc_slots(t, n);
}

void htab_free(struct htab *t)
{
	free(t->slots);
	t->slots = NULL;
}

/* The first free slot (empty or dead) of hash's probe run. */
static size_t free_slot(const struct htab *t, uint64_t hash)
{
	size_t i = hash & t->mask;

	while (t->slots[i] > HTAB_SLOT_DEAD)
		i = (i + 1) & t->mask;
	return i;
}

/*
 * A new index of n slots from the LRU list (the nodes keep their hashes);
 * on allocation failure the old one stays.
 */
static int rebuild(struct htab *t, size_t n)
{
	uint64_t *old = t->slots;
	size_t oldmask = t->mask, olddead = t->dead;

	if (alloc_slots(t, n) < 0) {
		t->slots = old;
		t->mask = oldmask;
		t->dead = olddead;
		return -1;
	}
	for (struct htab_node *e = t->lru.newer; e != &t->lru; e = e->newer)
		t->slots[free_slot(t, e->hash)] = slot_make(e, e->hash);
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
	size_t i = free_slot(t, hash);
	size_t slots = t->mask + 1;

	if (t->slots[i] == HTAB_SLOT_DEAD)
		t->dead--;
	n->hash = hash;
	t->slots[i] = slot_make(n, hash);
	lru_append(t, n);
	t->count++;
	if (t->count + t->dead <= slots - slots / 8)
		return 0;
	/* full of live entries: twice the size; mostly tombstones: the same size, swept */
	return rebuild(t, t->count > slots / 2 ? slots * 2 : slots);
}

void htab_remove(struct htab *t, struct htab_node *n)
{
	size_t i = n->hash & t->mask;
	uint64_t want = slot_make(n, n->hash);

	while (t->slots[i] != want)
		i = (i + 1) & t->mask;
	/* the next slot empty: no probe run passes here, the slot can be empty too */
	if (t->slots[(i + 1) & t->mask] == HTAB_SLOT_EMPTY) {
		t->slots[i] = HTAB_SLOT_EMPTY;
	} else {
		t->slots[i] = HTAB_SLOT_DEAD;
		t->dead++;
	}
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
