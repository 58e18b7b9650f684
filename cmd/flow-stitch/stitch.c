/*
 * The stitching table (see stitch.h). Each key maps to its newest open
 * flow; older open flows of the same key (a reused tuple whose earlier
 * connection may still get a late record) hang off it in a short list.
 * Two queues, each in order of last update, hold open flows by how long
 * they may still grow: the idle gap, or the FIN gap once FIN/RST was
 * seen. With input in time order a queue's head is the next to finish,
 * so expiry looks at two heads per record.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "flowkey.h"
#include "flowsum.h"
#include "base/htab.h"
#include "base/pool.h"
#include "flow/flowproto.h"
#include "reorder.h"
#include "span.h"
#include "stitch.h"
#include "waitrec.h"

struct qlink {
	struct qlink *prev, *next;
};

enum { Q_OPEN, Q_CLOSING, Q_COUNT };

/* A start beyond max(-w, this) past the clock waits for a second record. */
#define JUMP_MIN_MS (3600u * 1000u)

/* Flows are carved from slabs of a pool: one malloc per 64 KB, not per flow. */
#define SLAB_BYTES (2u << 20)

struct flow {
	struct htab_node node;		/* in the table while newest of its key */
	struct qlink q;
	struct flow *older, *newer;	/* other open flows of the same key */
	struct flowkey key;
	struct span span;
	uint64_t deadline;
	uint64_t seq;			/* arrival number of the record that began it */
	bool in_table;
	bool swapped0;			/* dir[0]'s source is the key's b side (-b) */
	struct flowsum dir[];		/* 1, or 2 with -b: [0] is the first seen */
};

struct stitch {
	struct stitch_opts o;
	stitch_emit_fn emit;
	void *ctx;
	struct htab table;
	struct qlink queue[Q_COUNT];	/* sentinels: next is the oldest */
	struct pool flows;		/* where flows live: at most -m of them */
	struct reorder wait;		/* records not yet taken: their turn comes in start order */
	enum stitch_status status;	/* of the last record placed from wait */
	uint64_t max_first;
	uint64_t jump;			/* a start far past max_first, not yet confirmed */
	bool any, jump_any;		/* max_first and jump are set */
	struct stitch_counters n;
};

static size_t ndir(const struct stitch *s)
{
	return s->o.bidir ? 2 : 1;
}

/* One flow's share of a chunk, rounded so the next one is aligned too. */
static size_t flow_size_for(bool bidir)
{
	size_t n = sizeof(struct flow) + (bidir ? 2 : 1) * sizeof(struct flowsum);
	size_t a = _Alignof(max_align_t);
	return (n + a - 1) / a * a;
}

static size_t flow_size(const struct stitch *s)
{
	return flow_size_for(s->o.bidir);
}

size_t stitch_flow_bytes(bool bidir)
{
	/* the entry and up to two bucket pointers (the table grows at one entry a bucket) */
	return flow_size_for(bidir) + 2 * sizeof(void *);
}

size_t stitch_wait_bytes(void)
{
	size_t a = _Alignof(max_align_t);

	/* the (IPv4) record packed in its pool, and its slot in a bucket that grows by doubling */
	return (WAITREC_PACKED_BYTES + a - 1) / a * a + sizeof(struct reorder_slot) * 3 / 2;
}

/* reorder's ahead hook: the hash of a record's key, its table slot fetched. */
static uint64_t ahead_slot(void *ctx, const struct flowrec *r)
{
	struct stitch *s = ctx;
	struct flowkey k;
	uint64_t hash;

	(void)flowkey_make(&k, r, s->o.key, s->o.bidir);
	hash = htab_hash(&s->table, &k, sizeof k);
	htab_prefetch_slot(&s->table, hash);
	return hash;
}

/* reorder's near hook: the flow a lookup of hash will likely compare, every line of it. */
static void near_flow(void *ctx, uint64_t hash)
{
	const struct stitch *s = ctx;
	const struct htab_node *n = htab_likely_node(&s->table, hash);
	const char *f = n != NULL ? (const char *)htab_entry(n, struct flow, node) : NULL;

	for (size_t off = 0; f != NULL && off < flow_size(s); off += 64)
		__builtin_prefetch(f + off);
}

