/* flow-print's command line. */
#ifndef FLOWPRINT_OPTIONS_H
#define FLOWPRINT_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>

#include "sorter.h"
#include "statkey.h"

enum out_format { OUT_LINE, OUT_LONG, OUT_CSV, OUT_JSON, OUT_FMT };

struct options {
	const char **files;		/* -r, in order (argv pointers); none: stdin */
	int nfiles;
	enum out_format format;		/* -f */
	const char *tmpl;		/* -f fmt:TEMPLATE */
	bool header;			/* not -n */
	bool human;			/* -h */
	bool utc;			/* -u */
	bool strict;
	enum sort_key sort;		/* -O */
	size_t max_flows;		/* -m */
	bool stats;			/* -s given */
	struct statkey key;		/* -s */
	size_t top;			/* -N */
};

/* Returns 0 to run, 1 when --help/--version was answered, 2 after a usage message. */
int options_parse(struct options *o, int argc, char **argv);
void options_free(struct options *o);

#endif
