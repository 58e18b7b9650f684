/* Address text: dotted quad and RFC 5952 IPv6. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "flow/flowaddr.h"

void flow_addr_set_v4(struct flow_addr *a, const uint8_t b[4])
{
	memset(a, 0, sizeof *a);
	a->family = FLOW_AF_INET;
	memcpy(a->bytes, b, 4);
}

void flow_addr_set_v6(struct flow_addr *a, const uint8_t b[16])
{
	a->family = FLOW_AF_INET6;
	memcpy(a->bytes, b, 16);
}

bool flow_addr_equal(const struct flow_addr *a, const struct flow_addr *b)
{
	return a->family == b->family && memcmp(a->bytes, b->bytes, 16) == 0;
}

bool flow_addr_is_zero(const struct flow_addr *a)
{
	static const uint8_t zero[16];
	return memcmp(a->bytes, zero, 16) == 0;
}

/*
 * One part of a dotted quad at p: 1 to 3 digits (leading zeros allowed),
 * at most 255. Returns where it ends, or NULL.
 */
static const char *v4_part(const char *p, const char *end, uint8_t *out)
{
	unsigned v, d;

	if (p == end || (v = (unsigned)(unsigned char)*p - '0') > 9)
		return NULL;
	if (++p == end || (d = (unsigned)(unsigned char)*p - '0') > 9)
		goto done;
	v = v * 10 + d;
	if (++p == end || (d = (unsigned)(unsigned char)*p - '0') > 9)
		goto done;
	v = v * 10 + d;
	if ((++p != end && (unsigned)(unsigned char)*p - '0' <= 9) || v > 255)
		return NULL;	/* a fourth digit, or too large */
done:
	*out = (uint8_t)v;
	return p;
}

/* Dotted quad: four parts and three dots, nothing else. */
static int parse_v4(uint8_t out[4], const char *s, size_t len)
{
	const char *p = s, *end = s + len;

	for (int part = 0; part < 4; part++) {
		if (part > 0) {
			if (p == end || *p != '.')
				return -1;
			p++;
		}
		p = v4_part(p, end, &out[part]);
		if (p == NULL)
			return -1;
	}
	return p == end ? 0 : -1;
}

/* A hex digit's value, or -1. */
static int hex_value(unsigned char c)
{
	if ((unsigned)c - '0' <= 9)
		return c - '0';
	c |= 0x20;	/* lower case */
	if ((unsigned)c - 'a' <= 5)
		return c - 'a' + 10;
	return -1;
}

/*
 * The dotted quad that ends an IPv6 address, by inet_pton's stricter rule:
 * no leading zeros ("01"), each part at most 255, exactly four parts.
 */
static int tail_v4(uint8_t out[4], const char *p, const char *end)
{
	uint8_t tmp[4] = { 0 };
	int parts = 0, i = 0;	/* parts begun; i: the one being read */
	bool digit = false;	/* a digit of part i was seen */

	for (; p < end; p++) {
		unsigned d = (unsigned)(unsigned char)*p - '0';

		if (d <= 9) {
			unsigned v = tmp[i] * 10u + d;

			if ((digit && tmp[i] == 0) || v > 255)
				return -1;	/* a leading zero, or too large */
			tmp[i] = (uint8_t)v;
			if (!digit && ++parts > 4)
				return -1;
			digit = true;
		} else if (*p == '.' && digit && parts < 4) {
			tmp[++i] = 0;
			digit = false;
		} else {
			return -1;
		}
	}
	if (parts < 4)
		return -1;
	memcpy(out, tmp, 4);
	return 0;
}

/*
 * IPv6 text as inet_pton(AF_INET6) reads it (the same rule, without its
 * copy and NUL): groups of 1 to 4 hex digits, one "::" at most, which
 * stands for at least one zero group, and an optional dotted quad in the
 * last 32 bits.
 */
