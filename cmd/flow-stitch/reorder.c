/* flow-stitch's reorder buffer (see reorder.h). */
#include <stdlib.h>
#include <string.h>

#include "base/htab.h"
#include "reorder.h"
#include "waitrec.h"

#define RING_MAX 65536u		/* seconds the ring holds at most (about 18 h) */
/* Records the hand-out works ahead (see hand_out): a few placings' time. */
#define AHEAD 8u

int reorder_init(struct reorder *q, uint64_t window_ms)
{
	size_t n = 2;

	memset(q, 0, sizeof *q);
	q->window_ms = window_ms;
	while (n < RING_MAX && n < window_ms / 1000 + 3)
		n *= 2;
	q->ring = calloc(n, sizeof *q->ring);
	if (q->ring == NULL)
		return -1;
	q->mask = n - 1;
	if (pool_init(&q->packed, WAITREC_PACKED_BYTES, 2u << 20, 0, true) < 0 ||
	    pool_init(&q->whole, sizeof(struct flowrec), 0, 0, false) < 0) {
		free(q->ring);
		return -1;
	}
	return 0;
}

/* A copy of r in a pool, packed where it packs; 0 or -1 (no memory). */
static int hold(struct reorder *q, const struct flowrec *r, struct reorder_slot *s)
{
	bool packs = waitrec_packs(r);
	void *at = pool_get(packs ? &q->packed : &q->whole);

	if (at == NULL)
		return -1;
	if (packs)
		waitrec_pack(at, r);
	else
		memcpy(at, r, sizeof *r);
	/* pool objects are aligned to max_align_t: bit 0 is free to say which pool */
	s->held = (uintptr_t)at | (packs ? 0u : 1u);
	return 0;
}

static void *held_at(const struct reorder_slot *s)
{
	return (void *)(s->held & ~(uintptr_t)1);
}

/* Gives the memory of a held record back. */
static void release(struct reorder *q, const struct reorder_slot *s)
{
	pool_put(s->held & 1 ? &q->whole : &q->packed, held_at(s));
}

/* The held record into *r, and its memory back. */
static void unhold(struct reorder *q, const struct reorder_slot *s, struct flowrec *r)
{
	if (s->held & 1)
		memcpy(r, held_at(s), sizeof *r);
	else
		waitrec_unpack(r, held_at(s));
	release(q, s);
}

/* Hints that a held record is read soon: it was written long ago, and is out of cache. */
static void prefetch_held(const struct reorder_slot *s)
{
	const char *at = held_at(s);

	__builtin_prefetch(at);
	__builtin_prefetch(at + WAITREC_PACKED_BYTES - 1);
}

/* Whether a leaves before b: earlier start, then content; arrival only for twins. */
static bool before(const struct reorder_slot *a, const struct reorder_slot *b)
{
	if (a->first != b->first)
		return a->first < b->first;
	if (a->content != b->content)
		return a->content < b->content;
	return a->seq < b->seq;
}

/* The order a bucket leaves in: by turn, or (taken early) by arrival. */
static inline bool slot_less(const struct reorder_slot *a, const struct reorder_slot *b,
    bool in_turn)
{
	return in_turn ? before(a, b) : a->seq < b->seq;
}

/* Short runs: insertion sort, the order inlined. */
static void insertion_sort(struct reorder_slot *v, size_t n, bool in_turn)
{
	for (size_t i = 1; i < n; i++) {
		struct reorder_slot s = v[i];
		size_t j = i;

		for (; j > 0 && slot_less(&s, &v[j - 1], in_turn); j--)
			v[j] = v[j - 1];
		v[j] = s;
	}
}

/* Merges the sorted a[0..na) and b[0..nb) into out. */
static void merge(const struct reorder_slot *a, size_t na, const struct reorder_slot *b, size_t nb,
    struct reorder_slot *out, bool in_turn)
{
	size_t i = 0, j = 0, k = 0;

	while (i < na && j < nb)
		out[k++] = slot_less(&b[j], &a[i], in_turn) ? b[j++] : a[i++];
	while (i < na)
		out[k++] = a[i++];
	while (j < nb)
		out[k++] = b[j++];
}

#define SORT_RUN 8