struct stitch *stitch_new(const struct stitch_opts *o, stitch_emit_fn emit, void *ctx)
{
	struct stitch *s = calloc(1, sizeof *s);

	if (s == NULL)
		return NULL;
	s->o = *o;
	s->emit = emit;
	s->ctx = ctx;
	for (int i = 0; i < Q_COUNT; i++)
		s->queue[i].prev = s->queue[i].next = &s->queue[i];
	if (pool_init(&s->flows, flow_size(s), SLAB_BYTES, o->max_flows, true) < 0 ||
	    reorder_init(&s->wait, o->window_ms) < 0 || htab_init(&s->table, 1024) < 0) {
		free(s);
		return NULL;
	}
	reorder_set_hooks(&s->wait, ahead_slot, near_flow, s);
	return s;
}

const struct stitch_counters *stitch_counters(const struct stitch *s)
{
	return &s->n;
}

static uint64_t watermark(const struct stitch *s)
{
	return s->max_first > s->o.window_ms ? s->max_first - s->o.window_ms : 0;
}

static uint64_t dist(uint64_t a, uint64_t b)
{
	return a > b ? a - b : b - a;
}

/*
 * Moves the clock to a record's start. A far jump forward (or the first
 * start of all) is only held, until a second record starts within the
 * jump limit of it: then the clock moves to the later of the two. A
 * record that agrees with nothing replaces the held start.
 */
static void advance_clock(struct stitch *s, uint64_t first)
{
	uint64_t limit = s->o.window_ms > JUMP_MIN_MS ? s->o.window_ms : JUMP_MIN_MS;

	if (s->any && first <= s->max_first)
		return;
	if (s->any && first - s->max_first <= limit) {
		s->max_first = first;
		return;
	}
	if (s->jump_any && dist(first, s->jump) <= limit) {
		s->max_first = first > s->jump ? first : s->jump;
		s->any = true;
		s->jump_any = false;
		return;
	}
	s->jump = first;
	s->jump_any = true;
}

static void q_unlink(struct qlink *l)
{
	l->prev->next = l->next;
	l->next->prev = l->prev;
}

static void q_append(struct qlink *head, struct qlink *l)
{
	l->next = head;
	l->prev = head->prev;
	head->prev->next = l;
	head->prev = l;
}

static struct flow *q_oldest(struct stitch *s, int q)
{
	struct qlink *l = s->queue[q].next;
	return l == &s->queue[q] ? NULL : htab_entry(l, struct flow, q);
}

/* After its span changed: new deadline, back of the right queue. */
static void requeue(struct stitch *s, struct flow *f)
{
	f->deadline = span_deadline(&f->span, s->o.idle_ms, s->o.fin_gap_ms);
	q_unlink(&f->q);
	q_append(&s->queue[f->span.fin != SPAN_NO_FIN ? Q_CLOSING : Q_OPEN], &f->q);
}

static bool node_has_key(const struct htab_node *n, const void *key)
{
	return flowkey_equal(&htab_entry(n, struct flow, node)->key, key);
}

/* Takes f out of the table, its key's list and its queue; its memory goes back to the pool. */
static void drop(struct stitch *s, struct flow *f)
{
	if (f->in_table) {
		htab_remove(&s->table, &f->node);
		if (f->older != NULL) {
			f->older->newer = NULL;
			f->older->in_table = true;
			/* a failed grow keeps it inserted */
			(void)htab_insert(&s->table, &f->older->node, f->node.hash);
		}
	} else {
		f->newer->older = f->older;
		if (f->older != NULL)
			f->older->newer = f->newer;
	}
	q_unlink(&f->q);
	s->n.open--;
	pool_put(&s->flows, f);
}

/*
 * Whether direction a is the connection's forward one: it started first;
 * on the same ms, the side with the higher source port (the client's
 * ephemeral port, as a rule), then the lower source address. Never
 * input order, so split and whole input pair the same way.
 */
static bool starts_first(const struct flowsum *a, const struct flowsum *b)
{
	if (a->first_ms != b->first_ms)
		return a->first_ms < b->first_ms;
	if (a->rec.srcport != b->rec.srcport)
		return a->rec.srcport > b->rec.srcport;
	return memcmp(&a->rec.srcaddr, &b->rec.srcaddr, sizeof a->rec.srcaddr) < 0;
}

