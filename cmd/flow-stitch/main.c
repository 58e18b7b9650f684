/*
 * flow-stitch: rejoins the records of flows that exporters split (active
 * timeout, early TCP end) into one record per flow, or with -b one per
 * connection. A filter on the line format; time is the records' own.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/optnum.h"
#include "base/runsignals.h"
#include "flowkey.h"
#include "line/flowline.h"
#include "line/toolopts.h"
#include "stitch.h"

#define PROG "flow-stitch"
#define IDLE_DEFAULT_S 60.0	/* -i */
#define FIN_GAP_DEFAULT_S 310.0	/* -g: Bro's restitcher waited 310 s after FIN/RST */
#define WINDOW_DEFAULT_S 1800.0	/* -w: a common active timeout (Cisco, pcap-flows) */
#define MAX_FLOWS_DEFAULT 1000000u
#define SECS_MAX 4294967.0	/* 2^32 ms: the span v5 uptimes can tell */

struct options {
	const char *path;
	flow_fieldset fields, key;
	bool fields_set, key_set, header, strict;
	struct stitch_opts st;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROG " [-bH] [-r FILE] [-k FIELD,...] [-i SECS] [-g SECS] [-w SECS]\n"
	    "                   [-m FLOWS] [-o FIELD,...] [--strict]\n"
	    "  merges flow records that exporters split back into one record per flow\n"
	    "  -r FILE     read FILE instead of stdin\n"
	    "  -k FIELDS   key (default exaddr,engine_type,engine_id,srcaddr,dstaddr,\n"
	    "              srcport,dstport,prot,input; with -b without input)\n"
	    "  -i SECS     idle gap: a record joins when it starts within SECS of the\n"
	    "              flow's last packet (default %g)\n"
	    "  -g SECS     the same after FIN or RST, and then never a SYN (default %g)\n"
	    "  -w SECS     input may be out of order by SECS of record start: TCP records\n"
	    "              wait that long and are taken in start order (default %g)\n"
	    "  -m FLOWS    open flows held at most (k, M suffixes); beyond, the one\n"
	    "              closest to finishing is written early\n"
	    "              (default %u, about %zu bytes each, %zu with -b); as many\n"
	    "              records wait at most (about %zu bytes each)\n"
	    "  -b          one line per connection: both directions, reverse counters in\n"
	    "              rdpkts,rdoctets,rtcp_flags,rfirst,rlast\n"
	    "  -o FIELDS   write only these fields (canonical order)\n"
	    "  -H          no #: header line\n"
	    "  --strict    stop at the first bad line\n"
	    "  -h, --version\n",
	    IDLE_DEFAULT_S, FIN_GAP_DEFAULT_S, WINDOW_DEFAULT_S, MAX_FLOWS_DEFAULT,
	    stitch_flow_bytes(false), stitch_flow_bytes(true), stitch_wait_bytes());
}

/* 0 run, 1 exit 0 (help/version), 2 usage error */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		TOOLOPTS_LONG,
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = { .usage = usage, .path = &o->path, .fields = &o->fields,
	    .fields_set = &o->fields_set, .header = &o->header, .strict = &o->strict };
	struct why err;
	uint64_t count;
	int c, rc;

	*o = (struct options){ .header = true, .st = { .max_flows = MAX_FLOWS_DEFAULT } };
	o->st.idle_ms = (uint64_t)(IDLE_DEFAULT_S * 1000);
	o->st.fin_gap_ms = (uint64_t)(FIN_GAP_DEFAULT_S * 1000);
	o->st.window_ms = (uint64_t)(WINDOW_DEFAULT_S * 1000);
	while ((c = getopt_long(argc, argv, "bhHr:k:i:g:w:m:o:", longs, NULL)) != -1) {
		switch (c) {
		case 'b':
			o->st.bidir = true;
			break;
		case 'k':
			if (flowkey_parse(optarg, &o->key, &err) < 0) {
				diag_warn("-k: %s", err.text);
				return 2;
			}
			o->key_set = true;
			break;
		case 'i':
		case 'g':
		case 'w': {
			uint64_t *dst = c == 'i' ? &o->st.idle_ms :
			    c == 'g' ? &o->st.fin_gap_ms : &o->st.window_ms;
			if (optnum_secs(optarg, strlen(optarg), SECS_MAX, dst) < 0) {
				diag_warn("-%c: want seconds (0 to 4294967): %s", c, optarg);
				return 2;
			}
			break;
		}
		case 'm':
			if (optnum_count(optarg, SIZE_MAX / 2, &count) < 0) {
				diag_warn("-m: want a positive count (k, M allowed): %s", optarg);
				return 2;
			}
			o->st.max_flows = (size_t)count;
			break;
		default:
			if ((rc = toolopt_take(&shared, c, optarg)) != 0)
				return rc;
		}
	}
	if ((rc = toolopt_no_operands(&shared, argc, argv)) != 0)
		return rc;
	/* a connection's two directions come in on different interfaces */
	o->st.key = o->key_set ? o->key :
	    o->st.bidir ? FLOWKEY_DEFAULT & ~(1u << FF_INPUT) : FLOWKEY_DEFAULT;
	return 0;
}

struct run {
	struct options opt;
	struct flow_reader rd;
	struct flow_writer w;
	bool told_columns;	/* -H: reverse fields that came too late, said */
	struct stitch *st;
};

/* The output's first fields: -o's, or the default ones and, with -b, the reverse five. */
static flow_fieldset first_fields(const struct options *o)
{
	if (o->fields_set)
		return o->fields;
	return FLOW_FIELDS_DEFAULT | (o->st.bidir ? FLOW_FIELDS_REVERSE : 0);
}

