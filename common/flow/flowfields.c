/* Field names of the line format and -o field lists. */
#include <stdio.h>
#include <string.h>

#include "flow/flowrec.h"

static const char *const field_names[FF_COUNT] = {
	"unix_secs", "unix_nsecs", "sysuptime", "exaddr", "dpkts",
	"doctets", "first", "last", "engine_type", "engine_id",
	"srcaddr", "dstaddr", "nexthop", "input", "output",
	"srcport", "dstport", "prot", "tos", "tcp_flags",
	"src_mask", "dst_mask", "src_as", "dst_as",
	"rdpkts", "rdoctets", "rtcp_flags", "rfirst", "rlast",
	"tunnel_id",
};

const char *flow_field_name(enum flow_field f)
{
	return (unsigned)f < FF_COUNT ? field_names[f] : "?";
}

int flow_field_lookup(const char *name, size_t len)
{
	for (int i = 0; i < FF_COUNT; i++)
		if (strlen(field_names[i]) == len && memcmp(field_names[i], name, len) == 0)
			return i;
	return -1;
}

int flow_fieldset_parse(const char *list, flow_fieldset *out, struct why *w)
{
	flow_fieldset set = 0;
	const char *p = list;

	for (;;) {
		size_t n = strcspn(p, ",");
		int f = flow_field_lookup(p, n);
		if (f < 0)
			return why_set(w, "unknown field '%.*s'", (int)(n > 40 ? 40 : n), p);
		set |= 1u << f;
		if (p[n] == '\0')
			break;
		p += n + 1;
	}
	*out = set;
	return 0;
}
