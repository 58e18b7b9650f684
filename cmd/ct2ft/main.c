/*
 * ct2ft: conntrack event lines (ct-dump, or conntrack -E) -> flow records.
 * Pairs each DESTROY with its NEW and writes nfflowd's views of the
 * finished connection as flow-export -f2 lines.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>

#include "base/diag.h"
#include "ctline.h"
#include "ctpair.h"
#include "ctviews.h"
#include "flow/flowaddr.h"
#include "line/flowline.h"
#include "line/linereader.h"
#include "base/optnum.h"
#include "base/runsignals.h"
#include "line/toolopts.h"

#define PROG "ct2ft"
#define TTL_DEFAULT (7u * 24 * 3600)	/* nfflowd's 7 days */
#define MAX_OPEN_DEFAULT 1000000u

struct options {
	const char *path;
	flow_fieldset fields;
	bool header, strict;
	unsigned views;
	uint64_t ttl_s;
	size_t max_open;
	bool have_boot;
	uint64_t boot_s;
	struct flow_addr exaddr;
};

struct counters {
	unsigned long lines, bad, news, updates, destroys;
	unsigned long records;		/* made */
	unsigned long written;		/* of those, flushed to the output */
	unsigned long orphans;		/* DESTROY without its NEW */
	unsigned long untimed;		/* DESTROY without any time */
	unsigned long late_times;	/* DESTROY whose [start=]/[stop=] came after it */
	unsigned long bad_stamps;	/* DESTROY whose [start=]/[stop=] disagree with delta */
	unsigned long cut;		/* a last line the stop signal cut short */
	unsigned empty_views;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROG " [-H] [-r FILE] [-o FIELD,...] [-x EXADDR] [--view VIEWS]\n"
	    "             [--ttl SECS] [--max-open N] [--boot EPOCH] [--strict]\n"
	    "  reads conntrack event lines (ct-dump, conntrack -E) and writes flow records\n"
	    "  -r FILE        read FILE instead of stdin\n"
	    "  -o FIELDS      write only these fields (canonical order)\n"
	    "  -H             no #: header line\n"
	    "  -x ADDR        exporter address in exaddr\n"
	    "  --view VIEWS   auto (default), all, or a list of private,public,reply\n"
	    "  --ttl SECS     forget a NEW without DESTROY after SECS (default %u)\n"
	    "  --max-open N   open connections kept at most (default %u)\n"
	    "  --boot EPOCH   exporter boot time for sysuptime (default: first event)\n"
	    "  --strict       stop at the first bad line\n"
	    "  -h, --version\n", TTL_DEFAULT, MAX_OPEN_DEFAULT);
}

