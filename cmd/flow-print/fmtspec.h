/*
 * -f fmt:TEMPLATE: a line per flow from a template of literal text and
 * %name items: every line-format field by its name (%srcaddr, %dpkts,
 * %first...) as the line carries it, and %start %end (ISO 8601),
 * %duration (s.ms), %proto (name), %flags (letters), %src %dst
 * (address:port as the table shows them), %packets %bytes (both
 * directions), %bps %pps %bpp ("-" without a span or packets). %% is a
 * percent sign. The longest name wins: %srcaddr is not %src then "addr".
 */
#ifndef FLOWPRINT_FMTSPEC_H
#define FLOWPRINT_FMTSPEC_H

#include <stdio.h>

#include "base/diag.h"
#include "flowview.h"
#include "timefmt.h"

#define FMTSPEC_ITEMS_MAX 64

struct fmtspec_item {
	int what;		/* a flow_field, or one of fmtspec.c's extras; -1: literal */
	const char *lit;	/* literal text (into the template) */
	size_t len;
};

struct fmtspec {
	struct fmtspec_item item[FMTSPEC_ITEMS_MAX];
	unsigned n;
	bool human;
};

/* Compiles the template (kept by pointer). 0, or -1 with the reason in why. */
int fmtspec_parse(struct fmtspec *f, const char *tmpl, bool human, struct why *why);
/* 0, or -1 when writing failed. */
int fmtspec_write(const struct fmtspec *f, FILE *fp, const struct flowview *v, struct timefmt *tf);

#endif
