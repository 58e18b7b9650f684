/*
 * ct2ft's conntrack line parser, pairing table and views. Lines are
 * copied from tests/data/ct-events-*.txt (recorded from the kernel) or
 * hand-written in the layouts conntrack prints; each expected value was
 * read off the line by hand.
 */
#include <string.h>

#include "../../cmd/ct2ft/ctline.h"
#include "../../cmd/ct2ft/ctpair.h"
#include "../../cmd/ct2ft/ctviews.h"
#include "flow/flowaddr.h"
#include "tap.h"

static int parse(const char *line, struct ct_event *ev, struct why *why)
{
	return ct_line_parse(line, strlen(line), ev, why);
}

static const char *addr(const struct flow_addr *a, char *buf)
{
	flow_addr_format(a, buf);
	return buf;
}

static void test_destroy_extended(void)
{
	struct ct_event ev;
	struct why why;
	char b[FLOW_ADDR_STRLEN];
	const char *l = "[1795377712.607886]\t[DESTROY] ipv4     2 udp      17 src=10.9.9.9 dst=192.0.2.2 "
	    "sport=44371 dport=5001 packets=1 bytes=48 src=192.0.2.2 dst=192.0.2.1 sport=5001 dport=44371 "
	    "packets=1 bytes=38 delta-time=1 id=3415691222 [USERSPACE] portid=28297 progname=conntrack";

	OK(parse(l, &ev, &why) == 0, "extended DESTROY parses");
	IS_U(ev.type, CT_EV_DESTROY, "type DESTROY");
	IS_U(ev.proto, 17, "udp");
	OK(ev.has_time && ev.time_us == 1795377712607886ull, "event time in microseconds");
	OK(ev.has_id && ev.id == 3415691222u, "conntrack id");
	OK(ev.has_delta && ev.delta_s == 1, "delta-time");
	IS_STR(addr(&ev.orig.src, b), "10.9.9.9", "orig src");
	IS_STR(addr(&ev.reply.dst, b), "192.0.2.1", "reply dst (after SNAT)");
	IS_U(ev.orig.sport, 44371, "orig sport");
	IS_U(ev.reply.sport, 5001, "reply sport");
	OK(ev.orig.packets == 1 && ev.orig.bytes == 48, "orig counters");
	OK(ev.reply.packets == 1 && ev.reply.bytes == 38, "reply counters");
	OK(ct_event_natted(&ev), "NATed");
}

/*
 * conntrack -E ends a line with [USERSPACE] portid= progname=NAME, and a
 * process name may hold blanks and key=value look-alikes: none of it may
 * reach the tuples or the id (the review's reproducer, shaped by hand).
 */
static void test_words_after_reply(void)
{
	struct ct_event ev;
	struct why why;
	char b[FLOW_ADDR_STRLEN];
	const char *l = "[1795377712.607886]\t[DESTROY] ipv4     2 tcp      6 src=10.0.0.1 dst=10.0.0.2 "
	    "sport=1 dport=2 packets=3 bytes=180 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 packets=2 bytes=120 "
	    "[ASSURED] delta-time=4 id=77 [USERSPACE] portid=9 progname=my tool packets=999 dst=8.8.8.8 id=5";
	const char *l2 = "[1795377712.607886]\t[DESTROY] ipv4     2 tcp      6 src=10.0.0.1 dst=10.0.0.2 "
	    "sport=1 dport=2 packets=3 bytes=180 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 packets=2 bytes=120 "
	    "[ASSURED] mark=0 use=1 packets=999 bytes=1 sport=7 dst=8.8.8.8 src=9.9.9.9";

	OK(parse(l, &ev, &why) == 0, "progname with blanks parses");
	IS_STR(addr(&ev.reply.dst, b), "10.0.0.1", "reply dst is the tuple's, not progname's");
	OK(ev.reply.packets == 2 && ev.reply.bytes == 120, "reply counters are the tuple's");
	OK(ev.has_id && ev.id == 77, "id is the conntrack id, not progname's");
	OK(parse(l2, &ev, &why) == 0, "tuple-like words after the reply tuple parse");
	IS_STR(addr(&ev.reply.dst, b), "10.0.0.1", "a dst= after [ASSURED] is not the reply's");
	OK(ev.reply.packets == 2 && ev.reply.sport == 2, "packets=/sport= after the tuple are ignored");
	IS_STR(addr(&ev.reply.src, b), "10.0.0.2", "a third src= after the tuple is ignored");
}