/*
 * Sorts v[0..n) through tmp (room for n): runs of SORT_RUN by insertion,
 * then merged in passes that swap the two arrays (the order is total,
 * since arrival numbers differ, so any correct sort gives the same result).
 */
static void sort_slots(struct reorder_slot *v, struct reorder_slot *tmp, size_t n, bool in_turn)
{
	struct reorder_slot *from = v, *to = tmp;

	for (size_t i = 0; i < n; i += SORT_RUN)
		insertion_sort(v + i, n - i < SORT_RUN ? n - i : SORT_RUN, in_turn);
	for (size_t w = SORT_RUN; w < n; w *= 2) {
		for (size_t i = 0; i < n; i += 2 * w) {
			size_t na = n - i < w ? n - i : w;
			size_t nb = n - i - na < w ? n - i - na : w;

			merge(from + i, na, from + i + na, nb, to + i, in_turn);
		}
		struct reorder_slot *t = from;
		from = to;
		to = t;
	}
	if (from != v)
		memcpy(v, from, n * sizeof *v);
}

static int append(struct reorder_bucket *b, const struct reorder_slot *s)
{
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct reorder_slot *v = realloc(b->v, cap * sizeof *v);
		if (v == NULL)
			return -1;
		b->v = v;
		b->cap = cap;
	}
	b->v[b->n++] = *s;
	return 0;
}

/* The far heap: a min-heap in a bucket's array. */
static int far_push(struct reorder_bucket *h, const struct reorder_slot *s)
{
	size_t i;

	if (append(h, s) < 0)
		return -1;
	for (i = h->n - 1; i > 0 && before(s, &h->v[(i - 1) / 2]); i = (i - 1) / 2)
		h->v[i] = h->v[(i - 1) / 2];
	h->v[i] = *s;
	return 0;
}

static void far_pop(struct reorder_bucket *h)
{
	struct reorder_slot last = h->v[--h->n];
	size_t i = 0;

	for (;;) {
		size_t c = 2 * i + 1;

		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(&h->v[c + 1], &h->v[c]))
			c++;
		if (!before(&h->v[c], &last))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n > 0)
		h->v[i] = last;
}

/* Puts a slot where its second belongs: the ring, or the far heap. */
static int place_slot(struct reorder *q, const struct reorder_slot *s)
{
	uint64_t sec = s->first / 1000;

	if (sec - q->base > q->mask)
		return far_push(&q->far, s);
	return append(&q->ring[sec & q->mask], s);
}

void reorder_set_hooks(struct reorder *q, reorder_ahead_fn ahead, reorder_near_fn near,
    void *ctx)
{
	q->ahead = ahead;
	q->near = near;
	q->hook_ctx = ctx;
}

/* A record AHEAD before its turn: unpacked into *r (its memory back), shown to the hook. */
static void look_ahead(struct reorder *q, const struct reorder_slot *s, struct flowrec *r,
    uint64_t *hint)
{
	unhold(q, s, r);
	*hint = q->ahead != NULL ? q->ahead(q->hook_ctx, r) : 0;
}

int reorder_push(struct reorder *q, uint64_t first, const struct flowrec *r, uint64_t *seq)
{
	struct reorder_slot s = { first, hash_bytes(r, sizeof *r, 0), q->seq, 0 };

	/* the first start: those up to -w before it still have their turn */
	if (!q->based) {
		q->base = (first > q->window_ms ? first - q->window_ms : 0) / 1000;
		q->based = true;
	}
	*seq = q->seq;
	if (first / 1000 < q->base) {
		q->seq++;
		return 1;	/* its second is gone: taken now, out of turn */
	}
	if (hold(q, r, &s) < 0)
		return -1;
	if (place_slot(q, &s) < 0) {
		release(q, &s);
		return -1;
	}
	q->seq++;
	q->count++;
	return 0;
}

/* Moves the ring's start to second b (none waits before it); far starts it reaches come in. */
static int set_base(struct reorder *q, uint64_t b)
{
	q->base = b;
	while (q->far.n > 0 && q->far.v[0].first / 1000 - q->base <= q->mask) {
		struct reorder_slot s = q->far.v[0];

		far_pop(&q->far);
		if (append(&q->ring[(s.first / 1000) & q->mask], &s) < 0)
			return -1;
	}
	return 0;
}

