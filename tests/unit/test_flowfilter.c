/*
 * Unit tests of flow-filter: the literal parsers, the lexer, compiled
 * expressions on hand-made records (precedence, every node kind, edges
 * of nets and counters), error positions, and the field-subset line
 * parser and field table it reads lines with (common/line, common/flow).
 */
#include <string.h>

#include "../../cmd/flow-filter/eval.h"
#include "../../cmd/flow-filter/lexer.h"
#include "../../cmd/flow-filter/parser.h"
#include "../../cmd/flow-filter/values.h"
#include "base/decnum.h"
#include "flow/flowaddr.h"
#include "flow/flowfield_access.h"
#include "line/flowline_subset.h"
#include "tap.h"

static int num(value_parser f, const char *s, uint64_t max, uint64_t *v)
{
	return f(s, strlen(s), max, v);
}

static void test_values(void)
{
	uint64_t v = 0;
	uint8_t set, clear, len;
	struct flow_addr a;
	char buf[FLOW_ADDR_STRLEN];

	OK(num(value_scaled, "1k", UINT64_MAX, &v) == 0 && v == 1000, "scaled: 1k = 1000");
	OK(num(value_scaled, "2M", UINT64_MAX, &v) == 0 && v == 2000000, "scaled: 2M");
	OK(num(value_scaled, "3g", UINT64_MAX, &v) == 0 && v == 3000000000u, "scaled: 3g");
	OK(num(value_scaled, "k", UINT64_MAX, &v) < 0, "scaled: a suffix alone refused");
	OK(num(value_scaled, "1.5k", UINT64_MAX, &v) < 0, "scaled: decimals refused (as nfdump)");
	OK(num(value_scaled, "18446744073709552k", UINT64_MAX, &v) < 0, "scaled: overflow refused");
	OK(num(value_scaled, "18446744073709551615", UINT64_MAX, &v) == 0 && v == UINT64_MAX,
	    "scaled: 2^64-1");
	OK(num(value_uint, "65536", 65535, &v) < 0, "uint: above max refused");
	OK(num(value_duration, "500ms", UINT32_MAX, &v) == 0 && v == 500, "duration: 500ms");
	OK(num(value_duration, "10s", UINT32_MAX, &v) == 0 && v == 10000, "duration: 10s");
	OK(num(value_duration, "250", UINT32_MAX, &v) == 0 && v == 250,
	    "duration: bare number is ms (nfdump)");
	OK(num(value_duration, "5m", UINT32_MAX, &v) < 0, "duration: minutes not taken");
	OK(num(value_time, "2026-11-30T12:00:00Z", UINT64_MAX, &v) == 0 && v == 1796040000000ull,
	    "time: ISO 8601 UTC");
	OK(num(value_time, "2026-11-30T12:00:00.250Z", UINT64_MAX, &v) == 0 &&
	    v == 1796040000250ull, "time: milliseconds");
	OK(num(value_time, "2026-11-30T12:00:00.123456789Z", UINT64_MAX, &v) == 0 &&
	    v == 1796040000123ull, "time: nanoseconds cut to the ms");
	OK(num(value_time, "2026-11-30T12:00:00.5", UINT64_MAX, &v) == 0 && v == 1796040000500ull,
	    "time: .5 is 500 ms; no Z is UTC too");
	OK(num(value_time, "2026-11-30T12:00:00.Z", UINT64_MAX, &v) < 0,
	    "time: a dot needs digits");
	OK(num(value_time, "2026-11-30", UINT64_MAX, &v) == 0 && v == 1795996800000ull,
	    "time: a date is its midnight");
	OK(num(value_time, "2024-02-29T00:00Z", UINT64_MAX, &v) == 0 && v == 1709164800000ull,
	    "time: leap day, no seconds");
	OK(num(value_time, "2026-02-29T00:00:00Z", UINT64_MAX, &v) < 0,
	    "time: 29 February of a common year refused");
	OK(num(value_time, "2026-11-30T24:00:00Z", UINT64_MAX, &v) < 0, "time: hour 24 refused");
	OK(num(value_time, "2026-11-30T12:00:00+01:00", UINT64_MAX, &v) < 0,
	    "time: offsets refused (UTC only)");
	OK(num(value_proto, "icmp6", 255, &v) == 0 && v == 58, "proto: icmp6");
	OK(num(value_proto, "SCTP", 255, &v) == 0 && v == 132, "proto: any case");
	OK(num(value_proto, "256", 255, &v) < 0, "proto: 256 refused");
	OK(value_flags("SA", 2, &set, &clear) == 0 && set == 0x12 && clear == 0, "flags: SA");
	OK(value_flags("~R", 2, &set, &clear) == 0 && set == 0 && clear == 0x04, "flags: ~R");
	OK(value_flags("s~af", 4, &set, &clear) == 0 && set == 0x02 && clear == 0x11,
	    "flags: S~AF");
	OK(value_flags("S~S", 3, &set, &clear) < 0, "flags: set and clear at once refused");
	OK(value_flags("~", 1, &set, &clear) < 0, "flags: ~ alone refused");
	OK(value_net("10/8", 4, 2, &a, &len) == 0 && len == 8 && a.family == FLOW_AF_INET,
	    "net: 10/8");
	flow_addr_format(&a, buf);
	IS_STR(buf, "10.0.0.0", "net: 10/8 is 10.0.0.0");
	OK(value_net("172.16/12", 9, 2, &a, &len) == 0 && len == 12, "net: 172.16/12");
	OK(value_net("10.1.2.3/8", 10, 2, &a, &len) == 0 &&
	    (flow_addr_format(&a, buf), strcmp(buf, "10.0.0.0") == 0), "net: host bits cleared");
	OK(value_net("0.0.0.0/0", 9, 2, &a, &len) == 0 && len == 0, "net: /0");
	OK(value_net("10.0.0.0/33", 11, 2, &a, &len) < 0, "net: /33 refused");
	OK(value_net("2001:db8::/129", 14, 2, &a, &len) < 0, "net: /129 refused");
	OK(value_net("2001:db8::1:2/112", 17, 2, &a, &len) == 0 &&
	    (flow_addr_format(&a, buf), strcmp(buf, "2001:db8::1:0") == 0),
	    "net: IPv6 masked to /112");
	OK(value_net("10.0.0.1", 8, 2, &a, &len) < 0, "net: a length is required");
	OK(value_net("10/8", 4, 0, &a, &len) < 0, "host: no length");
	OK(value_net("10", 2, 1, &a, &len) < 0, "host: no shortened address without /len");
	OK(value_net("::ffff:10.1.2.3", 15, 0, &a, &len) == 0 && a.family == FLOW_AF_INET6 &&
	    len == 128, "host: a mapped address stays IPv6");
}

