/*
 * The literals of a filter expression, each from one word s[0..n):
 * numbers (k, M, G = powers of 1000), durations, ISO 8601 UTC times,
 * protocol names, TCP flag letters, addresses and networks. Every
 * parser returns 0 with the value, or -1 when the word is not one.
 */
#ifndef FLOWFILTER_VALUES_H
#define FLOWFILTER_VALUES_H

#include <stddef.h>
#include <stdint.h>

#include "flow/flowrec.h"

/* How a numeric primitive reads its words: all share this signature. */
typedef int (*value_parser)(const char *s, size_t n, uint64_t max, uint64_t *out);

/* Plain decimal, 0 to max. */
int value_uint(const char *s, size_t n, uint64_t max, uint64_t *out);
/* Decimal with an optional k, M or G (either case): 1000, 10^6, 10^9. */
int value_scaled(const char *s, size_t n, uint64_t max, uint64_t *out);
/* Milliseconds: N (ms, as nfdump), Nms or Ns. */
int value_duration(const char *s, size_t n, uint64_t max, uint64_t *out);
/* ms since the epoch from YYYY-MM-DD[Thh:mm[:ss[.fff]]][Z], UTC. */
int value_time(const char *s, size_t n, uint64_t max, uint64_t *out);
/* A protocol name (tcp, udp, icmp, icmp6, sctp, gre, ...) or number. */
int value_proto(const char *s, size_t n, uint64_t max, uint64_t *out);

/*
 * TCP flag letters F S R P A U E C (X: F S R P A U), any case; those
 * after a '~' must be clear. "SA" both set; "~R" RST clear; "S~A".
 */
int value_flags(const char *s, size_t n, uint8_t *set, uint8_t *clear);

/*
 * An address, with "/len" when with_len allows it (1: optional, 2:
 * required). An IPv4 network may leave out trailing zero octets (10/8,
 * 172.16/12). The address comes back masked to len (32 or 128 without).
 */
int value_net(const char *s, size_t n, int with_len, struct flow_addr *a, uint8_t *len);

#endif
