/*
 * flow-recv's collector path on IPFIX messages built here: data held until
 * its template comes, withdrawal, sampling rates from options data and
 * --renormalize, the times check, and sequence counts per stream.
 */
#include <string.h>

#include "../../cmd/flow-recv/collector.h"
#include "base/bytecursor.h"
#include "flow/flowaddr.h"
#include "flow/flowclock.h"
#include "tap.h"

#define EXPORT_SECS 1700000000u

struct msg {
	uint8_t b[512];
	struct bytewriter w;
	size_t set_at;
};

static void msg_start(struct msg *m, uint32_t seq)
{
	m->w = bw_make(m->b, sizeof m->b);
	bw_u16(&m->w, 10);
	bw_u16(&m->w, 0);		/* length, at the end */
	bw_u32(&m->w, EXPORT_SECS);
	bw_u32(&m->w, seq);
	bw_u32(&m->w, 7);		/* observation domain */
}

static void set_start(struct msg *m, uint16_t id)
{
	m->set_at = m->w.pos;
	bw_u16(&m->w, id);
	bw_u16(&m->w, 0);
}

static void set_end(struct msg *m)
{
	uint16_t len = (uint16_t)(m->w.pos - m->set_at);

	m->b[m->set_at + 2] = (uint8_t)(len >> 8);
	m->b[m->set_at + 3] = (uint8_t)len;
}

static size_t msg_end(struct msg *m)
{
	m->b[2] = (uint8_t)(m->w.pos >> 8);
	m->b[3] = (uint8_t)m->w.pos;
	return m->w.pos;
}

/* A template set of one template: n (id, length) fields. */
static void template_set(struct msg *m, uint16_t id, const uint16_t (*f)[2], unsigned n)
{
	set_start(m, 2);
	bw_u16(&m->w, id);
	bw_u16(&m->w, (uint16_t)n);
	for (unsigned i = 0; i < n; i++) {
		bw_u16(&m->w, f[i][0]);
		bw_u16(&m->w, f[i][1]);
	}
	set_end(m);
}

/* template 256: src, dst, octets, packets, start/end ms, selectorId */
static void template_256(struct msg *m)
{
	static const uint16_t f[][2] = { { 8, 4 }, { 12, 4 }, { 1, 4 }, { 2, 4 }, { 152, 8 },
	    { 153, 8 }, { 302, 1 } };

	template_set(m, 256, f, 7);
}

static void data_256(struct msg *m, uint8_t host, uint32_t pkts, int64_t end_after_export_ms)
{
	uint64_t end = (uint64_t)EXPORT_SECS * 1000u + (uint64_t)end_after_export_ms;

	set_start(m, 256);
	bw_u32(&m->w, 0x0a000000u | host);
	bw_u32(&m->w, 0xc0000201u);
	bw_u32(&m->w, pkts * 100);
	bw_u32(&m->w, pkts);
	bw_u64(&m->w, end - 5000);
	bw_u64(&m->w, end);
	bw_u8(&m->w, 5);		/* selectorId */
	set_end(m);
}

struct got {
	unsigned n;
	struct flowrec last;
};

static void on_rec(void *ctx, const struct flowrec *r)
{
	struct got *g = ctx;

	g->n++;
	g->last = *r;
}

static const struct stream *first_stream(const struct collector *c)
{
	struct htab_node *n = htab_oldest(&c->streams.tab);

	return n ? htab_entry(n, struct stream, node) : NULL;
}

