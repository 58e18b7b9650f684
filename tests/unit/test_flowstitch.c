/*
 * Unit tests of flow-stitch's parts: the join rule (span), the key
 * (flowkey, -b canonical order, ICMP query/reply pairing), the sums
 * and the written record (flowsum: export clock, pre-1970 and clamped
 * times, what a join must keep in range), and the table (stitch: order
 * at the end, -m, refused and clamped times, a far-future clock, splits
 * on counter wrap and on spans past 2^32 - 1 ms, memory per flow), the order
 * independence within -w and the reorder buffer. Expected values are worked out
 * by hand in the comments; records use an exporter that booted at the
 * epoch, so uptimes are absolute ms, except where the clock itself is
 * under test.
 */
#include <stdlib.h>
#include <string.h>

#include "../../cmd/flow-stitch/flowkey.h"
#include "../../cmd/flow-stitch/flowsum.h"
#include "../../cmd/flow-stitch/reorder.h"
#include "../../cmd/flow-stitch/span.h"
#include "../../cmd/flow-stitch/stitch.h"
#include "flow/flowaddr.h"
#include "flow/flowclock.h"
#include "base/htab.h"
#include "tap.h"

static struct flowrec rec(const char *src, const char *dst, unsigned sport, unsigned dport,
    unsigned prot, unsigned flags, uint32_t first, uint32_t last, uint64_t pkts)
{
	struct flowrec r;

	memset(&r, 0, sizeof r);
	flow_addr_parse(&r.srcaddr, src, strlen(src));
	flow_addr_parse(&r.dstaddr, dst, strlen(dst));
	flow_addr_parse(&r.exaddr, "192.0.2.1", 9);
	r.srcport = (uint16_t)sport;
	r.dstport = (uint16_t)dport;
	r.prot = (uint8_t)prot;
	r.tcp_flags = (uint8_t)flags;
	r.first = first;
	r.last = last;
	r.dpkts = pkts;
	r.doctets = pkts * 100;
	r.unix_secs = last / 1000 + 1;	/* exported a second after, boot at 0 */
	r.sysuptime = r.unix_secs * 1000;
	return r;
}

static struct span sp(uint64_t first, uint64_t last, uint64_t fin, bool syn)
{
	return (struct span){ .first = first, .last = last, .fin = fin,
	    .syn = syn ? first : SPAN_NO_SYN };
}

static void test_span(void)
{
	const uint64_t idle = 60000, fg = 310000;
	struct span a = sp(0, 10000, SPAN_NO_FIN, true);
	struct span b = sp(70000, 80000, SPAN_NO_FIN, false);
	struct span c = sp(70001, 80000, SPAN_NO_FIN, false);

	OK(span_joins(&a, &b, idle, fg), "span: starts exactly the idle gap after: joins");
	OK(!span_joins(&a, &c, idle, fg), "span: a ms more: new flow");
	OK(span_joins(&b, &a, idle, fg) && !span_joins(&c, &a, idle, fg), "span: the order of arrival does not matter");
	struct span fin = sp(0, 10000, 10000, true);
	struct span ack = sp(200000, 200000, SPAN_NO_FIN, false);
	struct span syn = sp(12000, 13000, SPAN_NO_FIN, true);
	OK(span_joins(&fin, &ack, idle, fg), "span: after FIN, an ACK 190 s later joins (FIN gap)");
	OK(!span_joins(&fin, &syn, idle, fg), "span: after FIN, a SYN 2 s later does not");
	OK(!span_joins(&syn, &fin, idle, fg), "span: nor when the SYN came first");
	struct span ack2 = sp(320001, 320001, SPAN_NO_FIN, false);
	OK(!span_joins(&fin, &ack2, idle, fg), "span: 310.001 s after FIN: new flow");
	struct span mid = sp(5000, 6000, SPAN_NO_FIN, true);
	OK(span_joins(&fin, &mid, idle, fg), "span: a SYN inside the flow, before its FIN, joins");
	IS_U(span_gap(&a, &b), 60000, "span: gap");
	IS_U(span_gap(&b, &a), 60000, "span: gap either way");
	IS_U(span_gap(&fin, &mid), 0, "span: overlap has no gap");
	struct span s = a;
	span_add(&s, &fin);
	OK(s.first == 0 && s.last == 10000 && s.fin == 10000, "span: add keeps the earliest FIN");
	IS_U(span_deadline(&s, idle, fg), 320000, "span: deadline after FIN is last + FIN gap");
	IS_U(span_deadline(&a, idle, fg), 70000, "span: deadline is last + idle gap");
	struct flowrec udp = rec("10.0.0.1", "10.0.0.2", 1, 2, 17, 0x07, 1000, 2000, 1);
	struct span u;
	span_of_record(&u, &udp, 1000, 2000);
	OK(u.fin == SPAN_NO_FIN && u.syn == SPAN_NO_SYN, "span: TCP flags mean nothing for UDP");
}

