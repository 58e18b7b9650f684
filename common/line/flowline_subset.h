/*
 * Parsing only some fields of a record line: a filter whose expression
 * names three fields converts those three and steps over the others.
 * The line must still have exactly the columns its header names (a cut
 * line is not read as a short one); fields not asked for are neither
 * converted nor checked, and keep whatever the record held before.
 */
#ifndef FLOWPIPES_FLOWLINE_SUBSET_H
#define FLOWPIPES_FLOWLINE_SUBSET_H

#include "base/diag.h"
#include "flow/flowrec.h"

struct flow_subset {
	int ncols;		/* columns a line has */
	int last;		/* last column to convert, -1 none */
	signed char col[64];	/* column -> field id to convert, -1 step over */
};

/*
 * cols[0..ncols): the field id of each column (a header's map, as in
 * struct flow_reader); want: the fields to convert.
 */
void flow_subset_init(struct flow_subset *s, const signed char *cols, int ncols,
    flow_fieldset want);
/* The same for a headerless line whose columns are set, in canonical order. */
void flow_subset_init_set(struct flow_subset *s, flow_fieldset set, flow_fieldset want);
/* Headerless input: the field set a line of ncols columns has (24 or 18), or 0. */
flow_fieldset flow_subset_headerless(int ncols);
/*
 * One field's text p[0..n) into field f of rec by the line format's rule
 * (flowpipes(1)); 0, or -1 and why ("dstport: 'x' is not a number from 0
 * to 65535"). The one rule and message of both flow readers.
 */
int flow_field_parse(struct flowrec *rec, enum flow_field f, const char *p, size_t n,
    struct why *why);
/* Converts the wanted fields of line[0..len) into rec. 0, or -1 and why. */
int flow_subset_parse(const struct flow_subset *s, const char *line, size_t len,
    struct flowrec *rec, struct why *why);

#endif
