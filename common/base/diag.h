/*
 * One way to report: the program name is set once (diag_init, from main),
 * and every message is one line on stderr, "prog: text", as BSD warnx(3).
 * The convention across the tree is "callee explains, caller prints":
 * a library function that fails returns -1 and fills a struct why with
 * the reason (why_set returns -1, so `return why_set(w, ...)` reads
 * naturally); the caller, which knows the input and position, prints it
 * with diag_warn("%s:%lu: %s", name, line, w.text). Only a tool's own
 * code prints; common/ code prints only where it owns the input (the
 * line reader naming FILE:LINE).
 */
#ifndef FLOWPIPES_DIAG_H
#define FLOWPIPES_DIAG_H

#include <stdarg.h>

#include <stddef.h>

#define WHY_MAX 192

struct why {
	char text[WHY_MAX];
};

#if defined(__GNUC__)
#define DIAG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DIAG_PRINTF(a, b)
#endif

/* Sets the name every message starts with (the tool's name). */
void diag_init(const char *prog);
const char *diag_prog(void);
/* "prog: text\n" on stderr. */
void diag_warn(const char *fmt, ...) DIAG_PRINTF(1, 2);
/* "prog: text: strerror(errno)\n" on stderr (errno as at the call). */
void diag_warn_errno(const char *fmt, ...) DIAG_PRINTF(1, 2);
/* Fills w (when not NULL) with the reason; always returns -1. */
int why_set(struct why *w, const char *fmt, ...) DIAG_PRINTF(2, 3);

/*
 * Messages of one kind shown at most max times (per packet or line, where
 * a bad input could print millions): past that, nothing is formatted, and
 * the one that reaches the limit is followed by "further <what> are
 * counted, not shown". The caller counts them all.
 */
struct diag_quota {
	unsigned shown, max;
	const char *what;		/* "bad packets" */
};

void diag_warn_quota(struct diag_quota *q, const char *fmt, ...) DIAG_PRINTF(2, 3);
void diag_vwarn_quota(struct diag_quota *q, const char *fmt, va_list ap) DIAG_PRINTF(2, 0);

#endif