static int parse_v6(uint8_t out[16], const char *s, size_t len)
{
	uint8_t tmp[16] = { 0 };
	const char *p = s, *end = s + len, *tok;
	size_t tp = 0, colon = SIZE_MAX, digits = 0;
	unsigned val = 0;

	if (p == end)
		return -1;
	if (*p == ':' && (++p == end || *p != ':'))
		return -1;	/* a leading ':' only as "::" */
	for (tok = p; p < end;) {
		unsigned char ch = (unsigned char)*p++;
		int d = hex_value(ch);

		if (d >= 0) {
			if (digits == 4)
				return -1;
			val = val << 4 | (unsigned)d;
			digits++;
			continue;
		}
		if (ch == ':') {
			tok = p;
			if (digits == 0) {
				if (colon != SIZE_MAX)
					return -1;	/* a second "::" */
				colon = tp;
				continue;
			}
			if (p == end || tp + 2 > 16)
				return -1;	/* a trailing ':', or too many groups */
			tmp[tp++] = (uint8_t)(val >> 8);
			tmp[tp++] = (uint8_t)val;
			digits = 0;
			val = 0;
			continue;
		}
		if (ch == '.' && tp + 4 <= 16 && tail_v4(tmp + tp, tok, end) == 0) {
			tp += 4;
			digits = 0;
			break;
		}
		return -1;
	}
	if (digits > 0) {
		if (tp + 2 > 16)
			return -1;
		tmp[tp++] = (uint8_t)(val >> 8);
		tmp[tp++] = (uint8_t)val;
	}
	if (colon != SIZE_MAX) {
		size_t n = tp - colon;

		if (tp == 16)
			return -1;	/* "::" would stand for no group */
		memmove(tmp + 16 - n, tmp + colon, n);
		memset(tmp + colon, 0, 16 - n - colon);
		tp = 16;
	}
	if (tp != 16)
		return -1;
	memcpy(out, tmp, 16);
	return 0;
}

int flow_addr_parse(struct flow_addr *a, const char *s, size_t len)
{
	uint8_t b[16];

	/* a dotted quad holds no ':', so trying it first decides nothing else */
	if (parse_v4(b, s, len) == 0) {
		flow_addr_set_v4(a, b);
		return 0;
	}
	if (memchr(s, ':', len) == NULL || len >= FLOW_ADDR_STRLEN)
		return -1;
	/* inet_pton read the text only up to a NUL in it */
	if (parse_v6(b, s, strnlen(s, len)) < 0)
		return -1;
	flow_addr_set_v6(a, b);
	return 0;
}

static size_t format_v4(const uint8_t *b, char *buf)
{
	char *p = buf;

	for (int i = 0; i < 4; i++) {
		unsigned v = b[i];
		if (v >= 100)
			*p++ = (char)('0' + v / 100);
		if (v >= 10)
			*p++ = (char)('0' + v / 10 % 10);
		*p++ = (char)('0' + v % 10);
		if (i < 3)
			*p++ = '.';
	}
	*p = '\0';
	return (size_t)(p - buf);
}

/* RFC 5952: lower case, no leading zeros, the longest run (>= 2) of zero
 * groups as "::", the first such run on a tie, IPv4-mapped as dotted quad. */
static size_t format_v6(const uint8_t *b, char *buf)
{
	static const char hex[] = "0123456789abcdef";
	static const uint8_t mapped[12] = { 0,0,0,0,0,0,0,0,0,0,0xff,0xff };
	unsigned g[8];
	int best = -1, bestlen = 1, run = 0;
	char *p = buf;

	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
	for (int i = 0; i < 8; i++) {
		run = g[i] == 0 ? run + 1 : 0;
		if (run > bestlen) {
			bestlen = run;
			best = i - run + 1;
		}
	}
	if (memcmp(b, mapped, 12) == 0) {
		memcpy(p, "::ffff:", 7);
		return 7 + format_v4(b + 12, p + 7);
	}
	for (int i = 0; i < 8; i++) {
		int started = 0;

		if (i == best) {
			*p++ = ':';
			if (i == 0)
				*p++ = ':';
			i += bestlen - 1;
			continue;
		}
		for (int shift = 12; shift >= 0; shift -= 4) {
			unsigned d = g[i] >> shift & 0xf;
			if (d || started || shift == 0) {
				*p++ = hex[d];
				started = 1;
			}
		}
		if (i < 7)
			*p++ = ':';
	}
	*p = '\0';
	return (size_t)(p - buf);
}

size_t flow_addr_format(const struct flow_addr *a, char *buf)
{
	if (a->family == FLOW_AF_INET6)
		return format_v6(a->bytes, buf);
	return format_v4(a->bytes, buf);
}
