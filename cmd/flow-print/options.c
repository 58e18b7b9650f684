/* flow-print's command line (see options.h and flow-print(1)). */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/diag.h"
#include "base/optnum.h"
#include "fmtspec.h"
#include "line/toolopts.h"
#include "options.h"

#define PROG "flow-print"
#define MAX_FLOWS_DEFAULT 1000000u
#define TOP_DEFAULT 10u

enum { OPT_HELP = 0x2000 };	/* -h is human units here; help is --help */

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROG " [-hnu] [-r FILE]... [-f line|long|csv|json|fmt:TEMPLATE]\n"
	    "                  [-O start|end|bytes|packets|duration|bps] [-m FLOWS]\n"
	    "                  [-s FIELD[,FIELD...][/flows|packets|bytes] [-N N]] [--strict]\n"
	    "  prints flow lines for people: an aligned table, JSON, or top-N statistics\n"
	    "  -r FILE     read FILE (repeat for several; default stdin)\n"
	    "  -f FORMAT   line (default), long (interfaces, AS, masks, next hop, engine),\n"
	    "              csv (the line format), json (one object a line),\n"
	    "              fmt:'%%start %%src -> %%dst %%bytes' (line-format field names and\n"
	    "              start end duration proto flags src dst packets bytes bps pps bpp)\n"
	    "  -n          no header and no totals block\n"
	    "  -h          human units: K, M, G... in powers of 1000, one decimal\n"
	    "  -u          times in UTC (default: local time, TZ)\n"
	    "  -O KEY      sort: start, end (earliest first), bytes, packets, duration, bps\n"
	    "              (most first); default input order, streaming\n"
	    "  -m FLOWS    flows -O holds at most (default %u); beyond, sorted runs\n"
	    "  -s SPEC     statistics by fields (srcaddr, dstaddr, srcport, dstport, prot,\n"
	    "              exaddr, input, output, src_as, dst_as, tos...), ip or port (both\n"
	    "              sides of each flow), prefixes srcaddr/24; order /flows (default),\n"
	    "              /packets or /bytes\n"
	    "  -N N        top N groups (default %u, 0 all)\n"
	    "  --strict    stop at the first bad line\n"
	    "  --help, --version\n", MAX_FLOWS_DEFAULT, TOP_DEFAULT);
}

static int parse_format(struct options *o, const char *arg)
{
	static const char *const names[] = { "line", "long", "csv", "json" };

	if (strncmp(arg, "fmt:", 4) == 0) {
		o->format = OUT_FMT;
		o->tmpl = arg + 4;
		return 0;
	}
	for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(arg, names[i]) == 0) {
			o->format = (enum out_format)i;
			return 0;
		}
	diag_warn("-f: want line, long, csv, json or fmt:TEMPLATE: %s", arg);
	return 2;
}

static int parse_count(const char *opt, const char *arg, bool zero_ok, uint64_t *out)
{
	if (zero_ok ? optnum_uint(arg, 10, SIZE_MAX / 2, out) == 0 :
	    optnum_count(arg, SIZE_MAX / 2, out) == 0)
		return 0;
	diag_warn("%s: want a %s count (k, M allowed): %s", opt,
	    zero_ok ? "" : "positive", arg);
	return 2;
}

/* One option of flow-print's own; 0, or 2 after a message. */
static int take(struct options *o, int c, const char *arg)
{
	struct why why;
	uint64_t n;

	switch (c) {
	case 'r':
		o->files[o->nfiles++] = arg;
		return 0;
	case 'f':
		return parse_format(o, arg);
	case 'n':
		o->header = false;
		return 0;
	case 'h':
		o->human = true;
		return 0;
	case 'u':
		o->utc = true;
		return 0;
	case 'O':
		if ((o->sort = sort_key_lookup(arg)) != SORT_NONE)
			return 0;
		diag_warn("-O: want start, end, bytes, packets, duration or bps: %s", arg);
		return 2;
	case 'm':
		if (parse_count("-m", arg, false, &n) != 0)
			return 2;
		o->max_flows = (size_t)n;
		return 0;
	case 's':
		if (statkey_parse(&o->key, arg, &why) == 0) {
			o->stats = true;
			return 0;
		}
		diag_warn("-s: %s", why.text);
		return 2;
	case 'N':
		if (parse_count("-N", arg, true, &n) != 0)
			return 2;
		o->top = (size_t)n;
		return 0;
	default:
		return -1;
	}
}

static int check(const struct options *o)
{
	struct fmtspec f;
	struct why why;

	if (o->format == OUT_FMT && fmtspec_parse(&f, o->tmpl, o->human, &why) < 0) {
		diag_warn("-f fmt: %s", why.text);
		return 2;
	}
	if (o->stats && o->sort != SORT_NONE) {
		diag_warn("-s and -O: statistics have their own order (/bytes...)");
		return 2;
	}
	if (o->stats && o->format != OUT_LINE) {
		diag_warn("-s and -f: statistics are a table of their own");
		return 2;
	}
	return 0;
}

int options_parse(struct options *o, int argc, char **argv)
{
	static const struct option longs[] = {
		{ "version", no_argument, NULL, TOOLOPT_VERSION },
		{ "strict", no_argument, NULL, TOOLOPT_STRICT },
		{ "help", no_argument, NULL, OPT_HELP },
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = { .usage = usage, .strict = &o->strict };
	int c, rc;

	*o = (struct options){ .header = true, .max_flows = MAX_FLOWS_DEFAULT, .top = TOP_DEFAULT };
	if ((o->files = calloc((size_t)argc, sizeof *o->files)) == NULL) {
		diag_warn("out of memory");
		return 2;
	}
	while ((c = getopt_long(argc, argv, "r:f:nhuO:m:s:N:", longs, NULL)) != -1) {
		rc = take(o, c, optarg);
		if (rc < 0)
			rc = toolopt_take(&shared, c == OPT_HELP ? 'h' : c, optarg);
		if (rc != 0)
			return rc;
	}
	if ((rc = toolopt_no_operands(&shared, argc, argv)) != 0)
		return rc;
	return check(o);
}

void options_free(struct options *o)
{
	free(o->files);
}
