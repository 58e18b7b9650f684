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

#include "exporter.h"
#include "line/flowline.h"
#include "base/optnum.h"
#include "base/runsignals.h"
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

/* 0 run, 1 exit 0 (help/version), 2 usage error */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		TOOLOPTS_LONG,
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = { PROG, usage, &o->path, NULL, NULL, NULL, &o->strict };
	uint64_t v;
	char err[256];
	int c, rc;

	memset(o, 0, sizeof *o);
	o->flush_ms = FLUSH_MS_DEFAULT;
	o->ex.version = 5;
	o->ex.tmpl.refresh_packets = REFRESH_PACKETS_DEFAULT;
	o->ex.tmpl.refresh_secs = REFRESH_SECS_DEFAULT;
	while ((c = getopt_long(argc, argv, "hV:r:e:S:d:t:T:f:x:", longs, NULL)) != -1) {
		switch (c) {
		case 'V':
			if (optnum_uint(optarg, 10, 10, &v) != 0 || (v != 5 && v != 9 && v != 10)) {
				fprintf(stderr, PROG ": -V: want 5, 9 or 10: %s\n", optarg);
				return 2;
			}
			o->ex.version = (int)v;
			break;
		case 'e':
			if (optnum_engine(optarg, &o->ex.v5.engine_type, &o->ex.v5.engine_id) != 0) {
				fprintf(stderr, PROG ": -e: want TYPE/ID or ID, each 0..255: %s\n", optarg);
				return 2;
			}
			o->ex.v5.engine_fixed = o->ex.tmpl.engine_fixed = true;
			o->ex.tmpl.engine_type = o->ex.v5.engine_type;
			o->ex.tmpl.engine_id = o->ex.v5.engine_id;
			break;
		case 'S':
			/* v5 keeps 14 bits of interval under a 2-bit mode (01: 1 in N packets) */
			if (optnum_uint(optarg, 10, 16383, &v) != 0) {
				fprintf(stderr, PROG ": -S: want a sampling interval 0..16383: %s\n", optarg);
				return 2;
			}
			o->ex.v5.sampling = (uint16_t)(v ? 0x4000u | v : 0);
			o->ex.tmpl.sampling = (uint32_t)v;
			break;
		case 'd':
			if (optnum_uint(optarg, 10, UINT32_MAX, &v) != 0) {
				fprintf(stderr, PROG ": -d: want a source id 0..4294967295: %s\n", optarg);
				return 2;
			}
			o->ex.tmpl.domain = (uint32_t)v;
			break;
		case 't':
		case 'T':
			if (optnum_uint(optarg, 10, 86400, &v) != 0) {
				fprintf(stderr, PROG ": -%c: want 0..86400: %s\n", c, optarg);
				return 2;
			}
			if (c == 't')
				o->ex.tmpl.refresh_packets = (unsigned)v;
			else
				o->ex.tmpl.refresh_secs = (unsigned)v;
			break;
		case 'f':
			if (optnum_uint(optarg, 10, 3600000, &v) != 0 || v < 1) {
				fprintf(stderr, PROG ": -f: want milliseconds 1..3600000: %s\n", optarg);
				return 2;
			}
			o->flush_ms = (int)v;
			break;
		case 'x':
			if (pace_parse(&o->ex.pace, optarg) != 0) {
				fprintf(stderr, PROG ": -x: want microseconds between datagrams or N/s: %s\n", optarg);
				return 2;
			}
			break;
		default:
			if ((rc = toolopt_take(&shared, c, optarg)) != 0)
				return rc;
		}
	}
	if (optind >= argc) {
		fprintf(stderr, PROG ": no destination (localip/remoteip/port[/ttl])\n");
		usage(stderr);
		return 2;
	}
	for (; optind < argc; optind++) {
		if (o->ndest == MAX_DEST) {
			fprintf(stderr, PROG ": at most %d destinations\n", MAX_DEST);
			return 2;
		}
		if (dest_parse(&o->dest[o->ndest], argv[optind], err, sizeof err) != 0) {
			fprintf(stderr, PROG ": %s\n", err);
			return 2;
		}
		o->ndest++;
	}
	return 0;
}

