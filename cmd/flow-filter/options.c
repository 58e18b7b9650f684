/* flow-filter's options (options.h). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "line/toolopts.h"
#include "options.h"

enum { OPT_ABSENT_ZERO = 0x2000 };

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " FF_PROG " [-cdv] [-r FILE] [-o FILE] [--absent-zero] [--strict]\n"
	    "                   EXPRESSION...\n"
	    "       " FF_PROG " [-cdv] [-r FILE] [-o FILE] [--absent-zero] [--strict] -f FILE\n"
	    "  keeps the flow lines the expression selects, byte for byte (see flow-filter(1))\n"
	    "  e.g. 'proto tcp and dst port in [80 443] and bytes > 1M'\n"
	    "  -v          keep the lines the expression does not select\n"
	    "  -c          print only the number of lines kept\n"
	    "  -d          print the compiled expression and the fields it reads, read nothing\n"
	    "  -o FILE     write the lines not kept to FILE (headers and comments too)\n"
	    "  -f FILE     read the expression from FILE ('#' comments allowed)\n"
	    "  -r FILE     read FILE instead of stdin\n"
	    "  --absent-zero  a field the expression needs and the header lacks reads as 0\n"
	    "  --strict    stop at the first bad line\n"
	    "  -h, --version\n");
}

/* The operands, joined by blanks, as the expression. */
static int join_args(int argc, char **argv, struct ff_options *o)
{
	size_t len = 0;

	for (int i = optind; i < argc; i++)
		len += strlen(argv[i]) + 1;
	o->expr = malloc(len + 1);
	if (o->expr == NULL)
		return -1;
	o->expr_len = 0;
	for (int i = optind; i < argc; i++) {
		size_t n = strlen(argv[i]);
		if (i > optind)
			o->expr[o->expr_len++] = ' ';
		memcpy(o->expr + o->expr_len, argv[i], n);
		o->expr_len += n;
	}
	o->expr[o->expr_len] = '\0';
	return 0;
}

static int read_file(struct ff_options *o)
{
	FILE *fp = fopen(o->expr_file, "r");
	size_t n;

	if (fp == NULL || (o->expr = malloc(FF_EXPR_FILE_MAX + 1)) == NULL) {
		diag_warn_errno("-f %s", o->expr_file);
		if (fp != NULL)
			fclose(fp);
		return -1;
	}
	n = fread(o->expr, 1, FF_EXPR_FILE_MAX + 1, fp);
	if (ferror(fp) || n > FF_EXPR_FILE_MAX) {
		diag_warn("-f %s: %s", o->expr_file, ferror(fp) ? strerror(errno) :
		    "longer than 1 MB");
		fclose(fp);
		return -1;
	}
	fclose(fp);
	o->expr[n] = '\0';
	o->expr_len = n;
	if (memchr(o->expr, '\0', n) != NULL) {
		diag_warn("-f %s: NUL byte in the expression", o->expr_file);
		return -1;
	}
	return 0;
}

int ff_options_parse(int argc, char **argv, struct ff_options *o)
{
	static const struct option longs[] = {
		TOOLOPTS_LONG,
		{ "absent-zero", no_argument, NULL, OPT_ABSENT_ZERO },
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = { .usage = usage, .path = &o->path, .strict = &o->strict };
	int c, rc;

	*o = (struct ff_options){ 0 };
	/* '+': options end at the first operand, so no word of the expression is an option */
	while ((c = getopt_long(argc, argv, "+hvcdr:o:f:", longs, NULL)) != -1) {
		switch (c) {
		case 'v': o->invert = true; break;
		case 'c': o->count = true; break;
		case 'd': o->dump = true; break;
		case 'o': o->split = optarg; break;
		case 'f': o->expr_file = optarg; break;
		case OPT_ABSENT_ZERO: o->absent_zero = true; break;
		default:
			if ((rc = toolopt_take(&shared, c, optarg)) != 0)
				return rc;
		}
	}
	if (o->expr_file != NULL && optind < argc) {
		diag_warn("an expression with -f and as arguments: give one");
		return 2;
	}
	if (o->expr_file == NULL && optind >= argc) {
		diag_warn("no expression");
		usage(stderr);
		return 2;
	}
	if (o->expr_file != NULL ? read_file(o) : join_args(argc, argv, o)) {
		if (o->expr_file == NULL)
			diag_warn("out of memory");
		return 2;
	}
	return 0;
}

void ff_options_where(const struct ff_options *o, size_t pos, char *buf, size_t cap)
{
	size_t line = 1, col = 1;

	if (o->expr_file == NULL) {
		snprintf(buf, cap, "expression:%zu", pos + 1);
		return;
	}
	for (size_t i = 0; i < pos && i < o->expr_len; i++) {
		if (o->expr[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	snprintf(buf, cap, "%s:%zu:%zu", o->expr_file, line, col);
}

void ff_options_free(struct ff_options *o)
{
	free(o->expr);
	o->expr = NULL;
}
