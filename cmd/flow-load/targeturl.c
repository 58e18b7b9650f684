/* SCHEME://[USER[:PASS]@]HOST[:PORT]/DB[?socket=PATH] (targeturl.h). */
#include <string.h>

#include "base/decnum.h"
#include "targeturl.h"

/* Copies s[0..len) into dst (cap bytes) as a string; -1 when too long. */
static int take(char *dst, size_t cap, const char *s, size_t len)
{
	if (len >= cap)
		return -1;
	memcpy(dst, s, len);
	dst[len] = '\0';
	return 0;
}

static int userinfo(const char *s, size_t len, struct target_url *u, struct why *w)
{
	const char *colon = memchr(s, ':', len);
	size_t ulen = colon ? (size_t)(colon - s) : len;

	if (take(u->user, sizeof u->user, s, ulen) < 0)
		return why_set(w, "user name too long");
	if (colon != NULL && take(u->pass, sizeof u->pass, colon + 1, len - ulen - 1) < 0)
		return why_set(w, "password too long");
	return 0;
}

static int hostport(const char *s, size_t len, struct target_url *u, struct why *w)
{
	const char *end = s + len, *port = NULL;

	if (len > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', len);
		if (close == NULL)
			return why_set(w, "'[' without ']' in the host");
		if (take(u->host, sizeof u->host, s + 1, (size_t)(close - s - 1)) < 0)
			return why_set(w, "host too long");
		if (close + 1 < end && close[1] != ':')
			return why_set(w, "junk after ']' in the host");
		port = close + 1 < end ? close + 2 : NULL;
	} else {
		const char *colon = memchr(s, ':', len);
		if (take(u->host, sizeof u->host, s, colon ? (size_t)(colon - s) : len) < 0)
			return why_set(w, "host too long");
		port = colon ? colon + 1 : NULL;
	}
	if (u->host[0] == '\0')
		return why_set(w, "no host");
	if (port == NULL)
		return 0;
	uint64_t p;
	if (dec_parse_u64(port, (size_t)(end - port), 65535, &p) < 0 || p == 0)
		return why_set(w, "port: want 1 to 65535: '%.*s'",
		    (int)(end - port > 16 ? 16 : end - port), port);
	u->port = (unsigned)p;
	return 0;
}

static int query(const char *s, struct target_url *u, struct why *w)
{
	static const char key[] = "socket=";

	if (s == NULL)
		return 0;
	if (strncmp(s, key, strlen(key)) != 0)
		return why_set(w, "unknown parameter '%.32s' (only socket=PATH)", s);
	if (take(u->socket, sizeof u->socket, s + strlen(key), strlen(s + strlen(key))) < 0)
		return why_set(w, "socket path too long");
	return 0;
}

int target_url_parse(const char *rest, struct target_url *u, struct why *w)
{
	const char *slash = strchr(rest, '/');
	const char *at, *q;

	memset(u, 0, sizeof *u);
	if (slash == NULL)
		return why_set(w, "no /DATABASE after the host");
	at = memchr(rest, '@', (size_t)(slash - rest));
	if (at != NULL && userinfo(rest, (size_t)(at - rest), u, w) < 0)
		return -1;
	const char *h = at ? at + 1 : rest;
	if (hostport(h, (size_t)(slash - h), u, w) < 0)
		return -1;
	q = strchr(slash + 1, '?');
	if (take(u->db, sizeof u->db, slash + 1, q ? (size_t)(q - slash - 1) :
	    strlen(slash + 1)) < 0)
		return why_set(w, "database name too long");
	if (u->db[0] == '\0')
		return why_set(w, "no database name after the host");
	return query(q ? q + 1 : NULL, u, w);
}
