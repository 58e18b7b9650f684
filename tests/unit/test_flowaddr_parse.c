/*
 * flow_addr_parse's own IPv6 reader against the C library's inet_pton,
 * the peer whose rule it keeps: random and mutated text, every verdict
 * and every address the same. Dotted quads keep flowpipes' own rule
 * (leading zeros allowed), checked by hand.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "tap.h"

static uint64_t rs = 88172645463325252u;

static unsigned rnd(void)
{
	rs ^= rs << 13;
	rs ^= rs >> 7;
	rs ^= rs << 17;
	return (unsigned)rs;
}

static const char *const seeds[] = {
	"::", "::1", "1::", "2001:db8::1", "::ffff:1.2.3.4", "1:2:3:4:5:6:7:8",
	"1:2:3:4:5:6:1.2.3.4", "fe80::1:2:3:4:5", "::1.2.3.4", "a:b:c:d:e:f:0:1",
	"1:2:3:4:5:6:7::", "::2:3:4:5:6:7:8", "ABCD:ef01::", "1::2:3.4.5.6",
};
static const char alpha[] = "0123456789abcdefABCDEFgx:.:.::..";

/* Random text (odd i) or a seed with up to three bytes changed, added or cut. */
static size_t make_text(char *s, long i)
{
	const char *seed;
	size_t len;

	if (i % 2) {
		len = rnd() % 46;
		for (size_t k = 0; k < len; k++)
			s[k] = alpha[rnd() % (sizeof alpha - 1)];
		return len;
	}
	seed = seeds[rnd() % (sizeof seeds / sizeof *seeds)];
	len = strlen(seed);
	memcpy(s, seed, len);
	for (unsigned k = rnd() % 4; k > 0; k--) {
		size_t at = len ? rnd() % len : 0;
		unsigned op = rnd() % 3;

		if (op == 0 && len > 0) {
			s[at] = alpha[rnd() % (sizeof alpha - 1)];
		} else if (op == 1 && len < 50) {
			memmove(s + at + 1, s + at, len - at);
			s[at] = alpha[rnd() % (sizeof alpha - 1)];
			len++;
		} else if (len > 0) {
			memmove(s + at, s + at + 1, len - at - 1);
			len--;
		}
	}
	return len;
}

static void against_inet_pton(void)
{
	long tried = 0, valid = 0, differ = 0;

	for (long i = 0; i < 400000; i++) {
		char s[64], t[64];
		size_t len = make_text(s, i);
		struct flow_addr a;
		uint8_t b[16];
		int mine, peer = -1;

		if (memchr(s, ':', len) == NULL)
			continue;
		tried++;
		mine = flow_addr_parse(&a, s, len);
		if (len < FLOW_ADDR_STRLEN) {
			memcpy(t, s, len);
			t[len] = '\0';
			peer = inet_pton(AF_INET6, t, b) == 1 ? 0 : -1;
		}
		valid += mine == 0;
		if (mine != peer || (mine == 0 && (a.family != FLOW_AF_INET6 ||
		    memcmp(a.bytes, b, 16) != 0))) {
			if (differ++ < 5)
				printf("# differs: '%.*s' flow_addr_parse %d, inet_pton %d\n", (int)len, s,
				    mine, peer);
		}
	}
	OK(differ == 0 && valid > 10000, "%ld texts with ':' (%ld valid): %ld differ from inet_pton",
	    tried, valid, differ);
}

static int parse(const char *s)
{
	struct flow_addr a;

	return flow_addr_parse(&a, s, strlen(s));
}

/* The dotted-quad rule read plainly: parts of 1 to 3 digits, at most 255, three dots. */
static int quad_by_rule(const char *s, size_t len, uint8_t out[4])
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		unsigned v = 0, n = 0;

		if (part > 0 && (i == len || s[i++] != '.'))
			return -1;
		for (; i < len && s[i] >= '0' && s[i] <= '9'; i++, n++)
			v = v * 10 + (unsigned)(s[i] - '0');
		if (n == 0 || n > 3 || v > 255)
			return -1;
		out[part] = (uint8_t)v;
	}
	return i == len ? 0 : -1;
}

/* A quad of 1 to 4 digit parts, then maybe one byte changed: most near the rule's edge. */
static size_t random_quad(char *buf, size_t room)
{
	static const char odd[] = "0.9.,x:/ \0";
	size_t len = 0;

	for (int part = 0; part < 4; part++) {
		unsigned n = 1 + rnd() % 4;

		if (part > 0)
			buf[len++] = '.';
		for (unsigned i = 0; i < n && len < room; i++)
			buf[len++] = (char)(rnd() % 4 == 0 ? '0' + rnd() % 3 : '0' + rnd() % 10);
	}
	if (rnd() % 3 == 0)
		buf[rnd() % len] = odd[rnd() % (sizeof odd - 1)];
	if (rnd() % 5 == 0)
		len -= rnd() % len;	/* cut short */
	return len;
}

static void quads_by_rule(void)
{
	char buf[24];
	int differ = 0, valid = 0;

	for (int t = 0; t < 300000; t++) {
		struct flow_addr a = { 0 };
		uint8_t want[4];
		size_t len;
		int got, ref;

		memset(buf, '7', sizeof buf);	/* past len: digits, which must not be read */
		len = random_quad(buf, 19);
		got = flow_addr_parse(&a, buf, len);
		ref = quad_by_rule(buf, len, want);
		valid += ref == 0;
		if (memchr(buf, ':', len) != NULL)
			continue;	/* IPv6: against_inet_pton's */
		if (got != ref || (ref == 0 && (a.family != FLOW_AF_INET ||
		    memcmp(a.bytes, want, 4) != 0)))
			differ++;
	}
	OK(differ == 0 && valid > 10000, "300000 near-quads (%d valid): %d differ from the rule",
	    valid, differ);
}

int main(void)
{
	against_inet_pton();
	quads_by_rule();
	OK(parse("001.02.3.255") == 0, "a dotted quad may have leading zeros");
	OK(parse("0001.2.3.4") < 0 && parse("256.1.1.1") < 0 && parse("1.2.3") < 0 &&
	    parse("1.2.3.4.") < 0 && parse("1..2.3") < 0 && parse("") < 0,
	    "a fourth digit, 256, three parts, a trailing or double dot, nothing: refused");
	OK(parse("::ffff:01.2.3.4") < 0, "after ':' the quad is inet_pton's: no leading zero");
	return tap_done();
}
