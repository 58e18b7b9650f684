/* Groups of -s (see stats.h). */
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>

#include "base/htab.h"
#include "stats.h"

#define BLOCK_SHIFT 12
#define BLOCK_GROUPS ((size_t)1 << BLOCK_SHIFT)
#define SLOTS_MIN 1024

static struct statgroup *group_at(const struct stats *s, size_t i)
{
	return (struct statgroup *)(void *)(s->blocks[i >> BLOCK_SHIFT] +
	    s->group_size * (i & (BLOCK_GROUPS - 1)));
}

int stats_init(struct stats *s, const struct statkey *k)
{
	size_t align = _Alignof(struct statgroup);

	*s = (struct stats){ .key = *k, .mask = SLOTS_MIN - 1 };
	s->group_size = (sizeof(struct statgroup) + k->len + align - 1) / align * align;
	if (getrandom(&s->seed, sizeof s->seed, GRND_NONBLOCK) != (ssize_t)sizeof s->seed)
		s->seed = (uint64_t)time(NULL) * 0x9e3779b97f4a7c15ull ^ (uint64_t)getpid();
	s->slots = calloc(SLOTS_MIN, sizeof *s->slots);
	return s->slots == NULL ? -1 : 0;
}

/*
 * Doubles the index when half full, so probe runs stay short. A slot's
 * place is its tag's low bits, so growing needs no key again.
 */
static int grow(struct stats *s)
{
	size_t n = (s->mask + 1) * 2;
	struct statslot *slots = calloc(n, sizeof *slots);

	if (slots == NULL)
		return -1;
	for (size_t i = 0; i <= s->mask; i++) {
		const struct statslot *o = &s->slots[i];
		if (o->group == 0)
			continue;
		size_t j = o->tag & (n - 1);
		while (slots[j].group != 0)
			j = (j + 1) & (n - 1);
		slots[j] = *o;
	}
	free(s->slots);
	s->slots = slots;
	s->mask = n - 1;
	return 0;
}

static struct statgroup *new_group(struct stats *s, const struct statpending *p)
{
	struct statgroup *g;

	if ((s->count & (BLOCK_GROUPS - 1)) == 0) {
		char **bl = realloc(s->blocks, (s->nblocks + 1) * sizeof *bl);
		if (bl == NULL)
			return NULL;
		s->blocks = bl;
		if ((bl[s->nblocks] = malloc(BLOCK_GROUPS * s->group_size)) == NULL)
			return NULL;
		s->nblocks++;
	}
	g = group_at(s, s->count++);
	memset(g, 0, sizeof *g);
	memcpy(g->key, p->key, s->key.len);
	g->first_ms = p->first_ms;
	g->last_ms = p->last_ms;
	return g;
}

/* The group of key (its hash tag given), made when new; NULL when out of memory. */
static struct statgroup *find(struct stats *s, const struct statpending *p)
{
	size_t j = p->tag & s->mask;

	for (;; j = (j + 1) & s->mask) {
		struct statslot *sl = &s->slots[j];
		if (sl->group == 0)
			break;
		if (sl->tag != p->tag)
			continue;
		struct statgroup *g = group_at(s, sl->group - 1);
		if (memcmp(g->key, p->key, s->key.len) == 0)
			return g;
	}
	/* the tag places slots: at most 2^32 of them, 2^31 groups */
	if (s->count >= ((size_t)1 << 31) - 1)
		return NULL;
	struct statgroup *g = new_group(s, p);
	if (g == NULL)
		return NULL;
	s->slots[j] = (struct statslot){ p->tag, (uint32_t)s->count };
	if (s->count * 2 > s->mask + 1 && grow(s) < 0)
		return NULL;
	return g;
}

int stats_finish(struct stats *s)
{
	for (size_t i = 0; i < s->npending; i++) {
		const struct statpending *p = &s->pending[i];
		struct statgroup *g = find(s, p);
		if (g == NULL)
			return -1;
		g->flows++;
		g->pkts += p->pkts;
		g->bytes += p->bytes;
		if (p->first_ms < g->first_ms)
			g->first_ms = p->first_ms;
		if (p->last_ms > g->last_ms)
			g->last_ms = p->last_ms;
	}
	s->npending = 0;
	return 0;
}

/*
 * A side of a flow waits in the batch with its key and hash, its slot
 * fetched ahead: the batch's cache misses overlap instead of queueing.
 */
static int add_side(struct stats *s, const struct flowview *v, bool dst_side)
{
	struct statpending *p = &s->pending[s->npending++];

	statkey_make(&s->key, v->r, dst_side, p->key);
	p->tag = (uint32_t)hash_bytes(p->key, s->key.len, s->seed);
	__builtin_prefetch(&s->slots[p->tag & s->mask]);
	p->pkts = v->pkts;
	p->bytes = v->bytes;
	p->first_ms = v->start_ms;
	p->last_ms = v->end_ms;
	return s->npending == STATS_BATCH ? stats_finish(s) : 0;
}

int stats_add(struct stats *s, const struct flowview *v)
{
	if (add_side(s, v, false) < 0)
		return -1;
	return s->key.two_sided ? add_side(s, v, true) : 0;
}

static u128 measure(const struct statgroup *g, enum stat_order o)
{
	return o == STAT_BY_BYTES ? g->bytes : o == STAT_BY_PACKETS ? g->pkts : g->flows;
}

static int by_order(const void *a, const void *b, void *ctx)
{
	const struct statkey *k = ctx;
	const struct statgroup *x = *(struct statgroup *const *)a,
	    *y = *(struct statgroup *const *)b;
	u128 mx = measure(x, k->order), my = measure(y, k->order);

	if (mx != my)
		return mx > my ? -1 : 1;
	return memcmp(x->key, y->key, k->len);
}

/*
 * A heap of the best top groups seen, its root the one that sorts last,
 * so a group better than the root replaces it: top-N in n log N.
 */
static void sift_down(struct statgroup **h, size_t n, size_t i, const struct statkey *k)
{
	for (;;) {
		size_t worst = i, l = 2 * i + 1, r = l + 1;
		if (l < n && by_order(&h[l], &h[worst], (void *)k) > 0)
			worst = l;
		if (r < n && by_order(&h[r], &h[worst], (void *)k) > 0)
			worst = r;
		if (worst == i)
			return;
		struct statgroup *t = h[i];
		h[i] = h[worst];
		h[worst] = t;
		i = worst;
	}
}

static size_t select_top(const struct stats *s, struct statgroup **v, size_t top)
{
	size_t n = 0;

	for (size_t i = 0; i < s->count; i++) {
		struct statgroup *g = group_at(s, i);
		if (n < top) {
			v[n++] = g;
			if (n == top)
				for (size_t i = top / 2 + 1; i-- > 0;)
					sift_down(v, n, i, &s->key);
		} else if (by_order(&g, &v[0], (void *)&s->key) < 0) {
			v[0] = g;
			sift_down(v, n, 0, &s->key);
		}
	}
	return n;
}

struct statgroup **stats_sorted(const struct stats *s, size_t top, size_t *n)
{
	struct statgroup **v;

	*n = 0;
	if (top == 0 || top > s->count)
		top = s->count;
	if (top == 0 || (v = malloc(top * sizeof *v)) == NULL)
		return NULL;
	*n = select_top(s, v, top);
	qsort_r(v, *n, sizeof *v, by_order, (void *)&s->key);
	return v;
}

void stats_free(struct stats *s)
{
	free(s->slots);
	for (size_t i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
}
