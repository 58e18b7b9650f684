/*
 * flow-filter: keeps the flow lines an nfdump-style expression selects,
 * byte for byte as they came; headers and comments pass through. The
 * expression is compiled once; a line is converted only in the fields
 * the expression reads (flowline_subset.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/runsignals.h"
#include "dump.h"
#include "eval.h"
#include "line/flowline.h"
#include "line/flowline_subset.h"
#include "line/toolopts.h"
#include "options.h"
#include "parser.h"

struct run {
	struct ff_options opt;
	struct ftree tree;
	struct flow_reader rd;		/* its line reader and header column map */
	struct flow_subset sub;
	bool planned;			/* sub matches the current header */
	FILE *split;			/* -o */
	struct flowrec rec;
	unsigned long long records, matched, bad, comments;
};

static void report(const struct run *r)
{
	diag_warn("%llu records read, %llu matched, %llu not matched, %llu bad lines, "
	    "%llu comments", r->records, r->matched, r->records - r->matched, r->bad, r->comments);
}

/* Writes the line last read, with the line end it had. */
static int put(FILE *fp, const struct line_reader *lr)
{
	if (fp == NULL)
		return 0;
	if (fwrite_unlocked(lr->line, 1, lr->len, fp) != lr->len ||
	    fputs_unlocked(lr->eol, fp) == EOF)
		return -1;
	return 0;
}

/* Headers and comments go to every output. */
static int pass_on(struct run *r)
{
	if (put(r->opt.count ? NULL : stdout, &r->rd.lr) < 0)
		return -1;
	return put(r->split, &r->rd.lr);
}

/* The fields the input has (set): fatal when the expression needs more. */
static int plan(struct run *r, const signed char *cols, int ncols, flow_fieldset set)
{
	flow_fieldset missing = r->tree.needs & ~set;

	if (missing != 0 && !r->opt.absent_zero) {
		int f = __builtin_ctz(missing);
		diag_warn("%s:%lu: the expression needs field '%s', which the input lacks "
		    "(--absent-zero reads it as 0)", r->rd.lr.name, r->rd.lr.lineno,
		    flow_field_name((enum flow_field)f));
		return -1;
	}
	/* fields this input lacks read as 0 (--absent-zero), not as a value an
	 * earlier header's lines left behind */
	memset(&r->rec, 0, sizeof r->rec);
	r->rec.exaddr.family = r->rec.srcaddr.family = FLOW_AF_INET;
	r->rec.dstaddr.family = r->rec.nexthop.family = FLOW_AF_INET;
	if (cols != NULL)
		flow_subset_init(&r->sub, cols, ncols, r->tree.needs);
	else
		flow_subset_init_set(&r->sub, set, r->tree.needs);
	r->planned = true;
	return 0;
}

/* 0 header taken, 1 a bad header line (why set), -1 fatal */
static int header(struct run *r, struct why *why)
{
	const struct line_reader *lr = &r->rd.lr;

	if (flow_reader_set_header(&r->rd, lr->line + 2, lr->len - 2, why) < 0)
		return 1;
	if (plan(r, r->rd.col, r->rd.ncols, r->rd.fields) < 0)
		return -1;
	return pass_on(r) < 0 ? -1 : 0;
}

/* 0 kept or not, 1 a bad line (why set), -1 fatal */
static int record(struct run *r, struct why *why)
{
	const struct line_reader *lr = &r->rd.lr;
	bool keep;

	if (!r->planned) {
		int n = 1;
		for (size_t i = 0; i < lr->len; i++)
			n += lr->line[i] == ',';
		flow_fieldset set = flow_subset_headerless(n);
		if (set == 0)
			return why_set(why, "%d fields and no #: header (want 24 or 18)", n), 1;
		if (plan(r, NULL, 0, set) < 0)
			return -1;
	}
	if (flow_subset_parse(&r->sub, lr->line, lr->len, &r->rec, why) < 0)
		return 1;
	r->records++;
	keep = ftree_match(&r->tree, &r->rec);
	r->matched += keep;
	keep ^= r->opt.invert;
	if (keep && r->opt.count)
		return 0;
	return put(keep ? stdout : r->split, lr) < 0 ? -1 : 0;
}

