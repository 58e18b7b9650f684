/*
 * Where flows go for -f: the table (line, long), csv (the line format,
 * through the common writer), json or a fmt: template, then the totals
 * block (a table's, or as # comments after csv; none after json or fmt
 * lines, which a program reads). The output starts at the first flow,
 * when the input's header is known: a paired input (reverse fields)
 * shows the reverse counters.
 */
#ifndef FLOWPRINT_OUTPUT_H
#define FLOWPRINT_OUTPUT_H

#include "fmtspec.h"
#include "layout.h"
#include "line/flowline.h"
#include "options.h"
#include "totals.h"

struct output {
	const struct options *opt;
	FILE *fp;
	struct timefmt *tf;
	bool started, paired;
	struct layout layout;
	struct fmtspec fmt;
	struct flow_writer w;
};

void output_init(struct output *out, const struct options *o, FILE *fp, struct timefmt *tf);
/* Starts the output (once); paired: the input has reverse fields. 0, or -1 (out of memory). */
int output_start(struct output *out, bool paired);
/* 0, or -1 when writing failed. */
int output_row(struct output *out, const struct flowview *v);
/* Writes out what is held and flushes the stream: input is about to wait. 0, or -1. */
int output_flush(struct output *out);
/* The end: titles of an empty table, what is held, the totals block. 0, or -1. */
int output_finish(struct output *out, const struct totals *t, unsigned long malformed);
void output_free(struct output *out);

#endif
