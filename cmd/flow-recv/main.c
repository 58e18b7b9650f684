/*
 * flow-recv: a NetFlow v5 / v9 / IPFIX collector that writes flow lines,
 * the receiving end of an exporter (`flow-recv 0/0.0.0.0/2055 |
 * flow-stitch | flow-load sqlite:flows.db`). Live from UDP listeners, or
 * offline from a capture (-r) or saved datagrams (-d), where time comes
 * from the datagrams alone, so the same input gives the same lines.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/optnum.h"
#include "base/runsignals.h"
#include "collector.h"
#include "line/flowline.h"
#include "line/toolopts.h"
#include "listen.h"
#include "net/endpoint.h"
#include "offline.h"
#include "report.h"

#define PROG "flow-recv"

enum { OPT_RENORMALIZE = 0x2000 };

struct options {
	const char *capture;		/* -r */
	bool any_port;			/* -P */
	bool files;			/* -d: the operands are datagram files */
	int bufsize;			/* -B */
	flow_fieldset fields;
	bool header;
	struct collector_opts col;
	char **operands;
	int noperands;
};

struct run {
	struct options opt;
	struct collector col;
	struct flow_writer w;
	struct listeners ls;
	bool live;
	unsigned long long write_errors;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROG " [-B BYTES] [-T SECS] [--renormalize] [-o FIELDS] [-H]\n"
	    "                 localip/remoteip/port ...\n"
	    "       " PROG " -r CAPTURE [-P | localip/remoteip/port] [options]\n"
	    "       " PROG " -d FILE ... [options]\n"
	    "  collects NetFlow v5, v9 and IPFIX datagrams and writes flow lines\n"
	    "  localip/remoteip/port  listen on localip (0 any) for exporter remoteip (0 any)\n"
	    "  -r CAPTURE    UDP payloads of a pcap/pcapng file the operand would take\n"
	    "  -P            with -r: to any port\n"
	    "  -d            the operands are files of saved datagram payloads\n"
	    "  -B BYTES      socket receive buffer (default %d)\n"
	    "  -T SECS       template lifetime without refresh (default %d, 0 forever)\n"
	    "  --renormalize packets and octets times the sampling rate\n"
	    "  -o FIELDS     fields to write; -H no header line\n"
	    "  -h, --version\n",
	    LISTEN_BUFFER_DEFAULT, TEMPLATE_LIFETIME_DEFAULT);
}

static int parse_own(int c, const char *arg, struct options *o)
{
	uint64_t v;

	switch (c) {
	case 'r':
		o->capture = arg;
		return 0;
	case 'P':
		o->any_port = true;
		return 0;
	case 'd':
		o->files = true;
		return 0;
	case 'B':
		if (optnum_uint(arg, 10, 1u << 30, &v) != 0 || v < 4096) {
			diag_warn("-B: want bytes 4096..1073741824: %s", arg);
			return 2;
		}
		o->bufsize = (int)v;
		return 0;
	case 'T':
		if (optnum_uint(arg, 10, 31536000, &v) != 0) {
			diag_warn("-T: want seconds 0..31536000: %s", arg);
			return 2;
		}
		o->col.template_lifetime_s = v;
		return 0;
	default:	/* OPT_RENORMALIZE */
		o->col.renormalize = true;
		return 0;
	}
}

/* The operands fit the mode: 0, or 2 after a message. */
static int check_mode(struct options *o)
{
	if (o->files && o->capture) {
		diag_warn("-d and -r: one input at a time");
		return 2;
	}
	if (o->any_port && !o->capture) {
		diag_warn("-P goes with -r");
		return 2;
	}
	if (o->noperands == 0 && !(o->capture && o->any_port)) {
		diag_warn(o->files ? "-d: no datagram file" :
		    "no listener (localip/remoteip/port)");
		usage(stderr);
		return 2;
	}
	if (o->capture && o->noperands > (o->any_port ? 0 : 1)) {
		diag_warn("-r: one localip/remoteip/port to take datagrams as, or -P");
		return 2;
	}
	return 0;
}

