/*
 * The URL form of a network target: SCHEME://[USER[:PASS]@]HOST[:PORT]/DB
 * [?socket=PATH]. HOST may be a bracketed IPv6 address. No percent
 * escapes: a name that needs them does not fit here.
 */
#ifndef FLOWLOAD_TARGETURL_H
#define FLOWLOAD_TARGETURL_H

#include "base/diag.h"

struct target_url {
	char user[64], pass[128], host[256], db[64], socket[256];
	unsigned port;		/* 0: the scheme's default */
};

/* Parses spec after "SCHEME://". 0, or -1 with the reason in w. */
int target_url_parse(const char *rest, struct target_url *u, struct why *w);

#endif
