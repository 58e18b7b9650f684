/* Address text: dotted quad and RFC 5952 IPv6. */
#include <arpa/inet.h>
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

int flow_addr_parse(struct flow_addr *a, const char *s, size_t len)
{
	uint8_t b[16];
	char tmp[FLOW_ADDR_STRLEN];

	/* a dotted quad holds no ':', so trying it first decides nothing else */
	if (parse_v4(b, s, len) == 0) {
		flow_addr_set_v4(a, b);
		return 0;
	}
	if (memchr(s, ':', len) == NULL)
		return -1;
	if (len >= sizeof tmp)
		return -1;
	memcpy(tmp, s, len);
	tmp[len] = '\0';
	if (inet_pton(AF_INET6, tmp, b) != 1)
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
