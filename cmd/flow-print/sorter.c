/* -O: bounded sort (see sorter.h). */
#include <stdlib.h>
#include <string.h>

#include "sorter.h"

#define PREFETCH 32	/* records fetched ahead when written in order */

static const char *const key_names[] = {
	[SORT_START] = "start", [SORT_END] = "end", [SORT_BYTES] = "bytes",
	[SORT_PACKETS] = "packets", [SORT_DURATION] = "duration", [SORT_BPS] = "bps",
};

enum sort_key sort_key_lookup(const char *s)
{
	for (int k = SORT_START; k <= SORT_BPS; k++)
		if (strcmp(key_names[k], s) == 0)
			return (enum sort_key)k;
	return SORT_NONE;
}

void sorter_init(struct sorter *s, enum sort_key key, size_t max,
    int (*emit)(void *ctx, const struct flowview *v), void *ctx)
{
	*s = (struct sorter){ .key = key, .max = max, .emit = emit, .ctx = ctx };
}

static uint64_t key_of(enum sort_key k, const struct flowview *v)
{
	uint64_t span = flowview_duration(v);

	switch (k) {
	case SORT_START: return v->start_ms;
	case SORT_END: return v->end_ms;
	case SORT_BYTES: return ~u128_sat64(v->bytes);
	case SORT_PACKETS: return ~u128_sat64(v->pkts);
	case SORT_DURATION: return ~span;
	case SORT_BPS: {
		/* most first; a flow without duration after every rate, 0 bps included */
		if (span == 0)
			return UINT64_MAX;
		uint64_t bps = u128_sat64(v->bytes * 8000u / span);
		return UINT64_MAX - 1 - (bps < UINT64_MAX - 1 ? bps : UINT64_MAX - 1);
	}
	case SORT_NONE: break;
	}
	return 0;
}

/* grown as flows come, so a small input costs little */
static int grow(struct sorter *s)
{
	size_t cap = s->cap == 0 ? 1024 : s->cap * 2;

	if (cap > s->max)
		cap = s->max;
	struct flowrec *r = realloc(s->recs, cap * sizeof *r);
	if (r == NULL)
		return -1;
	s->recs = r;
	struct sorter_item *it = realloc(s->items, cap * sizeof *it);
	if (it == NULL)
		return -1;
	s->items = it;
	s->cap = cap;
	return 0;
}

int sorter_add(struct sorter *s, const struct flowview *v)
{
	int rc;

	if (s->n == s->max && (rc = sorter_flush(s)) != 0)
		return rc;
	if (s->n == s->cap && grow(s) < 0)
		return -1;
	s->recs[s->n] = *v->r;
	s->items[s->n] = (struct sorter_item){ key_of(s->key, v), s->n };
	s->n++;
	return 0;
}

/*
 * Least significant byte first radix sort of the 64-bit keys: stable,
 * so equal keys keep input order, and linear in the flows held. A byte
 * that is the same in every key (the high bytes of times) costs one
 * counting pass and no move.
 */
static int radix_sort(struct sorter *s)
{
	struct sorter_item *tmp = malloc(s->n * sizeof *tmp), *a = s->items, *b = tmp;
	size_t count[256];

	if (tmp == NULL)
		return -1;
	for (unsigned shift = 0; shift < 64; shift += 8) {
		memset(count, 0, sizeof count);
		for (size_t i = 0; i < s->n; i++)
			count[a[i].key >> shift & 0xff]++;
		if (count[a[0].key >> shift & 0xff] == s->n)
			continue;
		for (size_t d = 0, sum = 0; d < 256; d++) {
			size_t c = count[d];
			count[d] = sum;
			sum += c;
		}
		for (size_t i = 0; i < s->n; i++)
			b[count[a[i].key >> shift & 0xff]++] = a[i];
		struct sorter_item *t = a;
		a = b;
		b = t;
	}
	if (a != s->items)
		memcpy(s->items, a, s->n * sizeof *a);
	free(tmp);
	return 0;
}

int sorter_flush(struct sorter *s)
{
	int rc = 0;

	if (s->n == 0)
		return 0;
	if (radix_sort(s) < 0)
		return -1;
	for (size_t i = 0; i < s->n && rc == 0; i++) {
		struct flowview v;
		/* sorted order reads the held records at random: fetch ahead */
		if (i + PREFETCH < s->n) {
			const char *ahead = (const char *)&s->recs[s->items[i + PREFETCH].idx];
			__builtin_prefetch(ahead);
			__builtin_prefetch(ahead + sizeof(struct flowrec) - 1);
		}
		flowview_make(&v, &s->recs[s->items[i].idx]);
		rc = s->emit(s->ctx, &v);
	}
	s->n = 0;
	s->runs++;
	return rc;
}

void sorter_free(struct sorter *s)
{
	free(s->recs);
	free(s->items);
}