/*
 * Hands out b's records in their sorted order through a window that
 * works ahead of the one handed out: the memory of the record 2 * AHEAD
 * on is fetched, the one AHEAD on is unpacked and shown to the ahead
 * hook (which fetches its key's table slot), and the hook's hint for the
 * one AHEAD / 2 on goes to the near hook (which fetches the entry). Each
 * miss then overlaps with the placing of the records before it.
 */
static int hand_out(struct reorder *q, struct reorder_bucket *b, reorder_fn fn, void *ctx,
    size_t *taken)
{
	struct flowrec win[AHEAD];
	uint64_t hint[AHEAD] = { 0 };
	int rc = 0;

	for (size_t j = 0; j < b->n && j < 2 * AHEAD; j++)
		prefetch_held(&b->v[j]);
	for (size_t j = 0; j < b->n && j < AHEAD; j++)
		look_ahead(q, &b->v[j], &win[j], &hint[j]);
	for (size_t i = 0; i < b->n; i++) {
		struct flowrec rec = win[i % AHEAD];
		size_t j = i + AHEAD;

		if (j + AHEAD < b->n)
			prefetch_held(&b->v[j + AHEAD]);
		if (j < b->n)
			look_ahead(q, &b->v[j], &win[j % AHEAD], &hint[j % AHEAD]);
		if (q->near != NULL && i + AHEAD / 2 < b->n)
			q->near(q->hook_ctx, hint[(i + AHEAD / 2) % AHEAD]);
		q->count--;
		++*taken;
		if (rc == 0)
			rc = fn(ctx, &rec, b->v[i].seq);
	}
	return rc;
}

/*
 * Hands out the bucket of second base and moves on a second: in turn, or
 * (taken before its time, when its order is no longer promised) in the
 * order the records came.
 */
static int take_second(struct reorder *q, reorder_fn fn, void *ctx, size_t *taken, bool in_turn)
{
	struct reorder_bucket *b = &q->ring[q->base & q->mask];
	int rc;

	if (b->n > SORT_RUN && q->scratch.cap < b->n) {
		struct reorder_slot *t = realloc(q->scratch.v, b->n * sizeof *t);
		if (t == NULL)
			return -1;
		q->scratch.v = t;
		q->scratch.cap = b->n;
	}
	sort_slots(b->v, q->scratch.v, b->n, in_turn);
	rc = hand_out(q, b, fn, ctx, taken);
	b->n = 0;
	if (set_base(q, q->base + 1) < 0)
		return -1;
	return rc;
}

/* The second of the earliest record waiting (count > 0). */
static uint64_t next_second(const struct reorder *q)
{
	for (uint64_t s = q->base; s - q->base <= q->mask; s++)
		if (q->ring[s & q->mask].n > 0)
			return s;
	return q->far.v[0].first / 1000;
}

int reorder_take(struct reorder *q, uint64_t until_ms, size_t max, unsigned long long *forced,
    reorder_fn fn, void *ctx)
{
	uint64_t until_s = until_ms == UINT64_MAX ? UINT64_MAX : until_ms / 1000;

	/* a second is due once it has wholly passed: every start in it is before until_ms */
	while (q->count > 0) {
		bool over = q->count > max, due;
		uint64_t next;
		size_t taken = 0;

		if (!over && q->base >= until_s)
			break;
		next = next_second(q);
		due = next < until_s;
		if (!due && !over)
			break;
		if (set_base(q, next) < 0 || take_second(q, fn, ctx, &taken, due) < 0)
			return -1;
		if (!due)
			*forced += taken;
	}
	/* every second before until_s is handed out: later records for them are late */
	if (until_s != UINT64_MAX && q->base < until_s && set_base(q, until_s) < 0)
		return -1;
	return 0;
}

void reorder_free(struct reorder *q)
{
	if (q->ring != NULL)
		for (size_t i = 0; i <= q->mask; i++)
			free(q->ring[i].v);
	free(q->ring);
	free(q->far.v);
	free(q->scratch.v);
	pool_free(&q->packed);
	pool_free(&q->whole);
	memset(q, 0, sizeof *q);
}