/* 0 ok, 1 exit 0 (help/version), 2 usage error */
static int parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_VIEW = 256, OPT_TTL, OPT_MAXOPEN, OPT_BOOT };
	static const struct option longs[] = {
		{ "view", required_argument, NULL, OPT_VIEW },
		{ "ttl", required_argument, NULL, OPT_TTL },
		{ "max-open", required_argument, NULL, OPT_MAXOPEN },
		{ "boot", required_argument, NULL, OPT_BOOT },
		TOOLOPTS_LONG,
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = { .usage = usage, .path = &o->path, .fields = &o->fields,
	    .header = &o->header, .strict = &o->strict };
	uint64_t v;
	int c, rc;

	*o = (struct options){ .fields = FLOW_FIELDS_DEFAULT, .header = true,
	    .views = CT_VIEW_AUTO, .ttl_s = TTL_DEFAULT, .max_open = MAX_OPEN_DEFAULT };
	o->exaddr.family = FLOW_AF_INET;
	while ((c = getopt_long(argc, argv, "hHr:o:x:", longs, NULL)) != -1) {
		switch (c) {
		case 'x':
			if (flow_addr_parse(&o->exaddr, optarg, strlen(optarg)) < 0) {
				diag_warn("-x: not an address: %s", optarg);
				return 2;
			}
			break;
		case OPT_VIEW:
			if (ct_views_parse(optarg, &o->views) < 0) {
				diag_warn("--view: want auto, all or private,public,reply: %s",
				    optarg);
				return 2;
			}
			break;
		case OPT_TTL:
			if (optnum_secs(optarg, strlen(optarg), UINT32_MAX, &v) < 0 || v < 1000) {
				diag_warn("--ttl: want seconds >= 1: %s", optarg);
				return 2;
			}
			o->ttl_s = v / 1000u;
			break;
		case OPT_MAXOPEN:
			if (optnum_count(optarg, 1u << 30, &v) < 0) {
				diag_warn("--max-open: want 1..%u (k, M allowed): %s", 1u << 30,
				    optarg);
				return 2;
			}
			o->max_open = (size_t)v;
			break;
		case OPT_BOOT:
			if (optnum_uint(optarg, 10, UINT32_MAX, &o->boot_s) < 0) {
				diag_warn("--boot: want seconds since the epoch: %s", optarg);
				return 2;
			}
			o->have_boot = true;
			break;
		default:
			if ((rc = toolopt_take(&shared, c, optarg)) != 0)
				return rc;
		}
	}
	return toolopt_no_operands(&shared, argc, argv);
}

static void report(const struct counters *c, const struct ct_table *t, bool at_exit)
{
	/* one line in pieces: the name first, as diag_warn would */
	fprintf(stderr, "%s: %lu lines: %lu NEW, %lu UPDATE, %lu DESTROY, %lu bad; "
	    "%lu records written", diag_prog(), c->lines, c->news, c->updates, c->destroys,
	    c->bad, c->written);
	if (c->records > c->written)
		fprintf(stderr, at_exit ? " (%lu more lost: the output failed)" :
		    " (%lu more buffered)", c->records - c->written);
	fprintf(stderr, "; %lu DESTROY without NEW, %lu NEW purged after --ttl, "
	    "%lu NEW evicted (--max-open), %lu NEW replaced by a NEW of the same connection, "
	    "%u empty views left out",
	    c->orphans, t->purged, t->evicted, t->replaced, c->empty_views);
	if (c->untimed)
		fprintf(stderr, ", %lu DESTROY without any time (export time 0)", c->untimed);
	if (c->late_times)
		fprintf(stderr, ", %lu DESTROY with [start=]/[stop=] after its own time "
		    "(those ignored)", c->late_times);
	if (c->bad_stamps)
		fprintf(stderr, ", %lu DESTROY whose [start=]/[stop=] disagree with delta-time "
		    "(those ignored)", c->bad_stamps);
	if (c->cut)
		fprintf(stderr, ", %lu last line cut short by the stop signal (left out)", c->cut);
	fprintf(stderr, "; %zu open%s\n", t->h.count, at_exit ? " at end (no records)" : "");
}

static bool anything_to_report(const struct counters *c, const struct ct_table *t)
{
	return c->bad || c->orphans || c->untimed || c->late_times || c->bad_stamps || c->cut ||
	    c->records != c->written || t->purged || t->evicted || t->replaced || t->h.count;
}

static uint64_t wall_us(void)
{
	struct timeval tv;
	gettimeofday(&tv, NULL);
	return (uint64_t)tv.tv_sec * 1000000u + (uint64_t)tv.tv_usec;
}

/*
 * The event's time: its [secs.usecs] prefix; else the kernel's stop time
 * on a DESTROY; else, reading a live pipe, the moment it was read. A
 * saved file without times gives none (never the wall clock).
 */
static void settle_time(struct ct_event *ev, bool live)
{
	if (ev->has_time)
		return;
	if (ev->type == CT_EV_DESTROY && ev->has_stop) {
		ev->time_us = ev->stop_s * 1000000u;
		ev->has_time = true;
	} else if (live) {
		ev->time_us = wall_us();
		ev->has_time = true;
	}
}

