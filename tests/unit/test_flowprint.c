/*
 * Unit tests of flow-print's parts: exact 128-bit and human numbers,
 * rates without a span, percentages (numfmt); ISO 8601 times in UTC
 * and across a DST change and leap days (timefmt); the -s key spec,
 * prefixes and the two-sided ip key (statkey, stats); top-N selection
 * and its order; the aligned grid; fmt: templates. Expected values are
 * worked out by hand in the comments (epoch seconds checked with
 * GNU date -d @N).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../cmd/flow-print/cells.h"
#include "../../cmd/flow-print/fmtspec.h"
#include "../../cmd/flow-print/grid.h"
#include "../../cmd/flow-print/numfmt.h"
#include "../../cmd/flow-print/sorter.h"
#include "../../cmd/flow-print/stats.h"
#include "../../cmd/flow-print/timefmt.h"
#include "flow/flowaddr.h"
#include "flow/flowclock.h"
#include "line/flowline.h"
#include "tap.h"

static char buf[256];

#define TXT(expr) (buf[(expr)] = '\0', buf)
#define TIME(ms) TXT(timefmt_write(&t, buf, (ms)))

static void test_numbers(void)
{
	u128 max = ~(u128)0;
	u128 two64 = (u128)UINT64_MAX + 1;

	IS_STR(TXT(num_u64(buf, 0)), "0", "zero");
	IS_STR(TXT(num_u64(buf, UINT64_MAX)), "18446744073709551615", "2^64 - 1");
	IS_STR(TXT(num_u128(buf, two64)), "18446744073709551616", "2^64");
	/* 2 * (2^64 - 1): two flows of the largest counter */
	IS_STR(TXT(num_u128(buf, (u128)UINT64_MAX * 2)), "36893488147419103230", "2 (2^64 - 1)");
	IS_STR(TXT(num_u128(buf, max)), "340282366920938463463374607431768211455", "2^128 - 1");
	IS_STR(TXT(num_count(buf, 999, true)), "999", "-h below 1000 exact");
	IS_STR(TXT(num_count(buf, 1000, true)), "1.0K", "1000 is 1.0K (powers of 1000)");
	IS_STR(TXT(num_count(buf, 1024, true)), "1.0K", "1024 is 1.0K, not 1.0 KiB");
	IS_STR(TXT(num_count(buf, 1250000, true)), "1.3M", "1.25 M rounds half up");
	IS_STR(TXT(num_count(buf, 5724712990ull, true)), "5.7G", "nfdump's 5.7 G");
	/* 2^64 - 1 = 18.446... E */
	IS_STR(TXT(num_count(buf, UINT64_MAX, true)), "18.4E", "2^64 - 1 in E");
	IS_STR(TXT(num_count(buf, (u128)UINT64_MAX * 2, true)), "36.9E", "2 (2^64 - 1) in E");
	IS_STR(TXT(num_ms(buf, 0)), "0.000", "0 ms");
	IS_STR(TXT(num_ms(buf, 4294967295u)), "4294967.295", "2^32 - 1 ms");
	IS_STR(TXT(num_rate(buf, 100, 1, 0, false)), "-", "no span: no rate");
	/* 4955 packets in 7580 ms: 653.6 pps, nfdump prints 653 */
	IS_STR(TXT(num_rate(buf, 4955, 1, 7580, false)), "653", "pps rounds down as nfdump");
	/* 7293760 bytes * 8 / 7.58 s = 7697899.7 */
	IS_STR(TXT(num_rate(buf, 7293760, 8, 7580, false)), "7697899", "bps as nfdump");
	/* (2^64 - 1) bytes * 8 in 1 ms: 147573952589676412920000 bps, exact in 128 bits */
	IS_STR(TXT(num_rate(buf, UINT64_MAX, 8, 1, false)), "147573952589676412920000",
	    "bps of 2^64 bytes");
	IS_STR(TXT(num_ratio(buf, 10, 0, false)), "-", "no packets: no bpp");
	IS_STR(TXT(num_ratio(buf, 7293760, 4955, false)), "1472", "bpp");
	IS_STR(TXT(num_percent(buf, 1, 3)), "33.3", "a third");
	IS_STR(TXT(num_percent(buf, 2, 3)), "66.7", "two thirds round up");
	IS_STR(TXT(num_percent(buf, 5, 0)), "0.0", "of nothing");
	IS_STR(TXT(num_percent(buf, (u128)UINT64_MAX, (u128)UINT64_MAX * 2)), "50.0",
	    "half of 2^65");
}

