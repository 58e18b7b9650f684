/* One direction of a TCP stream put back in order (see reasm.h). */
#include <stdlib.h>
#include <string.h>

#include "reasm.h"

struct reasm_chunk {
	struct reasm_chunk *next;
	uint64_t off;
	uint32_t len;
	uint8_t data[];
};

static size_t chunk_cost(size_t len)
{
	return sizeof(struct reasm_chunk) + len;
}

static struct reasm_chunk *chunk_new(struct reasm *r, uint64_t off, const uint8_t *p, size_t len)
{
	struct reasm_chunk *c = malloc(chunk_cost(len));

	if (c == NULL)
		return NULL;
	c->next = NULL;
	c->off = off;
	c->len = (uint32_t)len;
	memcpy(c->data, p, len);
	r->budget->used += chunk_cost(len);
	if (r->budget->used > r->budget->peak)
		r->budget->peak = r->budget->used;
	return c;
}

static void chunk_free(struct reasm *r, struct reasm_chunk *c)
{
	r->budget->used -= chunk_cost(c->len);
	free(c);
}

void reasm_init(struct reasm *r, struct reasm_budget *b, const struct reasm_limits *lim,
    const struct reasm_calls *calls, void *ctx)
{
	memset(r, 0, sizeof *r);
	r->budget = b;
	r->lim = lim;
	r->calls = calls;
	r->ctx = ctx;
}

void reasm_set_base(struct reasm *r, uint32_t seq)
{
	r->base = seq;
	r->based = true;
}

int64_t reasm_offset(const struct reasm *r, uint32_t seq)
{
	uint32_t expect = r->base + (uint32_t)r->next;	/* mod 2^32 */

	return (int64_t)r->next + (int32_t)(seq - expect);
}

/* Drops the oldest history until it fits max_hist. */
static void hist_trim(struct reasm *r)
{
	while (r->hist && r->hist_bytes > r->lim->max_hist) {
		struct reasm_chunk *c = r->hist;

		r->hist = c->next;
		r->hist_bytes -= c->len;
		chunk_free(r, c);
	}
	if (r->hist == NULL)
		r->hist_tail = NULL;
}

static void hist_append(struct reasm *r, struct reasm_chunk *c)
{
	c->next = NULL;
	if (r->hist_tail)
		r->hist_tail->next = c;
	else
		r->hist = c;
	r->hist_tail = c;
	r->hist_bytes += c->len;
	hist_trim(r);
}

static void deliver(struct reasm *r, const uint8_t *p, size_t len)
{
	r->calls->data(r->ctx, r->next, p, len);
	r->next += len;
	r->delivered += len;
	if (r->next > r->high)
		r->high = r->next;
}

/* Delivers the held chunks that now start at next. */
static void deliver_held(struct reasm *r)
{
	while (r->held && r->held->off == r->next) {
		struct reasm_chunk *c = r->held;

		r->held = c->next;
		r->held_bytes -= c->len;
		deliver(r, c->data, c->len);
		if (r->lim->max_hist)
			hist_append(r, c);
		else
			chunk_free(r, c);
	}
}

/* Compares the copy p (at offset off) with what chunk c holds where they meet. */
static void compare(struct reasm *r, const struct reasm_chunk *c, uint64_t off,
    const uint8_t *p, size_t len)
{
	uint64_t lo = off > c->off ? off : c->off;
	uint64_t hi = off + len < c->off + c->len ? off + len : c->off + c->len;
	uint64_t first = UINT64_MAX, last = 0;

	if (lo >= hi)
		return;
	for (uint64_t i = lo; i < hi; i++) {
		if (p[i - off] != c->data[i - c->off]) {
			if (first == UINT64_MAX)
				first = i;
			last = i;
		}
	}
	if (first == UINT64_MAX) {
		r->dup_bytes += hi - lo;
		return;
	}
	r->dup_bytes += (hi - lo) - (last + 1 - first);
	r->conflict_bytes += last + 1 - first;
	r->conflicts++;
	r->calls->conflict(r->ctx, first, last + 1 - first);
}

/* Bytes before next: compared with the history where it still has them. */
static void check_old(struct reasm *r, uint64_t off, const uint8_t *p, size_t len)
{
	uint64_t covered = 0;

	for (const struct reasm_chunk *c = r->hist; c && c->off < off + len; c = c->next) {
		uint64_t lo = off > c->off ? off : c->off;
		uint64_t hi = off + len < c->off + c->len ? off + len : c->off + c->len;

		if (lo < hi) {
			covered += hi - lo;
			compare(r, c, off, p, len);
		}
	}
	r->old_bytes += len - covered;
}

/* Holds the piece [off, off+len) of a segment, known to overlap no held chunk. */
static int hold(struct reasm *r, struct reasm_chunk **link, uint64_t off, const uint8_t *p,
    size_t len)
{
	struct reasm_chunk *c = chunk_new(r, off, p, len);

	if (c == NULL)
		return -1;
	c->next = *link;
	*link = c;
	r->held_bytes += len;
	if (off + len > r->high)
		r->high = off + len;
	return 0;
}

