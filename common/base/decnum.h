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

#endif