static int emit(struct stitch *s, struct flow *f)
{
	struct flowrec out;
	const struct flowsum *fw = &f->dir[0], *rv = NULL;
	int rc;

	if (s->o.bidir) {
		bool second_first = f->dir[1].used && starts_first(&f->dir[1], &f->dir[0]);
		fw = &f->dir[second_first ? 1 : 0];
		rv = &f->dir[second_first ? 0 : 1];
	}
	flowsum_output(&out, fw, rv);
	s->n.flows++;
	rc = s->emit(s->ctx, &out);
	drop(s, f);
	return rc;
}

/* Writes every flow that can no longer grow. */
static int expire(struct stitch *s)
{
	uint64_t wm = watermark(s);

	for (int q = 0; q < Q_COUNT; q++) {
		struct flow *f;
		while ((f = q_oldest(s, q)) != NULL && f->deadline < wm)
			if (emit(s, f) < 0)
				return -1;
	}
	return 0;
}

/* Makes room under -m: writes the flow closest to finishing. */
static int evict(struct stitch *s)
{
	struct flow *a = q_oldest(s, Q_OPEN), *b = q_oldest(s, Q_CLOSING);
	struct flow *f = a == NULL || (b != NULL && b->deadline < a->deadline) ? b : a;

	s->n.early++;
	return emit(s, f);
}

/* Folds the sums of src into dst, each direction to its own side. */
static void absorb(struct stitch *s, struct flow *dst, const struct flow *src)
{
	for (size_t j = 0; j < ndir(s); j++) {
		bool swapped = src->swapped0 != (j == 1);
		flowsum_add(&dst->dir[swapped != dst->swapped0 ? 1 : 0], &src->dir[j]);
	}
	span_add(&dst->span, &src->span);
}

/* The load of a whole flow: each direction by its own way. */
static void flow_load(const struct stitch *s, const struct flow *f, struct flowsum_load *l)
{
	*l = (struct flowsum_load){ .used = false };
	for (size_t j = 0; j < ndir(s); j++)
		flowsum_load_add(l, &f->dir[j], f->swapped0 != (j == 1));
}

/* Whether two flows of one key can be one (see flowsum_load). */
static bool flows_fit(const struct stitch *s, const struct flow *a, const struct flow *b)
{
	struct flowsum_load la, lb;

	flow_load(s, a, &la);
	flow_load(s, b, &lb);
	return flowsum_load_fits(&la, &lb) == FLOWSUM_FITS;
}

/*
 * A record that filled the gap between two flows of one key makes them
 * one: fold every other flow that now joins f into it.
 */
static void bridge(struct stitch *s, struct flow *f)
{
	bool again = true;

	while (again) {
		struct flow *head = f;
		again = false;
		while (head->newer != NULL)
			head = head->newer;
		for (struct flow *c = head; c != NULL; c = c->older) {
			if (c != f &&
			    span_joins(&f->span, &c->span, s->o.idle_ms, s->o.fin_gap_ms) &&
			    flows_fit(s, f, c)) {
				absorb(s, f, c);
				drop(s, c);
				again = true;	/* f grew: look at the rest again */
				break;
			}
		}
	}
}

static struct flow *new_flow(struct stitch *s, const struct flowkey *k, uint64_t hash,
    const struct span *sp, const struct flowsum *sum, bool swapped, struct flow *head)
{
	size_t size = flow_size(s);
	struct flow *f = pool_get(&s->flows);

	if (f == NULL)
		return NULL;
	memset(f, 0, size);
	f->key = *k;
	f->span = *sp;
	f->swapped0 = swapped;
	f->dir[0] = *sum;
	f->q.prev = f->q.next = &f->q;
	if (head != NULL) {
		htab_remove(&s->table, &head->node);
		head->in_table = false;
		head->newer = f;
		f->older = head;
	}
	(void)htab_insert(&s->table, &f->node, hash);	/* a failed grow keeps it inserted */
	f->in_table = true;
	if (++s->n.open > s->n.peak)
		s->n.peak = s->n.open;
	return f;
}

/* Whether a record (its sum, and whether its source is the key's b side) fits into f. */
static enum flowsum_fit record_fits(const struct stitch *s, const struct flow *f,
    const struct flowsum *sum, bool swapped)
{
	struct flowsum_load lf, lr = { .used = false };

	flow_load(s, f, &lf);
	flowsum_load_add(&lr, sum, swapped);
	return flowsum_load_fits(&lf, &lr);
}

