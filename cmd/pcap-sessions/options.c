/* pcap-sessions' command line (see options.h and pcap-sessions(1)). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/diag.h"
#include "base/kwlist.h"
#include "base/optnum.h"
#include "line/toolopts.h"
#include "options.h"

#define PROG "pcap-sessions"

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROG " [-Hpv] [--strict] [-r file]... [-i iface] [-Z user] [-s snaplen]\n"
	    "       [--dump dir] [--stream dir] [--max-session-size N] [--max-open N]\n"
	    "       [-t idle=secs] [-m sessions=N,bytes=N,held=N] [-k key] [expression]\n"
	    "  -r FILE    read a pcap/pcapng file ('-' stdin; several in order; default stdin)\n"
	    "  -i IFACE   capture live;  -p  not promiscuous;  -s N  snapshot length\n"
	    "  -Z USER    drop root to USER once the captures are open\n"
	    "  -H         no header line\n"
	    "  --dump DIR     each monologue's bytes to DIR/<key>.<n>.<c|s>\n"
	    "  --stream DIR   each direction to DIR/<key>.<c|s>, gaps as holes in DIR/<key>.gaps\n"
	    "  --max-session-size N  keep at most N bytes of each direction (k/M suffix)\n"
	    "  --max-open N   most output files open at once (default %u)\n"
	    "  -t idle=S  a session idle S seconds ends (default %u)\n"
	    "  -m LIST    sessions=N (default %u), bytes=N buffered in all (default %u),\n"
	    "             held=N out of order per direction (default %u)\n"
	    "  -v         verbose on stderr: -v sessions, -vv monologues, -vvv packets\n"
	    "  -k KEY     everything about one session (its key) on stderr\n"
	    "  --strict   stop at the first undecodable packet\n"
	    "  expression a BPF filter, as tcpdump takes it\n",
	    PS_MAX_OPEN_DEFAULT, PS_IDLE_DEFAULT_S, PS_MAX_SESSIONS_DEFAULT,
	    PS_MAX_BUFFERED_DEFAULT, PS_MAX_HELD_DEFAULT);
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

enum { M_SESSIONS, M_BYTES, M_HELD };

static const struct kwname mem_names[] = {
	{ "sessions", M_SESSIONS }, { "bytes", M_BYTES }, { "held", M_HELD },
	{ NULL, 0 }
};

/* A count of at most max from it.value (k/M suffix). */
static int item_count(const struct kwitem *it, uint64_t max, uint64_t *v)
{
	char buf[32];

	if (it->value == NULL || it->value_len >= sizeof buf)
		return -1;
	memcpy(buf, it->value, it->value_len);
	buf[it->value_len] = '\0';
	return optnum_count(buf, max, v);
}

/* sessions=N,bytes=N,held=N */
static int parse_limits(const char *arg, struct sess_params *p)
{
	struct kwlist k = kwlist_make(arg, ',');
	struct kwitem it;
	uint64_t v;

	while (kwlist_next(&k, &it)) {
		int id = kwname_lookup(mem_names, it.name, it.name_len);

		if (id < 0 || item_count(&it, 1ull << 40, &v) < 0)
			return -1;
		if (id == M_SESSIONS)
			p->max_sessions = (size_t)v;
		else if (id == M_BYTES)
			p->max_buffered = (size_t)v;
		else
			p->lim.max_held = (size_t)v;
	}
	return 0;
}

static int parse_idle(const char *arg, uint64_t *us)
{
	struct kwlist k = kwlist_make(arg, ',');
	struct kwitem it;
	uint64_t ms;

	while (kwlist_next(&k, &it)) {
		if (it.name_len != 4 || memcmp(it.name, "idle", 4) != 0 || it.value == NULL ||
		    optnum_secs(it.value, it.value_len, PS_TIMEOUT_MAX_S, &ms) < 0)
			return -1;
		*us = ms * 1000u;
	}
	return 0;
}

static void set_defaults(struct options *o)
{
	memset(o, 0, sizeof *o);
	o->header = true;
	o->max_open = PS_MAX_OPEN_DEFAULT;
	o->params.idle_us = PS_IDLE_DEFAULT_S * 1000000ull;
	o->params.max_sessions = PS_MAX_SESSIONS_DEFAULT;
	o->params.max_buffered = PS_MAX_BUFFERED_DEFAULT;
	o->params.max_size = UINT64_MAX;
	o->params.lim.max_held = PS_MAX_HELD_DEFAULT;
	o->params.lim.max_hist = PS_MAX_HIST_DEFAULT;
	o->params.lim.max_ahead = PS_MAX_AHEAD;
}

enum { OPT_DUMP = 0x2000, OPT_STREAM, OPT_MAX_SIZE, OPT_MAX_OPEN };

static int check_dir(const char *what, const char *dir)
{
	struct stat st;

	if (stat(dir, &st) < 0 || !S_ISDIR(st.st_mode))
		return bad(what, dir);
	return 0;
}

/* The options of pcap-sessions' own; 0, 2 after a message, -1 not ours. */
static int take(struct options *o, int c, const char *arg)
{
	uint64_t v;

	switch (c) {
	case 'm':
		return parse_limits(arg, &o->params) < 0 ?
		    bad("bad limits (sessions=N,bytes=N,held=N)", arg) : 0;
	case 't':
		return parse_idle(arg, &o->params.idle_us) < 0 ?
		    bad("bad timeout (idle=S)", arg) : 0;
	case 'v':
		o->verbose++;
		return 0;
	case 'k':
		o->params.verbose_key = arg;
		return 0;
	case OPT_DUMP:
		o->dump_dir = arg;
		return check_dir("--dump: not a directory", arg);
	case OPT_STREAM:
		o->stream_dir = arg;
		return check_dir("--stream: not a directory", arg);
	case OPT_MAX_SIZE:
		if (optnum_uint(arg, 10, UINT64_MAX, &v) < 0 &&
		    optnum_count(arg, UINT64_MAX, &v) < 0)
			return bad("bad --max-session-size", arg);
		o->params.max_size = v;
		return 0;
	case OPT_MAX_OPEN:
		if (optnum_count(arg, 1u << 20, &v) < 0)
			return bad("bad --max-open", arg);
		o->max_open = (size_t)v;
		return 0;
	default:
		return -1;
	}
}

int options_parse(struct options *o, int argc, char **argv)
{
	static const struct option longopts[] = {
		TOOLOPTS_LONG,
		{ "dump", required_argument, NULL, OPT_DUMP },
		{ "stream", required_argument, NULL, OPT_STREAM },
		{ "max-session-size", required_argument, NULL, OPT_MAX_SIZE },
		{ "max-open", required_argument, NULL, OPT_MAX_OPEN },
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = {
		.usage = usage, .header = &o->header, .strict = &o->strict
	};
	struct why w;
	int c, rc;

	set_defaults(o);
	if (capture_args_init(&o->capture, argc) < 0)
		return bad("out of memory", "options");
	while ((c = getopt_long(argc, argv, "+hHpvr:i:Z:s:m:t:k:", longopts, NULL)) != -1) {
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
	o->params.verbose_all = o->verbose >= 3;
	return 0;
}

void options_free(struct options *o)
{
	capture_args_free(&o->capture);
}
