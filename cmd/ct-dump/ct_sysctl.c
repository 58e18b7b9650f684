/* Turning on conntrack accounting and timestamps (see ct_sysctl.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ct_sysctl.h"

static const struct {
	const char *name, *missing;
} wanted[CT_SYSCTL_COUNT] = {
	{ "nf_conntrack_acct", "packet and byte counters" },
	{ "nf_conntrack_timestamp", "connection start times (delta-time)" },
};

int ct_sysctl_enable(unsigned i, struct why *w)
{
	const char *name = wanted[i].name, *missing = wanted[i].missing;
	char path[128], cur[8] = "";
	FILE *fp;
	bool ok;

	snprintf(path, sizeof path, "/proc/sys/net/netfilter/%s", name);
	fp = fopen(path, "r");
	if (fp == NULL)
		return why_set(w, "warning: cannot read net.netfilter.%s (%s): %s may be missing",
		    name, strerror(errno), missing);
	if (fgets(cur, sizeof cur, fp) == NULL)
		cur[0] = '\0';
	fclose(fp);
	if (cur[0] == '1')
		return 0;
	fp = fopen(path, "w");
	ok = fp != NULL && fputs("1\n", fp) != EOF;
	if (fp != NULL && fclose(fp) != 0)
		ok = false;
	if (!ok)
		return why_set(w, "warning: cannot turn on net.netfilter.%s (%s): "
		    "%s will be missing", name, strerror(errno), missing);
	why_set(w, "turned on net.netfilter.%s in this network namespace"
	    " (for connections from now on)", name);
	return 1;
}
