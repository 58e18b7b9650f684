/*
 * flow-load: reads the line format and loads it into SQLite, PostgreSQL,
 * ClickHouse or MySQL/MariaDB, in batches that each land exactly once
 * (loader.h), one backend behind one interface (target.h).
 */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/optnum.h"
#include "base/runsignals.h"
#include "flow/flowclock.h"
#include "line/flowline.h"
#include "line/toolopts.h"
#include "loader.h"

#define PROG "flow-load"
#define BATCH_ROWS_DEFAULT 50000u
#define BATCH_MS_DEFAULT 1000u
#define GIVE_UP_DEFAULT_S 300.0
#define BATCH_ROWS_MAX 10000000u

struct options {
	const char *path, *target, *source;
	uint64_t batch_rows, batch_ms, give_up_ms;
	bool strict;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROG " [-r FILE] [-b ROWS] [-t MS] [-S SOURCE] [-w SECS] [--strict] TARGET\n"
	    "  loads flow lines into a database; TARGET is one of\n"
	    "    sqlite:PATH\n"
	    "    postgresql://[USER@]HOST[:PORT]/DB, or a libpq conninfo (host=... dbname=...)\n"
	    "    clickhouse://HOST[:PORT]/DB (HTTP interface, default port 8123)\n"
	    "    mysql://USER[:PASS]@HOST[:PORT]/DB[?socket=PATH]\n"
	    "  -r FILE     read FILE instead of stdin\n"
	    "  -b ROWS     commit every ROWS records (default %u; k, M suffixes)\n"
	    "  -t MS       commit a batch at most MS ms after its first record (default %u)\n"
	    "  -S SOURCE   name of the input in batch ids (default: the file's absolute\n"
	    "              path; for stdin a name unique to this run)\n"
	    "  -w SECS     give up a batch after SECS without reaching the database\n"
	    "              (default %g)\n"
	    "  --strict    stop at the first bad line (what was read before is loaded)\n"
	    "  -h, --version\n",
	    BATCH_ROWS_DEFAULT, BATCH_MS_DEFAULT, GIVE_UP_DEFAULT_S);
}

static int bad_opt(int c, const char *want, const char *arg)
{
	fprintf(stderr, PROG ": -%c: want %s: %s\n", c, want, arg);
	return 2;
}

/* 0 run, 1 exit 0 (help/version), 2 usage error */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		TOOLOPTS_LONG,
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = { .usage = usage, .path = &o->path, .strict = &o->strict };
	int c, rc;

	*o = (struct options){ .batch_rows = BATCH_ROWS_DEFAULT, .batch_ms = BATCH_MS_DEFAULT,
	    .give_up_ms = (uint64_t)(GIVE_UP_DEFAULT_S * 1000) };
	while ((c = getopt_long(argc, argv, "hr:b:t:S:w:", longs, NULL)) != -1) {
		switch (c) {
		case 'b':
			if (optnum_count(optarg, BATCH_ROWS_MAX, &o->batch_rows) < 0)
				return bad_opt(c, "a count of rows (1 to 10M)", optarg);
			break;
		case 't':
			if (optnum_uint(optarg, 10, 86400000u, &o->batch_ms) < 0)
				return bad_opt(c, "milliseconds (0 to 86400000)", optarg);
			break;
		case 'S':
			o->source = optarg;
			break;
		case 'w':
			if (optnum_secs(optarg, strlen(optarg), 86400.0, &o->give_up_ms) < 0)
				return bad_opt(c, "seconds (0 to 86400)", optarg);
			break;
		default:
			if ((rc = toolopt_take(&shared, c, optarg)) != 0)
				return rc;
		}
	}
	if (optind + 1 != argc) {
		fprintf(stderr, PROG ": %s\n", optind == argc ? "no target given" :
		    "one target only");
		usage(stderr);
		return 2;
	}
	o->target = argv[optind];
	return 0;
}

/*
 * The batch-id source: a file by its absolute path (so loading it again
 * skips what landed), stdin by a name no other run has.
 */
static const char *default_source(const char *path, char *buf, size_t len)
{
	char host[64] = "localhost";
	struct timespec ts;

	if (path != NULL && strcmp(path, "-") != 0 && realpath(path, buf) != NULL)
		return buf;
	gethostname(host, sizeof host - 1);
	clock_gettime(CLOCK_REALTIME, &ts);
	snprintf(buf, len, "stdin:%s:%ld:%lld.%09ld", host, (long)getpid(),
	    (long long)ts.tv_sec, ts.tv_nsec);
	return buf;
}

struct run {
	struct options opt;
	struct flow_reader rd;
	struct batch b;
	struct loader ld;
	uint64_t batch_start;
	unsigned long bad_time;	/* records whose times fall before 1970 */
	bool failed;		/* a batch could not be loaded */
};

