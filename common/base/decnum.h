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

/* 0 and *out set, or -1 (out untouched) when s is not such a number. */
static inline int dec_parse_u64(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0 || len > 20)
		return -1;
	/* 19 digits never overflow: only a 20th needs the check */
	for (size_t i = 0; i < len && i < 19; i++) {
		unsigned d = (unsigned)(unsigned char)s[i] - '0';

		if (d > 9)
			return -1;
		v = v * 10 + d;
	}
	if (len == 20) {
		unsigned d = (unsigned)(unsigned char)s[19] - '0';

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

/*
 * The run of at most 19 digits (never an overflow) that starts at p,
 * before end: its value in *out, and where it stops. The caller judges
 * what stops it (a 20th digit, a separator, junk) and whether p moved;
 * dec_parse_u64 stays the rule. Eight digits a load where eight bytes are
 * there to read, for the line readers' long numbers.
 */
static inline const char *dec_scan_u64(const char *p, const char *end, uint64_t *out)
{
	const char *q = p;
	uint64_t v = 0;

#if BYTESCAN_WORDS
	static const uint64_t pow10[8] = { 1, 10, 100, 1000, 10000, 100000, 1000000, 10000000 };

	for (; end - q >= 8 && q - p < 16; q += 8) {
		uint64_t x = bytescan_load(q), stop = bytescan_nondigit(x);
		unsigned n = stop ? bytescan_first(stop) : 8;

		if (n < 8) {
			/* the n digits to the top bytes: the zero bytes below read as leading zeros */
			if (n > 0)
				v = v * pow10[n] + dec_fold8_((x - BYTESCAN_ONES * '0') << (64 - 8 * n));
			*out = v;
			return q + n;
		}
		v = v * 100000000u + dec_fold8_(x - BYTESCAN_ONES * '0');
	}
#endif
	for (unsigned d; q < end && q - p < 19 && (d = (unsigned)(unsigned char)*q - '0') <= 9; q++)
		v = v * 10 + d;
	*out = v;
	return q;
}

#endif
