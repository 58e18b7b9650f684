/*
 * The line writer's own decimal and dotted-quad printers against printf,
 * the peer whose text they must match byte for byte: every digit-count
 * boundary (10^j - 1, 10^j), each power of two and its neighbours,
 * UINT64_MAX, and every octet value in each of the four positions.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "flow/flowaddr.h"
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

int main(void)
{
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
	for (unsigned v = 0; v < 256; v++)
		for (int pos = 0; pos < 4; pos++) {
			uint8_t q[4] = { 9, 99, 199, 0 };

			q[pos] = (uint8_t)v;
			bad += !quad_same(q);
		}
	OK(bad == 0, "dotted quads match printf for every octet in every position");
	return tap_done();
}
