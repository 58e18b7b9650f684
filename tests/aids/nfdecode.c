/*
 * nfdecode: decodes raw NetFlow v5 datagram files into flow lines.
 * A file holds one datagram, or several v5 datagrams back to back (split
 * by 24 + 48 * count, as in netflow5.dat). Used by tests to turn public
 * export datagrams into line-format fixtures and to check what
 * flow-send writes.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flowaddr.h"
#include "flowline.h"
#include "netflow_v5.h"

#define FILE_MAX (64u << 20)

struct decode_run {
	struct flow_writer out;
	struct flow_addr exporter;
	int version;			/* 0: by each datagram's version field */
	unsigned long datagrams, records, bad;
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: nfdecode [-H] [-V 5] [-e exporter] [-o field,...] FILE...\n");
}

static void put_record(void *ctx, const struct flowrec *r)
{
	struct decode_run *run = ctx;

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

static void report(struct decode_run *run, const char *path, size_t off, const struct nf_result *res)
{
	run->bad++;
	fprintf(stderr, "nfdecode: %s: datagram at byte %zu: %s (byte %zu)\n",
	    path, off, res->err, off + res->err_at);
}

/* One file of back-to-back v5 datagrams. */
static void decode_v5_file(struct decode_run *run, const char *path, const uint8_t *p, size_t len)
{
	size_t off = 0;

	while (off < len) {
		struct nf_result res;
		size_t n = nf5_datagram_len(p + off, len - off);

		nf_result_clear(&res);
		if (n == 0 || n > len - off)
			n = len - off;	/* let the decoder say what is wrong */
		run->datagrams++;
		if (nf5_decode(p + off, n, &run->exporter, put_record, run, &res) < 0)
			report(run, path, off, &res);
		run->records += res.records;
		off += n;
	}
}

static int decode_file(struct decode_run *run, const char *path)
{
	size_t len = 0;
	unsigned char *buf = slurp(path, &len);

	if (!buf) {
		fprintf(stderr, "nfdecode: %s: %s\n", path, strerror(errno));
		return -1;
	}
	decode_v5_file(run, path, buf, len);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	struct decode_run run;
	flow_fieldset fields = FLOW_FIELDS_DEFAULT;
	bool header = true;
	int c, rc = 0;
	char err[128];
	const char *exporter = "0.0.0.0";

	memset(&run, 0, sizeof run);
	while ((c = getopt(argc, argv, "HV:e:o:h")) != -1) {
		switch (c) {
		case 'H':
			header = false;
			break;
		case 'V':
			run.version = atoi(optarg);
			if (run.version != 5) {
				fprintf(stderr, "nfdecode: -V %s: version must be 5\n", optarg);
				return 2;
			}
			break;
		case 'e':
			exporter = optarg;
			break;
		case 'o':
			if (flow_fieldset_parse(optarg, &fields, err, sizeof err) != 0) {
				fprintf(stderr, "nfdecode: -o: %s\n", err);
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (flow_addr_parse(&run.exporter, exporter, strlen(exporter)) != 0) {
		fprintf(stderr, "nfdecode: -e %s: not an address\n", exporter);
		return 2;
	}
	if (optind >= argc) {
		usage(stderr);
		return 2;
	}
	flow_writer_init(&run.out, stdout, fields, header, false);
	if (header)
		flow_writer_start(&run.out);
	for (int i = optind; i < argc; i++)
		if (decode_file(&run, argv[i]) != 0)
			rc = 2;
	if (flow_writer_flush(&run.out) != 0) {
		fprintf(stderr, "nfdecode: stdout: %s\n", strerror(errno));
		rc = 2;
	}
	if (rc == 0 && run.bad)
		rc = 1;
	return rc;
}