static void report(const struct run *r)
{
	const struct loader_counters *n = &r->ld.n;

	fprintf(stderr, PROG ": %lu records read, %llu loaded in %llu batches, %llu retries, "
	    "%llu refused by the database, %llu already loaded (%llu batches), %lu bad lines, "
	    "%lu comments\n", r->rd.records, (unsigned long long)n->loaded,
	    (unsigned long long)n->batches, (unsigned long long)n->retries,
	    (unsigned long long)n->refused, (unsigned long long)n->skipped,
	    (unsigned long long)n->skipped_batches, r->rd.bad + r->bad_time, r->rd.comments);
}

static int flush_batch(struct run *r)
{
	int rc = loader_load(&r->ld, &r->b);

	batch_clear(&r->b);
	if (rc < 0)
		r->failed = true;
	return rc;
}

/*
 * Waits for input until the batch is due: 1 due now, 0 input is ready,
 * -1 a signal came (its flag is to be looked at before reading on).
 */
static int batch_due(struct run *r)
{
	if (r->b.n == 0)
		return 0;
	uint64_t age = loader_now_ms() - r->batch_start;
	if (age >= r->opt.batch_ms)
		return 1;
	if (line_reader_ready(&r->rd.lr))
		return 0;
	int w = line_reader_wait(&r->rd.lr, (int)(r->opt.batch_ms - age));
	return w < 0 ? -1 : w == 0;
}

/* The uptimes first and last (and rfirst, rlast when read) lie after the epoch. */
static bool times_fit(const struct flowrec *r, bool reverse)
{
	uint64_t now = flow_export_ms(r);
	uint32_t up[4] = { r->first, r->last, r->rfirst, r->rlast };

	for (int i = 0; i < (reverse ? 4 : 2); i++)
		if ((uint32_t)(r->sysuptime - up[i]) > now)
			return false;
	return true;
}

/* 0 input ended (or stop asked), 1 stopped at a bad line (--strict), 2 fatal */
static int run_loop(struct run *r)
{
	struct flowrec rec;
	bool stopping = false;

	for (;;) {
		if (run_usr1_take())
			report(r);
		if (run_stop && !stopping) {
			line_reader_stop(&r->rd.lr);
			stopping = true;
		}
		int due = batch_due(r);
		if (due < 0)
			continue;
		if (due && flush_batch(r) < 0)
			return 2;
		switch (flow_read(&r->rd, &rec)) {
		case FLOW_READ_RECORD:
			break;
		case FLOW_READ_COMMENT:
		case FLOW_READ_INTR:
			continue;
		case FLOW_READ_EOF:
			return flush_batch(r) < 0 ? 2 : 0;
		case FLOW_READ_STOP:
			if (flush_batch(r) < 0)
				return 2;
			return r->rd.strict && r->rd.bad > 0 ? 1 : 2;
		}
		bool reverse = (r->rd.fields & FLOW_FIELDS_REVERSE) != 0;
		if (!times_fit(&rec, reverse)) {
			diag_warn("%s:%lu: a packet time before 1970 (uptime further back than the "
			    "export clock): skipped", r->rd.lr.name, r->rd.lr.lineno);
			r->bad_time++;
			if (r->opt.strict)
				return flush_batch(r) < 0 ? 2 : 1;
			continue;
		}
		if (r->b.n == 0)
			r->batch_start = loader_now_ms();
		batch_add(&r->b, &rec, r->rd.lr.lineno, reverse);
		if (batch_full(&r->b) && flush_batch(r) < 0)
			return 2;
	}
}

int main(int argc, char **argv)
{
	static struct run r;
	static char source[PATH_MAX + 128];
	struct why w = { "" };
	int rc;

	if (tool_start(PROG) < 0)
		return 2;
	rc = parse_args(argc, argv, &r.opt);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	const struct target_ops *ops = target_lookup(r.opt.target, &w);
	if (ops == NULL) {
		diag_warn("%s", w.text);
		return 2;
	}
	if (flow_reader_open(&r.rd, r.opt.path, r.opt.strict) < 0) {
		diag_warn_errno("%s", r.opt.path);
		return 2;
	}
	if (batch_init(&r.b, (size_t)r.opt.batch_rows) < 0) {
		diag_warn("out of memory for a batch of %llu rows",
		    (unsigned long long)r.opt.batch_rows);
		return 2;
	}
	r.ld = (struct loader){ .ops = ops, .spec = r.opt.target, .input_name = r.rd.lr.name,
	    .give_up_ms = (unsigned)r.opt.give_up_ms,
	    .source = r.opt.source ? r.opt.source :
	    default_source(r.opt.path, source, sizeof source) };
	run_signals_install();	/* before the wait for a database that is not up yet */
	rc = loader_open(&r.ld) < 0 ? 2 : run_loop(&r);
	report(&r);
	if (rc == 0 && (r.rd.bad > 0 || r.bad_time > 0 || r.ld.n.refused > 0))
		rc = 1;
	loader_close(&r.ld);
	batch_free(&r.b);
	flow_reader_close(&r.rd);
	return rc;
}
