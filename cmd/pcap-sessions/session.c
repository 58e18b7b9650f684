/* pcap-sessions' session table (see session.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "flow/flowproto.h"
#include "session.h"

#define RST_WINDOW_MIN 65535u
#define RST_WINDOW_MAX (1u << 30)

/* The tuple either way round: the lower endpoint first. Memset before filling. */
struct tuple {
	struct flow_addr a, b;
	uint16_t pa, pb;
};

static const char *const end_names[SESS_END_REASONS] = {
	"fin", "rst", "timeout", "eof", "limit"
};

const char *sess_end_name(enum sess_end why)
{
	return end_names[why];
}

const char *sess_start_name(enum sess_start how)
{
	return how == SESS_START_HANDSHAKE ? "handshake" :
	    how == SESS_START_PARTIAL ? "partial" : "midstream";
}

const char *sess_orig_name(enum sess_orig o)
{
	return o == SESS_ORIG_SYN ? "syn" : o == SESS_ORIG_SYNACK ? "synack" : "first";
}

static int endpoint_cmp(const struct flow_addr *a, uint16_t pa, const struct flow_addr *b,
    uint16_t pb)
{
	int c = memcmp(a, b, sizeof *a);

	return c ? c : (int)pa - (int)pb;
}

static void tuple_make(struct tuple *k, const struct flow_addr *x, uint16_t px,
    const struct flow_addr *y, uint16_t py)
{
	memset(k, 0, sizeof *k);
	if (endpoint_cmp(x, px, y, py) > 0) {
		const struct flow_addr *t = x;
		uint16_t pt = px;

		x = y;
		px = py;
		y = t;
		py = pt;
	}
	k->a = *x;
	k->b = *y;
	k->pa = px;
	k->pb = py;
}

static bool sess_eq(const struct htab_node *n, const void *key)
{
	const struct session *s = htab_entry(n, struct session, node);
	struct tuple k;

	tuple_make(&k, &s->caddr, s->cport, &s->saddr, s->sport);
	return memcmp(&k, key, sizeof k) == 0;
}

/* ---- callbacks of the reassembly buffers ---- */

static void ensure_started(struct session *s, uint64_t ts)
{
	enum sess_start how;

	if (s->started)
		return;
	s->started = true;
	how = s->d[0].syn && s->d[1].syn ? SESS_START_HANDSHAKE :
	    s->d[0].syn || s->d[1].syn ? SESS_START_PARTIAL : SESS_START_MIDSTREAM;
	s->t->calls->start(s->t->ctx, s, how, ts);
}

static void mono_close(struct session *s)
{
	if (s->mono.dir < 0)
		return;
	ensure_started(s, s->t->now_us);
	s->t->calls->monologue(s->t->ctx, s);
	s->mono.dir = -1;
}

static void mono_switch(struct session *s, int dir, uint64_t off)
{
	struct monologue *m = &s->mono;

	if (m->dir == dir)
		return;
	mono_close(s);
	m->dir = dir;
	m->n++;
	m->first_us = m->last_us = s->t->now_us;
	m->bytes = m->packets = 0;
	m->start_off = off;
	m->last_pkt = 0;
	m->flags = 0;
}

static void on_data(void *ctx, uint64_t off, const uint8_t *p, size_t len)
{
	struct sess_dir *d = ctx;
	struct session *s = d->s;
	struct sess_table *t = s->t;
	struct monologue *m = &s->mono;
	uint64_t keep = len;

	mono_switch(s, d->idx, off);
	m->last_us = t->now_us;
	if (m->last_pkt != t->pkt_serial) {
		m->last_pkt = t->pkt_serial;
		m->packets++;
	}
	t->n.bytes += len;
	if (off + len > t->p.max_size) {
		keep = off >= t->p.max_size ? 0 : t->p.max_size - off;
		d->cut += len - keep;
		m->flags |= MONO_CUT;
	}
	if (keep)
		t->calls->data(t->ctx, s, d->idx, off, m->bytes, p, (size_t)keep);
	m->bytes += len;
}

static void on_gap(void *ctx, uint64_t off, uint64_t len)
{
	struct sess_dir *d = ctx;
	struct session *s = d->s;

	mono_switch(s, d->idx, off);
	s->mono.flags |= MONO_GAP;
	ensure_started(s, s->t->now_us);
	s->t->n.gaps++;
	s->t->n.gap_bytes += len;
	s->t->calls->gap(s->t->ctx, s, d->idx, off, len, s->t->now_us);
}

static void on_conflict(void *ctx, uint64_t off, uint64_t len)
{
	struct sess_dir *d = ctx;
	struct session *s = d->s;

	if (s->mono.dir == d->idx)
		s->mono.flags |= MONO_CONFLICT;
	ensure_started(s, s->t->now_us);
	s->t->n.conflicts++;
	s->t->n.conflict_bytes += len;
	s->t->calls->conflict(s->t->ctx, s, d->idx, off, len, s->t->now_us);
}

