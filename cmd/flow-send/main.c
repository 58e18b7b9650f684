/*
 * flow-send: exports flow lines as NetFlow v5, v9 or IPFIX datagrams to
 * one or more collectors, the last stage of an exporter pipeline
 * (`... | flow-send 0/192.0.2.9/2055`). Datagrams are filled across
 * export moments; a partial one leaves after -f ms so a live pipe is
 * never held.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/diag.h"
#include "base/optnum.h"
#include "base/runsignals.h"
#include "exporter.h"
#include "line/flowline.h"
#include "line/toolopts.h"

#define PROG "flow-send"
#define FLUSH_MS_DEFAULT 1000
#define REFRESH_PACKETS_DEFAULT 20
#define REFRESH_SECS_DEFAULT 60
#define MAX_DEST 16

struct options {
	const char *path;
	bool strict;
	int flush_ms;
	struct exporter_options ex;
	struct dest dest[MAX_DEST];
	int ndest;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROG " [-V 5|9|10] [-r FILE] [-e TYPE/ID] [-S INTERVAL] [-d DOMAIN]\n"
	    "                 [-t DATAGRAMS] [-T SECS] [-f MS] [-x USEC|RATE/s] [--strict]\n"
	    "                 localip/remoteip/port[/ttl] ...\n"
	    "  exports flow lines as NetFlow datagrams to each collector given\n"
	    "  -V 5|9|10   NetFlow v5 (default), v9 or IPFIX\n"
	    "  -r FILE     read FILE instead of stdin\n"
	    "  -e TYPE/ID  engine type and id for every record (default: the records')\n"
	    "  -S N        sampling interval: 1 in N packets (v5 header; v9/IPFIX field 34)\n"
	    "  -d N        v9 source id / IPFIX observation domain (default 0)\n"
	    "  -t N        v9/IPFIX: templates again every N datagrams (default %d, 0 never)\n"
	    "  -T SECS     and every SECS seconds (default %d, 0 never)\n"
	    "  -f MS       a partial datagram leaves MS ms after its first record (default %d)\n"
	    "  -x USEC     at least USEC microseconds between datagrams (flow-tools -x),\n"
	    "  -x N/s      or at most N datagrams a second\n"
	    "  --strict    stop at the first bad line\n"
	    "  -h, --version\n"
	    "  localip 0 means any; IPv6 collectors as ::1/port (e.g. 0/::1/4739)\n",
	    REFRESH_PACKETS_DEFAULT, REFRESH_SECS_DEFAULT, FLUSH_MS_DEFAULT);
}

/* -S: 1 in N packets; v5 keeps N in 14 bits under its 2-bit mode */
static int parse_sampling(const char *arg, struct nf_export_options *e)
{
	uint64_t v;

	/* 1 in 0 packets means nothing; not sampled is no -S */
	if (optnum_uint(arg, 10, NF_SAMPLING_MAX, &v) != 0 || v < 1) {
		diag_warn("-S: want a sampling interval 1..%d: %s", NF_SAMPLING_MAX, arg);
		return 2;
	}
	e->sampling = (uint32_t)v;
	return 0;
}