/* The newest open flow of the key (older ones hang off it), or NULL. */
static struct flow *key_head(const struct stitch *s, const struct flowkey *k, uint64_t hash)
{
	struct htab_node *n = htab_find(&s->table, hash, node_has_key, k);

	return n != NULL ? htab_entry(n, struct flow, node) : NULL;
}

/* The open flow of the key that sp joins across the smallest gap, or NULL. */
static struct flow *closest_join(const struct stitch *s, struct flow *head, const struct span *sp)
{
	struct flow *best = NULL;
	uint64_t best_gap = 0;

	for (struct flow *c = head; c != NULL; c = c->older) {
		uint64_t gap;

		if (!span_joins(&c->span, sp, s->o.idle_ms, s->o.fin_gap_ms))
			continue;
		gap = span_gap(&c->span, sp);
		if (best == NULL || gap < best_gap) {
			best = c;
			best_gap = gap;
		}
	}
	return best;
}

/* Counts a join that cannot be written truly; the old flow ends here. 0 or -1. */
static int split(struct stitch *s, struct flow *f, enum flowsum_fit fit)
{
	if (fit == FLOWSUM_TOO_LONG)
		s->n.split_long++;
	else
		s->n.split_overflow++;
	return emit(s, f);
}

/* The record joins f, and f may now bridge to older flows of its key. */
static void join(struct stitch *s, struct flow *f, struct flow *head, const struct span *sp,
    const struct flowsum *sum, bool swapped)
{
	flowsum_add(&f->dir[swapped != f->swapped0 ? 1 : 0], sum);
	span_add(&f->span, sp);
	if (head->older != NULL)
		bridge(s, f);
}

/*
 * Takes one record in its turn (sum: flowsum_from_record's of it, whose
 * time stitch_add judged): joins a flow of its key, or starts one.
 */
static enum stitch_status place(struct stitch *s, const struct flowrec *r,
    const struct flowsum *sum, uint64_t seq, bool *began)
{
	struct span sp;
	struct flowkey k;
	enum flowsum_fit fit = FLOWSUM_FITS;
	struct flow *head, *best;
	uint64_t hash;
	bool swapped;

	span_of_record(&sp, r, sum->first_ms, sum->last_ms);
	swapped = flowkey_make(&k, r, s->o.key, s->o.bidir);
	hash = htab_hash(&s->table, &k, sizeof k);
	head = key_head(s, &k, hash);
	best = closest_join(s, head, &sp);
	if (best != NULL)
		fit = record_fits(s, best, sum, swapped);
	if (fit != FLOWSUM_FITS) {
		if (split(s, best, fit) < 0)
			return STITCH_EMIT_FAILED;
		best = NULL;
		head = key_head(s, &k, hash);	/* the head may have gone */
	}
	if (best != NULL) {
		join(s, best, head, &sp, sum, swapped);
	} else {
		if (s->n.open >= s->o.max_flows) {
			if (evict(s) < 0)
				return STITCH_EMIT_FAILED;
			head = key_head(s, &k, hash);	/* the head may have gone */
		}
		best = new_flow(s, &k, hash, &sp, sum, swapped, head);
		if (best == NULL)
			return STITCH_NOMEM;
		best->seq = seq;	/* equal starts are written in the order they came */
		*began = true;
	}
	requeue(s, best);
	/* a record later than -w may make a flow that is finished already */
	if (best->deadline < watermark(s) && emit(s, best) < 0)
		return STITCH_EMIT_FAILED;
	return STITCH_OK;
}

/* reorder_take's callback: places a record; a failure is kept for the caller. */
static int take(void *ctx, const struct flowrec *r, uint64_t seq)
{
	struct stitch *s = ctx;
	struct flowsum sum;
	bool began = false;

	(void)flowsum_from_record(&sum, r);	/* its time was judged when it came */
	s->status = place(s, r, &sum, seq, &began);
	return s->status == STITCH_OK ? 0 : -1;
}

/*
 * Takes the waiting records whose turn came (their second is wholly
 * before the input's time), all of them at the end, and the earliest
 * beyond -m waiting (counted: their order is no longer promised).
 */
