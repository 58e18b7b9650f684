/*
 * The running sum of one direction of a stitched flow, and the output
 * record made from one or two of them (-b pairs the directions).
 */
#ifndef FLOWSTITCH_FLOWSUM_H
#define FLOWSTITCH_FLOWSUM_H

#include <stdbool.h>
#include <stdint.h>

#include "flowrec.h"

struct flowsum {
	/*
	 * Fields of the earliest record (tos, nexthop, masks...), counters
	 * summed, flags OR'ed, and the export clock of the record exported
	 * last; first/last/rfirst/rlast are stale: the *_ms below are true.
	 */
	struct flowrec rec;
	uint64_t first_ms, last_ms;	/* absolute, ms since the epoch */
	uint64_t rfirst_ms, rlast_ms;	/* of the input's r* fields, when has_rev */
	uint64_t export_ms;
	bool used, has_rev;
};

/* A sum of one record. */
void flowsum_from_record(struct flowsum *s, const struct flowrec *r);
/* Adds s into d (either may be unused). */
void flowsum_add(struct flowsum *d, const struct flowsum *s);
/*
 * The record to write: fw with its true first/last under the latest
 * export clock of fw and rv, and rv (NULL or unused: none) folded into
 * the reverse fields rdpkts, rdoctets, rtcp_flags, rfirst, rlast.
 */
void flowsum_output(struct flowrec *out, const struct flowsum *fw, const struct flowsum *rv);

#endif