static const struct reasm_calls reasm_calls = { on_data, on_gap, on_conflict };

/* ---- the table ---- */

int sess_table_init(struct sess_table *t, const struct sess_params *p,
    const struct sess_calls *calls, void *ctx)
{
	memset(t, 0, sizeof *t);
	t->p = *p;
	t->calls = calls;
	t->ctx = ctx;
	if (pool_init(&t->pool, sizeof(struct session), 0, p->max_sessions, false) < 0)
		return -1;
	return htab_init(&t->h, p->max_sessions < 65536 ? p->max_sessions : 65536);
}

static void key_format(struct session *s)
{
	char a[FLOW_ADDR_STRLEN], b[FLOW_ADDR_STRLEN];

	flow_addr_format(&s->caddr, a);
	flow_addr_format(&s->saddr, b);
	snprintf(s->key, sizeof s->key, "%s.%u-%s.%u-%u", a, s->cport, b, s->sport, s->reuse);
}

static void dir_init(struct sess_table *t, struct session *s, int i)
{
	struct sess_dir *d = &s->d[i];

	memset(d, 0, sizeof *d);
	d->s = s;
	d->idx = (uint8_t)i;
	reasm_init(&d->r, &t->budget, &t->p.lim, &reasm_calls, d);
}

/* Ends s: holes become gaps, the monologue and the session are reported. */
static void session_end(struct sess_table *t, struct session *s, enum sess_end why)
{
	for (int i = 0; i < 2; i++) {
		struct sess_dir *d = &s->d[i];

		if (d->r.based)
			reasm_finish(&d->r, d->fin && d->fin_off > d->wire_end ? d->fin_off
			    : d->wire_end);
	}
	mono_close(s);
	ensure_started(s, t->now_us);
	t->calls->end(t->ctx, s, why, t->now_us);
	reasm_free(&s->d[0].r);
	reasm_free(&s->d[1].r);
	s->open = false;
	t->open--;
	t->n.ended[why]++;
}

/* Takes s out of the table for good (ending it first if open). */
static void session_drop(struct sess_table *t, struct session *s, enum sess_end why)
{
	if (s->open)
		session_end(t, s, why);
	else if (why == SESS_END_LIMIT)
		t->n.tombstones_dropped++;
	htab_remove(&t->h, &s->node);
	pool_put(&t->pool, s);
}

static struct session *oldest(const struct sess_table *t)
{
	struct htab_node *n = htab_oldest(&t->h);

	return n ? htab_entry(n, struct session, node) : NULL;
}

static struct session *session_new(struct sess_table *t, const struct sess_pkt *pk,
    bool client_is_src, enum sess_orig orig, uint32_t reuse, const struct tuple *k)
{
	struct session *s;

	if (pool_full(&t->pool) && oldest(t))
		session_drop(t, oldest(t), SESS_END_LIMIT);
	s = pool_get(&t->pool);
	if (s == NULL)
		return NULL;
	memset(s, 0, sizeof *s);
	s->t = t;
	s->caddr = client_is_src ? *pk->src : *pk->dst;
	s->saddr = client_is_src ? *pk->dst : *pk->src;
	s->cport = client_is_src ? pk->sport : pk->dport;
	s->sport = client_is_src ? pk->dport : pk->sport;
	s->reuse = reuse;
	s->open = true;
	s->orig = (uint8_t)orig;
	s->first_us = s->last_us = pk->ts_us;
	s->mono.dir = -1;
	dir_init(t, s, 0);
	dir_init(t, s, 1);
	key_format(s);
	s->verbose = t->p.verbose_all ||
	    (t->p.verbose_key && strcmp(t->p.verbose_key, s->key) == 0);
	htab_insert(&t->h, &s->node, htab_hash(&t->h, k, sizeof *k));
	t->n.sessions++;
	if (++t->open > t->peak_open)
		t->peak_open = t->open;
	return s;
}

static int dir_of(const struct session *s, const struct sess_pkt *pk)
{
	return flow_addr_equal(&s->caddr, pk->src) && s->cport == pk->sport ? 0 : 1;
}

static void say(struct sess_table *t, const struct session *s, int dir,
    const struct sess_pkt *pk, const char *what)
{
	if (s->verbose && t->calls->packet)
		t->calls->packet(t->ctx, s, dir, pk, what);
}

/*
 * Finds the session of pk, or makes one when pk may start one: a SYN, a
 * SYN/ACK, data. A SYN on an ended tuple (or one that saw FINs) starts the
 * next session on it. NULL when pk belongs to none.
 */
