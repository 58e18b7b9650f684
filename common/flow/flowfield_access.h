/*
 * A record's fields by id: where each lives in struct flowrec, how wide
 * it is, and the largest value the line format lets it hold. One table
 * instead of a switch per use, for code that picks fields at run time
 * (a filter reading only the fields its expression names).
 */
#ifndef FLOWPIPES_FLOWFIELD_ACCESS_H
#define FLOWPIPES_FLOWFIELD_ACCESS_H

#include "flow/flowrec.h"

/* True for exaddr, srcaddr, dstaddr, nexthop. */
bool flow_field_is_addr(enum flow_field f);
/* The address field f (flow_field_is_addr(f) must hold). */
struct flow_addr *flow_field_addr(struct flowrec *r, enum flow_field f);
const struct flow_addr *flow_field_addr_c(const struct flowrec *r, enum flow_field f);
/* Numeric field f as a 64-bit number (0 for an address field). */
uint64_t flow_field_get(const struct flowrec *r, enum flow_field f);
/* Stores v (at most flow_field_max(f)) into numeric field f. */
void flow_field_set(struct flowrec *r, enum flow_field f, uint64_t v);
/* Largest value numeric field f holds on a line (unix_nsecs: 999999999). */
uint64_t flow_field_max(enum flow_field f);

#endif
