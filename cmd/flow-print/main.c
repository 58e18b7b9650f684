/*
 * flow-print: flow lines for people. An aligned table (or csv, JSON, a
 * template) streamed as flows come, sorted with -O, or top-N statistics
 * with -s; a totals block at the end. Time is the records' own (the v5
 * clock), shown local or -u UTC.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/runsignals.h"
#include "line/flowline.h"
#include "line/toolopts.h"
#include "options.h"
#include "output.h"
#include "statreport.h"
#include "stats.h"

#define PROG "flow-print"
/* what a group sums and spans: the v5 clock and both directions' counters */
#define STATS_FIELDS (1u << FF_UNIX_SECS | 1u << FF_UNIX_NSECS | 1u << FF_SYSUPTIME | \
	1u << FF_FIRST | 1u << FF_LAST | 1u << FF_DPKTS | 1u << FF_DOCTETS | \
	1u << FF_RDPKTS | 1u << FF_RDOCTETS | 1u << FF_RFIRST | 1u << FF_RLAST)

struct run {
	struct options opt;
	struct flow_reader rd;
	struct timefmt tf;
	struct output out;
	struct sorter sorter;
	struct stats stats;
	struct totals totals;
	unsigned long bad, bad_time, clamped, comments;
	bool stopping, told_runs;
	bool input_failed;	/* an input could not be opened or read: the rest is printed */
};

static void report(const struct run *r)
{
	char runs[64] = "";

	if (r->sorter.runs > 1)
		snprintf(runs, sizeof runs, ", sorted in %lu runs of -m %zu", r->sorter.runs,
		    r->opt.max_flows);
	diag_warn("%llu flows, %lu bad lines, %lu skipped (time before 1970), "
	    "%lu clamped (last before first), %lu comments%s", (unsigned long long)r->totals.flows,
	    r->bad + r->rd.bad, r->bad_time, r->clamped, r->comments + r->rd.comments, runs);
}

static int emit_sorted(void *ctx, const struct flowview *v)
{
	struct run *r = ctx;

	return output_row(&r->out, v);
}

static int take_sorted(struct run *r, const struct flowview *v)
{
	if (r->sorter.n == r->opt.max_flows && !r->told_runs) {
		r->told_runs = true;
		diag_warn("%s:%lu: more than -m %zu flows: the output is sorted in runs "
		    "of %zu, this line starts the next", r->rd.lr.name, r->rd.lr.lineno,
		    r->opt.max_flows, r->opt.max_flows);
	}
	return sorter_add(&r->sorter, v);
}

/* A record whose times are off, named as a bad line is. 1 to stop (--strict), else 0. */
static int time_fault(const struct run *r, const char *why)
{
	diag_warn("%s:%lu: %s", r->rd.lr.name, r->rd.lr.lineno, why);
	return r->opt.strict ? 1 : 0;
}

/* A record read: its times checked, counted, then table, sort or statistics. */
static int take(struct run *r, const struct flowrec *rec)
{
	struct flowview v;

	switch (flowview_make(&v, rec)) {
	case FLOWVIEW_OK:
		break;
	case FLOWVIEW_BEFORE_EPOCH:
		r->bad_time++;
		return time_fault(r, "a time before 1970 (uptime further back than the export "
		    "clock): skipped");
	case FLOWVIEW_CLAMPED:
		r->clamped++;
		if (time_fault(r, "last packet before first: end shown as the start, counters "
		    "kept"))
			return 1;
		break;
	}
	totals_add(&r->totals, &v);
	if (r->opt.stats)
		return stats_add(&r->stats, &v) < 0 ? 2 : 0;
	if (output_start(&r->out, (r->rd.fields & FLOW_FIELDS_REVERSE) != 0) < 0)
		return 2;
	if (r->opt.sort != SORT_NONE)
		return take_sorted(r, &v) < 0 ? 2 : 0;
	return output_row(&r->out, &v) < 0 ? 2 : 0;
}

/*
 * The fields a run converts (and so checks): statistics only their key,
 * the clock and the counters (a line bad in another field still counts,
 * as in flow-filter); every flow output (0) all of them.
 */
static flow_fieldset wanted(const struct options *o)
{
	return o->stats ? STATS_FIELDS | statkey_fields(&o->key) : 0;
}

