/* pcap-flows' command line (see options.h and pcap-flows(1)). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "base/optnum.h"
#include "options.h"

#define PROG "pcap-flows"

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROG " [-Hp] [-T vlan] [--strict] [-r file]... [-i iface] [-Z user] [-s snaplen]\n"
	    "       [-o fields] [-m max-flows] [-t name=secs,...] [-x exaddr] [-e type/id]\n"
	    "       [-I ifindex] [expression]\n"
	    "  -r FILE    read a pcap/pcapng file ('-' stdin; several in order; default stdin)\n"
	    "  -i IFACE   capture live;  -p  not promiscuous;  -s N  snapshot length\n"
	    "  -Z USER    drop root to USER once the captures are open\n"
	    "  -o LIST    fields to write;  -H  no header line\n"
	    "  -m N       most flows held at once (default 1000000; k/M suffix)\n"
	    "  -t LIST    timeouts in seconds: inactive=15,active=1800,tcp-end=2\n"
	    "  -T vlan    VLAN id is part of the flow key\n"
	    "  -x ADDR    exporter address;  -e T/I  engine type/id;  -I N  input ifindex\n"
	    "  --strict   stop at the first undecodable packet\n"
	    "  expression a BPF filter, as tcpdump takes it\n");
}

/* inactive=S,active=S,tcp-end=S (softflowd's general/maxlife accepted too). */
static int parse_timeouts(const char *arg, struct flow_params *p)
{
	const char *s = arg;

	while (*s) {
		size_t len = strcspn(s, ",");
		const char *eq = memchr(s, '=', len);
		uint64_t ms;
		size_t nlen;

		if (eq == NULL || optnum_secs(eq + 1, len - (size_t)(eq + 1 - s), 1e9, &ms) < 0)
			return -1;
		nlen = (size_t)(eq - s);
		if ((nlen == 8 && !memcmp(s, "inactive", 8)) || (nlen == 7 && !memcmp(s, "general", 7)))
			p->inactive_ms = ms;
		else if ((nlen == 6 && !memcmp(s, "active", 6)) || (nlen == 7 && !memcmp(s, "maxlife", 7)))
			p->active_ms = ms;
		else if (nlen == 7 && !memcmp(s, "tcp-end", 7))
			p->tcp_end_ms = ms;
		else
			return -1;
		s += len;
		if (*s == ',')
			s++;
	}
	return 0;
}

/* The trailing words, joined by spaces, as tcpdump does. */
static char *join_args(int n, char **argv)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (s == NULL)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

static int bad(const char *what, const char *arg)
{
	fprintf(stderr, PROG ": %s: %s\n", what, arg);
	usage(stderr);
	return 2;
}

int options_parse(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 'S' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	char err[128];
	uint64_t v;
	uint64_t count;
	int c;

	memset(o, 0, sizeof *o);
	o->promisc = true;
	o->snaplen = 262144;
	o->fields = FLOW_FIELDS_DEFAULT;
	o->header = true;
	o->params.inactive_ms = 15000;
	o->params.active_ms = 1800000;
	o->params.tcp_end_ms = 2000;
	o->params.max_flows = 1000000;
	o->exaddr.family = FLOW_AF_INET;
	o->files = calloc((size_t)argc + 1, sizeof *o->files);
	if (o->files == NULL)
		return bad("out of memory", "options");
	while ((c = getopt_long(argc, argv, "+hHpr:i:Z:s:o:m:t:T:x:e:I:", longopts, NULL)) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return 1;
		case 'V':
			printf(PROG " flowpipes 0.1.0\n");
			return 1;
		case 'H':
			o->header = false;
			break;
		case 'p':
			o->promisc = false;
			break;
		case 'S':
			o->strict = true;
			break;
		case 'r':
			o->files[o->nfiles++] = optarg;
			break;
		case 'i':
			if (o->iface)
				return bad("only one -i", optarg);
			o->iface = optarg;
			break;
		case 'Z':
			o->user = optarg;
			break;
		case 's':
			if (optnum_uint(optarg, 10, 262144, &v) < 0)
				return bad("bad snapshot length", optarg);
			o->snaplen = v ? (int)v : 262144;	/* 0: the maximum, as tcpdump */
			break;
		case 'o':
			if (flow_fieldset_parse(optarg, &o->fields, err, sizeof err) < 0)
				return bad(err, optarg);
			break;
		case 'm':
			if (optnum_count(optarg, 1ull << 32, &count) < 0)
				return bad("bad flow limit", optarg);
			o->params.max_flows = (size_t)count;
			break;
		case 't':
			if (parse_timeouts(optarg, &o->params) < 0)
				return bad("bad timeout (inactive=S,active=S,tcp-end=S)", optarg);
			break;
		case 'T':
			if (strcmp(optarg, "vlan") != 0 && strcmp(optarg, "full") != 0)
				return bad("bad -T (full or vlan)", optarg);
			o->key_vlan = strcmp(optarg, "vlan") == 0;
			break;
		case 'x':
			if (flow_addr_parse(&o->exaddr, optarg, strlen(optarg)) < 0)
				return bad("bad exporter address", optarg);
			break;
		case 'e':
			if (optnum_engine(optarg, &o->engine_type, &o->engine_id) < 0)
				return bad("bad engine (type/id, each 0-255)", optarg);
			break;
		case 'I':
			if (optnum_uint(optarg, 10, UINT32_MAX, &v) < 0)
				return bad("bad ifindex (0-4294967295)", optarg);
			o->ifindex = (uint32_t)v;
			o->have_ifindex = true;
			break;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (o->iface && o->nfiles)
		return bad("-i and -r exclude each other", o->iface);
	if (optind < argc && (o->filter = join_args(argc - optind, argv + optind)) == NULL)
		return bad("out of memory", "filter");
	return 0;
}

void options_free(struct options *o)
{
	free(o->files);
	free(o->filter);
	o->files = NULL;
	o->filter = NULL;
}