static void test_key(void)
{
	struct flowrec fw = rec("10.0.0.1", "10.0.0.2", 40000, 80, 6, 0x18, 0, 1, 1);
	struct flowrec rv = rec("10.0.0.2", "10.0.0.1", 80, 40000, 6, 0x18, 0, 1, 1);
	struct flowkey kf, kr;

	fw.input = 3, fw.output = 4, rv.input = 4, rv.output = 3;
	fw.tos = 1, rv.tos = 99;	/* not a key field */
	bool sf = flowkey_make(&kf, &fw, FLOWKEY_DEFAULT, false);
	bool sr = flowkey_make(&kr, &rv, FLOWKEY_DEFAULT, false);
	OK(!sf && !sr && !flowkey_equal(&kf, &kr), "key: directions differ without -b");
	flow_fieldset bkey = FLOWKEY_DEFAULT & ~(1u << FF_INPUT);
	sf = flowkey_make(&kf, &fw, bkey, true);
	sr = flowkey_make(&kr, &rv, bkey, true);
	OK(flowkey_equal(&kf, &kr), "key: -b gives both directions one key");
	OK(sf != sr, "key: and tells them apart by the swapped flag");
	OK(hash_bytes(&kf, sizeof kf, 7) == hash_bytes(&kr, sizeof kr, 7), "key: same hash");
	/* -b with only dstaddr named still keys on both ends */
	flowkey_make(&kf, &fw, 1u << FF_DSTADDR, true);
	struct flowrec other = rec("10.0.0.9", "10.0.0.2", 40000, 80, 6, 0, 0, 1, 1);
	flowkey_make(&kr, &other, 1u << FF_DSTADDR, true);
	OK(!flowkey_equal(&kf, &kr), "key: -b mirrors a side field to the other side");
	struct why err;
	flow_fieldset set;
	OK(flowkey_parse("srcaddr,dstaddr,tos", &set, &err) == 0, "key: -k srcaddr,dstaddr,tos");
	OK(flowkey_parse("srcaddr,first", &set, &err) < 0 && strstr(err.text, "first"),
	    "key: -k first refused: %s", err.text);
	/* ICMP: dstport = type * 256 + code; echo request 8/0, reply 0/0 */
	struct flowrec req = rec("10.0.0.1", "10.0.0.2", 0, 8 << 8, 1, 0, 0, 1, 1);
	struct flowrec rep = rec("10.0.0.2", "10.0.0.1", 0, 0, 1, 0, 0, 1, 1);
	sf = flowkey_make(&kf, &req, bkey, true);
	sr = flowkey_make(&kr, &rep, bkey, true);
	OK(flowkey_equal(&kf, &kr) && sf != sr, "key: -b pairs an ICMP echo request with its reply");
	flowkey_make(&kf, &req, FLOWKEY_DEFAULT, false);
	flowkey_make(&kr, &rep, FLOWKEY_DEFAULT, false);
	OK(!flowkey_equal(&kf, &kr), "key: without -b they stay apart");
	req.dstport = 13 << 8, rep.dstport = 14 << 8;
	flowkey_make(&kf, &req, bkey, true);
	flowkey_make(&kr, &rep, bkey, true);
	OK(flowkey_equal(&kf, &kr), "key: -b pairs ICMP timestamp 13 with reply 14");
	rep.dstport = 0;
	flowkey_make(&kr, &rep, bkey, true);
	OK(!flowkey_equal(&kf, &kr), "key: a timestamp request does not pair with an echo reply");
	req.dstport = 3 << 8 | 3, rep.dstport = 3 << 8 | 3;	/* port unreachable both ways: no query */
	flowkey_make(&kf, &req, bkey, true);
	flowkey_make(&kr, &rep, bkey, true);
	OK(!flowkey_equal(&kf, &kr), "key: ICMP errors are not queries: not paired");
	struct flowrec req6 = rec("2001:db8::1", "2001:db8::2", 0, 128 << 8, 58, 0, 0, 1, 1);
	struct flowrec rep6 = rec("2001:db8::2", "2001:db8::1", 0, 129 << 8, 58, 0, 0, 1, 1);
	flowkey_make(&kf, &req6, bkey, true);
	flowkey_make(&kr, &rep6, bkey, true);
	OK(flowkey_equal(&kf, &kr), "key: -b pairs ICMPv6 echo 128 with reply 129");
	rep6.prot = 1;	/* the same numbers under ICMP are not echo */
	flowkey_make(&kr, &rep6, bkey, true);
	OK(!flowkey_equal(&kf, &kr), "key: ICMP type 129 is no reply");
}