/*
 * Bytes at or after next: the parts no held chunk covers are held, the
 * parts one covers are compared. Returns how many were new, or -1.
 */
static long long merge_ahead(struct reasm *r, uint64_t off, const uint8_t *p, size_t len)
{
	struct reasm_chunk **link = &r->held;
	uint64_t end = off + len;
	long long fresh = 0;

	while (off < end) {
		struct reasm_chunk *c = *link;

		if (c && c->off + c->len <= off) {
			link = &c->next;
			continue;
		}
		if (c == NULL || c->off >= end) {
			if (hold(r, link, off, p, (size_t)(end - off)) < 0)
				return -1;
			return fresh + (long long)(end - off);
		}
		if (c->off > off) {	/* the part before c is new */
			size_t n = (size_t)(c->off - off);

			if (hold(r, link, off, p, n) < 0)
				return -1;
			fresh += (long long)n;
			link = &(*link)->next;
			p += n;
			off += n;
			continue;
		}
		compare(r, c, off, p, (size_t)(end - off));	/* c covers off */
		{
			uint64_t skip = c->off + c->len - off;

			if (skip >= end - off)
				return fresh;
			p += skip;
			off += skip;
		}
		link = &c->next;
	}
	return fresh;
}

/* When too much waits behind the first hole, the hole becomes a gap. */
static void held_bound(struct reasm *r)
{
	while (r->held && r->held_bytes > r->lim->max_held)
		reasm_skip(r, r->held->off);
}

/* The common case: the next bytes, nothing held. */
static void deliver_fresh(struct reasm *r, const uint8_t *p, size_t len)
{
	struct reasm_chunk *c = NULL;

	if (r->lim->max_hist)
		c = chunk_new(r, r->next, p, len);	/* no memory: no history, no harm */
	deliver(r, p, len);
	if (c)
		hist_append(r, c);
}

enum reasm_result reasm_segment(struct reasm *r, uint32_t seq, const uint8_t *p, size_t len)
{
	int64_t off = reasm_offset(r, seq);
	long long fresh;

	if (len == 0)
		return REASM_OLD;
	if (off < 0) {		/* before offset 0: the SYN's place or earlier */
		if ((uint64_t)-off >= len)
			return REASM_OLD;
		p += -off;
		len -= (size_t)-off;
		off = 0;
	}
	if ((uint64_t)off > r->next && (uint64_t)off - r->next > r->lim->max_ahead) {
		r->refused++;
		return REASM_REFUSED;
	}
	if ((uint64_t)off < r->next) {
		size_t old = (uint64_t)off + len <= r->next ? len :
		    (size_t)(r->next - (uint64_t)off);

		check_old(r, (uint64_t)off, p, old);
		if (old == len)
			return REASM_OLD;
		p += old;
		len -= old;
		off = (int64_t)r->next;
	}
	if (r->held == NULL && (uint64_t)off == r->next) {
		deliver_fresh(r, p, len);
		return REASM_NEW;
	}
	fresh = merge_ahead(r, (uint64_t)off, p, len);
	if (fresh < 0)
		return REASM_NOMEM;
	deliver_held(r);
	held_bound(r);
	return fresh > 0 ? REASM_NEW : REASM_OLD;
}

void reasm_acked(struct reasm *r, uint64_t off)
{
	while (r->hist && r->hist->off + r->hist->len <= off) {
		struct reasm_chunk *c = r->hist;

		r->hist = c->next;
		r->hist_bytes -= c->len;
		chunk_free(r, c);
	}
	if (r->hist == NULL)
		r->hist_tail = NULL;
}

void reasm_skip(struct reasm *r, uint64_t off)
{
	while (r->next < off) {
		uint64_t to = off;

		if (r->held && r->held->off <= r->next) {
			deliver_held(r);
			continue;
		}
		if (r->held && r->held->off < to)
			to = r->held->off;
		r->gaps++;
		r->calls->gap(r->ctx, r->next, to - r->next);
		r->gap_bytes += to - r->next;
		r->next = to;
		if (r->next > r->high)
			r->high = r->next;
		/* history before a gap can no longer be matched by position alone: keep it */
	}
	deliver_held(r);
}

void reasm_finish(struct reasm *r, uint64_t end)
{
	uint64_t to = end > r->high ? end : r->high;

	reasm_skip(r, to);
}

static void free_list(struct reasm *r, struct reasm_chunk *c)
{
	while (c) {
		struct reasm_chunk *n = c->next;

		chunk_free(r, c);
		c = n;
	}
}

void reasm_free(struct reasm *r)
{
	free_list(r, r->held);
	free_list(r, r->hist);
	r->held = r->hist = r->hist_tail = NULL;
	r->held_bytes = r->hist_bytes = 0;
}
