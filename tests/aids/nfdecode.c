/*
 * nfdecode: decodes raw NetFlow v5, v9 and IPFIX datagram files into
 * flow lines. A file holds one datagram, or several v5 datagrams back to
 * back (split by 24 + 48 * count, as in netflow5.dat), or IPFIX messages
 * back to back (split by their length). Templates learnt from one file
 * serve the files after it. With -l it receives datagrams on a UDP
 * socket instead, until -n records arrived or nothing came for -t ms.
 * Used by tests to turn public export datagrams into line-format
 * fixtures and to check what flow-send writes.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/optnum.h"
#include "flow/flowaddr.h"
#include "line/flowline.h"
#include "net/endpoint.h"
#include "net/udpsock.h"
#include "netflow/nf_datagram.h"

#define FILE_MAX (64u << 20)

struct decode_run {
	struct flow_writer out;
	struct flow_addr exporter;
	struct nf_decoder dec;		/* templates of every exporter */
	bool count_only;		/* -c: no lines, totals only */
	unsigned long datagrams, records, bad, no_template, options, templates_learnt, clamped;
	unsigned long long packets, octets;
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: nfdecode [-cH] [-V 5|9|10] [-e exporter] [-o field,...] FILE...\n"
	    "       nfdecode [-cH] [-V 5|9|10] [-e exporter] [-n records] [-t idle_ms]\n"
	    "                -l addr/port\n"
	    "  -e: exporter address for the records and templates (default: files 0.0.0.0,\n"
	    "      -l each datagram's sender)\n");
}

static void put_record(void *ctx, const struct flowrec *r)
{
	struct decode_run *run = ctx;

	run->packets += r->dpkts;
	run->octets += r->doctets;
	if (!run->count_only)
		flow_write(&run->out, r);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	unsigned char *buf;

	if (!fp)
		return NULL;
	buf = malloc(FILE_MAX);
	if (buf)
		*len = fread(buf, 1, FILE_MAX, fp);
	fclose(fp);
	return buf;
}

static void report(struct decode_run *run, const char *path, size_t off,
    const struct nf_result *res)
{
	run->bad++;
	fprintf(stderr, "nfdecode: %s: datagram at byte %zu: %s (byte %zu)\n",
	    path, off, res->err, off + res->err_at);
}

static void tally(struct decode_run *run, const char *path, size_t off, const struct nf_result *res)
{
	run->datagrams++;
	run->records += res->records;
	run->options += res->option_records;
	run->templates_learnt += res->templates;
	run->clamped += res->clamped;
	if (res->no_template) {
		run->no_template += res->no_template;
		fprintf(stderr, "nfdecode: %s: datagram at byte %zu: %u data set(s) without a "
		    "known template (last %u), skipped\n", path, off, res->no_template,
		    res->missing_template);
	}
	if (res->errors)
		report(run, path, off, res);
}

/* One datagram (or for IPFIX, messages back to back), off bytes into where. */
static void decode_datagram(struct decode_run *run, const char *where, size_t off, const uint8_t *p,
    size_t len, const struct flow_addr *exporter, uint16_t port)
{
	struct nf_result res;

	nf_result_clear(&res);
	nf_decode_datagram(&run->dec, p, len, exporter, port, put_record, run, &res);
	tally(run, where, off, &res);
}

/* A file of back-to-back datagrams (v5 split by their counts). */
static int decode_file(struct decode_run *run, const char *path)
{
	size_t len = 0, off = 0;
	unsigned char *buf = slurp(path, &len);

	if (!buf) {
		fprintf(stderr, "nfdecode: %s: %s\n", path, strerror(errno));
		return -1;
	}
	do {
		size_t n = nf_datagram_len(&run->dec, buf + off, len - off);

		/* files: no transport session (port 0) */
		decode_datagram(run, path, off, buf + off, n, &run->exporter, 0);
		off += n;
	} while (off < len);
	free(buf);
	return 0;
}

/* -l: datagrams from a UDP socket until want records came or idle_ms passed without any. */
static int listen_udp(struct decode_run *run, const char *spec, unsigned long want, int idle_ms)
{
	static uint8_t buf[65536];
	/* as much buffer as root may have, so a burst is not lost here */
	struct net_bufsize rcvbuf = { 32 << 20, true, 0 };
	struct net_endpoint ep;
	struct why w;
	int fd;

	memset(&ep, 0, sizeof ep);
	if (net_addrport_parse(spec, false, &ep.local, &ep.port, &w) != 0) {
		fprintf(stderr, "nfdecode: -l %s: %s\n", spec, w.text);
		return 2;
	}
	fd = net_udp_bind(&ep, &rcvbuf, &w);
	if (fd < 0) {
		fprintf(stderr, "nfdecode: -l %s: %s\n", spec, w.text);
		return 2;
	}
	/* tell a waiting test we are ready */
	fprintf(stderr, "nfdecode: listening on %s\n", spec);
	while (want == 0 || run->records < want) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		struct flow_addr from;
		uint16_t port;
		ssize_t n;

		if (poll(&pfd, 1, idle_ms) <= 0)
			break;
		n = net_udp_recv(fd, buf, sizeof buf, &from, &port);
		if (n < 0)
			continue;
		/* the sender's templates are its own; -e puts every datagram under one exporter */
		if (!flow_addr_is_zero(&run->exporter))
			decode_datagram(run, spec, 0, buf, (size_t)n, &run->exporter, 0);
		else
			decode_datagram(run, spec, 0, buf, (size_t)n, &from, port);
	}
	close(fd);
	return 0;
}