static void test_icmp_ids(void)
{
	struct ct_event ev;
	struct why why;
	const char *l = "[1795377712.608440]\t[DESTROY] ipv6     10 icmpv6   58 src=::1 dst=::1 type=128 code=0 "
	    "id=65425 packets=1 bytes=64 src=::1 dst=::1 type=129 code=0 id=65425 packets=1 bytes=64 "
	    "delta-time=1 id=2594619801";

	OK(parse(l, &ev, &why) == 0, "ICMPv6 DESTROY parses");
	IS_U(ev.proto, 58, "icmpv6");
	OK(ev.orig.icmp_type == 128 && ev.reply.icmp_type == 129, "types per tuple");
	OK(ev.orig.icmp_id == 65425 && ev.reply.icmp_id == 65425, "ICMP ids stay in their tuples");
	OK(ev.has_id && ev.id == 2594619801u, "the last id= is the conntrack id");
	OK(!ct_event_natted(&ev), "loopback is not NATed");

	/* not only echo: an ICMP timestamp request (13/0) and its reply (14/0), by hand */
	struct flowrec r[3];
	struct ct_clock clk = { .export_us = 2000000u, .boot_ms = 1000u, .first_ms = 1500u, .last_ms = 2000u };
	unsigned empty = 0;
	OK(parse("[2.0]\t[DESTROY] ipv4     2 icmp     1 src=10.0.0.1 dst=10.0.0.2 type=13 code=0 id=77 "
	    "packets=1 bytes=40 src=10.0.0.2 dst=10.0.0.1 type=14 code=0 id=77 packets=1 bytes=40 id=5", &ev, &why) == 0,
	    "ICMP timestamp DESTROY parses");
	IS_U(ct_views_build(&ev, CT_VIEW_AUTO, &clk, r, &empty), 2, "two views");
	OK(r[0].srcport == 0 && r[0].dstport == 13 * 256, "request: dstport 13*256+0");
	OK(r[1].srcport == 0 && r[1].dstport == 14 * 256, "reply: dstport 14*256+0");
}

static void test_layouts(void)
{
	struct ct_event ev;
	struct why why;

	/* conntrack -E without -o: no time, no layer 3, no id */
	OK(parse("    [NEW] tcp      6 120 SYN_SENT src=10.9.9.9 dst=192.0.2.2 sport=43191 dport=5001 "
	    "[UNREPLIED] src=192.0.2.2 dst=192.0.2.1 sport=5001 dport=43191", &ev, &why) == 0, "plain NEW");
	OK(ev.type == CT_EV_NEW && !ev.has_time && !ev.has_id && ev.proto == 6, "plain NEW fields");
	/* -o ktimestamp: [start=] and [stop=] hold blanks (UTC here) */
	OK(parse("[1795377712.607798]\t[DESTROY] ipv4     2 udp      17 src=10.9.9.9 dst=192.0.2.2 sport=1 dport=2 "
	    "packets=1 bytes=48 src=192.0.2.2 dst=192.0.2.1 sport=2 dport=1 packets=1 bytes=38 delta-time=1 "
	    "[start=Sun Nov 22 20:01:46 2026] [stop=Sun Nov 22 20:01:47 2026] id=3", &ev, &why) == 0, "ktimestamp DESTROY");
	OK(ev.has_start && ev.has_stop && ev.stop_s == ev.start_s + 1, "start and stop one second apart");
	/* a protocol conntrack names "unknown" and a number only */
	OK(parse("[DESTROY] unknown  47 src=10.0.0.1 dst=10.0.0.2 packets=2 bytes=100 src=10.0.0.2 dst=10.0.0.1 "
	    "packets=0 bytes=0", &ev, &why) == 0 && ev.proto == 47, "GRE as unknown 47");
	/* the protocol by name alone */
	OK(parse("[DESTROY] udp src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1",
	    &ev, &why) == 0 && ev.proto == 17, "udp by name");
	/* CRLF is the reader's business; a trailing blank is not an error */
	OK(parse("[DESTROY] udp 17 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 ",
	    &ev, &why) == 0, "trailing blank");
}

