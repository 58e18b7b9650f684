/* The shared capture options (see capture_args.h). */
#include <stdlib.h>
#include <string.h>

#include "base/optnum.h"
#include "packet/capture_args.h"

int capture_args_init(struct capture_args *a, int argc)
{
	memset(a, 0, sizeof *a);
	a->cap.promisc = true;
	a->cap.snaplen = CAPTURE_SNAPLEN_MAX;
	a->files = calloc((size_t)argc + 1, sizeof *a->files);
	a->cap.files = a->files;
	return a->files == NULL ? -1 : 0;
}

int capture_args_take(struct capture_args *a, int c, const char *arg, struct why *w)
{
	uint64_t v;

	switch (c) {
	case 'p':
		a->cap.promisc = false;
		return 0;
	case 'r':
		a->files[a->cap.nfiles++] = arg;
		return 0;
	case 'i':
		if (a->cap.iface)
			return why_set(w, "only one -i: %s", arg);
		a->cap.iface = arg;
		return 0;
	case 'Z':
		a->cap.user = arg;
		return 0;
	case 's':
		if (optnum_uint(arg, 10, CAPTURE_SNAPLEN_MAX, &v) < 0)
			return why_set(w, "bad snapshot length: %s", arg);
		/* 0: the maximum, as tcpdump */
		a->cap.snaplen = v ? (int)v : CAPTURE_SNAPLEN_MAX;
		return 0;
	default:
		return 1;
	}
}

/* The trailing words, joined by spaces, as tcpdump does. */
static char *join_words(int n, char **words)
{
	size_t len = 1;
	char *s;

	for (int i = 0; i < n; i++)
		len += strlen(words[i]) + 1;
	s = calloc(1, len);
	if (s == NULL)
		return NULL;
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, words[i]);
	}
	return s;
}

int capture_args_finish(struct capture_args *a, int n, char **words, bool strict, struct why *w)
{
	if (a->cap.iface && a->cap.nfiles)
		return why_set(w, "-i and -r exclude each other: %s", a->cap.iface);
	if (n > 0 && (a->filter = join_words(n, words)) == NULL)
		return why_set(w, "out of memory: filter");
	a->cap.filter = a->filter;
	a->cap.stop_on_error = strict;
	return 0;
}

void capture_args_free(struct capture_args *a)
{
	free(a->files);
	free(a->filter);
	a->files = NULL;
	a->filter = NULL;
	a->cap.files = NULL;
	a->cap.filter = NULL;
}