static void test_lexer(void)
{
	static const char text[] = "a!=b&&(c) || ![1-2,3] >=x # comment\n y";
	static const enum tok_kind want[] = {
		TK_WORD, TK_OP, TK_WORD, TK_AND, TK_LPAREN, TK_WORD, TK_RPAREN, TK_OR, TK_NOT,
		TK_LBRACK, TK_WORD, TK_COMMA, TK_WORD, TK_RBRACK, TK_OP, TK_WORD, TK_WORD, TK_END
	};
	struct lexer lx;
	struct token t;
	size_t i = 0;
	int good = 1;

	lexer_init(&lx, text, strlen(text));
	do {
		t = lexer_next(&lx);
		good &= i < sizeof want / sizeof want[0] && t.kind == want[i];
		i++;
	} while (t.kind != TK_END && i < 40);
	OK(good && i == sizeof want / sizeof want[0], "lexer: words, operators, brackets, comment");
	lexer_init(&lx, "a & b", 5);
	lexer_next(&lx);
	t = lexer_next(&lx);
	OK(t.kind == TK_BAD && t.pos == 2, "lexer: a lone & is a bad token at its offset");
}

static struct flowrec rec(void)
{
	struct flowrec r = { 0 };
	uint8_t s[4] = { 10, 1, 2, 3 }, d[4] = { 192, 0, 2, 9 };