static void test_bad(void)
{
	struct ct_event ev;
	struct why why;
	static const struct { const char *line, *why; } bad[] = {
		{ "", "no [NEW], [UPDATE] or [DESTROY]" },
		{ "[NEW] tcp 6 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2", "no reply tuple (needs two src=)" },
		{ "[NEW] tcp 6 src=10.0.0.1 dst=::1 sport=1 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1",
		  "src= and dst= of different address families" },
		{ "[NEW] tcp 6 src=10.0.0.256 dst=10.0.0.2 src=10.0.0.2 dst=10.0.0.1", "bad src= address" },
		{ "[NEW] tcp 6 dport=2 src=10.0.0.1 dst=10.0.0.2 src=10.0.0.2 dst=10.0.0.1", "tuple field before src=" },
		{ "[NEW] tcp 6 src=1.1.1.1 dst=1.1.1.2 src=1.1.1.2 dst=1.1.1.1 src=1.1.1.3", "more than two src= tuples" },
		{ "[NEW] tcp 6 src=1.1.1.1 dst=1.1.1.2 sport=-1 src=1.1.1.2 dst=1.1.1.1", "bad sport=" },
		{ "[NEW] tcp 6 src=1.1.1.1 dst=1.1.1.2 packets=99999999999999999999999 src=1.1.1.2 dst=1.1.1.1", "bad packets=" },
		{ "[NEW] [DESTROY] tcp 6 src=1.1.1.1 dst=1.1.1.2 src=1.1.1.2 dst=1.1.1.1", "two event types" },
		{ "[12x.5] [NEW] tcp 6 src=1.1.1.1 dst=1.1.1.2 src=1.1.1.2 dst=1.1.1.1", "bad [secs.usecs] event time" },
		{ "[NEW] frobnicate src=1.1.1.1 dst=1.1.1.2 src=1.1.1.2 dst=1.1.1.1", "no protocol" },
		{ "[NEW] tcp 6 src=1.1.1.1 src=1.1.1.2 dst=1.1.1.1", "tuple without src= and dst=" },
		{ "[DESTROY] tcp 6 src=1.1.1.1 dst=1.1.1.2 src=1.1.1.2 dst=1.1.1.1 [start=Someday]", "bad [start=] time" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int r = parse(bad[i].line, &ev, &why);
		OK(r < 0, "rejects: %s", bad[i].why);
		IS_STR(why.text, bad[i].why, "reason for %zu", i);
	}
}

static void test_pairing(void)
{
	struct ct_table t;
	struct ct_event n1, n2, d1, other;
	struct why why;
	bool timed;
	uint64_t us;

	ct_table_init(&t, 2);
	parse("[100.000001]\t    [NEW] ipv4     2 tcp      6 120 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 "
	    "[UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 id=7", &n1, &why);
	parse("[101.000000]\t    [NEW] ipv4     2 tcp      6 120 SYN_SENT src=10.0.0.1 dst=10.0.0.2 sport=3 dport=2 "
	    "[UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=3 id=8", &n2, &why);
	parse("[105.5]\t[DESTROY] ipv4     2 tcp      6 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 packets=1 bytes=60 "
	    "src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 packets=1 bytes=60 id=7", &d1, &why);
	OK(d1.time_us == 105500000u, "a short fraction is tenths of a second");
	/* same tuple, another id: another connection */
	parse("[105.6]\t[DESTROY] ipv4     2 tcp      6 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 packets=1 bytes=60 "
	    "src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 packets=1 bytes=60 id=9", &other, &why);
	ct_table_add(&t, &n1);
	ct_table_add(&t, &n2);
	OK(!ct_table_take(&t, &other, &timed, &us), "a different id does not pair");
	OK(ct_table_take(&t, &d1, &timed, &us) && timed && us == 100000001u, "DESTROY pairs with its NEW by id and tuple");
	OK(!ct_table_take(&t, &d1, &timed, &us), "and only once");
	ct_table_add(&t, &n1);
	ct_table_add(&t, &n1);
	IS_U(t.replaced, 1, "a second NEW of the same connection replaces the first");
	ct_table_add(&t, &other);	/* a third entry in a table of two: n2 (101 s) goes */
	IS_U(t.evicted, 1, "the oldest is evicted when full");
	ct_table_purge(&t, 100500000u);
	IS_U(t.purged, 1, "n1 (100 s) is older than the cutoff, other (105.6 s) is not");
	ct_table_purge(&t, 106000000u);
	IS_U(t.purged, 2, "other purged after a later cutoff");
	IS_U(t.h.count, 0, "table empty");
	ct_table_free(&t);
}

static void test_views(void)
{
	struct ct_event ev;
	struct flowrec r[3];
	/* boot at 999 s, connection 1000 s to 1000.5 s, exported at 1000.5 s */
	struct ct_clock clk = { .export_us = 1000500000u, .boot_ms = 999000u,
	    .first_ms = 1000000u, .last_ms = 1000500u };
	struct why why;
	char b[FLOW_ADDR_STRLEN];
	unsigned empty = 0, v;

	parse("[1000.5]\t[DESTROY] ipv4     2 tcp      6 src=10.9.9.9 dst=192.0.2.2 sport=4000 dport=80 packets=5 bytes=368 "
	    "src=192.0.2.2 dst=192.0.2.1 sport=80 dport=61000 packets=4 bytes=3000 id=1", &ev, &why);
	IS_U(ct_views_build(&ev, CT_VIEW_AUTO, &clk, r, &empty), 3, "NATed: three views");
	IS_STR(addr(&r[0].srcaddr, b), "10.9.9.9", "private: original source");
	IS_U(r[0].srcport, 4000, "private sport");
	IS_STR(addr(&r[1].srcaddr, b), "192.0.2.1", "public: the masquerade address");
	IS_U(r[1].srcport, 61000, "public: the translated port");
	IS_STR(addr(&r[1].dstaddr, b), "192.0.2.2", "public: the peer");
	OK(r[1].dpkts == 5 && r[1].doctets == 368, "public: original counters");
	IS_STR(addr(&r[2].srcaddr, b), "192.0.2.2", "reply: from the peer");
	OK(r[2].dpkts == 4 && r[2].doctets == 3000, "reply counters");
	OK(r[0].unix_secs == 1000 && r[0].unix_nsecs == 500000000u, "export time: the DESTROY's");
	IS_U(r[0].sysuptime, 1500, "sysuptime from boot");
	OK(r[0].first == 1000 && r[0].last == 1500, "first/last as uptimes");
	OK(ct_views_parse("private,reply", &v) == 0 && v == (CT_VIEW_PRIVATE | CT_VIEW_REPLY), "view list");
	OK(ct_views_parse("all", &v) == 0 && v == 7, "all");
	OK(ct_views_parse("private,nope", &v) < 0 && ct_views_parse("", &v) < 0, "bad view lists");
	/* an unanswered connection: no reply record */
	parse("[1000.5]\t[DESTROY] ipv4     2 udp      17 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=53 packets=1 bytes=60 "
	    "[UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=53 dport=1 packets=0 bytes=0 id=2", &ev, &why);
	IS_U(ct_views_build(&ev, CT_VIEW_AUTO, &clk, r, &empty), 1, "unanswered: private only");
	IS_U(empty, 1, "the empty reply view is counted");
}

int main(void)
{
	test_destroy_extended();
	test_words_after_reply();
	test_icmp_ids();
	test_layouts();
	test_bad();
	test_pairing();
	test_views();
	return tap_done();
}
