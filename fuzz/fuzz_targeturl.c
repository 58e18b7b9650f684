/*
 * libFuzzer target: flow-load's target URL parser (the part after
 * "SCHEME://"), and the PostgreSQL COPY encoder over values taken from
 * the same bytes. Input: the URL text (NUL-terminated copy).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../cmd/flow-load/pgcopy.h"
#include "../cmd/flow-load/targeturl.h"

static void check_url(const char *s)
{
	struct target_url u;
	struct why w = { "" };

	if (target_url_parse(s, &u, &w) == 0) {
		/* what it accepts is whole strings, a host and a database */
		if (u.host[0] == '\0' || u.db[0] == '\0' || u.port > 65535 ||
		    strlen(u.host) >= sizeof u.host || strlen(u.db) >= sizeof u.db)
			abort();
	} else if (w.text[0] == '\0') {
		abort();	/* every rejection says why */
	}
}

/* numeric: 8 header bytes and 2 per base-10000 digit, at most 5 digits */
static void check_numeric(const uint8_t *data, size_t size)
{
	struct pgcopy c = { 0 };
	uint64_t v = 0;

	memcpy(&v, data, size < 8 ? size : 8);
	pgcopy_numeric_u64(&c, v);
	if (!c.buf.oom && (c.buf.len < 12 || c.buf.len > 12 + 10))
		abort();
	pgcopy_free(&c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_url(s);
	check_numeric(data, size);
	free(s);
	return 0;
}
