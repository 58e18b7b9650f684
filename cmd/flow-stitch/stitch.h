/*
 * The stitching table: open flows by key, the rules that decide whether
 * a record joins one (idle gap, FIN/RST then SYN), and when a flow is
 * finished. Time is the records' own: the table's clock is the latest
 * record start seen, less the allowed disorder (the watermark).
 */
#ifndef FLOWSTITCH_STITCH_H
#define FLOWSTITCH_STITCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flowrec.h"

struct stitch_opts {
	uint64_t idle_ms;	/* -i: most time between a flow's last packet and a joining record */
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
	unsigned long long late;	/* started more than -w before the latest start seen */
	unsigned long long bad_time;	/* last packet before first: refused */
	size_t open, peak;
};

/* Receives each finished flow; returns 0, or -1 to stop (write error). */
typedef int (*stitch_emit_fn)(void *ctx, const struct flowrec *r);

enum stitch_status {
	STITCH_OK,
	STITCH_BAD_TIME,	/* the record's last packet precedes its first: not taken */
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

#endif