struct run {
	struct options opt;
	struct flow_reader rd;
	struct exporter ex;
	uint64_t pending_since;		/* monotonic ms the pending datagram got its first record */
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
	const struct exporter *x = &r->ex;
	unsigned long sent, skipped = 0, split = 0, truncated = 0, narrowed = 0, clamped = 0;
	unsigned long refused = 0, failed = 0, retries = 0;

	if (x->version == 5) {
		sent = x->v5.count.sent;
		skipped = x->v5.count.skipped_v6;
		split = x->v5.count.split;
		truncated = x->v5.count.truncated;
		narrowed = x->v5.count.narrowed;
	} else {
		sent = x->tmpl.count.sent;
		clamped = x->tmpl.count.clamped;
	}
	for (int i = 0; i < x->ndest; i++) {
		refused += x->dest[i].refused;
		failed += x->dest[i].failed;
		retries += x->dest[i].retries;
	}
	fprintf(stderr, PROG ": %lu records read, %lu reverse, %lu sent, %lu skipped (IPv6 in v5), %lu split, "
	    "%lu truncated, %lu narrowed (AS/interface in v5), %lu clamped (times in v9), %lu datagrams, "
	    "%lu lost, %lu refused, %lu retried, %lu send failures, %lu bad lines\n",
	    r->rd.records, x->reverse, sent, skipped, split, truncated, narrowed, clamped,
	    exporter_datagrams(x), x->lost, refused, retries, failed, r->rd.bad);
}

/* Records that v5 skips: say so once, with where. */
static void note_v6(struct run *r, unsigned long before)
{
	if (r->ex.version != 5 || r->warned_v6 || r->ex.v5.count.skipped_v6 == before)
		return;
	r->warned_v6 = true;
	fprintf(stderr, PROG ": %s:%lu: IPv6 record skipped: NetFlow v5 carries IPv4 only "
	    "(further ones are counted, not shown)\n", r->rd.lr.name, r->rd.lr.lineno);
}

static void add(struct run *r, const struct flowrec *rec)
{
	bool was_pending = exporter_pending(&r->ex);
	unsigned long dgrams = exporter_datagrams(&r->ex);
	unsigned long v6 = r->ex.v5.count.skipped_v6;

	exporter_add(&r->ex, rec);
	note_v6(r, v6);
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

	for (;;) {
		if (run_usr1) {
			run_usr1 = 0;
			report(r);
		}
		if (run_stop)
			line_reader_stop(&r->rd.lr);	/* what is buffered, then EOF */
		/*
		 * Only an empty read buffer can make the next read block; then
		 * wait for input no longer than the pending datagram may wait.
		 * (A buffered partial line blocks only until the writer ends it.)
		 */
		if (r->rd.lr.start == r->rd.lr.end)
			exporter_push(&r->ex);	/* finished datagrams never wait on input */
		if (exporter_pending(&r->ex) && r->rd.lr.start == r->rd.lr.end && !r->rd.lr.eof) {
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
	char err[256];
	int rc;

	rc = parse_args(argc, argv, &r.opt);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	for (int i = 0; i < r.opt.ndest; i++) {
		if (dest_open(&r.opt.dest[i], err, sizeof err) != 0) {
			fprintf(stderr, PROG ": %s\n", err);
			for (int j = 0; j < i; j++)
				dest_close(&r.opt.dest[j]);
			return 2;
		}
	}
	if (flow_reader_open(&r.rd, r.opt.path, PROG, r.opt.strict) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", r.opt.path ? r.opt.path : "stdin", strerror(errno));
		for (int i = 0; i < r.opt.ndest; i++)
			dest_close(&r.opt.dest[i]);
		return 2;
	}
	exporter_init(&r.ex, &r.opt.ex, r.opt.dest, r.opt.ndest);
	run_signals_install();

	rc = run_loop(&r);
	/* end of input, a signal or --strict: everything pending goes out */
	exporter_flush(&r.ex);
	report(&r);
	if (r.ex.version == 5 && r.ex.v5.count.skipped_v6 && !r.warned_v6)
		note_v6(&r, 0);
	for (int i = 0; i < r.opt.ndest; i++)
		dest_close(&r.opt.dest[i]);
	flow_reader_close(&r.rd);
	if (rc == 0 && (r.rd.bad > 0 || r.ex.lost > 0 || r.ex.v5.count.skipped_v6 > 0 || r.ex.v5.count.truncated > 0))
		rc = 1;
	return rc;
}
