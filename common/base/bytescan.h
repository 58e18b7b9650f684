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

#if BYTESCAN_WORDS
/* Index (0..7) of the first byte a nonzero mask marks. */
static inline unsigned bytescan_first(uint64_t mask)
{
	return (unsigned)__builtin_ctzll(mask) >> 3;
}
#endif

#endif
