/* pcap-flows' command line (see options.h and pcap-flows(1)). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/kwlist.h"
#include "base/optnum.h"
#include "flow/flowaddr.h"
#include "line/toolopts.h"
#include "options.h"

#define PROG "pcap-flows"

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROG " [-Hp] [-T vlan,tunnel] [--tunnels inner|outer] [--strict] [-r "
	    "file]... [-i iface] [-Z user] [-s snaplen]\n"
	    "       [-o fields] [-m max-flows] [-t name=secs,...] [-x exaddr] [-e type/id]\n"
	    "       [-I ifindex] [expression]\n"
	    "  -r FILE    read a pcap/pcapng file ('-' stdin; several in order; default stdin)\n"
	    "  -i IFACE   capture live;  -p  not promiscuous;  -s N  snapshot length\n"
	    "  -Z USER    drop root to USER once the captures are open\n"
	    "  -o LIST    fields to write;  -H  no header line\n"
	    "  -m N       most flows held at once (default %u; k/M suffix)\n"
	    "  -t LIST    timeouts in seconds: inactive=%u,active=%u,tcp-end=%u\n"
	    "  -T LIST    also in the flow key: vlan (VLAN id), tunnel (VNI, GRE key, TEID)\n"
	    "  --tunnels W  inner: the packet inside a tunnel is the flow (default);\n"
	    "             outer: the tunnel packet itself\n"
	    "  -x ADDR    exporter address;  -e T/I  engine type/id;  -I N  input ifindex\n"
	    "  --strict   stop at the first undecodable packet\n"
	    "  expression a BPF filter, as tcpdump takes it\n",
	    PF_MAX_FLOWS_DEFAULT, PF_INACTIVE_DEFAULT_S, PF_ACTIVE_DEFAULT_S, PF_TCP_END_DEFAULT_S);
}

enum { TO_INACTIVE, TO_ACTIVE, TO_TCP_END };
enum { OPT_TUNNELS = 0x2000 };
enum { KEY_FULL, KEY_VLAN, KEY_TUNNEL };

static const struct kwname key_names[] = {
	{ "full", KEY_FULL }, { "vlan", KEY_VLAN }, { "tunnel", KEY_TUNNEL },
	{ NULL, 0 }
};

/* -T full|vlan|tunnel,...: what joins the 5-tuple in the key ("full": nothing more). */
static int parse_key(const char *arg, struct options *o)
{
	struct kwlist k = kwlist_make(arg, ',');
	struct kwitem it;
	int n = 0;

	o->key_vlan = o->key_tunnel = false;
	while (kwlist_next(&k, &it)) {
		int id = kwname_lookup(key_names, it.name, it.name_len);

		if (id < 0 || it.value != NULL)
			return -1;
		if (id == KEY_VLAN)
			o->key_vlan = true;
		if (id == KEY_TUNNEL)
			o->key_tunnel = true;
		n++;
	}
	return n > 0 ? 0 : -1;
}

/* -t names; softflowd's general and maxlife are accepted too */
static const struct kwname timeout_names[] = {
	{ "inactive", TO_INACTIVE }, { "general", TO_INACTIVE },
	{ "active", TO_ACTIVE }, { "maxlife", TO_ACTIVE },
	{ "tcp-end", TO_TCP_END },
	{ NULL, 0 }
};

/* inactive=S,active=S,tcp-end=S */
static int parse_timeouts(const char *arg, struct flow_params *p)
{
	struct kwlist k = kwlist_make(arg, ',');
	struct kwitem it;

	while (kwlist_next(&k, &it)) {
		int id = kwname_lookup(timeout_names, it.name, it.name_len);
		uint64_t ms;

		if (id < 0 || it.value == NULL ||
		    optnum_secs(it.value, it.value_len, PF_TIMEOUT_MAX_S, &ms) < 0)
			return -1;
		if (id == TO_INACTIVE)
			p->inactive_ms = ms;
		else if (id == TO_ACTIVE)
			p->active_ms = ms;
		else
			p->tcp_end_ms = ms;
	}
	return 0;
}

static int bad(const char *what, const char *arg)
{
	diag_warn("%s: %s", what, arg);
	usage(stderr);
	return 2;
}

static int bad_why(const struct why *w)
{
	diag_warn("%s", w->text);
	usage(stderr);
	return 2;
}

static void set_defaults(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->fields = FLOW_FIELDS_DEFAULT;
	o->header = true;
	o->params.inactive_ms = PF_INACTIVE_DEFAULT_S * 1000u;
	o->params.active_ms = PF_ACTIVE_DEFAULT_S * 1000u;
	o->params.tcp_end_ms = PF_TCP_END_DEFAULT_S * 1000u;
	o->params.max_flows = PF_MAX_FLOWS_DEFAULT;
	o->exaddr.family = FLOW_AF_INET;
}

/* The options that take a value of pcap-flows' own; 0, or 2 after a message. */
static int take(struct options *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 'm':
		if (optnum_count(arg, 1ull << 32, &v) < 0)
			return bad("bad flow limit", arg);
		o->params.max_flows = (size_t)v;
		return 0;
	case 't':
		if (parse_timeouts(arg, &o->params) < 0)
			return bad("bad timeout (inactive=S,active=S,tcp-end=S)", arg);
		return 0;
	case 'T':
		if (parse_key(arg, o) < 0)
			return bad("bad -T (full, vlan, tunnel, or vlan,tunnel)", arg);
		return 0;
	case OPT_TUNNELS:
		if (strcmp(arg, "inner") != 0 && strcmp(arg, "outer") != 0)
			return bad("bad --tunnels (inner or outer)", arg);
		o->tunnels_outer = strcmp(arg, "outer") == 0;
		return 0;
	case 'x':
		if (flow_addr_parse(&o->exaddr, arg, strlen(arg)) < 0)
			return bad("bad exporter address", arg);
		return 0;
	case 'e':
		if (optnum_engine(arg, &o->engine_type, &o->engine_id) < 0)
			return bad("bad engine (type/id, each 0-255)", arg);
		return 0;
	case 'I':
		if (optnum_uint(arg, 10, UINT32_MAX, &v) < 0)
			return bad("bad ifindex (0-4294967295)", arg);
		o->ifindex = (uint32_t)v;
		o->have_ifindex = true;
		return 0;
	default:
		return -1;	/* not ours */
	}
}

int options_parse(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		TOOLOPTS_LONG,
		{ "tunnels", required_argument, NULL, OPT_TUNNELS },
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = {
		.usage = usage, .fields = &o->fields, .header = &o->header,
		.strict = &o->strict
	};
	struct why w;
	int c, rc;

	set_defaults(o);
	if (capture_args_init(&o->capture, argc) < 0)
		return bad("out of memory", "options");
	while ((c = getopt_long(argc, argv, "+hHpr:i:Z:s:o:m:t:T:x:e:I:", longopts, NULL)) != -1) {
		rc = capture_args_take(&o->capture, c, optarg, &w);
		if (rc < 0)
			return bad_why(&w);
		if (rc > 0)
			rc = take(o, c, optarg);
		if (rc < 0)
			rc = toolopt_take(&shared, c, optarg);
		if (rc != 0)
			return rc;
	}
	if (capture_args_finish(&o->capture, argc - optind, argv + optind, o->strict, &w) < 0)
		return bad_why(&w);
	return 0;
}

void options_free(struct options *o)
{
	capture_args_free(&o->capture);
}
