/*
 * What a person reads off a flow record besides its fields: absolute
 * start and end (from the v5 clock, common/flow/flowclock), duration,
 * and packets and bytes of both directions of a paired record
 * (flow-stitch -b), summed in 128 bits so no sum can wrap.
 */
#ifndef FLOWPRINT_FLOWVIEW_H
#define FLOWPRINT_FLOWVIEW_H

#include "flow/flowrec.h"
#include "numfmt.h"

struct flowview {
	const struct flowrec *r;
	uint64_t start_ms, end_ms;	/* of both directions that have packets */
	u128 pkts, bytes;		/* forward plus reverse */
};

enum flowview_time {
	FLOWVIEW_OK,
	FLOWVIEW_BEFORE_EPOCH,	/* an uptime lies before 1970 on the export clock */
	FLOWVIEW_CLAMPED	/* last packet before first: end taken as start */
};

enum flowview_time flowview_make(struct flowview *v, const struct flowrec *r);
static inline uint64_t flowview_duration(const struct flowview *v)
{
	return v->end_ms - v->start_ms;
}

#endif