int main(void)
{
	static const uint16_t delta_fields[][2] = { { 8, 4 }, { 158, 4 }, { 159, 4 } };
	static const uint16_t nat_fields[][2] = { { 225, 4 }, { 226, 4 }, { 227, 2 }, { 228, 2 } };
	static const uint16_t span_fields[][2] = { { 8, 4 }, { 152, 8 }, { 153, 8 } };
	static const uint8_t ex4[4] = { 192, 0, 2, 9 };
	const struct collector_opts o = { true, 0, true };
	struct collector c;
	struct flow_addr ex;
	struct got g;
	struct msg m;
	size_t len;
	unsigned long long bad_before, clamped_before;

	memset(&g, 0, sizeof g);
	flow_addr_set_v4(&ex, ex4);
	OK(collector_init(&c, &o, on_rec, &g) == 0, "collector_init");

	msg_start(&m, 0);
	data_256(&m, 1, 3, -1000);
	len = msg_end(&m);
	collector_datagram(&c, m.b, len, &ex, 4739, NULL);
	IS_U(g.n, 0, "data before its template: nothing yet");
	IS_U(c.held.sets, 1, "and its set is held");

	msg_start(&m, 1);
	template_256(&m);
	/* options template 300: scope selectorId, then packet interval and space */
	set_start(&m, 3);
	bw_u16(&m.w, 300);
	bw_u16(&m.w, 3);
	bw_u16(&m.w, 1);
	bw_u16(&m.w, 302); bw_u16(&m.w, 1);
	bw_u16(&m.w, 305); bw_u16(&m.w, 4);
	bw_u16(&m.w, 306); bw_u16(&m.w, 4);
	set_end(&m);
	set_start(&m, 300);
	bw_u8(&m.w, 5);
	bw_u32(&m.w, 1);
	bw_u32(&m.w, 9);
	set_end(&m);
	len = msg_end(&m);
	collector_datagram(&c, m.b, len, &ex, 4739, NULL);
	IS_U(g.n, 1, "the template came: the held set is decoded");
	IS_U(c.held.sets, 0, "and no longer held");
	IS_U(g.last.dpkts, 30, "decoded after the message's options: scaled by the rate they "
	    "define");

	msg_start(&m, 2);
	data_256(&m, 2, 4, -1000);
	data_256(&m, 3, 5, 10000);		/* ends 10 s after its export */
	len = msg_end(&m);
	collector_datagram(&c, m.b, len, &ex, 4739, NULL);
	IS_U(g.n, 3, "two more records");
	IS_U(g.last.dpkts, 50, "--renormalize: selector 5 samples 1 in (1 + 9) packets");
	IS_U(g.last.doctets, 5000, "octets scaled too");
	IS_U(c.n.bad_times, 1, "a flow ending after its export is counted");
	IS_U(c.n.renormalized, 3, "three records renormalized");

	msg_start(&m, 4);
	set_start(&m, 2);
	bw_u16(&m.w, 256);
	bw_u16(&m.w, 0);			/* withdraws template 256 */
	set_end(&m);
	len = msg_end(&m);
	collector_datagram(&c, m.b, len, &ex, 4739, NULL);
	IS_U(c.n.withdrawn, 1, "template withdrawn");

	msg_start(&m, 4);
	data_256(&m, 4, 1, -1000);
	len = msg_end(&m);
	collector_datagram(&c, m.b, len, &ex, 4739, NULL);
	IS_U(g.n, 3, "data of a withdrawn template is not decoded");
	collector_finish(&c);
	IS_U(c.n.no_template, 1, "and counts as no template at the end");
	OK(first_stream(&c) && first_stream(&c)->no_template == 1, "for its exporter");
	OK(first_stream(&c) && first_stream(&c)->loss.missing == 0,
	    "0 records missing: 0, 1, 2, 4, 4");
	IS_U(c.n.rejected, 0, "nothing rejected");

	/* template 258: flowStart/EndDeltaMicroseconds, before the export time */
	msg_start(&m, 5);
	template_set(&m, 258, delta_fields, 3);
	set_start(&m, 258);
	bw_u32(&m.w, 0x0a000009u);
	bw_u32(&m.w, 5000000);
	bw_u32(&m.w, 1000000);
	set_end(&m);
	len = msg_end(&m);
	collector_datagram(&c, m.b, len, &ex, 4739, NULL);
	IS_U(flow_first_ms(&g.last), EXPORT_SECS * 1000ull - 5000,
	    "delta us: first 5 s before export");
	IS_U(flow_last_ms(&g.last), EXPORT_SECS * 1000ull - 1000, "last 1 s before export");

	/* template 259: post-NAT views only (225-228): the record's addresses and ports */
	msg_start(&m, 6);
	template_set(&m, 259, nat_fields, 4);
	set_start(&m, 259);
	bw_u32(&m.w, 0xcb007101u);
	bw_u32(&m.w, 0xc6336402u);
	bw_u16(&m.w, 40000);
	bw_u16(&m.w, 443);
	set_end(&m);
	len = msg_end(&m);
	collector_datagram(&c, m.b, len, &ex, 4739, NULL);
	{
		char a[FLOW_ADDR_STRLEN], b[FLOW_ADDR_STRLEN];

		flow_addr_format(&g.last.srcaddr, a);
		flow_addr_format(&g.last.dstaddr, b);
		IS_STR(a, "203.0.113.1", "post-NAT source when the record has no other");
		IS_STR(b, "198.51.100.2", "post-NAT destination likewise");
		OK(g.last.srcport == 40000 && g.last.dstport == 443, "post-NAPT ports likewise");
	}

	/*
	 * template 260: start and end 58 days apart, the end 10 s after the
	 * export: the decoder moves the start up, and the times check finds
	 * the end; one record with bad times
	 */
	bad_before = c.n.bad_times;
	clamped_before = c.n.clamped;
	msg_start(&m, 7);
	template_set(&m, 260, span_fields, 3);
	set_start(&m, 260);
	bw_u32(&m.w, 0x0a00000au);
	bw_u64(&m.w, EXPORT_SECS * 1000ull - 5000000000ull);
	bw_u64(&m.w, EXPORT_SECS * 1000ull + 10000);
	set_end(&m);
	len = msg_end(&m);
	collector_datagram(&c, m.b, len, &ex, 4739, NULL);
	IS_U(c.n.clamped - clamped_before, 1, "times 58 days apart: the start moved up");
	IS_U(flow_last_ms(&g.last), EXPORT_SECS * 1000ull + 10000, "the end kept as sent");
	IS_U(c.n.bad_times - bad_before, 1, "a record with two time faults counts once");
	OK(first_stream(&c) && first_stream(&c)->bad_times == c.n.bad_times,
	    "for its exporter too");

	m.b[0] = 0;
	m.b[1] = 11;
	collector_datagram(&c, m.b, len, &ex, 4739, NULL);
	IS_U(c.n.rejected, 1, "version 11 rejected");
	collector_free(&c);
	return tap_done();
}
