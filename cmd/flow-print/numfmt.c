/* Exact and human number text (see numfmt.h). */
#include <string.h>

#include "numfmt.h"

static const char digit_pairs[] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

/* Two digits at a time from the right, straight into place. */
size_t num_u64(char *p, uint64_t v)
{
	size_t n = 1;
	char *q;

	for (uint64_t t = 10; n < 20 && v >= t; t *= 10)
		n++;
	q = p + n;
	while (v >= 100) {
		q -= 2;
		memcpy(q, digit_pairs + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(q - 2, digit_pairs + 2 * v, 2);
	else
		q[-1] = (char)('0' + v);
	return n;
}

size_t num_u128(char *p, u128 v)
{
	char tmp[40];
	size_t n = 0;

	if (v <= UINT64_MAX)
		return num_u64(p, (uint64_t)v);
	do {
		tmp[n++] = (char)('0' + (unsigned)(v % 10));
		v /= 10;
	} while (v != 0);
	for (size_t i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return n;
}

/* v in the largest unit of 1000 it reaches, one decimal, rounded (as nfdump's %.1f). */
static size_t num_human(char *p, u128 v)
{
	static const char units[] = "KMGTPEZYRQ";
	u128 div = 1000, tenths;
	size_t u = 0, n;

	while (u + 1 < sizeof units - 1 && v / div >= 1000) {
		div *= 1000;
		u++;
	}
	/* beyond 3.4e37 (never a sum of 64-bit counters) the decimal is dropped */
	tenths = v > (~(u128)0) / 10 ? v / div * 10 : (v * 10 + div / 2) / div;
	n = num_u128(p, tenths / 10);
	p[n++] = '.';
	p[n++] = (char)('0' + (unsigned)(tenths % 10));
	p[n++] = units[u];
	return n;
}

size_t num_count(char *p, u128 v, bool human)
{
	if (!human || v < 1000)
		return num_u128(p, v);
	return num_human(p, v);
}

size_t num_ms(char *p, uint64_t ms)
{
	size_t n = num_u64(p, ms / 1000);
	unsigned frac = (unsigned)(ms % 1000);

	p[n++] = '.';
	p[n++] = (char)('0' + frac / 100);
	p[n++] = (char)('0' + frac / 10 % 10);
	p[n++] = (char)('0' + frac % 10);
	return n;
}

size_t num_rate(char *p, u128 num, unsigned scale, uint64_t span_ms, bool human)
{
	if (span_ms == 0) {
		p[0] = '-';
		return 1;
	}
	/* num < 2^128 / 8000 in any input this tool can sum (2^64 lines of 2^64) */
	return num_count(p, num * scale * 1000u / span_ms, human);
}

size_t num_ratio(char *p, u128 num, u128 den, bool human)
{
	if (den == 0) {
		p[0] = '-';
		return 1;
	}
	return num_count(p, num / den, human);
}

size_t num_percent(char *p, u128 part, u128 whole)
{
	u128 hundredths = 0, tenths;
	size_t n;

	if (whole != 0)
		hundredths = part > (~(u128)0) / 10000 ? part / (whole / 10000) :
		    part * 10000 / whole;
	tenths = (hundredths + 5) / 10;	/* to the nearest tenth */
	n = num_u128(p, tenths / 10);
	p[n++] = '.';
	p[n++] = (char)('0' + (unsigned)(tenths % 10));
	return n;
}