/*
 * First and last packet times of a finished connection, in microseconds.
 * The kernel's own times come first: [start=]/[stop=] (whole seconds) or
 * delta-time (a difference of whole seconds, so within 1 s of the truth).
 * The NEW line's time is finer and is taken whenever it agrees with them.
 * The DESTROY line can come late (the entry expired before the kernel's
 * garbage collector reaped it, or the kernel re-sent the event): when it
 * is more than delta-time + 1 s after the start, last = start + delta.
 * A NEW line printed late (ct-dump -L lists open connections with the
 * time of listing) is recognised the same way: span shorter than delta.
 * [start=]/[stop=] are local ctime text read back with mktime(): a time
 * zone or DST change between kernel and reader can put them after the
 * DESTROY itself; such a time is ignored (*late set) and last <= end.
 */
struct span {
	uint64_t first_us, last_us;
};

static struct span conn_span(const struct ct_event *ev, uint64_t end_us, bool paired,
    bool new_timed, uint64_t new_us, bool *late)
{
	const uint64_t sec = 1000000u;
	bool have_new = paired && new_timed && new_us <= end_us;
	uint64_t d = ev->delta_s * sec;
	struct span s = { end_us, end_us };
	bool first_known = true;
	bool has_start = ev->has_start && ev->start_s * sec <= end_us;
	bool has_stop = ev->has_stop && ev->stop_s * sec <= end_us;

	*late = ev->has_time && (has_start != ev->has_start || has_stop != ev->has_stop);
	if (has_stop) {
		uint64_t stop = ev->stop_s * sec;
		if (stop < end_us && !(end_us < stop + sec))
			s.last_us = stop;
	}
	if (has_start) {
		uint64_t st = ev->start_s * sec;
		s.first_us = have_new && new_us >= st && new_us < st + sec ? new_us : st;
	} else if (have_new) {
		s.first_us = new_us;
		if (ev->has_delta && end_us - new_us + sec < d)	/* the NEW line came late */
			s.first_us = d <= end_us ? end_us - d : 0;
	} else if (ev->has_delta) {
		s.first_us = d <= end_us ? end_us - d : 0;
		first_known = false;
	} else {
		first_known = false;
	}
	if (first_known && ev->has_delta && !has_stop && s.last_us > s.first_us &&
	    s.last_us - s.first_us > d + sec)
		s.last_us = s.first_us + d;	/* the DESTROY line came late */
	if (s.last_us > end_us)
		s.last_us = end_us;
	if (s.first_us > s.last_us)
		s.first_us = s.last_us;
	return s;
}

struct run {
	struct options opt;
	struct counters c;
	struct ct_table table;
	struct flow_writer w;
	struct line_reader lr;
	bool live;		/* the input is a pipe or terminal, not a saved file */
	bool have_boot;
	uint64_t boot_ms;
	bool zone_known;	/* the writer's UTC offset, from a DESTROY's own time */
	int64_t zone_off;	/* seconds east of UTC */
	bool skipping;		/* inside a line that was too long */
	bool stopping;		/* a stop signal came: finish what was read */
};

/* Flushes the output; what was made before is then written. */
static int flush_out(struct run *r)
{
	if (flow_writer_flush(&r->w) < 0)
		return -1;
	r->c.written = r->c.records;
	return 0;
}