	flow_addr_set_v4(&r.srcaddr, s);
	flow_addr_set_v4(&r.dstaddr, d);
	r.prot = 6;
	r.srcport = 40000;
	r.dstport = 443;
	r.dpkts = 10;
	r.doctets = 15000;
	r.unix_secs = 1796040000;
	r.sysuptime = 100000;
	r.first = 90000;
	r.last = 99000;	/* 9 s, ends 1 s before export at 2026-11-30T12:00:00Z */
	r.tcp_flags = 0x1b;
	return r;
}

static int matches(const char *e, const struct flowrec *r)
{
	struct ftree t;
	struct parse_error err;
	int m;

	if (filter_compile(e, strlen(e), &t, &err) < 0)
		return -1;
	m = ftree_match(&t, r);
	ftree_free(&t);
	return m;
}

static void test_match(void)
{
	struct flowrec r = rec(), v6 = rec();
	uint8_t b6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };

	flow_addr_set_v6(&v6.srcaddr, b6);
	OK(matches("proto tcp and dst port 443", &r) == 1, "match: proto and port");
	OK(matches("proto udp or port 443 and bytes > 10k", &r) == 1, "match: and before or");
	OK(matches("(proto udp or port 443) and bytes > 20k", &r) == 0, "match: parentheses");
	OK(matches("not proto udp and not port 80", &r) == 1, "match: not binds tighter than and");
	OK(matches("! port 443 || proto 6", &r) == 1, "match: ! and ||");
	OK(matches("port in [22, 80 443]", &r) == 1, "match: list with commas and blanks");
	OK(matches("src port 40000-40000", &r) == 1, "match: one-value range");
	OK(matches("dst port 1-442", &r) == 0, "match: range edge");
	OK(matches("net 10/8 and net 192.0.2.8/29", &r) == 1, "match: net on either side");
	OK(matches("src net 192.0.2.0/24", &r) == 0, "match: src net looks at the source only");
	OK(matches("src and dst net 10/8", &r) == 0 && matches("src and dst net 0/0", &r) == 1,
	    "match: src and dst: both sides");
	OK(matches("src or dst port 443 and not src and dst port 443", &r) == 1,
	    "match: src or dst: either");
	OK(matches("net 0.0.0.0/0", &r) == 1, "match: /0 takes every IPv4 address");
	OK(matches("net ::/0", &r) == 0, "match: ::/0 takes no IPv4 address");
	OK(matches("src net ::/0 and src net 2001:db8::/32 and src host 2001:db8::1", &v6) == 1,
	    "match: IPv6 nets");
	OK(matches("src net 2001:db8::/33 and not src net 2001:db9::/32", &v6) == 1,
	    "match: IPv6 /33");
	OK(matches("duration = 9s and duration > 8999 and duration < 9001ms", &r) == 1,
	    "match: duration");
	OK(matches("bps = 13333 and pps = 1 and bpp = 1500", &r) == 1,
	    "match: rates (integer, as nfdump)");
	OK(matches("start = 2026-11-30T11:59:50Z and end = 2026-11-30T11:59:59Z", &r) == 1,
	    "match: absolute times");
	OK(matches("flags SA and flags ~R and flags F~U", &r) == 1, "match: flags");
	OK(matches("tcp_flags = 27 and dpkts >= 10 and dpkts <= 10 and doctets != 0", &r) == 1,
	    "match: fields by name");
	OK(matches("srcaddr = 10.1.2.3 and dstaddr != 10.1.2.3 and srcaddr = 10/8", &r) == 1,
	    "match: address fields");
	OK(matches("any", &r) == 1 && matches("not any", &r) == 0, "match: any");
	OK(matches("ipv4 and not ipv6", &r) == 1 && matches("ipv6", &v6) == 1, "match: families");
	r.prot = 1;
	r.dstport = flow_icmp_port(3, 1);
	OK(matches("icmp-type 3 and icmp-code 1 and not flags S", &r) == 1,
	    "match: ICMP type/code; flags only for TCP");
	r.prot = 17;
	OK(matches("icmp-type 3", &r) == 0, "match: icmp-type needs an ICMP flow");
	r.first = r.last + 1;
	OK(matches("duration = 0 and bps = 0", &r) == 1, "match: last before first: duration 0");
	r.first = 4294967000u;	/* uptime wrapped between first and last */
	r.last = 1000;
	r.sysuptime = 2000;
	OK(matches("duration = 1296", &r) == 1, "match: duration across an uptime wrap");
}