/* One input to its end (or a stop). 0, 1 stopped at a bad line (--strict), 2 fatal. */
static int read_all(struct run *r)
{
	struct flowrec rec;
	bool streaming = !r->opt.stats && r->opt.sort == SORT_NONE;
	int rc;

	for (;;) {
		if (run_usr1_take())
			report(r);
		if (run_stop && !r->stopping) {
			r->stopping = true;	/* read no more, print what was read */
			line_reader_stop(&r->rd.lr);
		}
		/* a terminal or pipe never sits on printed flows while input waits */
		if (streaming && !line_reader_ready(&r->rd.lr) && output_flush(&r->out) < 0)
			return 2;
		switch (flow_read(&r->rd, &rec)) {
		case FLOW_READ_RECORD:
			if ((rc = take(r, &rec)) != 0)
				return rc;
			continue;
		case FLOW_READ_COMMENT:
		case FLOW_READ_INTR:
			continue;
		case FLOW_READ_EOF:
			return 0;
		case FLOW_READ_STOP:
			if (r->rd.strict && r->rd.bad > 0)
				return 1;
			r->input_failed = true;	/* a read error, said by the reader */
			errno = 0;
			return 2;
		}
	}
}

static int read_inputs(struct run *r)
{
	int n = r->opt.nfiles == 0 ? 1 : r->opt.nfiles, rc = 0;

	for (int i = 0; i < n && rc == 0 && !r->stopping; i++) {
		const char *path = r->opt.nfiles == 0 ? NULL : r->opt.files[i];
		if (flow_reader_open(&r->rd, path, r->opt.strict) < 0) {
			diag_warn("%s: %s", path ? path : "stdin", strerror(errno));
			errno = 0;	/* said */
			r->input_failed = true;
			return 2;
		}
		flow_reader_want(&r->rd, wanted(&r->opt));
		rc = read_all(r);
		r->bad += r->rd.bad;
		r->comments += r->rd.comments;
		flow_reader_close(&r->rd);
		memset(&r->rd, 0, sizeof r->rd);
	}
	return rc;
}

/* What was read goes out: sorted runs, statistics, the totals block. */
static int finish(struct run *r)
{
	unsigned long malformed = r->bad + r->bad_time;

	if (r->opt.stats) {
		struct statreport_opts so = { r->opt.top, r->opt.header, r->opt.human };
		if (stats_finish(&r->stats) < 0)
			return -1;
		if (statreport_print(&r->stats, &r->totals, stdout, &so) < 0)
			return -1;
		if (r->opt.header && totals_print(&r->totals, stdout, "", &r->tf, r->opt.human,
		    malformed) < 0)
			return -1;
		return fflush(stdout) == 0 ? 0 : -1;
	}
	if (sorter_flush(&r->sorter) != 0)
		return -1;
	return output_finish(&r->out, &r->totals, malformed);
}

int main(int argc, char **argv)
{
	static struct run r;
	static char obuf[1 << 16];
	int rc;

	if (tool_start(PROG) < 0)
		return 2;
	rc = options_parse(&r.opt, argc, argv);
	if (rc != 0) {
		options_free(&r.opt);
		return rc == 1 ? 0 : 2;
	}
	timefmt_init(&r.tf, r.opt.utc);
	output_init(&r.out, &r.opt, stdout, &r.tf);
	sorter_init(&r.sorter, r.opt.sort, r.opt.max_flows, emit_sorted, &r);
	if (r.opt.stats && stats_init(&r.stats, &r.opt.key) < 0) {
		diag_warn("out of memory");
		return 2;
	}
	run_signals_install();
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);

	errno = 0;
	rc = read_inputs(&r);
	/*
	 * End of input, a signal, --strict or an input that failed: what was
	 * read is printed (not after an output or memory fault).
	 */
	if ((rc != 2 || r.input_failed) && finish(&r) < 0)
		rc = 2;
	if (rc == 2 && errno != 0)
		diag_warn("%s", strerror(errno));
	report(&r);
	if (rc == 0 && (r.bad > 0 || r.bad_time > 0 || r.clamped > 0))
		rc = 1;
	if (r.opt.stats)
		stats_free(&r.stats);
	sorter_free(&r.sorter);
	output_free(&r.out);
	options_free(&r.opt);
	return rc;
}
