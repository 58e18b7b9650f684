/*
 * The one decimal parser: all of s[0..len) as an unsigned number of at
 * most max. No sign, no blanks, no base prefix, not empty, no overflow:
 * the rule of the line format (flowpipes(1)), used for every number read
 * from a line, a conntrack event or an address/port spec. Inline, since
 * the line readers call it once per field.
 */
#ifndef FLOWPIPES_DECNUM_H
#define FLOWPIPES_DECNUM_H

#include <stddef.h>
#include <stdint.h>

#include "base/bytescan.h"

/* The value of the decimal digit at p, or a value above 9 when it is none. */
static inline unsigned dec_digit(const char *p)
{
	return (unsigned)(unsigned char)*p - '0';
}

/* 0 and *out set, or -1 (out untouched) when s is not such a number. */
static inline int dec_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 20)
		return -1;
	/* 19 digits never overflow: only a 20th needs the check */
	for (size_t i = 0; i < len && i < 19; i++) {
		unsigned d = dec_digit(s + i);

		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	if (len == 20) {
		unsigned d = dec_digit(s + 19);

		if (d > 9 || v > (UINT64_MAX - d) / 10)
			return -1;
		v = v * 10 + d;
	}
	if (v > max)
		return -1;
	*out = v;
	return 0;
}

/*
 * Eight digit values (0..9, one a byte, the first digit in the lowest
 * byte) as one number: neighbours are folded pairwise, 2 then 4 then 8
 * digits wide, one multiply a step and no carry between lanes.
 */
static inline uint64_t dec_fold8_(uint64_t d)
{
	d = (d * 10 + (d >> 8)) & 0x00ff00ff00ff00ffu;
	d = (d * 100 + (d >> 16)) & 0x0000ffff0000ffffu;
	return (d * 10000 + (d >> 32)) & 0xffffffffu;
}

/* n digits at p, known to be digits: v carried on. */
static inline uint64_t dec_digits_(uint64_t v, const char *p, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		v = v * 10 + dec_digit(p + i);
	return v;
}

/*
 * The run of at most 19 digits (never an overflow) that starts at p,
 * before end: its value in *out, and where it stops. The caller judges
 * what stops it (a 20th digit, a separator, junk) and whether p moved;
 * dec_parse_u64 stays the rule. Where eight bytes are there to read, one
 * load tells how many digits follow: eight are folded at once, fewer
 * (most fields of a flow line are short) are added up without a test
 * per byte.
 */
static inline const char *dec_scan_u64(const char *p, const char *end, uint64_t *out)
{
	const char *q = p;
	uint64_t v = 0;

	/* one digit and a non-digit: the commonest number of a flow line (0, a flag, a mask) */
	if (end - p >= 2 && dec_digit(p) <= 9 && dec_digit(p + 1) > 9) {
		*out = dec_digit(p);
		return p + 1;
	}
#if BYTESCAN_WORDS
	for (; end - q >= 8 && q - p < 16; q += 8) {
		uint64_t x = bytescan_load(q), stop = bytescan_nondigit(x);

		if (stop != 0) {
			unsigned n = bytescan_first(stop);

			*out = dec_digits_(v, q, n);
			return q + n;
		}
		v = v * 100000000u + dec_fold8_(x - BYTESCAN_ONES * '0');
	}
#endif
	for (unsigned d; q < end && q - p < 19 && (d = dec_digit(q)) <= 9; q++)
		v = v * 10 + d;
	*out = v;
	return q;
}

#endif