/* One option of flow-send's own; 0 taken, 2 usage error. */
static int parse_opt(int c, const char *arg, struct options *o)
{
	struct nf_export_options *e = &o->ex.enc;
	uint64_t v;

	switch (c) {
	case 'V':
		if (optnum_uint(arg, 10, 10, &v) != 0 || (v != 5 && v != 9 && v != 10)) {
			diag_warn("-V: want 5, 9 or 10: %s", arg);
			return 2;
		}
		e->version = (int)v;
		return 0;
	case 'e':
		if (optnum_engine(arg, &e->engine_type, &e->engine_id) != 0) {
			diag_warn("-e: want TYPE/ID or ID, each 0..255: %s", arg);
			return 2;
		}
		e->engine_fixed = true;
		return 0;
	case 'S':
		return parse_sampling(arg, e);
	case 'd':
		if (optnum_uint(arg, 10, UINT32_MAX, &v) != 0) {
			diag_warn("-d: want a source id 0..4294967295: %s", arg);
			return 2;
		}
		e->domain = (uint32_t)v;
		return 0;
	case 't':
	case 'T':
		if (optnum_uint(arg, 10, 86400, &v) != 0) {
			diag_warn("-%c: want 0..86400: %s", c, arg);
			return 2;
		}
		if (c == 't')
			e->refresh_packets = (unsigned)v;
		else
			e->refresh_secs = (unsigned)v;
		return 0;
	case 'f':
		if (optnum_uint(arg, 10, 3600000, &v) != 0 || v < 1) {
			diag_warn("-f: want milliseconds 1..3600000: %s", arg);
			return 2;
		}
		o->flush_ms = (int)v;
		return 0;
	default:	/* 'x' */
		if (pace_parse(&o->ex.pace, arg) != 0) {
			diag_warn("-x: want microseconds between datagrams or N/s: %s", arg);
			return 2;
		}
		return 0;
	}
}

/* The operands: one destination each. 0, or 2. */
static int parse_dests(int argc, char **argv, struct options *o)
{
	struct why w;

	if (optind >= argc) {
		diag_warn("no destination (localip/remoteip/port[/ttl])");
		usage(stderr);
		return 2;
	}
	for (; optind < argc; optind++) {
		if (o->ndest == MAX_DEST) {
			diag_warn("at most %d destinations", MAX_DEST);
			return 2;
		}
		if (dest_parse(&o->dest[o->ndest], argv[optind], &w) != 0) {
			diag_warn("%s: %s", argv[optind], w.text);
			return 2;
		}
		o->ndest++;
	}
	return 0;
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

	memset(o, 0, sizeof *o);
	o->flush_ms = FLUSH_MS_DEFAULT;
	o->ex.enc.version = 5;
	o->ex.enc.refresh_packets = REFRESH_PACKETS_DEFAULT;
	o->ex.enc.refresh_secs = REFRESH_SECS_DEFAULT;
	while ((c = getopt_long(argc, argv, "hV:r:e:S:d:t:T:f:x:", longs, NULL)) != -1) {
		switch (c) {
		case 'V': case 'e': case 'S': case 'd': case 't': case 'T': case 'f': case 'x':
			rc = parse_opt(c, optarg, o);
			break;
		default:
			rc = toolopt_take(&shared, c, optarg);
		}
		if (rc != 0)
			return rc;
	}
	return parse_dests(argc, argv, o);
}