static void test_times(void)
{
	struct timefmt t;

	timefmt_init(&t, true);
	IS_STR(TIME(0), "1970-01-01T00:00:00.000Z", "epoch");
	/* 951782400 = 2000-02-29T00:00:00Z: a leap day of a year divisible by 400 */
	IS_STR(TIME(951782400123ull), "2000-02-29T00:00:00.123Z", "2000-02-29");
	/* 4107542400 = 2100-03-01T00:00:00Z: 2100 has no Feb 29 */
	IS_STR(TIME(4107542399999ull), "2100-02-28T23:59:59.999Z", "2100-02-28");
	IS_STR(TIME(4107542400000ull), "2100-03-01T00:00:00.000Z", "2100-03-01");
	/* the largest a v5 clock reaches: 2^32 s + 999 ms = 2106-02-07T06:28:16Z */
	IS_STR(TIME(4294967296999ull), "2106-02-07T06:28:16.999Z", "2106");

	setenv("TZ", "Europe/Berlin", 1);
	timefmt_init(&t, false);
	/* 2026-10-25 01:00Z (1792890000) ends summer time: 02:30 local happens twice */
	IS_STR(TIME(1792888200000ull), "2026-10-25T02:30:00.000+02:00", "02:30 CEST");
	IS_STR(TIME(1792889999999ull), "2026-10-25T02:59:59.999+02:00", "last ms of CEST");
	IS_STR(TIME(1792890000000ull), "2026-10-25T02:00:00.000+01:00", "first ms of CET");
	IS_STR(TIME(1792891800000ull), "2026-10-25T02:30:00.000+01:00", "02:30 CET");
	/* back to the cached hour of CEST after CET: the cache keeps both */
	IS_STR(TIME(1792888200000ull), "2026-10-25T02:30:00.000+02:00", "CEST again");
	/* 1767225599 = 2025-12-31T23:59:59Z = 2026-01-01T00:59:59+01:00 */
	IS_STR(TIME(1767225599500ull), "2026-01-01T00:59:59.500+01:00", "new year in Berlin");
	setenv("TZ", "America/St_Johns", 1);	/* -03:30 in winter */
	timefmt_init(&t, false);
	IS_STR(TIME(1767225600000ull), "2025-12-31T20:30:00.000-03:30", "half-hour zone");
	unsetenv("TZ");
}

static struct flowrec rec(const char *src, const char *dst, unsigned sport, unsigned dport,
    uint64_t pkts, uint64_t bytes, uint32_t first, uint32_t last)
{
	struct flowrec r;

	memset(&r, 0, sizeof r);
	flow_addr_parse(&r.srcaddr, src, strlen(src));
	flow_addr_parse(&r.dstaddr, dst, strlen(dst));
	r.srcport = (uint16_t)sport;
	r.dstport = (uint16_t)dport;
	r.prot = 6;
	r.dpkts = pkts;
	r.doctets = bytes;
	/* an exporter booted at the epoch: uptimes are absolute ms */
	r.unix_secs = 4000000;
	r.sysuptime = 4000000000u;
	r.first = first;
	r.last = last;
	return r;
}

