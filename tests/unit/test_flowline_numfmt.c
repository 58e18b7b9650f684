/*
 * The line writer's own decimal and dotted-quad printers against printf,
 * the peer whose text they must match byte for byte: every digit-count
 * boundary (10^j - 1, 10^j), each power of two and its neighbours,
 * UINT64_MAX, random numbers of every width, and every octet value in
 * each of the four positions. Whole lines, both the straight path of the
 * default 24 fields and the loop for other sets, against a line put
 * together with printf and inet_ntop from random records.
 */
#include <arpa/inet.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "flow/flowfield_access.h"
#include "line/flowline.h"
#include "tap.h"

static int number_same(uint64_t v)
{
	struct flowrec r;
	char got[32], want[32];
	size_t n;

	memset(&r, 0, sizeof r);
	r.doctets = v;
	n = flow_format_field(&r, FF_DOCTETS, got);
	got[n] = '\0';
	snprintf(want, sizeof want, "%" PRIu64, v);
	if (strcmp(got, want) != 0)
		printf("#   %s for %s\n", got, want);
	return strcmp(got, want) == 0;
}

static int quad_same(const uint8_t q[4])
{
	struct flow_addr a;
	char got[FLOW_ADDR_STRLEN], want[FLOW_ADDR_STRLEN];
	size_t n;

	flow_addr_set_v4(&a, q);
	n = flow_addr_format(&a, got);
	snprintf(want, sizeof want, "%u.%u.%u.%u", q[0], q[1], q[2], q[3]);
	if (strcmp(got, want) != 0 || n != strlen(want))
		printf("#   %s (%zu) for %s\n", got, n, want);
	return strcmp(got, want) == 0 && n == strlen(want);
}

/* xorshift64: the same random values on every run */
static uint64_t next_random(uint64_t *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 7;
	*s ^= *s << 17;
	return *s;
}

/* A random number of random width: as many short ones as long ones. */
static uint64_t random_width(uint64_t *s)
{
	unsigned bits = (unsigned)(next_random(s) % 65);

	return bits == 0 ? 0 : next_random(s) >> (64 - bits);
}

/* Random, of random width, at most max. */
static uint64_t random_below(uint64_t *s, uint64_t max)
{
	uint64_t v = random_width(s);

	return max == UINT64_MAX ? v : v % (max + 1);
}

static void random_addr(struct flow_addr *a, uint64_t *s)
{
	uint64_t x = next_random(s), y = next_random(s);

	memset(a, 0, sizeof *a);
	a->family = x & 1 ? FLOW_AF_INET6 : FLOW_AF_INET;
	if (a->family == FLOW_AF_INET6) {
		memcpy(a->bytes, &x, 8);
		memcpy(a->bytes + 8, &y, 8);
		if (y & 2)	/* zero runs, for "::" */
			memset(a->bytes + (y >> 8) % 12, 0, (y >> 16) % 5 * 2);
	} else {
		memcpy(a->bytes, &x, 4);
	}
}

static void random_record(struct flowrec *r, uint64_t *s)
{
	memset(r, 0, sizeof *r);
	for (int f = 0; f < FF_COUNT; f++) {
		if (flow_field_is_addr((enum flow_field)f))
			random_addr(flow_field_addr(r, (enum flow_field)f), s);
		else
			flow_field_set(r, (enum flow_field)f, random_below(s,
			    flow_field_max((enum flow_field)f)));
	}
}

/* The line as printf and inet_ntop write it. */
static void expected_line(const struct flowrec *r, flow_fieldset fields, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	for (int f = 0; f < FF_COUNT; f++) {
		char text[INET6_ADDRSTRLEN];

		if (!(fields & (1u << f)))
			continue;
		if (flow_field_is_addr((enum flow_field)f)) {
			const struct flow_addr *a = flow_field_addr_c(r, (enum flow_field)f);
			inet_ntop(a->family == FLOW_AF_INET6 ? AF_INET6 : AF_INET, a->bytes, text,
			    sizeof text);
		} else {
			snprintf(text, sizeof text, "%" PRIu64,
			    flow_field_get(r, (enum flow_field)f));
		}
		n += (size_t)snprintf(buf + n, size - n, "%s%s", n ? "," : "", text);
	}
	snprintf(buf + n, size - n, "\n");
}

/* count random records under fields (0: a random set each time); the failures. */
static int lines_differ(flow_fieldset fields, int count, uint64_t *s)
{
	int bad = 0;

	for (int i = 0; i < count; i++) {
		flow_fieldset f = fields ? fields : (flow_fieldset)next_random(s) &
		    ((1u << FF_COUNT) - 1);
		struct flowrec r;
		char got[FLOW_LINE_MAX], want[FLOW_LINE_MAX];
		size_t n;

		random_record(&r, s);
		n = flow_format(&r, f, got);
		expected_line(&r, f, want, sizeof want);
		if (strcmp(got, want) != 0 || n != strlen(want)) {
			if (bad++ < 3)
				printf("#   got  %s#   want %s", got, want);
		}
	}
	return bad;
}

int main(void)
{
	uint64_t seed = 0x2545f4914f6cdd1du;
	static const uint64_t edges[] = { 0, 9, 10, 99, 100, 999, 1000, 9999999, 10000000,
	    99999999, 100000000, 999999999, 1000000000, UINT32_MAX, (uint64_t)UINT32_MAX + 1,
	    9999999999999999999u, 10000000000000000000u, UINT64_MAX };
	int bad = 0;
	uint64_t p = 1;

	for (int j = 0; j < 20; j++, p *= 10)
		bad += !number_same(p - 1) + !number_same(p);
	for (int k = 0; k < 64; k++)
		for (int d = -2; d <= 2; d++)
			bad += !number_same(((uint64_t)1 << k) + (uint64_t)(int64_t)d);
	OK(bad == 0, "decimals match printf at every digit-count boundary and power of two");
	OK(number_same(UINT64_MAX), "UINT64_MAX");
	bad = 0;
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		bad += !number_same(edges[i]);
	OK(bad == 0, "decimals match printf at 0, 9, 10, 99, 100, 10^8, UINT32_MAX, UINT64_MAX");
	bad = 0;
	for (int i = 0; i < 1000000; i++)
		bad += !number_same(random_width(&seed));
	OK(bad == 0, "decimals match printf on a million random numbers of every width");

	bad = 0;
	for (unsigned v = 0; v < 256; v++)
		for (int pos = 0; pos < 4; pos++) {
			uint8_t q[4] = { 9, 99, 199, 0 };

			q[pos] = (uint8_t)v;
			bad += !quad_same(q);
		}
	OK(bad == 0, "dotted quads match printf for every octet in every position");

	bad = 0;
	for (int f = 0; f < FF_COUNT; f++)	/* a field missing from the table reads as max 0 */
		bad += !flow_field_is_addr((enum flow_field)f) && flow_field_max((enum flow_field)f) == 0;
	OK(bad == 0, "every numeric field (tunnel_id too) has a place: random records fill it");

	OK(lines_differ(FLOW_FIELDS_DEFAULT, 100000, &seed) == 0,
	    "default 24-field lines match printf and inet_ntop on 100000 random records");
	OK(lines_differ(FLOW_FIELDS_NFFLOWD, 20000, &seed) == 0,
	    "18-field lines match printf and inet_ntop on 20000 random records");
	OK(lines_differ((1u << FF_COUNT) - 1, 20000, &seed) == 0,
	    "lines with every field match printf and inet_ntop on 20000 random records");
	OK(lines_differ(0, 20000, &seed) == 0,
	    "random field sets match printf and inet_ntop on 20000 random records");
	return tap_done();
}
