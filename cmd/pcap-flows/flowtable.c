/* pcap-flows' flow table and expiry rules (see flowtable.h). */
#include <string.h>

#include "flow/flowproto.h"
#include "flowtable.h"

/*
 * Entries come from 2 MB slabs of a pool and go back to its free list: no
 * malloc per flow, the table's memory is bounded by max_flows, and a slab
 * can sit in one huge page (fewer TLB misses on a table far bigger than
 * the cache).
 */
#define SLAB_BYTES (2u << 20)

static uint64_t key_hash(const struct flow_table *t, const struct flow_key *k)
{
	return htab_hash(&t->h, k, sizeof *k);
}

/* The key of the other direction of k's connection. */
static void key_reverse(const struct flow_key *k, struct flow_key *rk)
{
	*rk = *k;
	rk->src = k->dst;
	rk->dst = k->src;
	rk->sport = k->dport;
	rk->dport = k->sport;
}

static bool key_eq(const struct htab_node *n, const void *key)
{
	const struct flow_entry *f = htab_entry(n, const struct flow_entry, node);

	return htab_key_equal(&f->key, key, sizeof f->key);
}

int flow_table_init(struct flow_table *t, const struct flow_params *p, flow_emit_fn *emit,
    void *ctx)
{
	memset(t, 0, sizeof *t);
	t->p = *p;
	t->emit = emit;
	t->ctx = ctx;
	if (pool_init(&t->pool, sizeof(struct flow_entry), SLAB_BYTES, p->max_flows, true) < 0)
		return -1;
	return htab_init(&t->h, p->max_flows < 65536 ? p->max_flows : 65536);
}

void flow_table_free(struct flow_table *t)
{
	pool_free(&t->pool);
	htab_free(&t->h);
}

static void end_unlink(struct flow_table *t, struct flow_entry *f)
{
	if (f->end_prev)
		f->end_prev->end_next = f->end_next;
	else
		t->end_head = f->end_next;
	if (f->end_next)
		f->end_next->end_prev = f->end_prev;
	else
		t->end_tail = f->end_prev;
}

/*
 * Emits the flow and forgets it. export_ms is the moment its rule fired
 * (last packet + inactive timeout, the TCP end deadline, or the packet
 * that found it full or too old), not when the lazy queue got to it, so
 * export times are exact whatever order the scan takes.
 */
static void retire(struct flow_table *t, struct flow_entry *f, uint64_t export_ms,
    enum flow_reason why)
{
	t->emit(t->ctx, f, export_ms, why);
	t->expired[why]++;
	if (f->end_ms)
		end_unlink(t, f);
	htab_remove(&t->h, &f->node);
	pool_put(&t->pool, f);
}

/* TCP end: the flow leaves tcp_end_ms after the FIN pair or RST was seen. */
static void mark_end(struct flow_table *t, struct flow_entry *f, uint64_t now_ms)
{
	if (f->end_ms)
		return;
	f->end_ms = now_ms + t->p.tcp_end_ms;
	if (f->end_ms == 0)
		f->end_ms = 1;
	f->end_prev = t->end_tail;
	f->end_next = NULL;
	if (t->end_tail)
		t->end_tail->end_next = f;
	else
		t->end_head = f;
	t->end_tail = f;
}

static void requeue(struct flow_table *t, struct flow_entry *f, uint64_t now_ms)
{
	f->queued_ms = now_ms;
	htab_touch(&t->h, &f->node);
}

/*
 * Queue order is queued_ms order, and a flow was queued no later than its
 * last packet or, when moved back, than inactive_ms before its timeout.
 */
static void expire(struct flow_table *t, uint64_t now_ms)
{
	struct htab_node *n;

	if (now_ms <= t->clock_ms && t->clock_ms != 0)
		return;
	t->clock_ms = now_ms;

	/*
	 * Ended connections first: with the TCP end grace shorter than the
	 * inactive timeout their deadline comes first, and the record says so.
	 */
	while (t->end_head && t->end_head->end_ms <= now_ms)
		retire(t, t->end_head, t->end_head->end_ms, FLOW_TCP_END);
	while ((n = htab_oldest(&t->h)) != NULL) {
		struct flow_entry *f = htab_entry(n, struct flow_entry, node);
		if (now_ms - f->queued_ms < t->p.inactive_ms)
			break;
		htab_prefetch_after(&t->h, n);
		if (now_ms - f->last_ms < t->p.inactive_ms)
			requeue(t, f, now_ms);
		else
			retire(t, f, f->last_ms + t->p.inactive_ms, FLOW_INACTIVE);
	}
}

static struct flow_entry *lookup(struct flow_table *t, const struct flow_key *k, uint64_t hash)
{
	struct htab_node *n = htab_find(&t->h, hash, key_eq, k);

	return n ? htab_entry(n, struct flow_entry, node) : NULL;
}

/*
 * FIN both ways or a RST ends the connection: both directions get the
 * grace. rev_hash is the hash of the reverse key (flow_table_add made it).
 */