static struct session *lookup(struct sess_table *t, const struct sess_pkt *pk)
{
	struct tuple k;
	struct htab_node *n;
	struct session *s = NULL;
	bool syn = pk->flags & FLOW_TCP_SYN, ack = pk->flags & FLOW_TCP_ACK;
	uint32_t reuse = 0;

	tuple_make(&k, pk->src, pk->sport, pk->dst, pk->dport);
	n = htab_find(&t->h, htab_hash(&t->h, &k, sizeof k), sess_eq, &k);
	if (n)
		s = htab_entry(n, struct session, node);
	if (s && syn && !ack && (!s->open || s->d[0].fin || s->d[1].fin)) {
		int d = dir_of(s, pk);

		if (s->open && s->d[d].syn && s->d[d].r.base == pk->seq + 1)
			return s;	/* a retransmitted SYN of this session */
		reuse = s->reuse + 1;
		session_drop(t, s, SESS_END_FIN);
		s = NULL;
	}
	if (s && s->open)
		return s;
	if (s)
		return NULL;	/* late packet of an ended session */
	if (syn)
		return session_new(t, pk, !ack, ack ? SESS_ORIG_SYNACK : SESS_ORIG_SYN, reuse, &k);
	if (pk->wirelen > 0)
		return session_new(t, pk, true, SESS_ORIG_FIRST, reuse, &k);
	return NULL;
}

/* An RST counts only inside the window the sender could be in. */
static bool rst_in_window(const struct session *s, int dir, const struct sess_pkt *pk)
{
	const struct sess_dir *d = &s->d[dir], *p = &s->d[!dir];
	uint64_t win = p->win_seen ? (uint64_t)p->win << 14 : RST_WINDOW_MIN;
	int64_t off;

	if (!d->r.based)
		return true;	/* nothing known of its numbers (the answer to a SYN) */
	if (win < RST_WINDOW_MIN)
		win = RST_WINDOW_MIN;
	if (win > RST_WINDOW_MAX)
		win = RST_WINDOW_MAX;
	off = reasm_offset(&d->r, pk->seq);
	return off + 1 >= (int64_t)d->r.next && (uint64_t)off <= d->wire_end + win + 1;
}

/* The sender's ACK: the peer's history behind it goes, holes behind it are gaps. */
static void take_ack(struct sess_table *t, struct session *s, int dir, const struct sess_pkt *pk)
{
	struct sess_dir *p = &s->d[!dir];
	int64_t off;
	uint64_t to;

	if (!p->r.based) {
		if (p->syn)
			return;
		reasm_set_base(&p->r, pk->ack);	/* its first bytes were never seen */
	}
	off = reasm_offset(&p->r, pk->ack);
	if (off >= 0 && !s->started && dir == 0 && s->d[0].syn && s->d[1].syn &&
	    !(pk->flags & FLOW_TCP_SYN))
		ensure_started(s, t->now_us);	/* the third packet of the handshake */
	if (off <= 0 || (uint64_t)off > p->r.next + t->p.lim.max_ahead)
		return;
	reasm_acked(&p->r, (uint64_t)off);
	to = (uint64_t)off;
	if (p->fin && to > p->fin_off)
		to = p->fin_off;
	if (to > p->r.next)
		reasm_skip(&p->r, to);
	if (to > p->wire_end)
		p->wire_end = to;
}

/* Keep-alives (one byte or none before the next) and zero-window probes are not data. */
static const char *not_data(const struct session *s, int dir, const struct sess_pkt *pk,
    int64_t off)
{
	const struct sess_dir *d = &s->d[dir], *p = &s->d[!dir];

	if (pk->flags & (FLOW_TCP_SYN | FLOW_TCP_FIN))
		return NULL;
	if (pk->wirelen <= 1 && off + 1 == (int64_t)d->r.next)
		return "keep-alive";
	if (pk->wirelen == 1 && p->win_seen && p->win == 0 && off == (int64_t)d->r.next &&
	    d->r.held == NULL)
		return "zero-window probe";
	return NULL;
}

