/* Groups of -s (see stats.h). */
#include <stdlib.h>
#include <string.h>

#include "stats.h"

#define BLOCK_GROUPS 4096

struct lookup {
	const uint8_t *key;
	size_t len;
};

static bool group_eq(const struct htab_node *n, const void *key)
{
	const struct lookup *l = key;
	const struct statgroup *g = htab_entry(n, struct statgroup, node);

	return memcmp(g->key, l->key, l->len) == 0;
}

int stats_init(struct stats *s, const struct statkey *k)
{
	size_t align = _Alignof(struct statgroup);

	*s = (struct stats){ .key = *k };
	s->group_size = (sizeof(struct statgroup) + k->len + align - 1) / align * align;
	s->block_used = BLOCK_GROUPS;	/* the first group opens a block */
	return htab_init(&s->tab, 1024);
}

static struct statgroup *new_group(struct stats *s)
{
	if (s->block_used == BLOCK_GROUPS) {
		char **bl = realloc(s->blocks, (s->nblocks + 1) * sizeof *bl);
		if (bl == NULL)
			return NULL;
		s->blocks = bl;
		if ((bl[s->nblocks] = malloc(BLOCK_GROUPS * s->group_size)) == NULL)
			return NULL;
		s->block = bl[s->nblocks++];
		s->block_used = 0;
	}
	return (struct statgroup *)(void *)(s->block + s->group_size * s->block_used++);
}

static int add_side(struct stats *s, const struct flowview *v, bool dst_side)
{
	uint8_t key[STATKEY_BYTES_MAX];
	struct lookup l = { key, s->key.len };
	uint64_t h;
	struct htab_node *n;
	struct statgroup *g;

	statkey_make(&s->key, v->r, dst_side, key);
	h = htab_hash(&s->tab, key, l.len);
	n = htab_find(&s->tab, h, group_eq, &l);
	if (n != NULL) {
		g = htab_entry(n, struct statgroup, node);
	} else {
		if ((g = new_group(s)) == NULL)
			return -1;
		memset(g, 0, sizeof *g);
		memcpy(g->key, key, l.len);
		g->first_ms = v->start_ms;
		g->last_ms = v->end_ms;
		if (htab_insert(&s->tab, &g->node, h) < 0)
			return -1;
	}
	g->flows++;
	g->pkts += v->pkts;
	g->bytes += v->bytes;
	if (v->start_ms < g->first_ms)
		g->first_ms = v->start_ms;
	if (v->end_ms > g->last_ms)
		g->last_ms = v->end_ms;
	return 0;
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
	const struct statgroup *x = *(struct statgroup *const *)a, *y = *(struct statgroup *const *)b;
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

	for (struct htab_node *nd = htab_oldest(&s->tab); nd != NULL; nd = htab_newer(&s->tab, nd)) {
		struct statgroup *g = htab_entry(nd, struct statgroup, node);
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
	if (top == 0 || top > s->tab.count)
		top = s->tab.count;
	if (top == 0 || (v = malloc(top * sizeof *v)) == NULL)
		return NULL;
	*n = select_top(s, v, top);
	qsort_r(v, *n, sizeof *v, by_order, (void *)&s->key);
	return v;
}

void stats_free(struct stats *s)
{
	htab_free(&s->tab);
	for (size_t i = 0; i < s->nblocks; i++)
		free(s->blocks[i]);
	free(s->blocks);
}