static void tcp_state(struct flow_table *t, struct flow_entry *f, uint8_t flags, uint64_t now_ms,
    uint64_t rev_hash)
{
	struct flow_key rk;
	struct flow_entry *rev;

	if (!(flags & (FLOW_TCP_FIN | FLOW_TCP_RST)))
		return;
	key_reverse(&f->key, &rk);
	rev = lookup(t, &rk, rev_hash);
	if (flags & FLOW_TCP_RST) {
		mark_end(t, f, now_ms);
		if (rev)
			mark_end(t, rev, now_ms);
		return;
	}
	if (rev && (rev->tcp_flags & FLOW_TCP_FIN)) {	/* its FIN was seen */
		mark_end(t, f, now_ms);
		mark_end(t, rev, now_ms);
	}
}

/*
 * Table full: writes the first queued flow that has had no packet since it
 * was queued (the longest idle, as far as the queue knows); the busy ones
 * in front of it go to the back. Each packet causes at most one such move.
 */
static void evict(struct flow_table *t, uint64_t now_ms)
{
	struct htab_node *n;

	while ((n = htab_oldest(&t->h)) != NULL) {
		struct flow_entry *f = htab_entry(n, struct flow_entry, node);
		if (f->last_ms <= f->queued_ms) {
			retire(t, f, now_ms, FLOW_EVICTED);
			return;
		}
		requeue(t, f, now_ms);
	}
}

static int count(struct flow_table *t, const struct flow_queued *q)
{
	const struct flow_key *k = &q->key;
	const struct flow_pkt *pk = &q->pk;
	uint64_t hash = q->hash, now_ms;
	struct flow_entry *f;

	expire(t, pk->ts_ms);
	now_ms = t->clock_ms;
	f = lookup(t, k, hash);

	if (f && now_ms - f->last_ms >= t->p.inactive_ms)
		retire(t, f, f->last_ms + t->p.inactive_ms, FLOW_INACTIVE), f = NULL;
	if (f && now_ms - f->first_ms >= t->p.active_ms)
		retire(t, f, now_ms, FLOW_ACTIVE), f = NULL;
	if (f == NULL) {
		if (t->h.count >= t->p.max_flows)
			evict(t, now_ms);
		f = pool_get(&t->pool);
		if (f == NULL)
			return -1;
		memset(f, 0, sizeof *f);
		f->key = *k;
		f->first_ms = f->last_ms = pk->ts_ms;
		f->queued_ms = now_ms;
		f->tos = pk->tos;
		f->ifindex = pk->ifindex;
		f->tunnel_id = pk->tunnel_id;
		htab_insert(&t->h, &f->node, hash);
		if (t->h.count > t->peak)
			t->peak = t->h.count;
	}
	f->pkts++;
	f->octets += pk->octets;
	f->tcp_flags |= pk->tcp_flags;
	if (pk->ts_ms < f->first_ms)
		f->first_ms = pk->ts_ms;
	if (pk->ts_ms > f->last_ms)
		f->last_ms = pk->ts_ms;
	if (k->proto == FLOW_PROTO_TCP)
		tcp_state(t, f, pk->tcp_flags, now_ms, q->rev_hash);
	return 0;
}

/* The oldest queued packet, counted. */
static int count_oldest(struct flow_table *t)
{
	struct flow_queued *q = &t->queue[t->queue_head];

	t->queue_head = (t->queue_head + 1) % FLOW_QUEUE;
	t->queue_len--;
	if (count(t, q) < 0) {
		t->nomem = true;
		return -1;
	}
	return 0;
}

int flow_table_drain(struct flow_table *t)
{
	int rc = 0;

	while (t->queue_len)
		if (count_oldest(t) < 0)
			rc = -1;
	return rc;
}

/* A TCP end (FIN or RST) looks up the other direction too. */
static bool ends_tcp(const struct flow_key *k, const struct flow_pkt *pk)
{
	return k->proto == FLOW_PROTO_TCP && (pk->tcp_flags & (FLOW_TCP_FIN | FLOW_TCP_RST));
}

/*
 * In the queue a packet's slot (and for a TCP end the reverse key's) is
 * fetched at once, and the packet is counted FLOW_QUEUE packets later.
 */
int flow_table_add(struct flow_table *t, const struct flow_key *k, const struct flow_pkt *pk)
{
	unsigned tail = (t->queue_head + t->queue_len) % FLOW_QUEUE;
	struct flow_queued *q = &t->queue[tail];
	int rc = 0;

	if (t->queue_len == FLOW_QUEUE)
		rc = count_oldest(t);
	q->key = *k;
	q->pk = *pk;
	q->hash = key_hash(t, k);
	htab_prefetch_slot(&t->h, q->hash);
	q->rev_hash = 0;
	if (ends_tcp(k, pk)) {
		struct flow_key rk;

		key_reverse(k, &rk);
		q->rev_hash = key_hash(t, &rk);
		htab_prefetch_slot(&t->h, q->rev_hash);
	}
	t->queue_len++;
	return rc || t->nomem ? -1 : 0;
}

void flow_table_expire(struct flow_table *t, uint64_t now_ms)
{
	(void)flow_table_drain(t);	/* out of memory: the next add says so */
	expire(t, now_ms);
}

void flow_table_flush(struct flow_table *t)
{
	struct htab_node *n;

	(void)flow_table_drain(t);

	while ((n = htab_oldest(&t->h)) != NULL)
		retire(t, htab_entry(n, struct flow_entry, node), t->clock_ms, FLOW_FLUSHED);
}