static size_t error_at(const char *e, char *text, size_t cap)
{
	struct ftree t;
	struct parse_error err;

	if (filter_compile(e, strlen(e), &t, &err) == 0) {
		ftree_free(&t);
		snprintf(text, cap, "(compiled)");
		return 0;
	}
	snprintf(text, cap, "%s", err.text);
	return err.pos + 1;
}

static void test_errors(void)
{
	char text[200];
	char deep[1200];

	IS_U(error_at("proto tcp and port", text, sizeof text), 19, "error: at the end");
	IS_STR(text, "expected a port number after 'port'", "error: says what was expected");
	IS_U(error_at("port 80 and (host 1.2.3.4 or)", text, sizeof text), 29,
	    "error: ')' where a primitive belongs");
	IS_U(error_at("", text, sizeof text), 1, "error: empty");
	IS_STR(text, "empty expression", "error: empty says so");
	IS_U(error_at("next hop", text, sizeof text), 9, "error: two-word keyword without "
	    "argument");
	IS_STR(text, "expected an address after 'hop'", "error: names the last word");
	IS_U(error_at("port in [80", text, sizeof text), 12, "error: unclosed list");
	IS_U(error_at("port in []", text, sizeof text), 10, "error: empty list");
	IS_U(error_at("dpkts 5", text, sizeof text), 7, "error: a field needs an operator");
	memset(deep, '(', sizeof deep - 1);
	deep[sizeof deep - 1] = '\0';
	OK(error_at(deep, text, sizeof text) > 0 && strstr(text, "nested deeper") != NULL,
	    "error: nesting bounded");
	OK(error_at("port 1-2-3", text, sizeof text) == 6, "error: a range of three");
}

static void test_subset(void)
{
	struct flow_subset s;
	struct flowrec r;
	struct why why;
	signed char cols[3] = { FF_DPKTS, FF_SRCADDR, FF_PROT };
	static const char longer[] = "5,aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbb,c";

	memset(&r, 0, sizeof r);
	flow_subset_init(&s, cols, 3, (1u << FF_DPKTS) | (1u << FF_PROT));
	OK(flow_subset_parse(&s, "12,not-an-address,6", 19, &r, &why) == 0 && r.dpkts == 12 &&
	    r.prot == 6, "subset: only wanted fields converted");
	OK(flow_subset_parse(&s, "12,x", 4, &r, &why) < 0 &&
	    strcmp(why.text, "2 fields, want 3") == 0, "subset: too few columns");
	OK(flow_subset_parse(&s, "12,x,6,7", 8, &r, &why) < 0 &&
	    strcmp(why.text, "4 fields, want 3") == 0, "subset: too many columns");
	OK(flow_subset_parse(&s, "12,x,256", 8, &r, &why) < 0 &&
	    strstr(why.text, "prot: '256'") != NULL, "subset: a wanted field out of range");
	flow_subset_init(&s, cols, 3, 1u << FF_DPKTS);
	OK(flow_subset_parse(&s, longer, strlen(longer), &r, &why) < 0 &&
	    strcmp(why.text, "4 fields, want 3") == 0, "subset: columns after the last wanted one "
	    "still counted");
	flow_subset_init(&s, cols, 3, 0);
	OK(flow_subset_parse(&s, ",,", 2, &r, &why) == 0, "subset: nothing wanted, columns right");
	flow_subset_init_set(&s, flow_subset_headerless(24), 1u << FF_DST_AS);
	OK(s.ncols == 24 && s.last == 23, "subset: headerless 24 fields");
	OK(flow_subset_headerless(18) == FLOW_FIELDS_NFFLOWD && flow_subset_headerless(5) == 0,
	    "subset: headerless sets");
}

/* a small deterministic generator, so a failure repeats */
static uint32_t rnd_state = 12345;
static uint32_t rnd(uint32_t n)
{
	rnd_state = rnd_state * 1103515245u + 12345u;
	return (rnd_state >> 8) % n;
}