static void test_statkey(void)
{
	struct statkey k;
	struct why why;
	uint8_t key[STATKEY_BYTES_MAX];
	struct flowrec r = rec("192.0.2.77", "2001:db8:1:2:3:4:5:6", 1000, 80, 1, 1, 0, 0);

	OK(statkey_parse(&k, "srcaddr", &why) == 0 && k.nparts == 1 && k.len == 17 &&
	    k.order == STAT_BY_FLOWS && !k.two_sided, "srcaddr");
	OK(statkey_parse(&k, "srcaddr,dstport/bytes", &why) == 0 && k.nparts == 2 && k.len == 21 &&
	    k.order == STAT_BY_BYTES, "srcaddr,dstport/bytes");
	OK(statkey_parse(&k, "ip/packets", &why) == 0 && k.two_sided && k.order == STAT_BY_PACKETS,
	    "ip");
	OK(statkey_parse(&k, "dpkts", &why) < 0 && strstr(why.text, "dpkts") != NULL,
	    "a counter is no key");
	OK(statkey_parse(&k, "srcport/24", &why) < 0, "a prefix on a port");
	OK(statkey_parse(&k, "srcaddr/bytes,dstaddr", &why) < 0, "the order only at the end");
	OK(statkey_parse(&k, "srcaddr/129", &why) < 0, "prefix beyond 128");
	OK(statkey_parse(&k, "nosuch", &why) < 0 && strstr(why.text, "nosuch") != NULL,
	    "unknown field");

	OK(statkey_parse(&k, "srcaddr/24", &why) == 0, "srcaddr/24");
	statkey_make(&k, &r, false, key);
	IS_STR(TXT(statkey_cell(&k, 0, key, buf)), "192.0.2.0/24", "v4 cut at 24");
	IS_STR(TXT(statkey_title(&k, 0, buf)), "srcaddr/24", "title");
	OK(statkey_parse(&k, "dstaddr/24/64", &why) == 0, "dstaddr/24/64");
	statkey_make(&k, &r, false, key);
	IS_STR(TXT(statkey_cell(&k, 0, key, buf)), "2001:db8:1:2::/64", "v6 cut at its own 64");
	OK(statkey_parse(&k, "dstaddr/20", &why) == 0, "dstaddr/20");
	statkey_make(&k, &r, false, key);
	IS_STR(TXT(statkey_cell(&k, 0, key, buf)), "2001::/20",
	    "v6 cut at 20 (one length cuts both)");
	OK(statkey_parse(&k, "ip,port", &why) == 0, "ip,port");
	statkey_make(&k, &r, true, key);
	IS_STR(TXT(statkey_cell(&k, 0, key, buf)), "2001:db8:1:2:3:4:5:6",
	    "destination side address");
	IS_STR(TXT(statkey_cell(&k, 1, key, buf)), "80", "destination side port");
	OK(statkey_parse(&k, "prot", &why) == 0, "prot");
	statkey_make(&k, &r, false, key);
	IS_STR(TXT(statkey_cell(&k, 0, key, buf)), "tcp", "protocol by name");
}

static void add(struct stats *s, const struct flowrec *r)
{
	struct flowview v;

	flowview_make(&v, r);
	OK(stats_add(s, &v) == 0, "stats_add");
}