struct run {
	struct options opt;
	struct flow_reader rd;
	struct exporter ex;
	uint64_t pending_since;		/* monotonic ms of its first record */
	bool warned_v6;
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/*
 * "records read" counts lines; "reverse" the records made from their
 * reverse counters. skipped, split, truncated, narrowed and clamped count
 * records handed to the encoder (read + reverse); "sent" counts records
 * in datagrams (each part of a split one); "lost" datagrams no collector took.
 */
static void report(const struct run *r)
{
	struct exporter_counts c;

	exporter_counts(&r->ex, &c);
	diag_warn("%lu records read, %lu reverse, %lu sent, %lu skipped (IPv6 in v5), %lu split, "
	    "%lu truncated, %lu narrowed (AS/interface in v5), %lu clamped (times in v9), "
	    "%lu skipped (before 1970 in IPFIX), %lu datagrams, "
	    "%lu lost, %lu refused, %lu retried, %lu send failures, %lu bad lines",
	    r->rd.records, c.reverse, c.enc.sent, c.enc.skipped_v6, c.enc.split, c.enc.truncated,
	    c.enc.narrowed, c.enc.clamped, c.enc.before_epoch, c.enc.datagrams, c.lost, c.refused,
	    c.retries, c.failed, r->rd.bad);
}

/* Records that v5 skips: say so once, with where. */
static void note_v6(struct run *r)
{
	if (r->warned_v6)
		return;
	r->warned_v6 = true;
	diag_warn("%s:%lu: IPv6 record skipped: NetFlow v5 carries IPv4 only "
	    "(further ones are counted, not shown)", r->rd.lr.name, r->rd.lr.lineno);
}

static void add(struct run *r, const struct flowrec *rec)
{
	bool was_pending = exporter_pending(&r->ex);
	unsigned long dgrams = exporter_datagrams(&r->ex);
	unsigned skipped = exporter_add(&r->ex, rec);

	if (skipped & (1u << NF_ADD_NO_IPV6))
		note_v6(r);
	/* as flow-stitch names such a line; v5 and v9 carry it as uptimes */
	if (skipped & (1u << NF_ADD_BEFORE_1970))
		diag_warn("%s:%lu: a time before 1970 (uptime further back than the export clock): "
		    "not sent, IPFIX times are absolute", r->rd.lr.name, r->rd.lr.lineno);
	if (exporter_pending(&r->ex) && (!was_pending || exporter_datagrams(&r->ex) != dgrams))
		r->pending_since = now_ms();
}

/*
 * 0 input ended, 1 stopped at a bad line (--strict), 2 fatal. SIGINT or
 * SIGTERM ends the input: lines already read are still sent.
 */
static int run_loop(struct run *r)
{
	struct flowrec rec;
	bool idle;

	for (;;) {
		if (run_usr1_take())
			report(r);
		if (run_stop)
			line_reader_stop(&r->rd.lr);	/* what is buffered, then EOF */
		/*
		 * When the next read may block (no whole line buffered), the
		 * finished datagrams go first, and the wait for input lasts no
		 * longer than the pending datagram may wait.
		 */
		idle = !line_reader_ready(&r->rd.lr);
		if (idle)
			exporter_push(&r->ex);	/* finished datagrams never wait on input */
		if (idle && exporter_pending(&r->ex)) {
			uint64_t due = r->pending_since + (uint64_t)r->opt.flush_ms, now = now_ms();
			int w = now >= due ? 0 : line_reader_wait(&r->rd.lr, (int)(due - now));

			if (w == 0)
				exporter_flush(&r->ex);
			if (w <= 0)
				continue;
		}
		switch (flow_read(&r->rd, &rec)) {
		case FLOW_READ_RECORD:
			add(r, &rec);
			break;
		case FLOW_READ_COMMENT:
		case FLOW_READ_INTR:
			break;
		case FLOW_READ_EOF:
			return 0;
		case FLOW_READ_STOP:
			return r->rd.strict && r->rd.bad > 0 ? 1 : 2;
		}
	}
}

int main(int argc, char **argv)
{
	static struct run r;
	struct exporter_counts c;
	struct why w;
	int rc;

	if (tool_start(PROG) < 0)
		return 2;
	rc = parse_args(argc, argv, &r.opt);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	for (int i = 0; i < r.opt.ndest; i++) {
		if (dest_open(&r.opt.dest[i], &w) != 0) {
			diag_warn("%s: %s", r.opt.dest[i].spec, w.text);
			for (int j = 0; j < i; j++)
				dest_close(&r.opt.dest[j]);
			return 2;
		}
	}
	if (flow_reader_open(&r.rd, r.opt.path, r.opt.strict) < 0) {
		diag_warn_errno("%s", r.opt.path ? r.opt.path : "stdin");
		for (int i = 0; i < r.opt.ndest; i++)
			dest_close(&r.opt.dest[i]);
		return 2;
	}
	if (exporter_init(&r.ex, &r.opt.ex, r.opt.dest, r.opt.ndest) != 0)
		return 2;	/* parse_args takes only the versions the encoders know */
	run_signals_install();

	rc = run_loop(&r);
	/* end of input, a signal or --strict: everything pending goes out */
	exporter_flush(&r.ex);
	report(&r);
	exporter_counts(&r.ex, &c);
	for (int i = 0; i < r.opt.ndest; i++)
		dest_close(&r.opt.dest[i]);
	flow_reader_close(&r.rd);
	if (rc == 0 && (r.rd.bad > 0 || c.lost > 0 || c.enc.skipped_v6 > 0 || c.enc.truncated > 0 ||
	    c.enc.before_epoch > 0))
		rc = 1;
	return rc;
}