static void test_sum(void)
{
	/* softflowd's first piece of netflow5.dat: first = 2^32-1 (a ms before boot) */
	struct flowrec a = rec("10.0.2.2", "10.0.2.15", 54435, 22, 6, 0x10, 4294967295u, 2577, 5);
	a.unix_secs = 1430591888, a.unix_nsecs = 280328000, a.sysuptime = 3381;
	struct flowrec b = rec("10.0.2.2", "10.0.2.15", 54435, 22, 6, 0x18, 3377, 5914, 17);
	b.unix_secs = 1430591890, b.unix_nsecs = 816557000, b.sysuptime = 5918, b.tos = 8;
	struct flowsum s, t;
	struct flowrec out;

	flowsum_from_record(&s, &a);
	flowsum_from_record(&t, &b);
	/* 1430591888280 - (3381 + 1) */
	IS_U(s.first_ms, 1430591884898ull, "sum: uptime wrap gives the absolute first");
	flowsum_add(&s, &t);
	flowsum_output(&out, &s, NULL);
	IS_U(out.dpkts, 22, "sum: packets add");
	IS_U(out.tcp_flags, 0x18, "sum: flags OR");
	IS_U(out.tos, 0, "sum: other fields from the earliest record");
	OK(out.unix_secs == 1430591890 && out.sysuptime == 5918, "sum: clock of the latest export");
	/* under b's clock (boot ...884.898557 -> ms 884898): first 0, last 5914 */
	IS_U(out.first, 0, "sum: first as uptime under that clock");
	IS_U(out.last, 5914, "sum: last as uptime under that clock");
	IS_U(flow_first_ms(&out), 1430591884898ull, "sum: absolute first survives");
	/* paired: reverse fields from rv */
	struct flowrec r = rec("10.0.2.15", "10.0.2.2", 22, 54435, 6, 0x19, 4000, 6000, 3);
	r.unix_secs = 1430591890, r.unix_nsecs = 900000000, r.sysuptime = 6001;
	struct flowsum rv;
	flowsum_from_record(&rv, &r);
	flowsum_output(&out, &s, &rv);
	OK(out.rdpkts == 3 && out.rdoctets == 300 && out.rtcp_flags == 0x19, "sum: -b reverse counters");
	OK(out.sysuptime == 6001, "sum: -b clock of the later direction");
	/* rfirst 4000 under boot 1430591890900-6001 = ...884899: 4000 */
	OK(out.rfirst == 4000 && out.rlast == 6000, "sum: -b reverse times (%u, %u)", out.rfirst, out.rlast);

	/* exported at 0.5 s after the epoch, 100 s after boot: first lies before 1970 */
	struct flowrec e = rec("10.0.0.1", "10.0.0.2", 1, 2, 17, 0, 0, 500, 1);
	e.unix_secs = 0, e.unix_nsecs = 500000000, e.sysuptime = 100000;
	OK(flowsum_from_record(&s, &e) == FLOWSUM_TIME_BEFORE_EPOCH, "sum: a time before 1970 is refused");
	e.sysuptime = 500;	/* boot exactly at the epoch: first = 0 ms */
	OK(flowsum_from_record(&s, &e) == FLOWSUM_TIME_OK && s.first_ms == 0, "sum: the epoch itself is fine");
	/* last 5 ms past sysuptime reads 2^32 - 5 ms back: clamped to first */
	struct flowrec c = rec("10.0.0.1", "10.0.0.2", 1, 2, 17, 0, 9000, 10005, 7);
	c.sysuptime = 10000, c.unix_secs = 10;
	OK(flowsum_from_record(&s, &c) == FLOWSUM_TIME_CLAMPED, "sum: last before first is clamped");
	OK(s.first_ms == 9000 && s.last_ms == 9000 && s.rec.dpkts == 7, "sum: last = first, packets kept");

	/* load: counters each way and the span from first to the latest export */
	struct flowsum_load la = { .used = false }, lb = { .used = false };
	struct flowrec big = rec("10.0.0.1", "10.0.0.2", 1, 2, 17, 0, 0, 1000, UINT64_MAX);
	flowsum_from_record(&s, &big);
	flowsum_load_add(&la, &s, false);
	struct flowrec one = rec("10.0.0.2", "10.0.0.1", 2, 1, 17, 0, 2000, 3000, 1);
	flowsum_from_record(&t, &one);
	flowsum_load_add(&lb, &t, true);	/* the other way: no overflow */
	OK(flowsum_load_fits(&la, &lb) == FLOWSUM_FITS, "load: 2^64-1 packets one way, 1 the other: fits");
	lb = (struct flowsum_load){ .used = false };
	flowsum_load_add(&lb, &t, false);
	OK(flowsum_load_fits(&la, &lb) == FLOWSUM_OVERFLOW, "load: 2^64-1 + 1 packets one way: overflow");
	/* span: a record at 0..1000 ms, another exported at 2^32 - 1 ms */
	struct flowrec late = rec("10.0.0.1", "10.0.0.2", 1, 2, 17, 0, 0, 0, 1);
	late.unix_secs = 4294967, late.unix_nsecs = 295000000, late.sysuptime = 0;	/* export 2^32 - 1 ms */
	flowsum_from_record(&s, &one);
	flowsum_from_record(&t, &late);
	IS_U(t.export_ms, 4294967295ull, "load: export at 2^32 - 1 ms");
	la = lb = (struct flowsum_load){ .used = false };
	flowsum_load_add(&la, &s, false);
	flowsum_load_add(&lb, &t, false);
	OK(flowsum_load_fits(&la, &lb) == FLOWSUM_FITS, "load: first 2000 to export 2^32 - 1: fits");
	one.first = 0;
	flowsum_from_record(&s, &one);
	la = (struct flowsum_load){ .used = false };
	flowsum_load_add(&la, &s, false);
	OK(flowsum_load_fits(&la, &lb) == FLOWSUM_TOO_LONG, "load: first 0 to export 2^32 - 1: too long");
}