static int write_records(struct run *r, const struct ct_event *ev)
{
	struct ct_clock clk = { .exaddr = r->opt.exaddr };
	struct flowrec recs[3];
	bool paired, new_timed = false, late;
	uint64_t new_us = 0, end_us;
	struct span sp;
	int n;

	paired = ct_table_take(&r->table, ev, &new_timed, &new_us);
	if (!paired)
		r->c.orphans++;
	if (!ev->has_time)
		r->c.untimed++;
	end_us = ev->has_time ? ev->time_us : 0;
	clk.export_us = end_us;
	clk.boot_ms = r->boot_ms;
	sp = conn_span(ev, end_us, paired, new_timed, new_us, &late);
	if (late)
		r->c.late_times++;
	clk.first_ms = sp.first_us / 1000u;
	clk.last_ms = sp.last_us / 1000u;
	n = ct_views_build(ev, r->opt.views, &clk, recs, &r->c.empty_views);
	for (int i = 0; i < n; i++) {
		if (flow_write(&r->w, &recs[i]) < 0)
			return -1;
		r->c.records++;
	}
	return 0;
}

#define ZONE_STEP 900		/* zones are whole quarter hours from UTC */
#define ZONE_MAX (14 * 3600)	/* UTC-12 to UTC+14 */

/* A stamp in the writer's wall-clock seconds, as UTC seconds. false when before 1970. */
static bool from_wall(int64_t wall, int64_t off, uint64_t *secs)
{
	if (wall - off < 0)
		return false;
	*secs = (uint64_t)(wall - off);
	return true;
}

/*
 * [start=] and [stop=] are the writer's local time, without a zone. A
 * DESTROY that also carries its own [secs.usecs] (UTC) tells the zone:
 * its stop is that moment, give or take the kernel's delay, so the
 * difference rounded to the quarter hour is the writer's UTC offset (a
 * DST change shows as a new one). With it the stamps are read the same in
 * any zone ct2ft runs in; before any such line, in the reader's zone.
 * Stamps that then disagree with delta-time (the kernel's own difference
 * of the two) by more than a second are not believed, and counted.
 */
static void read_stamps(struct run *r, struct ct_event *ev)
{
	if (ev->type == CT_EV_DESTROY && ev->has_time && ev->has_stop) {
		int64_t d = ev->stop_wall - (int64_t)(ev->time_us / 1000000u);
		int64_t off = (d >= 0 ? d + ZONE_STEP / 2 : d - ZONE_STEP / 2) / ZONE_STEP *
		    ZONE_STEP;

		if (off >= -ZONE_MAX && off <= ZONE_MAX) {
			r->zone_off = off;
			r->zone_known = true;
		}
	}
	if (r->zone_known) {
		if (ev->has_start)
			ev->has_start = from_wall(ev->start_wall, r->zone_off, &ev->start_s);
		if (ev->has_stop)
			ev->has_stop = from_wall(ev->stop_wall, r->zone_off, &ev->stop_s);
	}
	if (ev->has_start && ev->has_stop && ev->has_delta &&
	    (ev->stop_s < ev->start_s || ev->stop_s - ev->start_s > ev->delta_s + 1 ||
	    ev->stop_s - ev->start_s + 1 < ev->delta_s)) {
		ev->has_start = ev->has_stop = false;
		r->c.bad_stamps++;
	}
}

/* 0 ok, 1 bad line (reported), -1 output error */
static int handle_line(struct run *r, const char *line, size_t len)
{
	struct ct_event ev;
	struct why why;

	r->c.lines++;
	if (len == 0 || line[0] == '#')
		return 0;
	if (ct_line_parse(line, len, &ev, &why) < 0) {
		diag_warn("%s:%lu: %s", r->lr.name, r->lr.lineno, why.text);
		r->c.bad++;
		return 1;
	}
	read_stamps(r, &ev);
	settle_time(&ev, r->live);
	if (ev.has_time && !r->have_boot) {
		r->boot_ms = ev.time_us / 1000000u * 1000u;
		r->have_boot = true;
	}
	if (ev.has_time && ev.time_us > r->opt.ttl_s * 1000000u)
		ct_table_purge(&r->table, ev.time_us - r->opt.ttl_s * 1000000u);
	switch (ev.type) {
	case CT_EV_NEW:
		r->c.news++;
		if (ct_table_add(&r->table, &ev) < 0) {
			diag_warn("out of memory");
			return -1;
		}
		return 0;
	case CT_EV_UPDATE:
		r->c.updates++;
		return 0;
	case CT_EV_DESTROY:
		r->c.destroys++;
		return write_records(r, &ev);
	case CT_EV_NONE:
		break;
	}
	return 0;
}