static void test_stats(void)
{
	struct statkey k;
	struct stats s;
	struct why why;
	size_t n;
	struct statgroup **v;
	/* a: 10.0.0.1 -> .2 100 B, b: .3 -> .1 2^64-1 B, c: .2 -> .3 50 B,
	 * d: .3 -> .4 (2^64-1) B */
	struct flowrec a = rec("10.0.0.1", "10.0.0.2", 1, 2, 1, 100, 1000, 2000);
	struct flowrec b = rec("10.0.0.3", "10.0.0.1", 1, 2, UINT64_MAX, UINT64_MAX, 1500, 1500);
	struct flowrec c = rec("10.0.0.2", "10.0.0.3", 1, 2, 1, 50, 3000, 4000);
	struct flowrec d = rec("10.0.0.3", "10.0.0.4", 1, 2, 1, UINT64_MAX, 5000, 5000);

	statkey_parse(&k, "ip/bytes", &why);
	stats_init(&s, &k);
	add(&s, &a);
	add(&s, &b);
	add(&s, &c);
	add(&s, &d);
	OK(stats_finish(&s) == 0, "stats_finish");
	IS_U(stats_groups(&s), 4, "four addresses");
	v = stats_sorted(&s, 2, &n);
	IS_U(n, 2, "top 2");
	/* .3: b + c + d = 2^64-1 + 50 + 2^64-1 bytes; .1: a + b = 100 + 2^64-1 */
	IS_STR(TXT(num_u128(buf, v[0]->bytes)), "36893488147419103280", "10.0.0.3 first, exact");
	IS_U(v[0]->flows, 3, "10.0.0.3 in three flows");
	IS_U(v[0]->first_ms, 1500, "its first");
	IS_U(v[0]->last_ms, 5000, "its last");
	IS_STR(TXT(num_u128(buf, v[1]->bytes)), "18446744073709551715", "10.0.0.1 second");
	free(v);
	v = stats_sorted(&s, 0, &n);
	IS_U(n, 4, "all");
	/* .4 (2^64-1) before .2 (150) */
	IS_STR(TXT(statkey_cell(&k, 0, v[2]->key, buf)), "10.0.0.4", "third");
	IS_STR(TXT(statkey_cell(&k, 0, v[3]->key, buf)), "10.0.0.2", "fourth");
	free(v);
	stats_free(&s);

	/* ties in the order go by key, whatever the hash seed */
	statkey_parse(&k, "srcport", &why);
	stats_init(&s, &k);
	for (unsigned p = 9; p > 0; p--) {
		struct flowrec r = rec("10.0.0.1", "10.0.0.2", p, 2, 1, 1, 0, 0);
		add(&s, &r);
	}
	stats_finish(&s);
	v = stats_sorted(&s, 3, &n);
	OK(n == 3 && statkey_cell(&k, 0, v[0]->key, buf) == 1 && buf[0] == '1' &&
	    statkey_cell(&k, 0, v[2]->key, buf) == 1 && buf[0] == '3',
	    "ties by key: ports 1, 2, 3");
	free(v);
	stats_free(&s);
}

static void test_grid(void)
{
	char *out = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&out, &len);
	struct grid g;
	bool right[3] = { false, true, false };

	grid_init(&g, fp, 3, right);
	grid_text(&g, "a");
	grid_text(&g, "1");
	grid_text(&g, "x");
	grid_row_done(&g);
	grid_text(&g, "bbb");
	grid_text(&g, "1000");
	grid_text(&g, "yy");
	grid_row_done(&g);
	grid_flush(&g);
	/* later rows keep the widths and widen a column that needs it */
	grid_text(&g, "cccc");
	grid_text(&g, "2");
	grid_text(&g, "z");
	grid_row_done(&g);
	grid_flush(&g);
	grid_free(&g);
	fclose(fp);
	IS_STR(out, "a       1  x\nbbb  1000  yy\ncccc     2  z\n",
	    "aligned, last column unpadded");
	free(out);
}

static void test_fmt(void)
{
	struct fmtspec f;
	struct why why;
	struct timefmt t;
	struct flowview v;
	char *out = NULL;
	size_t len = 0;
	FILE *fp;
	struct flowrec r = rec("10.0.0.1", "2001:db8::2", 1234, 80, 3, 3000, 1000, 3000);

	OK(fmtspec_parse(&f, "%nosuch", false, &why) < 0 && strstr(why.text, "offset 0") != NULL,
	    "unknown field named with its offset");
	OK(fmtspec_parse(&f, "%srcaddr|%src|%dstport|%duration|%bps|%bpp|%pps|100%%", false,
	    &why) == 0, "template");
	timefmt_init(&t, true);
	flowview_make(&v, &r);
	fp = open_memstream(&out, &len);
	fmtspec_write(&f, fp, &v, &t);
	fclose(fp);
	/* 3000 bytes in 2 s: 12000 bps, 1000 bpp, 1 pps */
	IS_STR(out, "10.0.0.1|10.0.0.1:1234|80|2.000|12000|1000|1|100%\n", "longest names, %%");
	free(out);
}

struct order {
	uint64_t got[16];
	size_t n;
};

static int collect(void *ctx, const struct flowview *v)
{
	struct order *o = ctx;

	o->got[o->n++] = v->r->srcport;	/* the record's number in the input */
	return 0;
}