static void take_data(struct sess_table *t, struct session *s, int dir, const struct sess_pkt *pk)
{
	struct sess_dir *d = &s->d[dir];
	uint32_t seq = pk->seq + ((pk->flags & FLOW_TCP_SYN) ? 1u : 0u);
	uint64_t dup = d->r.dup_bytes;
	int64_t off;
	const char *nd;

	if (!d->r.based)
		reasm_set_base(&d->r, seq);
	off = reasm_offset(&d->r, seq);
	if (pk->wirelen && (nd = not_data(s, dir, pk, off)) != NULL) {
		if (nd[0] == 'k')
			t->n.keepalives++;
		else
			t->n.zero_window_probes++;
		say(t, s, dir, pk, nd);
		return;
	}
	if (off >= 0 && (uint64_t)off + pk->wirelen > d->wire_end &&
	    (uint64_t)off + pk->wirelen <= d->r.next + t->p.lim.max_ahead)
		d->wire_end = (uint64_t)off + pk->wirelen;
	if (pk->caplen) {
		enum reasm_result rr = reasm_segment(&d->r, seq, pk->payload, pk->caplen);

		if (rr == REASM_REFUSED)
			t->n.refused++;
		else if (rr == REASM_NOMEM)
			t->n.no_memory++;
		say(t, s, dir, pk, rr == REASM_NEW ? "data" : rr == REASM_OLD ? "old data" :
		    "data refused");
	}
	if (d->r.dup_bytes > dup) {
		t->n.dup_bytes += d->r.dup_bytes - dup;
		if (s->mono.dir == dir)
			s->mono.flags |= MONO_OVERLAP;
	}
	if ((pk->flags & FLOW_TCP_FIN) && !d->fin && off >= 0) {
		d->fin = true;
		d->fin_off = (uint64_t)off + pk->wirelen;
		if (d->fin_off > d->wire_end)
			d->wire_end = d->fin_off;
	}
}

static bool both_done(const struct session *s)
{
	for (int i = 0; i < 2; i++)
		if (!s->d[i].fin || s->d[i].r.next < s->d[i].fin_off)
			return false;
	return true;
}

static void take_syn(struct sess_table *t, struct session *s, int dir, const struct sess_pkt *pk)
{
	struct sess_dir *d = &s->d[dir];

	if (d->syn) {
		t->n.syn_retrans++;
		say(t, s, dir, pk, "SYN again");
		return;
	}
	d->syn = true;
	if (!d->r.based || d->r.next == 0)
		reasm_set_base(&d->r, pk->seq + 1);
	say(t, s, dir, pk, "SYN");
}

/*
 * Ends the oldest open sessions while the buffers hold more than allowed;
 * they stay as tombstones, so their late packets start no new session.
 */
static void budget_bound(struct sess_table *t)
{
	struct htab_node *n = htab_oldest(&t->h);

	while (n && t->budget.used > t->p.max_buffered) {
		struct session *s = htab_entry(n, struct session, node);

		n = htab_newer(&t->h, n);
		if (s->open)
			session_end(t, s, SESS_END_LIMIT);
	}
}

int sess_table_packet(struct sess_table *t, const struct sess_pkt *pk)
{
	struct session *s;
	int dir;

	if (pk->ts_us > t->now_us)
		t->now_us = pk->ts_us;
	t->pkt_serial++;
	s = lookup(t, pk);
	if (s == NULL) {
		t->n.no_session++;
		return 0;
	}
	dir = dir_of(s, pk);
	s->last_us = t->now_us;
	htab_touch(&t->h, &s->node);
	s->d[dir].packets++;
	if (pk->flags & FLOW_TCP_RST) {
		if (rst_in_window(s, dir, pk)) {
			say(t, s, dir, pk, "RST");
			session_end(t, s, SESS_END_RST);
		} else {
			t->n.rst_ignored++;
			say(t, s, dir, pk, "RST outside the window, ignored");
		}
		return 0;
	}
	if (pk->flags & FLOW_TCP_SYN)
		take_syn(t, s, dir, pk);
	if ((pk->flags & FLOW_TCP_ACK))
		take_ack(t, s, dir, pk);
	if (pk->wirelen || (pk->flags & (FLOW_TCP_FIN | FLOW_TCP_SYN)))
		take_data(t, s, dir, pk);
	s->d[dir].win = pk->win;
	s->d[dir].win_seen = true;
	if (both_done(s))
		session_end(t, s, SESS_END_FIN);
	budget_bound(t);
	return 0;
}

void sess_table_expire(struct sess_table *t, uint64_t now_us)
{
	struct session *s;

	if (now_us > t->now_us)
		t->now_us = now_us;
	while ((s = oldest(t)) != NULL && s->last_us + t->p.idle_us <= t->now_us) {
		if (!s->open) {
			session_drop(t, s, SESS_END_TIMEOUT);
			continue;
		}
		session_end(t, s, SESS_END_TIMEOUT);	/* a tombstone for one more idle time */
		s->last_us = t->now_us;
		htab_touch(&t->h, &s->node);
	}
}

void sess_table_end_all(struct sess_table *t, enum sess_end why)
{
	struct htab_node *n = htab_oldest(&t->h);

	while (n) {
		struct session *s = htab_entry(n, struct session, node);

		n = htab_newer(&t->h, n);
		if (s->open)
			session_end(t, s, why);
	}
}

void sess_table_free(struct sess_table *t)
{
	struct session *s;

	while ((s = oldest(t)) != NULL) {
		reasm_free(&s->d[0].r);
		reasm_free(&s->d[1].r);
		htab_remove(&t->h, &s->node);
		pool_put(&t->pool, s);
	}
	htab_free(&t->h);
	pool_free(&t->pool);
}