static enum stitch_status release(struct stitch *s, bool all)
{
	s->status = STITCH_OK;
	if (reorder_take(&s->wait, all ? UINT64_MAX : watermark(s), s->o.max_flows,
	    &s->n.unsorted, take, s) < 0 && s->status == STITCH_OK)
		s->status = STITCH_NOMEM;
	s->n.waiting = reorder_count(&s->wait);
	return s->status;
}

/*
 * Whether a record must wait for its turn. Only TCP's rules (FIN, SYN)
 * make a join depend on what else is there; without them a record joins
 * by the idle gap alone, every join is bridged, and the flows come out the
 * same in any order. When the key leaves prot out, TCP may share a key
 * with the rest, and everything waits.
 */
static bool needs_turn(const struct stitch *s, const struct flowrec *r)
{
	return r->prot == FLOW_PROTO_TCP || !(s->o.key & (1u << FF_PROT));
}

/* A record that need not wait: placed at once; late when no open flow took it. */
static enum stitch_status take_now(struct stitch *s, const struct flowrec *r,
    const struct flowsum *sum)
{
	bool late = sum->first_ms < watermark(s), began = false;
	enum stitch_status st;

	advance_clock(s, sum->first_ms);
	st = place(s, r, sum, reorder_number(&s->wait), &began);
	s->n.late += late && began;
	return st;
}

/*
 * A record that waits for its turn. One whose turn has passed is taken
 * now, and late only when no open flow took it, so that a flow already
 * written may have been its own.
 */
static enum stitch_status wait_turn(struct stitch *s, const struct flowrec *r,
    const struct flowsum *sum)
{
	enum stitch_status st;
	bool began = false;
	uint64_t seq;

	advance_clock(s, sum->first_ms);
	switch (reorder_push(&s->wait, sum->first_ms, r, &seq)) {
	case 0:
		return STITCH_OK;
	case 1:
		st = place(s, r, sum, seq, &began);
		s->n.late += began;
		return st;
	default:
		return STITCH_NOMEM;
	}
}

enum stitch_status stitch_add(struct stitch *s, const struct flowrec *r)
{
	struct flowsum sum;
	enum flowsum_time t = flowsum_from_record(&sum, r);
	enum stitch_status st;

	if (t == FLOWSUM_TIME_BEFORE_EPOCH) {
		s->n.bad_time++;
		return STITCH_BAD_TIME;
	}
	if (t == FLOWSUM_TIME_CLAMPED)
		s->n.clamped++;
	s->n.records++;
	st = needs_turn(s, r) ? wait_turn(s, r, &sum) : take_now(s, r, &sum);
	if (st == STITCH_OK)
		st = release(s, false);
	if (st != STITCH_OK)
		return st;
	if (expire(s) < 0)
		return STITCH_EMIT_FAILED;
	return t == FLOWSUM_TIME_CLAMPED ? STITCH_CLAMPED : STITCH_OK;
}

static int by_start(const void *a, const void *b)
{
	const struct flow *x = *(struct flow *const *)a, *y = *(struct flow *const *)b;

	if (x->span.first != y->span.first)
		return x->span.first < y->span.first ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

int stitch_finish(struct stitch *s)
{
	size_t count, i = 0;
	struct flow **all;
	int rc = 0;

	if (release(s, true) != STITCH_OK)
		return -1;
	count = s->n.open;
	all = count ? malloc(count * sizeof *all) : NULL;
	if (all == NULL) {	/* none open, or no memory to sort: queue order */
		for (int q = 0; q < Q_COUNT; q++) {
			struct flow *f;
			while ((f = q_oldest(s, q)) != NULL)
				if (emit(s, f) < 0)
					return -1;
		}
		return 0;
	}
	for (int q = 0; q < Q_COUNT; q++)
		for (struct qlink *l = s->queue[q].next; l != &s->queue[q]; l = l->next)
			all[i++] = htab_entry(l, struct flow, q);
	qsort(all, count, sizeof *all, by_start);
	for (i = 0; i < count && rc == 0; i++)
		rc = emit(s, all[i]);
	free(all);
	return rc;
}

void stitch_free(struct stitch *s)
{
	if (s == NULL)
		return;
	pool_free(&s->flows);	/* every flow: no need to unlink them one by one */
	reorder_free(&s->wait);
	htab_free(&s->table);
	free(s);
}
