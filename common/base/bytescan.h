/*
 * Word-at-a-time byte search: eight bytes of text in one 64-bit load, and
 * a mask with the high bit of each byte that equals a given one. Exact
 * (no false hits from neighbouring bytes), so every set bit is a match;
 * the lowest one is the first match in text order on little-endian
 * machines. Elsewhere BYTESCAN_WORDS is 0 and callers scan byte by byte.
 */
#ifndef FLOWPIPES_BYTESCAN_H
#define FLOWPIPES_BYTESCAN_H

#include <stdint.h>
#include <string.h>

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__ && \
    (defined(__GNUC__) || defined(__clang__))
#define BYTESCAN_WORDS 1
#else
#define BYTESCAN_WORDS 0
#endif

#define BYTESCAN_ONES 0x0101010101010101u
#define BYTESCAN_LOW7 0x7f7f7f7f7f7f7f7fu

/* The eight bytes at p (any alignment). */
static inline uint64_t bytescan_load(const char *p)
{
	uint64_t x;

	memcpy(&x, p, sizeof x);
	return x;
}

/* High bit set in each byte of x that is c. */
static inline uint64_t bytescan_eq(uint64_t x, unsigned char c)
{
	uint64_t y = x ^ (BYTESCAN_ONES * c);

	return ~(((y & BYTESCAN_LOW7) + BYTESCAN_LOW7) | y | BYTESCAN_LOW7);
}

/*
 * High bit set in each byte of x that is not an ASCII digit. Exact up to
 * and including the first such byte: adding 6 carries out of a byte only
 * when it is 0xfa or more (no digit), so only bytes after it can be
 * misread, and callers stop at the first.
 */
static inline uint64_t bytescan_nondigit(uint64_t x)
{
	uint64_t hi = x & 0xf0f0f0f0f0f0f0f0u;
	uint64_t hi6 = ((x + 0x0606060606060606u) & 0xf0f0f0f0f0f0f0f0u) >> 4;

	/* a digit is 0x30..0x39: high nibble 3, and still 3 after adding 6 */
	return ~bytescan_eq(hi | hi6, 0x33) & (BYTESCAN_ONES * 0x80);
}

#if BYTESCAN_WORDS
/* Index (0..7) of the first byte a nonzero mask marks. */
static inline unsigned bytescan_first(uint64_t mask)
{
	return (unsigned)__builtin_ctzll(mask) >> 3;
}
#endif

/*
 * Where the first c of p[0..end) is, or end: eight bytes a step. For the
 * short fields of a line, where a call to memchr costs more than the scan.
 */
static inline const char *bytescan_find(const char *p, const char *end, unsigned char c)
{
#if BYTESCAN_WORDS
	for (; end - p >= 8; p += 8) {
		uint64_t m = bytescan_eq(bytescan_load(p), c);

		if (m != 0)
			return p + bytescan_first(m);
	}
#endif
	while (p < end && (unsigned char)*p != c)
		p++;
	return p;
}

#endif