/* What one line is and what becomes of it: 0 go on, 1 bad line, -1 fatal. */
static int one_line(struct run *r, struct why *why)
{
	const struct line_reader *lr = &r->rd.lr;

	if (lr->partial || lr->continued) {
		if (lr->continued)
			return 0;	/* the rest of a line already reported */
		return why_set(why, "line longer than %d bytes", FLOW_READ_LINE_MAX), 1;
	}
	if (lr->cut)
		return why_set(why, LINE_CUT_TEXT), 1;
	if (lr->has_nul)
		return why_set(why, "NUL byte in line"), 1;
	if (lr->len == 0)
		return why_set(why, "empty line"), 1;
	if (lr->line[0] == '#' && lr->len > 1 && lr->line[1] == ':')
		return header(r, why);
	if (lr->line[0] == '#') {
		r->comments++;
		return pass_on(r);
	}
	return record(r, why);
}

static int flush_all(struct run *r)
{
	int rc = fflush(stdout);

	if (r->split != NULL && fflush(r->split) != 0)
		rc = EOF;
	return rc == 0 ? 0 : -1;
}

/* 0 input ended (or a stop signal), 1 stopped at a bad line (--strict), 2 fatal */
static int run_loop(struct run *r)
{
	struct line_reader *lr = &r->rd.lr;
	struct why why;

	for (;;) {
		if (run_usr1_take())
			report(r);
		if (run_stop)
			line_reader_stop(lr);
		/* a live pipe never sits on kept lines while we wait for input */
		if (!line_reader_ready(lr) && flush_all(r) < 0)
			return 2;
		switch (line_reader_next(lr)) {
		case LINE_OK:
			break;
		case LINE_EOF:
			return 0;
		case LINE_INTR:
			continue;
		case LINE_IOERR:
			diag_warn_errno("%s: read error", lr->name);
			errno = 0;	/* said: not a write error */
			return 2;
		}
		switch (one_line(r, &why)) {
		case 0:
			continue;
		case 1:
			r->bad++;
			diag_warn("%s:%lu: %s", lr->name, lr->lineno, why.text);
			if (r->opt.strict)
				return 1;
			continue;
		default:
			return 2;
		}
	}
}

static int compile(struct run *r)
{
	struct parse_error err;
	char where[256];

	if (filter_compile(r->opt.expr, r->opt.expr_len, &r->tree, &err) == 0)
		return 0;
	ff_options_where(&r->opt, err.pos, where, sizeof where);
	diag_warn("%s: %s", where, err.text);
	return -1;
}

static int open_io(struct run *r)
{
	if (r->opt.split != NULL && (r->split = fopen(r->opt.split, "w")) == NULL) {
		diag_warn_errno("-o %s", r->opt.split);
		return -1;
	}
	if (flow_reader_open(&r->rd, r->opt.path, r->opt.strict) < 0) {
		diag_warn_errno("%s", r->opt.path);
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct run r;
	static char obuf[1 << 16];
	int rc;

	if (tool_start(FF_PROG) < 0)
		return 2;
	rc = ff_options_parse(argc, argv, &r.opt);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	/* the expression first: a syntax error reads nothing */
	if (compile(&r) < 0) {
		ff_options_free(&r.opt);
		return 2;
	}
	if (r.opt.dump) {
		rc = ftree_dump(&r.tree, stdout) < 0 ? 2 : 0;
		ftree_free(&r.tree);
		ff_options_free(&r.opt);
		return rc;
	}
	if (open_io(&r) < 0) {
		ff_options_free(&r.opt);
		return 2;
	}
	run_signals_install();
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	errno = 0;
	rc = run_loop(&r);
	if (rc != 2 && r.opt.count)
		printf("%llu\n", r.opt.invert ? r.records - r.matched : r.matched);
	if (flush_all(&r) < 0 || (r.split != NULL && fclose(r.split) != 0)) {
		diag_warn_errno("write");
		rc = 2;
	} else if (rc == 2 && errno != 0) {
		diag_warn_errno("write");
	}
	report(&r);
	if (rc == 0 && r.bad > 0)
		rc = 1;
	flow_reader_close(&r.rd);
	ftree_free(&r.tree);
	ff_options_free(&r.opt);
	return rc;
}
