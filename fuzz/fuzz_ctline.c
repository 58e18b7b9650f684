/*
 * libFuzzer target: ct2ft's conntrack event line parser, and the views
 * built from whatever it accepts. Input: one line (newlines are just bytes).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../cmd/ct2ft/ctline.h"
#include "../cmd/ct2ft/ctviews.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ct_event ev;
	struct flowrec recs[3];
	struct ct_clock clk = { .export_us = 1000500000u, .boot_ms = 999000u, .first_ms = 1000000u,
	    .last_ms = 1000500u };
	struct why why = { "" };
	unsigned empty = 0;
	/* an exact-size copy, so reading past the end is caught */
	char *line = malloc(size ? size : 1);

	if (line == NULL)
		return 0;
	memcpy(line, data, size);
	if (ct_line_parse(line, size, &ev, &why) == 0) {
		int n = ct_views_build(&ev, CT_VIEW_AUTO, &clk, recs, &empty);
		if (n < 0 || n > 3)
			abort();
	} else if (why.text[0] == '\0') {
		abort();	/* every rejection says why */
	}
	free(line);
	return 0;
}
