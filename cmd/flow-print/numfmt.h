/*
 * Numbers as flow-print writes them: exact decimal of 64- and 128-bit
 * counters, human units (-h: K, M, G... in powers of 1000, one decimal,
 * as nfdump), milliseconds as s.ms and rates over a span, where a span
 * of 0 has no rate and shows "-". Every writer puts text at p (room for
 * NUMFMT_MAX bytes, no NUL; it may write past the text within that room)
 * and returns its length.
 */
#ifndef FLOWPRINT_NUMFMT_H
#define FLOWPRINT_NUMFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef unsigned __int128 u128;

#define NUMFMT_MAX 48

size_t num_u64(char *p, uint64_t v);
size_t num_u128(char *p, u128 v);
/* Exact, or with human true: below 1000 exact, else one decimal and a unit letter. */
size_t num_count(char *p, u128 v, bool human);
/* Milliseconds as seconds with three decimals: 1234 -> "1.234". */
size_t num_ms(char *p, uint64_t ms);
/*
 * A rate per second, num * scale / span_ms * 1000 (scale 8: bits),
 * rounded down; "-" when span_ms is 0.
 */
size_t num_rate(char *p, u128 num, unsigned scale, uint64_t span_ms, bool human);
/* num / den rounded down, "-" when den is 0 (bytes per packet). */
size_t num_ratio(char *p, u128 num, u128 den, bool human);
/* part of whole in percent with one decimal ("12.5"); "0.0" when whole is 0. */
size_t num_percent(char *p, u128 part, u128 whole);
/* Saturating u128 -> u64, for sort keys. */
static inline uint64_t u128_sat64(u128 v)
{
	return v > UINT64_MAX ? UINT64_MAX : (uint64_t)v;
}

#endif
