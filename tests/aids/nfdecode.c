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
#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "base/bytecursor.h"
#include "flow/flowaddr.h"
#include "line/flowline.h"
#include "netflow/ipfix.h"
#include "netflow/netflow_v5.h"
#include "netflow/netflow_v9.h"

#define FILE_MAX (64u << 20)

struct decode_run {
	struct flow_writer out;
	struct flow_addr exporter;
	struct nft_cache templates;
	int version;			/* 0: by each datagram's version field */
	bool count_only;		/* -c: no lines, totals only */
	unsigned long datagrams, records, bad, no_template, options, templates_learnt, clamped;
	unsigned long long packets, octets;
};

static void usage(FILE *fp)
{
	fprintf(fp, "usage: nfdecode [-cH] [-V 5|9|10] [-e exporter] [-o field,...] FILE...\n"
	    "       nfdecode [-cH] [-V 5|9|10] [-e exporter] [-n records] [-t idle_ms] -l addr/port\n"
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

static void report(struct decode_run *run, const char *path, size_t off, const struct nf_result *res)
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
		fprintf(stderr, "nfdecode: %s: datagram at byte %zu: %u data set(s) without a known template (last %u), skipped\n",
		    path, off, res->no_template, res->missing_template);
	}
	if (res->errors)
		report(run, path, off, res);
}

/* The version to decode p as: -V, or its first two bytes. */
static int version_of(const struct decode_run *run, const uint8_t *p, size_t len)
{
	struct bytecursor c = bc_make(p, len);

	return run->version ? run->version : bc_u16(&c);
}

/* One datagram (or for IPFIX, messages back to back). */
static void decode_datagram(struct decode_run *run, const char *where, const uint8_t *p, size_t len,
    const struct flow_addr *exporter, uint16_t port)
{
	struct nf_result res;

	nf_result_clear(&res);
	switch (version_of(run, p, len)) {
	case 9:
		nf9_decode(&run->templates, p, len, exporter, port, put_record, run, &res);
		break;
	case 10:
		ipfix_decode(&run->templates, p, len, exporter, port, put_record, run, &res);
		break;
	default:
		nf5_decode(p, len, exporter, put_record, run, &res);
		break;
	}
	tally(run, where, 0, &res);
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
		nf5_decode(p + off, n, &run->exporter, put_record, run, &res);
		tally(run, path, off, &res);
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
	if (version_of(run, buf, len) == 5)
		decode_v5_file(run, path, buf, len);
	else
		decode_datagram(run, path, buf, len, &run->exporter, 0);	/* files: no transport session */
	free(buf);
	return 0;
}

/*
 * The exporter a datagram came from (templates are its own), or -e when
 * given: a collector keys its state by the sender's address.
 */
static const struct flow_addr *sender(const struct sockaddr_storage *from, const struct flow_addr *fixed,
    struct flow_addr *out)
{
	if (!flow_addr_is_zero(fixed))
		return fixed;
	if (from->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)from;

		flow_addr_set_v6(out, s6->sin6_addr.s6_addr);
	} else {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)from;

		flow_addr_set_v4(out, (const uint8_t *)&s4->sin_addr);
	}
	return out;
}

/* The sender's UDP port: with its address, the transport session templates belong to (RFC 7011). */
static uint16_t sender_port(const struct sockaddr_storage *from, const struct flow_addr *fixed)
{
	if (!flow_addr_is_zero(fixed))
		return 0;
	if (from->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)from)->sin6_port);
	return ntohs(((const struct sockaddr_in *)from)->sin_port);
}

/* -l: datagrams from a UDP socket until want records came or idle_ms passed without any. */
static int listen_udp(struct decode_run *run, const char *spec, unsigned long want, int idle_ms)
{
	static uint8_t buf[65536];
	const char *slash = strrchr(spec, '/');
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd, rcvbuf = 32 << 20;
	struct flow_addr bind_addr;

	memset(&ss, 0, sizeof ss);
	if (!slash || flow_addr_parse(&bind_addr, spec, (size_t)(slash - spec)) != 0) {
		fprintf(stderr, "nfdecode: -l %s: want addr/port\n", spec);
		return 2;
	}
	if (bind_addr.family == FLOW_AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

		sin->sin_family = AF_INET;
		sin->sin_port = htons((uint16_t)atoi(slash + 1));
		memcpy(&sin->sin_addr, bind_addr.bytes, 4);
		sl = sizeof *sin;
	} else {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons((uint16_t)atoi(slash + 1));
		memcpy(&sin6->sin6_addr, bind_addr.bytes, 16);
		sl = sizeof *sin6;
	}
	fd = socket(ss.ss_family, SOCK_DGRAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&ss, sl) != 0) {
		fprintf(stderr, "nfdecode: -l %s: %s\n", spec, strerror(errno));
		if (fd >= 0)
			close(fd);
		return 2;
	}
	/* as much buffer as root may have, so a burst is not lost here */
	if (setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof rcvbuf) != 0)
		setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof rcvbuf);
	/* tell a waiting test we are ready */
	fprintf(stderr, "nfdecode: listening on %s\n", spec);
	while (want == 0 || run->records < want) {
		struct pollfd pfd = { fd, POLLIN, 0 };
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		struct flow_addr exporter;
		ssize_t n;

		if (poll(&pfd, 1, idle_ms) <= 0)
			break;
		n = recvfrom(fd, buf, sizeof buf, 0, (struct sockaddr *)&from, &fl);
		if (n < 0)
			continue;
		decode_datagram(run, spec, buf, (size_t)n, sender(&from, &run->exporter, &exporter),
		    sender_port(&from, &run->exporter));
	}
	close(fd);
	return 0;
}

int main(int argc, char **argv)
{
	struct decode_run run;
	flow_fieldset fields = FLOW_FIELDS_DEFAULT;
	bool header = true;
	int c, rc = 0;
	char err[128];
	const char *exporter = "0.0.0.0", *listen_on = NULL;
	unsigned long want = 0;
	int idle_ms = 2000;

	memset(&run, 0, sizeof run);
	while ((c = getopt(argc, argv, "cHV:e:l:n:o:t:h")) != -1) {
		switch (c) {
		case 'c':
			run.count_only = true;
			break;
		case 'H':
			header = false;
			break;
		case 'V':
			run.version = atoi(optarg);
			if (run.version != 5 && run.version != 9 && run.version != 10) {
				fprintf(stderr, "nfdecode: -V %s: version must be 5, 9 or 10\n", optarg);
				return 2;
			}
			break;
		case 'l':
			listen_on = optarg;
			break;
		case 'n':
			want = strtoul(optarg, NULL, 10);
			break;
		case 't':
			idle_ms = atoi(optarg);
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
	if (optind >= argc && !listen_on) {
		usage(stderr);
		return 2;
	}
	if (nft_cache_init(&run.templates, 0) != 0) {
		fprintf(stderr, "nfdecode: out of memory\n");
		return 2;
	}
	flow_writer_init(&run.out, stdout, fields, header, false);
	if (header && !run.count_only)
		flow_writer_start(&run.out);
	if (listen_on)
		rc = listen_udp(&run, listen_on, want, idle_ms);
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
		fprintf(stderr, "nfdecode: %lu datagrams, %lu records, %lu templates, %lu data sets without template, "
		    "%lu options records skipped, %lu malformed, %lu with times clamped to 2^32 ms\n", run.datagrams,
		    run.records, run.templates_learnt, run.no_template, run.options, run.bad, run.clamped);
	nft_cache_free(&run.templates);
	if (rc == 0 && run.bad)
		rc = 1;
	return rc;
}
