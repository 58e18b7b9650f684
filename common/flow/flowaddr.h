/* Address text: dotted quad and RFC 5952 IPv6, both ways. */
#ifndef FLOWPIPES_FLOWADDR_H
#define FLOWPIPES_FLOWADDR_H

#include <string.h>

#include "flow/flowrec.h"

#define FLOW_ADDR_STRLEN 46	/* INET6_ADDRSTRLEN */

/* Strict parse of s[0..len): 0 on success, -1 if it is not an address. */
int flow_addr_parse(struct flow_addr *a, const char *s, size_t len);
/*
 * The dotted quad that opens p..end, by flow_addr_parse's rule, for a
 * reader that finds a field's end while it parses: where it stops (the
 * caller judges the byte there; a digit never stops it), or NULL.
 */
const char *flow_addr_scan_v4(struct flow_addr *a, const char *p, const char *end);
/* Writes NUL-terminated text into buf (FLOW_ADDR_STRLEN bytes); returns its length. */
size_t flow_addr_format(const struct flow_addr *a, char *buf);
bool flow_addr_equal(const struct flow_addr *a, const struct flow_addr *b);
bool flow_addr_is_zero(const struct flow_addr *a);
/* Whether a is an IPv6 address that maps an IPv4 one (::ffff:a.b.c.d). */
bool flow_addr_is_v4_mapped(const struct flow_addr *a);

/* From the wire: inline, since a packet decoder sets two a packet. */
static inline void flow_addr_set_v4(struct flow_addr *a, const uint8_t b[4])
{
	memset(a, 0, sizeof *a);
	a->family = FLOW_AF_INET;
	memcpy(a->bytes, b, 4);
}

static inline void flow_addr_set_v6(struct flow_addr *a, const uint8_t b[16])
{
	a->family = FLOW_AF_INET6;
	memcpy(a->bytes, b, 16);
}

/* The zero address of a family (0.0.0.0 or ::), or no address for family 0. */
static inline void flow_addr_set_zero(struct flow_addr *a, uint8_t family)
{
	memset(a, 0, sizeof *a);
	a->family = family;
}

#endif
