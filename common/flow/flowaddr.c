/* Address text: dotted quad and RFC 5952 IPv6. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/decnum.h"
#include "flow/flowaddr.h"

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
 * at most 255. Returns where it ends, or NULL. Reads up to 4 bytes: the
 * caller makes sure they are there.
 */
static const char *v4_part(const char *p, uint8_t *out)
{
	unsigned v = dec_digit(p);

	if (v > 9)
		return NULL;
	if (dec_digit(p + 1) > 9) {
		*out = (uint8_t)v;
		return p + 1;
	}
	v = v * 10 + dec_digit(p + 1);
	if (dec_digit(p + 2) > 9) {
		*out = (uint8_t)v;
		return p + 2;
	}
	v = v * 10 + dec_digit(p + 2);
	if (dec_digit(p + 3) <= 9 || v > 255)
		return NULL;	/* a fourth digit, or too large */
	*out = (uint8_t)v;
	return p + 3;
}

/* Four parts and three dots at p, with 16 bytes there to read (15 and the one after). */
static const char *scan_v4_16(uint8_t out[4], const char *p)
{
	p = v4_part(p, &out[0]);
	p = p != NULL && *p == '.' ? v4_part(p + 1, &out[1]) : NULL;
	p = p != NULL && *p == '.' ? v4_part(p + 1, &out[2]) : NULL;
	return p != NULL && *p == '.' ? v4_part(p + 1, &out[3]) : NULL;
}

/*
 * A dotted quad at p: four parts and three dots; where it ends, or NULL.
 * Text shorter than 16 bytes is read from a copy that NULs end, so the
 * parts never test for the end (a NUL stops them as any non-digit does).
 */
static const char *scan_v4(uint8_t out[4], const char *p, const char *end)
{
	char tail[16] = { 0 };
	const char *q;

	if (end - p >= 16)
		return scan_v4_16(out, p);
	memcpy(tail, p, (size_t)(end - p));
	q = scan_v4_16(out, tail);
	return q != NULL ? p + (q - tail) : NULL;
}

/* Dotted quad: four parts and three dots, nothing else. */
static int parse_v4(uint8_t out[4], const char *s, size_t len)
{
	return scan_v4(out, s, s + len) == s + len ? 0 : -1;
}

