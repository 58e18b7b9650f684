/*
 * The key that decides which records of flow-stitch belong to one flow:
 * a chosen subset of a record's non-counter fields (-k). With -b the
 * key is direction-free: the source and destination sides (address,
 * port, mask, AS) are put in a canonical order, so both directions of a
 * connection share one key and only the "swapped" flag tells them apart.
 * ICMP queries (dstport = type * 256 + code) pair with their replies
 * under -b: the type moves out of the sides into a direction-free field
 * that names the query (echo 8 and reply 0 are both 8).
 */
#ifndef FLOWSTITCH_FLOWKEY_H
#define FLOWSTITCH_FLOWKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flowrec.h"

/* One end of a flow: what swaps when the direction does. */
struct flowkey_side {
	struct flow_addr addr;
	uint16_t port;
	uint8_t mask;
	uint32_t as;
};

/* Built from all zero bytes first, so padding is zero and memcmp/hash are exact. */
struct flowkey {
	struct flowkey_side a, b;
	struct flow_addr exaddr, nexthop;
	uint32_t input, output;
	uint16_t icmp_query;	/* -b, ICMP query or reply: query type * 256 + code */
	uint8_t engine_type, engine_id, prot, tos;
};

/* exaddr, engine_type, engine_id, srcaddr, dstaddr, srcport, dstport, prot, input */
#define FLOWKEY_DEFAULT ((flow_fieldset)((1u << FF_EXADDR) | (1u << FF_ENGINE_TYPE) | \
	(1u << FF_ENGINE_ID) | (1u << FF_SRCADDR) | (1u << FF_DSTADDR) | \
	(1u << FF_SRCPORT) | (1u << FF_DSTPORT) | (1u << FF_PROT) | (1u << FF_INPUT)))

/* Fields a key may hold: everything but times, counters and flags. */
#define FLOWKEY_ALLOWED ((flow_fieldset)(FLOWKEY_DEFAULT | (1u << FF_NEXTHOP) | \
	(1u << FF_OUTPUT) | (1u << FF_TOS) | (1u << FF_SRC_MASK) | \
	(1u << FF_DST_MASK) | (1u << FF_SRC_AS) | (1u << FF_DST_AS)))

/*
 * Parses a -k list. Returns 0, or -1 with the reason in w (an unknown
 * name, or a field that changes within a flow).
 */
int flowkey_parse(const char *list, flow_fieldset *out, struct why *w);

/*
 * Fills k from r's fields in set. With bidir the two sides are ordered
 * (the smaller first) and the result says whether r's source side went
 * second; without bidir it is always false.
 */
bool flowkey_make(struct flowkey *k, const struct flowrec *r, flow_fieldset set, bool bidir);

bool flowkey_equal(const struct flowkey *a, const struct flowkey *b);

#endif
