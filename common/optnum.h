/*
 * Numbers on the command line: timeouts in seconds (decimals allowed,
 * kept to the millisecond) and counts with an optional k/M suffix
 * (-m 1M). pcap-flows' -t and -m and flow-stitch's -i/-g/-w/-m read the
 * same way.
 */
#ifndef FLOWPIPES_OPTNUM_H
#define FLOWPIPES_OPTNUM_H

#include <stddef.h>
#include <stdint.h>

/* s[0..len) as seconds, 0 to max_s, into ms. 0, or -1 if it is not one. */
int optnum_secs(const char *s, size_t len, double max_s, uint64_t *ms);
/* A whole NUL-terminated string as a count from 1 to max; k = 1000, M = 1000000. */
int optnum_count(const char *s, uint64_t max, uint64_t *out);

#endif
