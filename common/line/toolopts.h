/*
 * The options every flowpipes tool shares (flowpipes(1)): -h/--help,
 * --version, and for the tools that read or write flow lines -r FILE,
 * -o FIELDS, -H and --strict. A tool lists the short letters it takes in
 * its own getopt string, puts TOOLOPTS_LONG in its long options, and
 * hands every option its own switch does not know to toolopt_take():
 *	default:
 *		if ((rc = toolopt_take(&shared, c, optarg)) != 0)
 *			return rc;
 * Messages go through diag (the tool's main calls diag_init first);
 * --version prints the one FLOWPIPES_VERSION after the diag name.
 */
#ifndef FLOWPIPES_TOOLOPTS_H
#define FLOWPIPES_TOOLOPTS_H

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>

#include "flow/flowrec.h"

enum { TOOLOPT_VERSION = 0x1000, TOOLOPT_STRICT };

#define TOOLOPTS_LONG \
	{ "version", no_argument, NULL, TOOLOPT_VERSION }, \
	{ "strict", no_argument, NULL, TOOLOPT_STRICT }, \
	{ "help", no_argument, NULL, 'h' }

/* Where the shared options land; a NULL pointer: the tool does not take it. */
struct toolopts {
	void (*usage)(FILE *fp);
	const char **path;		/* -r */
	flow_fieldset *fields;		/* -o */
	bool *fields_set;		/* set when -o was given (optional) */
	bool *header;			/* -H clears it */
	bool *strict;			/* --strict */
};

/*
 * First thing in a tool's main: names the tool for every message
 * (base/diag.h) and holds the standard descriptors it was started without
 * (base/stdfds.h), so no file it opens later can take stdout's number.
 * 0, or -1 after a message (the tool exits 2).
 */
int tool_start(const char *prog);
/*
 * One option from getopt_long that the tool's own switch did not take.
 * Returns 0 when taken, 1 when the tool should exit 0 (help or version
 * printed), 2 on a usage error or an option not shared (usage printed).
 */
int toolopt_take(const struct toolopts *t, int c, const char *arg);
/* After the options: 0, or 2 with a message when operands are left over. */
int toolopt_no_operands(const struct toolopts *t, int argc, char **argv);

#endif
