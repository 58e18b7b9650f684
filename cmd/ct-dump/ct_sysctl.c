/* Turning on conntrack accounting and timestamps (see ct_sysctl.h). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ct_sysctl.h"

static void enable_one(const char *prog, const char *name, const char *missing)
{
	char path[128], cur[8] = "";
	FILE *fp;

	snprintf(path, sizeof path, "/proc/sys/net/netfilter/%s", name);
	fp = fopen(path, "r");
	if (fp == NULL) {
		fprintf(stderr, "%s: warning: cannot read net.netfilter.%s (%s): %s may be missing\n",
		    prog, name, strerror(errno), missing);
		return;
	}
	if (fgets(cur, sizeof cur, fp) == NULL)
		cur[0] = '\0';
	fclose(fp);
	if (cur[0] == '1')
		return;
	fp = fopen(path, "w");
	bool ok = fp != NULL && fputs("1\n", fp) != EOF;
	if (fp != NULL && fclose(fp) != 0)
		ok = false;
	if (!ok) {
		fprintf(stderr, "%s: warning: cannot turn on net.netfilter.%s (%s): %s will be missing\n",
		    prog, name, strerror(errno), missing);
		return;
	}
	fprintf(stderr, "%s: turned on net.netfilter.%s in this network namespace"
	    " (for connections from now on)\n", prog, name);
}

void ct_sysctl_enable(const char *prog)
{
	enable_one(prog, "nf_conntrack_acct", "packet and byte counters");
	enable_one(prog, "nf_conntrack_timestamp", "connection start times (delta-time)");
}