const char *flow_addr_scan_v4(struct flow_addr *a, const char *p, const char *end)
{
	uint8_t b[4];
	const char *q = scan_v4(b, p, end);

	if (q != NULL)
		flow_addr_set_v4(a, b);
	return q;
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
		unsigned d = dec_digit(p);

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

/* Each octet's text with the dot after it, so a quad is four copies of a
 * fixed 4 bytes; the last one's dot is overwritten by the NUL. */
static const struct octet_text {
	char text[5];
	uint8_t len;
} octet_texts[256] = {
	{ "0.", 2 }, { "1.", 2 }, { "2.", 2 }, { "3.", 2 }, { "4.", 2 }, { "5.", 2 },
	{ "6.", 2 }, { "7.", 2 }, { "8.", 2 }, { "9.", 2 }, { "10.", 3 }, { "11.", 3 },
	{ "12.", 3 }, { "13.", 3 }, { "14.", 3 }, { "15.", 3 }, { "16.", 3 }, { "17.", 3 },
	{ "18.", 3 }, { "19.", 3 }, { "20.", 3 }, { "21.", 3 }, { "22.", 3 }, { "23.", 3 },
	{ "24.", 3 }, { "25.", 3 }, { "26.", 3 }, { "27.", 3 }, { "28.", 3 }, { "29.", 3 },
	{ "30.", 3 }, { "31.", 3 }, { "32.", 3 }, { "33.", 3 }, { "34.", 3 }, { "35.", 3 },
	{ "36.", 3 }, { "37.", 3 }, { "38.", 3 }, { "39.", 3 }, { "40.", 3 }, { "41.", 3 },
	{ "42.", 3 }, { "43.", 3 }, { "44.", 3 }, { "45.", 3 }, { "46.", 3 }, { "47.", 3 },
	{ "48.", 3 }, { "49.", 3 }, { "50.", 3 }, { "51.", 3 }, { "52.", 3 }, { "53.", 3 },
	{ "54.", 3 }, { "55.", 3 }, { "56.", 3 }, { "57.", 3 }, { "58.", 3 }, { "59.", 3 },
	{ "60.", 3 }, { "61.", 3 }, { "62.", 3 }, { "63.", 3 }, { "64.", 3 }, { "65.", 3 },
	{ "66.", 3 }, { "67.", 3 }, { "68.", 3 }, { "69.", 3 }, { "70.", 3 }, { "71.", 3 },
	{ "72.", 3 }, { "73.", 3 }, { "74.", 3 }, { "75.", 3 }, { "76.", 3 }, { "77.", 3 },
	{ "78.", 3 }, { "79.", 3 }, { "80.", 3 }, { "81.", 3 }, { "82.", 3 }, { "83.", 3 },
	{ "84.", 3 }, { "85.", 3 }, { "86.", 3 }, { "87.", 3 }, { "88.", 3 }, { "89.", 3 },
	{ "90.", 3 }, { "91.", 3 }, { "92.", 3 }, { "93.", 3 }, { "94.", 3 }, { "95.", 3 },
	{ "96.", 3 }, { "97.", 3 }, { "98.", 3 }, { "99.", 3 }, { "100.", 4 }, { "101.", 4 },
	{ "102.", 4 }, { "103.", 4 }, { "104.", 4 }, { "105.", 4 }, { "106.", 4 }, { "107.", 4 },
	{ "108.", 4 }, { "109.", 4 }, { "110.", 4 }, { "111.", 4 }, { "112.", 4 }, { "113.", 4 },
	{ "114.", 4 }, { "115.", 4 }, { "116.", 4 }, { "117.", 4 }, { "118.", 4 }, { "119.", 4 },
	{ "120.", 4 }, { "121.", 4 }, { "122.", 4 }, { "123.", 4 }, { "124.", 4 }, { "125.", 4 },
	{ "126.", 4 }, { "127.", 4 }, { "128.", 4 }, { "129.", 4 }, { "130.", 4 }, { "131.", 4 },
	{ "132.", 4 }, { "133.", 4 }, { "134.", 4 }, { "135.", 4 }, { "136.", 4 }, { "137.", 4 },
	{ "138.", 4 }, { "139.", 4 }, { "140.", 4 }, { "141.", 4 }, { "142.", 4 }, { "143.", 4 },
	{ "144.", 4 }, { "145.", 4 }, { "146.", 4 }, { "147.", 4 }, { "148.", 4 }, { "149.", 4 },
	{ "150.", 4 }, { "151.", 4 }, { "152.", 4 }, { "153.", 4 }, { "154.", 4 }, { "155.", 4 },
	{ "156.", 4 }, { "157.", 4 }, { "158.", 4 }, { "159.", 4 }, { "160.", 4 }, { "161.", 4 },
	{ "162.", 4 }, { "163.", 4 }, { "164.", 4 }, { "165.", 4 }, { "166.", 4 }, { "167.", 4 },
	{ "168.", 4 }, { "169.", 4 }, { "170.", 4 }, { "171.", 4 }, { "172.", 4 }, { "173.", 4 },
	{ "174.", 4 }, { "175.", 4 }, { "176.", 4 }, { "177.", 4 }, { "178.", 4 }, { "179.", 4 },
	{ "180.", 4 }, { "181.", 4 }, { "182.", 4 }, { "183.", 4 }, { "184.", 4 }, { "185.", 4 },
	{ "186.", 4 }, { "187.", 4 }, { "188.", 4 }, { "189.", 4 }, { "190.", 4 }, { "191.", 4 },
	{ "192.", 4 }, { "193.", 4 }, { "194.", 4 }, { "195.", 4 }, { "196.", 4 }, { "197.", 4 },
	{ "198.", 4 }, { "199.", 4 }, { "200.", 4 }, { "201.", 4 }, { "202.", 4 }, { "203.", 4 },
	{ "204.", 4 }, { "205.", 4 }, { "206.", 4 }, { "207.", 4 }, { "208.", 4 }, { "209.", 4 },
	{ "210.", 4 }, { "211.", 4 }, { "212.", 4 }, { "213.", 4 }, { "214.", 4 }, { "215.", 4 },
	{ "216.", 4 }, { "217.", 4 }, { "218.", 4 }, { "219.", 4 }, { "220.", 4 }, { "221.", 4 },
	{ "222.", 4 }, { "223.", 4 }, { "224.", 4 }, { "225.", 4 }, { "226.", 4 }, { "227.", 4 },
	{ "228.", 4 }, { "229.", 4 }, { "230.", 4 }, { "231.", 4 }, { "232.", 4 }, { "233.", 4 },
	{ "234.", 4 }, { "235.", 4 }, { "236.", 4 }, { "237.", 4 }, { "238.", 4 }, { "239.", 4 },
	{ "240.", 4 }, { "241.", 4 }, { "242.", 4 }, { "243.", 4 }, { "244.", 4 }, { "245.", 4 },
	{ "246.", 4 }, { "247.", 4 }, { "248.", 4 }, { "249.", 4 }, { "250.", 4 }, { "251.", 4 },
	{ "252.", 4 }, { "253.", 4 }, { "254.", 4 }, { "255.", 4 },
};

static size_t format_v4(const uint8_t *b, char *buf)
{
	char *p = buf;

	for (int i = 0; i < 4; i++) {
		const struct octet_text *t = &octet_texts[b[i]];

		memcpy(p, t->text, 4);
		p += t->len;
	}
	*--p = '\0';
	return (size_t)(p - buf);
}

static bool v4_mapped(const uint8_t b[16])
{
	static const uint8_t prefix[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };

	return memcmp(b, prefix, sizeof prefix) == 0;
}

bool flow_addr_is_v4_mapped(const struct flow_addr *a)
{
	return a->family == FLOW_AF_INET6 && v4_mapped(a->bytes);
}

/* RFC 5952: lower case, no leading zeros, the longest run (>= 2) of zero
 * groups as "::", the first such run on a tie, IPv4-mapped as dotted quad. */
static size_t format_v6(const uint8_t *b, char *buf)
{
	static const char hex[] = "0123456789abcdef";
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
	if (v4_mapped(b)) {
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
	if (a->family == FLOW_AF_INET6 && flow_addr_is_zero(a)) {
		memcpy(buf, "::", 3);	/* an IPv6 flow's next hop, mostly: no groups to weigh */
		return 2;
	}
	if (a->family == FLOW_AF_INET6)
		return format_v6(a->bytes, buf);
	return format_v4(a->bytes, buf);
}