/* The output's fields can no longer change: -o, or the reverse ones are in. */
static bool fields_final(const struct run *r)
{
	return r->opt.fields_set || (r->w.fields & FLOW_FIELDS_REVERSE);
}

/*
 * Without -o the output also carries the reverse fields once an input's
 * header names them, from the record it is read for on: under a new #:
 * header when records without them went out before (a header comes
 * anywhere). Under -H the columns cannot change: that is said once, and
 * the reverse counters of that input are not written.
 */
static void output_fields(struct run *r)
{
	if (fields_final(r) || !(r->rd.fields & FLOW_FIELDS_REVERSE))
		return;
	if (r->w.started && !r->opt.header) {
		if (!r->told_columns)
			diag_warn("%s:%lu: the input names reverse fields, but the output's "
			    "columns (-H) went out without them: not written; give -b or -o",
			    r->rd.lr.name, r->rd.lr.lineno);
		r->told_columns = true;
		return;
	}
	flow_writer_set_fields(&r->w, r->w.fields | FLOW_FIELDS_REVERSE);
}

static int emit(void *ctx, const struct flowrec *rec)
{
	struct run *r = ctx;

	output_fields(r);
	return flow_write(&r->w, rec);
}

static void report(const struct run *r)
{
	const struct stitch_counters *n = stitch_counters(r->st);
	unsigned long long held = n->flows + n->open + n->waiting;

	diag_warn("%llu records in, %llu flows out, %llu merged, %zu open "
	    "(peak %zu), %llu written early (-m), %llu taken out of order (-m), "
	    "%llu late (beyond -w), %llu split "
	    "(span too long), %llu split (counter overflow), %llu clamped (last before "
	    "first), %llu bad lines, %lu comments", n->records, n->flows,
	    n->records > held ? n->records - held : 0ull,
	    n->open, n->peak, n->early, n->unsorted, n->late, n->split_long,
	    n->split_overflow, n->clamped, (unsigned long long)r->rd.bad + n->bad_time,
	    r->rd.comments);
}

/* The output failed: said once, with errno as the write left it. */
static int write_failed(void)
{
	diag_warn_errno("write");
	return 2;
}

/*
 * 0 input ended (or stop asked and what was read is taken), 1 stopped at a
 * bad line (--strict), 2 fatal (said), 3 the input failed (said by the
 * reader): what was read is still taken.
 */
static int run_loop(struct run *r)
{
	struct flowrec rec;
	bool stopping = false;

	for (;;) {
		const char *why = NULL;

		if (run_usr1_take())
			report(r);
		/* read no more, but take what was read: its records are in no other place */
		if (run_stop && !stopping) {
			line_reader_stop(&r->rd.lr);
			stopping = true;
		}
		/* a live pipe never sits on written flows while we wait for input */
		if (!line_reader_ready(&r->rd.lr) && fflush(stdout) != 0)
			return write_failed();
		switch (flow_read(&r->rd, &rec)) {
		case FLOW_READ_RECORD:
			break;
		case FLOW_READ_COMMENT:
			/* the header first, unless a header still to come may widen it */
			if ((fields_final(r) && flow_writer_start(&r->w) < 0) ||
			    flow_write_comment(&r->w, r->rd.lr.line, r->rd.lr.len) < 0)
				return write_failed();
			continue;
		case FLOW_READ_EOF:
			return 0;
		case FLOW_READ_INTR:
			continue;
		case FLOW_READ_STOP:
			return r->rd.failed ? 3 : 1;
		}
		switch (stitch_add(r->st, &rec)) {
		case STITCH_OK:
			break;
		case STITCH_BAD_TIME:
			why = "a time before 1970 (uptime further back than the export clock): "
			    "skipped";
			break;
		case STITCH_CLAMPED:
			why = "last packet before first: last set to first, counters kept";
			break;
		case STITCH_EMIT_FAILED:
			return write_failed();
		case STITCH_NOMEM:
			diag_warn("out of memory");
			return 2;
		}
		if (why != NULL) {
			diag_warn("%s:%lu: %s", r->rd.lr.name, r->rd.lr.lineno, why);
			if (r->opt.strict)
				return 1;
		}
	}
}

int main(int argc, char **argv)
{
	static struct run r;
	static char obuf[1 << 16];
	const struct stitch_counters *n;
	int rc;

	if (tool_start(PROG) < 0)
		return 2;
	rc = parse_args(argc, argv, &r.opt);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	if (flow_reader_open(&r.rd, r.opt.path, r.opt.strict) < 0) {
		diag_warn_errno("%s", r.opt.path);
		return 2;
	}
	r.st = stitch_new(&r.opt.st, emit, &r);
	if (r.st == NULL) {
		diag_warn("out of memory");
		flow_reader_close(&r.rd);
		return 2;
	}
	run_signals_install();
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	flow_writer_init(&r.w, stdout, first_fields(&r.opt), r.opt.header, false);

	rc = run_loop(&r);
	/*
	 * End of input, a signal, --strict or a read error: every open flow is
	 * written (what was read is in no other place); only a failed output
	 * or memory ends the run without them.
	 */
	if (rc != 2 && stitch_finish(r.st) < 0)
		rc = write_failed();
	if (rc != 2 && flow_writer_flush(&r.w) < 0)
		rc = write_failed();
	report(&r);
	if (rc == 3)
		rc = 2;
	n = stitch_counters(r.st);
	if (rc == 0 && (r.rd.bad > 0 || n->bad_time > 0 || n->clamped > 0 || r.told_columns))
		rc = 1;
	stitch_free(r.st);
	flow_reader_close(&r.rd);
	return rc;
}
