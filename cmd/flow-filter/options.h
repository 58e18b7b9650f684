/* flow-filter's command line: options and where the expression comes from. */
#ifndef FLOWFILTER_OPTIONS_H
#define FLOWFILTER_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#define FF_PROG "flow-filter"
#define FF_EXPR_FILE_MAX (1u << 20)

struct ff_options {
	const char *path;	/* -r */
	const char *split;	/* -o: the lines not kept go here too */
	const char *expr_file;	/* -f */
	bool invert, count, dump, absent_zero, strict;
	char *expr;		/* the expression text (allocated) */
	size_t expr_len;
};

/* 0 run, 1 exit 0 (help/version), 2 usage error (printed). */
int ff_options_parse(int argc, char **argv, struct ff_options *o);
/* Where a byte offset of the expression is: "expression:COL" or "FILE:LINE:COL". */
void ff_options_where(const struct ff_options *o, size_t pos, char *buf, size_t cap);
void ff_options_free(struct ff_options *o);

#endif
