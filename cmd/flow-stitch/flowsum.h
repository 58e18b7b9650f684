/*
 * The running sum of one direction of a stitched flow, and the output
 * record made from one or two of them (-b pairs the directions).
 */
#ifndef FLOWSTITCH_FLOWSUM_H
#define FLOWSTITCH_FLOWSUM_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flowrec.h"

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

/* What flowsum_from_record found wrong with a record's times. */
enum flowsum_time {
	FLOWSUM_TIME_OK,
	FLOWSUM_TIME_BEFORE_EPOCH,	/* an uptime before 1970 on the export clock: unusable */
	FLOWSUM_TIME_CLAMPED		/* last (or rlast) before first: set to first, kept */
};

/* A sum of one record. */
enum flowsum_time flowsum_from_record(struct flowsum *s, const struct flowrec *r);
/* Adds s into d (either may be unused). */
void flowsum_add(struct flowsum *d, const struct flowsum *s);
/*
 * The record to write: fw with its true first/last under the latest
 * export clock of fw and rv, and rv (NULL or unused: none) folded into
 * the reverse fields rdpkts, rdoctets, rtcp_flags, rfirst, rlast.
 */
void flowsum_output(struct flowrec *out, const struct flowsum *fw, const struct flowsum *rv);

/*
 * What a stitched flow must keep in range to be written truly: packets
 * and octets each way (summed across -b's two directions, as the written
 * line sums them) below 2^64, and its earliest time within 2^32 - 1 ms
 * of its latest export clock, since written uptimes count back from that
 * clock in 32 bits. Way 0 is the key's a side to its b side.
 */
struct flowsum_load {
	uint64_t pkts[2], octets[2];
	uint64_t first_ms, export_ms;
	bool used;
};

enum flowsum_fit { FLOWSUM_FITS, FLOWSUM_TOO_LONG, FLOWSUM_OVERFLOW };

/* Adds s to l; reversed: s's source is the key's b side. */
void flowsum_load_add(struct flowsum_load *l, const struct flowsum *s, bool reversed);
/* Whether a and b can be one flow. */
enum flowsum_fit flowsum_load_fits(const struct flowsum_load *a, const struct flowsum_load *b);

#endif