struct sink {
	struct flowrec r[16];
	int n;
};

static int collect(void *ctx, const struct flowrec *r)
{
	struct sink *k = ctx;

	if (k->n < 16)
		k->r[k->n++] = *r;
	return 0;
}

static void test_table(void)
{
	/* -w 0: a record is taken as soon as a later start is seen */
	struct stitch_opts o = { .idle_ms = 60000, .fin_gap_ms = 310000, .window_ms = 0,
	    .max_flows = 2, .key = FLOWKEY_DEFAULT };
	struct sink k = { .n = 0 };
	struct stitch *s = stitch_new(&o, collect, &k);
	struct flowrec r;

	r = rec("10.0.0.1", "10.0.0.2", 3, 9, 17, 0, 50000, 60000, 1);
	OK(stitch_add(s, &r) == STITCH_OK, "table: add");
	r = rec("10.0.0.1", "10.0.0.2", 2, 9, 17, 0, 20000, 30000, 2);
	stitch_add(s, &r);
	r = rec("10.0.0.1", "10.0.0.2", 3, 9, 17, 0, 61000, 62000, 4);
	stitch_add(s, &r);
	IS_U(stitch_counters(s)->open, 2, "table: two open");
	r = rec("10.0.0.1", "10.0.0.2", 1, 9, 17, 0, 0, 1000, 8);
	stitch_add(s, &r);
	/* full at 2: port 2 (deadline 90 s) goes before port 3 (122 s) */
	OK(k.n == 1 && k.r[0].srcport == 2, "table: -m writes the flow closest to its end");
	IS_U(stitch_counters(s)->early, 1, "table: and counts it");
	r = rec("10.0.0.1", "10.0.0.2", 1, 9, 17, 0, 5000, 1000, 1);
	r.unix_secs = 6, r.sysuptime = 6000;	/* exported after first */
	OK(stitch_add(s, &r) == STITCH_CLAMPED, "table: last before first taken, clamped");
	r.unix_secs = 0, r.sysuptime = 100000;
	OK(stitch_add(s, &r) == STITCH_BAD_TIME, "table: a time before 1970 refused");
	OK(stitch_counters(s)->clamped == 1 && stitch_counters(s)->bad_time == 1, "table: both counted");
	stitch_finish(s);
	OK(k.n == 3 && k.r[1].srcport == 1 && k.r[2].srcport == 3, "table: the rest by start at the end");
	IS_U(k.r[1].dpkts, 9, "table: the clamped record joined port 1 (8 + 1)");
	IS_U(k.r[2].dpkts, 5, "table: port 3's two records summed");
	OK(stitch_counters(s)->open == 0 && stitch_counters(s)->flows == 3, "table: all written");
	stitch_free(s);

	/* one far-future record does not make the records after it late */
	o.max_flows = 100;
	o.window_ms = 1800000;
	k.n = 0;
	s = stitch_new(&o, collect, &k);
	r = rec("10.0.0.1", "10.0.0.2", 1, 9, 17, 0, 0, 29000, 1);
	stitch_add(s, &r);
	r = rec("10.0.0.9", "10.0.0.2", 1, 9, 17, 0, 0, 1000, 1);
	r.unix_secs = 4000000000u;	/* 2096 */
	stitch_add(s, &r);
	r = rec("10.0.0.1", "10.0.0.2", 1, 9, 17, 0, 30000, 59000, 2);
	stitch_add(s, &r);
	IS_U(stitch_counters(s)->late, 0, "table: after a far-future record nothing is late");
	stitch_finish(s);
	OK(k.n == 2 && k.r[0].dpkts == 3, "table: and the flow still stitches (%d flows)", k.n);
	stitch_free(s);

	/* sums that would wrap 2^64: the old flow is written, a new one starts */
	k.n = 0;
	s = stitch_new(&o, collect, &k);
	r = rec("10.0.0.1", "10.0.0.2", 1, 9, 17, 0, 0, 29000, UINT64_MAX);
	stitch_add(s, &r);
	r = rec("10.0.0.1", "10.0.0.2", 1, 9, 17, 0, 30000, 59000, 2);
	stitch_add(s, &r);
	stitch_finish(s);
	IS_U(stitch_counters(s)->split_overflow, 1, "table: overflow split counted");
	OK(k.n == 2 && k.r[0].dpkts == UINT64_MAX && k.r[1].dpkts == 2, "table: no packet lost to a wrap");
	stitch_free(s);

	/*
	 * 2600 records of 30 min back to back: 54 days, more than 2^32 ms.
	 * Record i starts at i * 1800000 + 1000 and is exported at
	 * (i + 1) * 1800000; the first export past 1000 + 2^32 - 1 ms is
	 * record 2386's (4296600000), so it starts the second flow.
	 */
	k.n = 0;
	s = stitch_new(&o, collect, &k);
	for (uint32_t i = 0; i < 2600; i++) {
		uint64_t first = (uint64_t)i * 1800000 + 1000;
		r = rec("10.0.0.1", "10.0.0.2", 1, 9, 17, 0, 0, 0, 1);
		r.unix_secs = (uint32_t)((first + 1799000) / 1000);
		r.sysuptime = (uint32_t)(first + 1799000);	/* boot at the epoch, uptime wraps */
		r.first = (uint32_t)first;
		r.last = (uint32_t)(first + 1798000);
		stitch_add(s, &r);
	}
	IS_U(stitch_counters(s)->split_long, 1, "table: a span past 2^32 - 1 ms splits once");
	stitch_finish(s);
	OK(k.n == 2 && k.r[0].dpkts + k.r[1].dpkts == 2600, "table: into two flows, every packet kept");
	IS_U(flow_first_ms(&k.r[0]), 1000, "table: the first flow's first is true");
	IS_U(flow_first_ms(&k.r[1]), 4294801000ull, "table: the second starts at record 2386");
	stitch_free(s);
	/* the figure the man page and README state */
	OK(stitch_flow_bytes(false) <= 512, "memory: %zu bytes per open flow (stated: under 512)", stitch_flow_bytes(false));
	OK(stitch_flow_bytes(true) <= 768, "memory: %zu with -b (stated: under 768)", stitch_flow_bytes(true));
}

