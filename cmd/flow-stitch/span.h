/*
 * The time span of a record or stitched flow and the rule that says
 * whether two spans of one key are one flow:
 *  - the later may start at most the idle gap after the earlier's last
 *    packet (overlap always joins);
 *  - once the earlier has seen FIN or RST, a later span that starts at or
 *    after that moment joins only within the FIN gap and only when it
 *    does not open with SYN (that is a new connection on a reused tuple);
 *  - a SYN opens its connection: nothing of it starts before its first
 *    SYN, so two spans never join when the one would put a record before
 *    the other's SYN (a late ACK of the old connection is not part of a
 *    new one that opened later, whatever order the records came in).
 * Spans are compared by start, and the rule asks only what the two hold,
 * never which came first, so records that arrive out of order are judged
 * as if they had come in time order.
 */
#ifndef FLOWSTITCH_SPAN_H
#define FLOWSTITCH_SPAN_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flowrec.h"

#define SPAN_NO_FIN UINT64_MAX
#define SPAN_NO_SYN UINT64_MAX

struct span {
	uint64_t first, last;	/* ms since the epoch */
	uint64_t fin;		/* end of the earliest record with FIN or RST, or SPAN_NO_FIN */
	uint64_t syn;		/* start of the earliest record with SYN, or SPAN_NO_SYN */
};

/* Whether the span opens with SYN (its earliest record carries one). */
static inline bool span_opens_with_syn(const struct span *sp)
{
	return sp->syn == sp->first;
}

/* The span of one record: its absolute first/last (see flowsum) and TCP flags. */
void span_of_record(struct span *sp, const struct flowrec *r, uint64_t first_ms, uint64_t last_ms);
/*
 * Whether a and b are one flow, the same either way round (on equal
 * starts the one that opens with SYN counts as the earlier).
 */
bool span_joins(const struct span *a, const struct span *b, uint64_t idle_ms, uint64_t fin_gap_ms);
/* Time between the two (0 when they overlap). */
uint64_t span_gap(const struct span *a, const struct span *b);
/* a becomes the span of both. */
void span_add(struct span *a, const struct span *b);
/* Until when a record may still join (the flow is finished after it). */
uint64_t span_deadline(const struct span *sp, uint64_t idle_ms, uint64_t fin_gap_ms);

#endif
