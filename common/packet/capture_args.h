/*
 * The capture options every packet tool takes, spelt as tcpdump spells
 * them: -r FILE (several, read in order), -i IFACE, -p (no promiscuous
 * mode), -s SNAPLEN (0: the maximum), -Z USER, and the words after the
 * options joined into one BPF expression. A tool's option loop offers each
 * option to capture_args_take() before its own switch, and calls
 * capture_args_finish() after the loop; then args.cap is what
 * capture_open() takes. Faults come back in a struct why ("bad snapshot
 * length: 70000"), for the tool to print with its usage.
 */
#ifndef FLOWPIPES_CAPTURE_ARGS_H
#define FLOWPIPES_CAPTURE_ARGS_H

#include <stdbool.h>

#include "base/diag.h"
#include "packet/capture.h"

struct capture_args {
	struct capture_opts cap;	/* what capture_open() takes */
	const char **files;		/* -r, in order (argv pointers): cap.files */
	char *filter;			/* the joined expression: cap.filter */
};

/* Defaults (promiscuous, the largest snapshot); room for argc files. 0 or -1. */
int capture_args_init(struct capture_args *a, int argc);
/* 0: taken; 1: not a capture option; -1: a bad value, the reason in w. */
int capture_args_take(struct capture_args *a, int c, const char *arg, struct why *w);
/* After the options: the n trailing words as the filter; -i with -r refused. 0 or -1. */
int capture_args_finish(struct capture_args *a, int n, char **words, bool strict, struct why *w);
void capture_args_free(struct capture_args *a);

#endif