/* 0 run, 1 exit 0 (help/version), 2 usage error */
static int parse_args(int argc, char **argv, struct options *o)
{
	static const struct option longs[] = {
		TOOLOPTS_LONG,
		{ "renormalize", no_argument, NULL, OPT_RENORMALIZE },
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = { usage, NULL, &o->fields, NULL, &o->header, NULL };
	int c, rc;

	memset(o, 0, sizeof *o);
	o->bufsize = LISTEN_BUFFER_DEFAULT;
	o->fields = FLOW_FIELDS_DEFAULT;
	o->header = true;
	o->col.template_lifetime_s = TEMPLATE_LIFETIME_DEFAULT;
	while ((c = getopt_long(argc, argv, "hr:PdB:T:o:H", longs, NULL)) != -1) {
		switch (c) {
		case 'r': case 'P': case 'd': case 'B': case 'T': case OPT_RENORMALIZE:
			rc = parse_own(c, optarg, o);
			break;
		default:
			rc = toolopt_take(&shared, c, optarg);
		}
		if (rc != 0)
			return rc;
	}
	o->operands = argv + optind;
	o->noperands = argc - optind;
	return check_mode(o);
}

/* A write that failed (rc not 0): counted; the first one said and the run stopped. */
static void wrote(struct run *r, int rc)
{
	if (rc != 0 && r->write_errors++ == 0) {
		diag_warn_errno("write error");
		run_stop = 1;
	}
}

static void on_record(void *ctx, const struct flowrec *r)
{
	struct run *run = ctx;

	wrote(run, flow_write(&run->w, r));
}

static void on_report(void *ctx)
{
	struct run *r = ctx;
	struct report_extra x = { r->live, 0, 0, r->write_errors };

	if (r->live) {
		x.kernel_drops = listeners_drops(&r->ls);
		x.ignored = listeners_ignored(&r->ls);
	}
	report_print(&r->col, &x);
}

static void on_live(void *ctx, const uint8_t *p, size_t len, const struct flow_addr *from,
    uint16_t port)
{
	struct run *r = ctx;

	collector_datagram(&r->col, p, len, from, port, NULL);
}

static void on_idle(void *ctx)
{
	struct run *r = ctx;

	wrote(r, flow_writer_flush(&r->w));
}

static void on_offline(void *ctx, const uint8_t *p, size_t len, const struct flow_addr *from,
    uint16_t port, const char *where)
{
	struct run *r = ctx;

	collector_datagram(&r->col, p, len, from, port, where);
}

static int run_live(struct run *r)
{
	const struct listen_calls calls = { on_live, on_idle, on_report, r };
	int rc;

	r->live = true;
	rc = listeners_open(&r->ls, r->opt.operands, r->opt.noperands, r->opt.bufsize);
	if (rc == 0)	/* the header at once: a reader knows the fields, a test that we
			   listen */
		flow_writer_start(&r->w);
	if (rc == 0)
		rc = listeners_run(&r->ls, &calls);
	return rc;
}

static void offline_summary(const struct offline_counts *n, bool capture)
{
	if (capture)
		diag_warn("%llu packets: %llu datagrams, %llu other, %llu from senders the "
		    "operand does not take, %llu cut by the snapshot length, %llu undecodable, "
		    "%llu read errors; %llu IP fragments: %llu datagrams reassembled, "
		    "%llu fragments refused, %llu datagrams left incomplete, "
		    "%llu conflicting overlaps",
		    n->packets, n->datagrams, n->other, n->ignored, n->cut, n->undecodable,
		    n->read_errors,
		    n->fragments, n->reassembled, n->frag_lost, n->frag_dropped,
		    n->frag_conflicts);
	else if (n->read_errors)
		diag_warn("%llu files could not be read", n->read_errors);
}

static int run_offline(struct run *r)
{
	const struct offline_calls calls = { on_offline, on_report, r };
	struct offline_counts n;
	struct net_endpoint ep;
	struct why w;
	int rc;

	memset(&n, 0, sizeof n);
	memset(&ep, 0, sizeof ep);
	if (r->opt.files) {
		rc = offline_files(r->opt.operands, r->opt.noperands, &calls, &n);
	} else {
		if (!r->opt.any_port &&
		    net_endpoint_parse(&ep, r->opt.operands[0], NET_SPEC_RECV, &w) != 0) {
			diag_warn("%s: %s", r->opt.operands[0], w.text);
			return 2;
		}
		rc = offline_capture((char *const *)&r->opt.capture, 1,
		    r->opt.any_port ? NULL : &ep, &calls, &n);
	}
	offline_summary(&n, !r->opt.files);
	return rc;
}

int main(int argc, char **argv)
{
	static struct run r;
	int rc;

	if (tool_start(PROG) < 0)
		return 2;
	rc = parse_args(argc, argv, &r.opt);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	if (collector_init(&r.col, &r.opt.col, on_record, &r) != 0) {
		diag_warn("out of memory");
		return 2;
	}
	flow_writer_init(&r.w, stdout, r.opt.fields, r.opt.header, false);
	run_signals_install();
	rc = r.opt.files || r.opt.capture ? run_offline(&r) : run_live(&r);
	collector_finish(&r.col);
	on_idle(&r);
	on_report(&r);		/* before the sockets close: their counts go with them */
	if (r.live)
		listeners_close(&r.ls);
	if (rc == 0 && r.write_errors)
		rc = 2;
	if (rc == 0 && !r.live && (r.col.n.rejected || r.col.n.no_template || r.col.n.bad_times))
		rc = 1;
	collector_free(&r.col);
	return rc;
}
