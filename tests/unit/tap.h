/*
 * Minimal TAP output for the C unit tests: one "ok N name" or
 * "not ok N name" line per check, a diagnostic after each failure.
 * The process exits non-zero when any check failed.
 */
#ifndef FLOWPIPES_TAP_H
#define FLOWPIPES_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

/* cond is evaluated once: it may have side effects */
#define OK(cond, ...) do { \
	int ok_ = (cond) ? 1 : 0; \
	++tap_n; \
	if (ok_) { printf("ok %d ", tap_n); } \
	else { ++tap_failed; printf("not ok %d ", tap_n); } \
	printf(__VA_ARGS__); putchar('\n'); \
	if (!ok_) printf("#   %s:%d: %s\n", __FILE__, __LINE__, #cond); \
} while (0)

#define IS_STR(got, want, ...) do { \
	const char *g_ = (got), *w_ = (want); \
	OK(g_ && strcmp(g_, w_) == 0, __VA_ARGS__); \
	if (!(g_ && strcmp(g_, w_) == 0)) \
		printf("#   got:  '%s'\n#   want: '%s'\n", g_ ? g_ : "(null)", w_); \
} while (0)

#define IS_U(got, want, ...) do { \
	unsigned long long g_ = (got), w_ = (want); \
	OK(g_ == w_, __VA_ARGS__); \
	if (g_ != w_) printf("#   got:  %llu\n#   want: %llu\n", g_, w_); \
} while (0)

static inline int tap_done(void)
{
	printf("1..%d\n", tap_n);
	return tap_failed ? 1 : 0;
}

#endif
