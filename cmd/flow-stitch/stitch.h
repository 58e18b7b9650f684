/*
 * The stitching table: open flows by key, the rules that decide whether
 * a record joins one (idle gap, FIN/RST then SYN), and when a flow is
 * finished. Time is the records' own: the table's clock is the latest
 * record start seen, less the allowed disorder (the watermark). A start
 * more than max(-w, 1 h) past that clock (a broken exporter clock, or a
 * gap in saved input) moves it only once a second record starts near it,
 * so one record with a bad clock cannot make every later record late.
 * Records wait (reorder.h) until that clock passes their start and are
 * then taken in start order, so the joins do not depend on the order
 * the records came in within -w; past -m waiting, the earliest goes first.
 */
#ifndef FLOWSTITCH_STITCH_H
#define FLOWSTITCH_STITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flowrec.h"

struct stitch_opts {
	uint64_t idle_ms;	/* -i: most time from a flow's last packet to a joining record */
	uint64_t fin_gap_ms;	/* -g: the same after a FIN or RST */
	uint64_t window_ms;	/* -w: how far record starts may run out of order */
	size_t max_flows;	/* -m: open flows held at most */
	flow_fieldset key;	/* -k */
	bool bidir;		/* -b: one flow per connection, reverse fields filled */
};

struct stitch_counters {
	unsigned long long records;	/* taken in */
	unsigned long long flows;	/* written */
	unsigned long long early;	/* written before finished, to honour -m */
	unsigned long long unsorted;	/* taken before their turn, to honour -m */
	unsigned long long late;	/* came after its turn and found no open flow to join */
	unsigned long long bad_time;	/* a time before 1970 on the record's own clock: refused */
	unsigned long long clamped;	/* last packet before first: last set to first, taken */
	unsigned long long split_long;	/* not joined: the flow would span 2^32 - 1 ms or more */
	unsigned long long split_overflow;	/* not joined: a sum would pass 2^64 - 1 */
	size_t open, peak;
	size_t waiting;			/* records not yet taken (their turn comes later) */
};

/* Receives each finished flow; returns 0, or -1 to stop (write error). */
typedef int (*stitch_emit_fn)(void *ctx, const struct flowrec *r);

enum stitch_status {
	STITCH_OK,
	STITCH_BAD_TIME,	/* a time of the record lies before 1970: not taken */
	STITCH_CLAMPED,		/* taken, but its last packet preceded its first: last = first */
	STITCH_EMIT_FAILED,	/* the emit function said stop */
	STITCH_NOMEM
};

struct stitch;

/* NULL when out of memory. */
struct stitch *stitch_new(const struct stitch_opts *o, stitch_emit_fn emit, void *ctx);
enum stitch_status stitch_add(struct stitch *s, const struct flowrec *r);
/* Writes every open flow, earliest start first (end of input, signals). 0 or -1. */
int stitch_finish(struct stitch *s);
const struct stitch_counters *stitch_counters(const struct stitch *s);
void stitch_free(struct stitch *s);
/* Memory one open flow takes, its share of the hash table included. */
size_t stitch_flow_bytes(bool bidir);
/* Memory one record waiting for its turn takes (at most -m of them wait). */
size_t stitch_wait_bytes(void);

#endif
