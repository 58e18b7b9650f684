/*
 * Numbers on the command line: timeouts in seconds (decimals allowed,
 * kept to the millisecond) and counts with an optional k/M suffix
 * (-m 1M), plain numbers and engine TYPE/ID, read the same way by every
 * tool.
 */
#ifndef FLOWPIPES_OPTNUM_H
#define FLOWPIPES_OPTNUM_H

#include <stddef.h>
#include <stdint.h>

/* s[0..len) as seconds, 0 to max_s, into ms. 0, or -1 if it is not one. */
int optnum_secs(const char *s, size_t len, double max_s, uint64_t *ms);
/* A whole NUL-terminated string as a count from 1 to max; k = 1000, M = 1000000. */
int optnum_count(const char *s, uint64_t max, uint64_t *out);
/*
 * A whole NUL-terminated string as an unsigned number from 0 to max, in
 * base (10; 0 also takes 0x hex and 0 octal, as conntrack's --mark does).
 * No sign, no blanks. 0, or -1 if it is not one.
 */
int optnum_uint(const char *s, int base, uint64_t max, uint64_t *out);
/* -e TYPE/ID, or ID alone (type 0), each 0 to 255. 0, or -1. */
int optnum_engine(const char *s, uint8_t *type, uint8_t *id);

#endif