/*
 * The subset parser against the plain rule on random lines up to 300
 * bytes (commas at every offset of its 64-byte blocks): split at every
 * comma; the wanted columns, in order, convert or fail; then the count.
 */
static void test_subset_random(void)
{
	static const signed char pool[4] = { FF_DPKTS, FF_DOCTETS, FF_RDPKTS, FF_RDOCTETS };
	int bad = 0;

	for (int iter = 0; iter < 20000 && !bad; iter++) {
		char line[320];
		size_t len = 0, fstart[64], flen[64];
		int nf = 0, ncols = 1 + (int)rnd(40), want_err = 0;
		signed char cols[64];
		struct flow_subset s;
		struct flowrec r, want;
		struct why why;

		memset(&r, 0, sizeof r);
		memset(&want, 0, sizeof want);
		for (int i = 0; i < ncols; i++)
			cols[i] = -1;
		for (int k = 0; k < 4; k++)
			if (rnd(2))
				cols[rnd((uint32_t)ncols)] = pool[k];
		/* the line: fields of 0 to 12 digits (or an x now and then) */
		int fields = rnd(4) == 0 ? 1 + (int)rnd(45) : ncols;
		for (int i = 0; i < fields && len < 280; i++) {
			size_t w = rnd(13);
			for (size_t j = 0; j < w; j++)
				line[len++] = rnd(50) == 0 ? 'x' : (char)('0' + rnd(10));
			if (i + 1 < fields)
				line[len++] = ',';
		}
		line[len] = '\0';
		/* the plain split, at every comma */
		fstart[0] = 0;
		for (size_t i = 0; i <= len; i++)
			if (i == len || line[i] == ',') {
				flen[nf] = i - fstart[nf];
				if (++nf < 64)
					fstart[nf] = i + 1;
			}
		/* the rule */
		for (int i = 0; i < nf && i < ncols && !want_err; i++) {
			uint64_t v;
			if (cols[i] < 0)
				continue;
			if (dec_parse_u64(line + fstart[i], flen[i], UINT64_MAX, &v) < 0)
				want_err = 1;
			else
				flow_field_set(&want, (enum flow_field)cols[i], v);
		}
		if (nf != ncols)
			want_err = 1;
		flow_subset_init(&s, cols, ncols, (1u << FF_DPKTS) | (1u << FF_DOCTETS) |
		    (1u << FF_RDPKTS) | (1u << FF_RDOCTETS));
		int got = flow_subset_parse(&s, line, len, &r, &why);
		if ((got < 0) != want_err || (!want_err && (r.dpkts != want.dpkts ||
		    r.doctets != want.doctets || r.rdpkts != want.rdpkts ||
		    r.rdoctets != want.rdoctets))) {
			printf("# line '%s', %d columns: got %d (%s), want %s\n", line, ncols, got,
			    got < 0 ? why.text : "-", want_err ? "an error" : "values");
			bad = 1;
		}
	}
	OK(!bad, "subset: 20000 random lines parsed as the plain rule says");
}

static void test_access(void)
{
	struct flowrec r;
	int good = 1;

	memset(&r, 0, sizeof r);
	for (int f = 0; f < FF_COUNT; f++) {
		if (flow_field_is_addr((enum flow_field)f))
			continue;
		flow_field_set(&r, (enum flow_field)f, flow_field_max((enum flow_field)f));
		good &= flow_field_get(&r, (enum flow_field)f) ==
		    flow_field_max((enum flow_field)f);
	}
	OK(good, "access: every numeric field holds its maximum");
	OK(r.srcport == 65535 && r.dpkts == UINT64_MAX && r.prot == 255 && r.input == UINT32_MAX &&
	    r.unix_nsecs == 999999999, "access: the table points at the right members");
	OK(flow_field_is_addr(FF_NEXTHOP) && !flow_field_is_addr(FF_TOS) &&
	    flow_field_addr(&r, FF_DSTADDR) == &r.dstaddr, "access: addresses");
}

int main(void)
{
	test_values();
	test_lexer();
	test_match();
	test_errors();
	test_subset();
	test_subset_random();
	test_access();
	return tap_done();
}