/*
 * Reads until EOF; after a stop signal, until the end of what was already
 * read. 0 ok, 1 stopped at a bad line (--strict), 2 fatal.
 */
static int run_loop(struct run *r)
{
	for (;;) {
		enum line_status st;
		int rc;

		if (run_usr1_take())
			report(&r->c, &r->table, false);
		if (run_stop && !r->stopping) {
			line_reader_stop(&r->lr);
			r->stopping = true;
		}
		/*
		 * Flush whenever the next read may block: a live pipe never
		 * holds a record while ct2ft waits, and a burst of events
		 * still goes out in blocks, not a write(2) per record.
		 */
		if (!line_reader_ready(&r->lr) && flush_out(r) < 0)
			goto out_err;
		st = line_reader_next(&r->lr);
		if (st == LINE_INTR)
			continue;
		if (st == LINE_EOF)
			return 0;
		if (st == LINE_IOERR) {
			diag_warn_errno("%s", r->lr.name);
			return 2;
		}
		if (r->lr.cut && !r->lr.continued) {
			/* the rest of this line was still unread when the signal came */
			diag_warn("%s:%lu: " LINE_CUT_TEXT, r->lr.name, r->lr.lineno);
			r->c.cut++;
			continue;
		}
		if (r->skipping) {
			r->skipping = r->lr.partial;
			continue;
		}
		if (r->lr.partial || r->lr.has_nul) {
			diag_warn("%s:%lu: %s", r->lr.name, r->lr.lineno,
			    r->lr.partial ? "line too long" : "NUL byte in line");
			r->c.lines++;
			r->c.bad++;
			r->skipping = r->lr.partial;
			if (r->opt.strict)
				return 1;
			continue;
		}
		rc = handle_line(r, r->lr.line, r->lr.len);
		if (rc < 0)
			goto out_err;
		if (rc > 0 && r->opt.strict)
			return 1;
	}
out_err:
	if (errno != 0)
		diag_warn_errno("write");
	return 2;
}

int main(int argc, char **argv)
{
	static struct run r;
	static char obuf[1 << 16];
	struct stat st;
	int rc;

	if (tool_start(PROG) < 0)
		return 2;
	rc = parse_args(argc, argv, &r.opt);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	if (line_reader_open(&r.lr, r.opt.path, LINE_MAX_DEFAULT) < 0) {
		diag_warn_errno("%s", r.opt.path);
		return 2;
	}
	if (ct_table_init(&r.table, r.opt.max_open) < 0) {
		diag_warn("out of memory");
		line_reader_close(&r.lr);
		return 2;
	}
	r.live = !(fstat(r.lr.fd, &st) == 0 && S_ISREG(st.st_mode));
	r.have_boot = r.opt.have_boot;
	r.boot_ms = r.opt.boot_s * 1000u;

	run_signals_install();
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);
	/* flushed in run_loop before every read that may block */
	flow_writer_init(&r.w, stdout, r.opt.fields, r.opt.header, false);
	if (r.live && flush_out(&r) < 0) {	/* the header, before any event comes */
		diag_warn_errno("write");
		ct_table_free(&r.table);
		line_reader_close(&r.lr);
		return 2;
	}

	rc = run_loop(&r);
	if (rc != 2 && flush_out(&r) < 0) {
		diag_warn_errno("write");
		rc = 2;
	}
	if (anything_to_report(&r.c, &r.table))
		report(&r.c, &r.table, true);
	ct_table_free(&r.table);
	line_reader_close(&r.lr);
	if (rc == 0 && r.c.bad > 0)
		rc = 1;
	return rc;
}