/* srcport numbers the records; bytes and times chosen so ties and extremes meet */
static const struct { uint64_t bytes; uint32_t first, last; } sort_in[] = {
	{ 100, 5000, 6000 }, { UINT64_MAX, 1000, 1000 }, { 100, 0, 4000 },
	{ 0, 7000, 7001 }, { 100, 3000, 3500 }, { (uint64_t)1 << 40, 2000, 2000 },
};

/* The input order of the six records as a sort by key with -m max writes them. */
static struct order sorted(enum sort_key key, size_t max, unsigned long *runs)
{
	struct sorter s;
	struct order o = { .n = 0 };
	struct flowview v;

	sorter_init(&s, key, max, collect, &o);
	for (unsigned i = 0; i < 6; i++) {
		struct flowrec r = rec("10.0.0.1", "10.0.0.2", i, 80, 1, sort_in[i].bytes,
		    sort_in[i].first, sort_in[i].last);
		flowview_make(&v, &r);
		OK(sorter_add(&s, &v) == 0, "sorter_add %u", i);
	}
	OK(sorter_flush(&s) == 0, "sorter_flush");
	*runs = s.runs;
	sorter_free(&s);
	return o;
}

static bool order_is(const struct order *o, const char *want)
{
	char got[17];

	for (size_t i = 0; i < o->n && i < 16; i++)
		got[i] = (char)('0' + o->got[i]);
	got[o->n < 16 ? o->n : 16] = '\0';
	return strcmp(got, want) == 0;
}

static void test_sorter(void)
{
	unsigned long runs;
	struct order o;

	/* -m 4: a run of 0..3 (2^64-1, then the 100s in input order, then 0), a run of 4..5 */
	o = sorted(SORT_BYTES, 4, &runs);
	OK(order_is(&o, "102354"), "by bytes, ties in input order, runs of -m");
	IS_U(runs, 2, "two runs");
	/* bps: 3 -> 0 (0 B), 0 -> 800, 2 -> 200, 4 -> 1600; 1 and 5 have no duration: last */
	o = sorted(SORT_BPS, 100, &runs);
	OK(order_is(&o, "402315"), "by bps, no duration last in input order");
	o = sorted(SORT_START, 100, &runs);
	OK(order_is(&o, "215403"), "by start");
	/* durations: 1000, 0, 4000, 1, 500, 0 */
	o = sorted(SORT_DURATION, 100, &runs);
	OK(order_is(&o, "204315"), "by duration, longest first");
}

/* flow_reader_want, as -s uses it: only the wanted fields, fresh for each header */
static void test_reader_want(void)
{
	char path[] = "/tmp/fp-print-want-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fd < 0 ? NULL : fdopen(fd, "w");
	struct flow_reader r;
	struct flowrec rec;

	OK(fp != NULL, "temp file");
	if (fp == NULL)
		return;
	fputs("#:dpkts,srcaddr,dstaddr,rdpkts\n1,10.0.0.1,bad,7\n"
	    "#:dpkts,srcaddr\n2,10.0.0.2\n3\n", fp);
	fclose(fp);
	flow_reader_open(&r, path, false);
	flow_reader_want(&r, 1u << FF_DPKTS | 1u << FF_SRCADDR | 1u << FF_RDPKTS);
	OK(flow_read(&r, &rec) == FLOW_READ_RECORD && rec.dpkts == 1 && rec.rdpkts == 7 &&
	    rec.srcaddr.bytes[3] == 1, "line 2: wanted fields read, the bad dstaddr not");
	OK(flow_read(&r, &rec) == FLOW_READ_RECORD && rec.dpkts == 2 && rec.rdpkts == 0 &&
	    rec.srcaddr.bytes[3] == 2, "line 4: the new header has no rdpkts: 0, not 7");
	/* a short line is still a bad line: its columns are counted */
	OK(flow_read(&r, &rec) == FLOW_READ_EOF && r.bad == 1 && r.records == 2, "line 5 bad");
	flow_reader_close(&r);
	unlink(path);
}

int main(void)
{
	test_numbers();
	test_times();
	test_statkey();
	test_stats();
	test_grid();
	test_fmt();
	test_sorter();
	test_reader_want();
	return tap_done();
}