/* Flows of a run, as "first,last,pkts,flags" lines sorted, for comparing runs. */
struct runout {
	char line[64][48];
	int n;
};

static int collect_line(void *ctx, const struct flowrec *r)
{
	struct runout *o = ctx;

	if (o->n < 64)
		snprintf(o->line[o->n++], sizeof o->line[0], "%llu,%llu,%llu,%u",
		    (unsigned long long)flow_first_ms(r), (unsigned long long)flow_last_ms(r),
		    (unsigned long long)r->dpkts, r->tcp_flags);
	return 0;
}

static int by_text(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void run_order(const struct flowrec *recs, const int *order, int n, struct runout *o)
{
	struct stitch_opts opt = { .idle_ms = 60000, .fin_gap_ms = 310000, .window_ms = 1800000,
	    .max_flows = 1000, .key = FLOWKEY_DEFAULT };
	struct stitch *s = stitch_new(&opt, collect_line, o);

	o->n = 0;
	for (int i = 0; i < n; i++)
		stitch_add(s, &recs[order[i]]);
	stitch_finish(s);
	stitch_free(s);
	qsort(o->line, (size_t)o->n, sizeof o->line[0], by_text);
}

/*
 * Issue 10, item 1: any order of the records within -w gives the same
 * connections. One tuple carries a few TCP connections one after another
 * (1 s to 6 min apart: inside and past the FIN gap), each cut into
 * records 0 to 60 s apart (the idle gap is 60 s), the first with SYN, the
 * last with FIN or RST, sometimes a late ACK after it (before the next
 * SYN); every trial is stitched in time order and in a random
 * permutation (all inside the 30 min window): the flows must be the same.
 */
static void test_permutations(void)
{
	struct flowrec recs[24];
	int order[24], sorted[24], differ = 0, trials = 300, tcp_joins = 0;
	struct runout a, b;

	srand(10);
	for (int t = 0; t < trials; t++) {
		uint32_t at = 1000;
		int n = 0;

		for (int c = 0; c < 1 + rand() % 4 && n < 20; c++) {
			int parts = 1 + rand() % 4;

			for (int p = 0; p < parts && n < 24; p++) {
				unsigned flags = 0x10 | (p == 0 ? 0x02 : 0);
				uint32_t len = (uint32_t)(rand() % 3) * 1000;

				if (p == parts - 1)
					flags |= rand() % 4 ? 0x01 : 0x04;	/* FIN, or RST */
				recs[n++] = rec("10.0.0.1", "10.0.0.2", 40000, 80, 6, flags, at, at + len,
				    (uint64_t)(1 + rand() % 9));
				at += len + (uint32_t)(rand() % 4) * 20000;	/* 0 to 60 s apart */
			}
			if (rand() % 2 && n < 24) {	/* a late ACK of the connection, after its FIN */
				recs[n++] = rec("10.0.0.1", "10.0.0.2", 40000, 80, 6, 0x10, at + 500,
				    at + 500, 1);
			}
			/* the tuple's next connection: 1 s to 6 min later */
			at += 1000 + (uint32_t)(rand() % 4) * 120000;
		}
		for (int i = 0; i < n; i++)
			recs[i].unix_secs = at / 1000 + 2, recs[i].sysuptime = recs[i].unix_secs * 1000;
		for (int i = 0; i < n; i++)
			sorted[i] = order[i] = i;
		for (int i = n - 1; i > 0; i--) {
			int j = rand() % (i + 1), x = order[i];
			order[i] = order[j];
			order[j] = x;
		}
		if (t % 2) {	/* half the trials as UDP: those are taken at once, not waiting */
			for (int i = 0; i < n; i++)
				recs[i].prot = 17;
		}
		run_order(recs, sorted, n, &a);
		run_order(recs, order, n, &b);
		tcp_joins += a.n < n;
		bool same = a.n == b.n;

		for (int i = 0; same && i < a.n; i++)
			same = strcmp(a.line[i], b.line[i]) == 0;
		if (!same && differ++ == 0) {
			printf("# trial %d: %d flows in time order, %d permuted\n", t, a.n, b.n);
			for (int i = 0; getenv("PERM_DEBUG") && i < n; i++)
				printf("#  rec %d (arrives %d): %u-%u flags %u pkts %llu\n", i,
				    order[i], recs[i].first, recs[i].last, recs[i].tcp_flags,
				    (unsigned long long)recs[i].dpkts);
			for (int i = 0; getenv("PERM_DEBUG") && i < a.n; i++)
				printf("#  sorted: %s\n", a.line[i]);
			for (int i = 0; getenv("PERM_DEBUG") && i < b.n; i++)
				printf("#  permuted: %s\n", b.line[i]);
		}
	}
	IS_U(differ, 0, "permutation: any order within -w gives the same TCP connections "
	    "and UDP flows (%d trials)", trials);
	OK(tcp_joins > trials / 2, "permutation: the trials do join records (%d of %d)",
	    tcp_joins, trials);
}

struct taken {
	uint32_t first[16];
	int n;
};

static int take_first(void *ctx, const struct flowrec *r, uint64_t seq)
{
	struct taken *t = ctx;

	(void)seq;
	if (t->n < 16)
		t->first[t->n++] = r->first;
	return 0;
}

/* The reorder buffer: start order within the ring, far starts, -m pressure. */
static void test_reorder(void)
{
	static const uint32_t in[] = { 5000, 1200, 3000, 1100, 900000, 2999 };
	struct reorder q;
	struct taken t = { .n = 0 };
	unsigned long long forced = 0;
	uint64_t seq;

	OK(reorder_init(&q, 10000) == 0, "reorder: init, 10 s window (16 one-second buckets)");
	for (size_t i = 0; i < sizeof in / sizeof in[0]; i++) {
		struct flowrec r = rec("10.0.0.1", "10.0.0.2", 1, 2, 17, 0, in[i], in[i], 1);
		OK(reorder_push(&q, in[i], &r, &seq) == 0 && seq == i, "reorder: push %u (arrival %zu)",
		    in[i], i);
	}
	IS_U(reorder_count(&q), 6, "reorder: six wait");
	reorder_take(&q, 3000, 100, &forced, take_first, &t);
	OK(t.n == 3 && t.first[0] == 1100 && t.first[1] == 1200 && t.first[2] == 2999,
	    "reorder: seconds wholly before 3 s leave in start order");
	struct flowrec late = rec("10.0.0.1", "10.0.0.2", 1, 2, 17, 0, 1500, 1500, 1);
	OK(reorder_push(&q, 1500, &late, &seq) == 1, "reorder: a start in a second already taken is late");
	reorder_take(&q, 3000, 2, &forced, take_first, &t);
	OK(t.n == 4 && t.first[3] == 3000 && forced == 1, "reorder: past max, the earliest goes, counted");
	reorder_take(&q, UINT64_MAX, 100, &forced, take_first, &t);
	OK(t.n == 6 && t.first[4] == 5000 && t.first[5] == 900000,
	    "reorder: all at the end, the far start (beyond the ring) last");
	IS_U(reorder_count(&q), 0, "reorder: none left");
	reorder_free(&q);
}

int main(void)
{
	test_span();
	test_key();
	test_sum();
	test_table();
	test_permutations();
	test_reorder();
	return tap_done();
}
