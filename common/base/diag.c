/* Diagnostics: one line on stderr, prefixed with the program's name. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"

static const char *diag_name = "flowpipes";	/* set once by main */

void diag_init(const char *prog)
{
	if (prog != NULL && *prog != '\0')
		diag_name = prog;
}

const char *diag_prog(void)
{
	return diag_name;
}

static void vwarn_line(const char *fmt, va_list ap, const char *tail)
{
	char msg[1024];

	vsnprintf(msg, sizeof msg, fmt, ap);
	if (tail != NULL)
		fprintf(stderr, "%s: %s: %s\n", diag_name, msg, tail);
	else
		fprintf(stderr, "%s: %s\n", diag_name, msg);
}

void diag_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vwarn_line(fmt, ap, NULL);
	va_end(ap);
}

void diag_warn_errno(const char *fmt, ...)
{
	const char *err = strerror(errno);
	va_list ap;

	va_start(ap, fmt);
	vwarn_line(fmt, ap, err);
	va_end(ap);
}

void diag_vwarn_quota(struct diag_quota *q, const char *fmt, va_list ap)
{
	if (q->shown >= q->max)
		return;
	vwarn_line(fmt, ap, NULL);
	if (++q->shown == q->max)
		diag_warn("further %s are counted, not shown", q->what);
}

void diag_warn_quota(struct diag_quota *q, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vwarn_quota(q, fmt, ap);
	va_end(ap);
}

int why_set(struct why *w, const char *fmt, ...)
{
	va_list ap;

	if (w == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(w->text, sizeof w->text, fmt, ap);
	va_end(ap);
	return -1;
}