struct aid_opts {
	flow_fieldset fields;
	bool header;
	int version;			/* 0: by each datagram */
	const char *exporter, *listen_on;
	uint64_t want, idle_ms;
};

/* One option with a number: 0, or 2 with a message. */
static int number(int c, const char *arg, uint64_t max, uint64_t *out)
{
	if (optnum_uint(arg, 10, max, out) == 0)
		return 0;
	fprintf(stderr, "nfdecode: -%c %s: want a number 0..%llu\n", c, arg,
	    (unsigned long long)max);
	return 2;
}

/* 0 run, 1 exit 0 (-h), 2 usage error. */
static int parse_args(int argc, char **argv, struct decode_run *run, struct aid_opts *o)
{
	struct why why;
	uint64_t v;
	int c;

	while ((c = getopt(argc, argv, "cHV:e:l:n:o:t:h")) != -1) {
		switch (c) {
		case 'c':
			run->count_only = true;
			break;
		case 'H':
			o->header = false;
			break;
		case 'V':
			if (optnum_uint(optarg, 10, 10, &v) != 0 || (v != 5 && v != 9 && v != 10)) {
				fprintf(stderr, "nfdecode: -V %s: version must be 5, 9 or 10\n",
				    optarg);
				return 2;
			}
			o->version = (int)v;
			break;
		case 'l':
			o->listen_on = optarg;
			break;
		case 'n':
			if (number(c, optarg, UINT32_MAX, &o->want) != 0)
				return 2;
			break;
		case 't':
			if (number(c, optarg, 3600000, &o->idle_ms) != 0)
				return 2;
			break;
		case 'e':
			o->exporter = optarg;
			break;
		case 'o':
			if (flow_fieldset_parse(optarg, &o->fields, &why) != 0) {
				diag_warn("-o: %s", why.text);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (flow_addr_parse(&run->exporter, o->exporter, strlen(o->exporter)) != 0) {
		fprintf(stderr, "nfdecode: -e %s: not an address\n", o->exporter);
		return 2;
	}
	if (optind >= argc && !o->listen_on) {
		usage(stderr);
		return 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct decode_run run;
	struct aid_opts o = { FLOW_FIELDS_DEFAULT, true, 0, "0.0.0.0", NULL, 0, 2000 };
	int rc;

	diag_init("nfdecode");
	rc = parse_args(argc, argv, &run, &o);

	if (rc != 0)
		return rc == 1 ? 0 : 2;
	if (nf_decoder_init(&run.dec, 0, o.version) != 0) {
		fprintf(stderr, "nfdecode: out of memory\n");
		return 2;
	}
	flow_writer_init(&run.out, stdout, o.fields, o.header, false);
	if (o.header && !run.count_only)
		flow_writer_start(&run.out);
	if (o.listen_on)
		rc = listen_udp(&run, o.listen_on, (unsigned long)o.want, (int)o.idle_ms);
	for (int i = optind; i < argc; i++)
		if (decode_file(&run, argv[i]) != 0)
			rc = 2;
	if (run.count_only)
		printf("datagrams %lu records %lu packets %llu octets %llu templates %lu\n",
		    run.datagrams, run.records, run.packets, run.octets, run.templates_learnt);
	if (!run.count_only && flow_writer_flush(&run.out) != 0) {
		fprintf(stderr, "nfdecode: stdout: %s\n", strerror(errno));
		rc = 2;
	}
	if (run.no_template || run.options || run.bad || run.clamped)
		fprintf(stderr,
		    "nfdecode: %lu datagrams, %lu records, %lu templates, %lu data sets "
		    "without template, %lu options records skipped, %lu malformed, %lu with times "
		    "clamped to 2^32 ms\n", run.datagrams, run.records, run.templates_learnt,
		    run.no_template, run.options, run.bad, run.clamped);
	nf_decoder_free(&run.dec);
	if (rc == 0 && run.bad)
		rc = 1;
	return rc;
}
