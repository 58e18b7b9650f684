/* logger(1)'s -p syntax (see priority.h). */
#include <string.h>

#include "base/decnum.h"
#include "base/kwlist.h"
#include "priority.h"

/* Numbers 12-15 have no name logger knows; they are accepted as numbers. */
static const struct kwname facilities[] = {
	{ "kern", 0 }, { "user", 1 }, { "mail", 2 }, { "daemon", 3 },
	{ "auth", 4 }, { "security", 4 }, { "syslog", 5 }, { "lpr", 6 },
	{ "news", 7 }, { "uucp", 8 }, { "cron", 9 }, { "authpriv", 10 },
	{ "ftp", 11 }, { "local0", 16 }, { "local1", 17 }, { "local2", 18 },
	{ "local3", 19 }, { "local4", 20 }, { "local5", 21 }, { "local6", 22 },
	{ "local7", 23 }, { NULL, 0 }
};

static const struct kwname levels[] = {
	{ "emerg", 0 }, { "panic", 0 }, { "alert", 1 }, { "crit", 2 },
	{ "err", 3 }, { "error", 3 }, { "warning", 4 }, { "warn", 4 },
	{ "notice", 5 }, { "info", 6 }, { "debug", 7 }, { NULL, 0 }
};

/* A name from table, or a decimal number up to max. -1 when neither. */
static int decode(const char *s, size_t len, const struct kwname *table, int max)
{
	uint64_t v;

	if (len > 0 && s[0] >= '0' && s[0] <= '9')
		return dec_parse_u64(s, len, (uint64_t)max, &v) == 0 ? (int)v : -1;
	return kwname_lookup_icase(table, s, len);
}

int syslog_priority_parse(const char *s, int default_facility, int *pri, struct why *w)
{
	const char *dot = strchr(s, '.');
	const char *lv = s;
	int facility = default_facility, level;

	if (dot != NULL) {
		facility = decode(s, (size_t)(dot - s), facilities, 23);
		if (facility < 0)
			return why_set(w, "unknown facility (kern user mail daemon auth syslog lpr "
			    "news uucp cron authpriv ftp local0-7, or 0-23)");
		lv = dot + 1;
	}
	/* the kernel's facility: glibc and rsyslog read 0 as "not set" from a process */
	if (facility == 0)
		return why_set(w, "facility kern is reserved for the kernel");
	level = decode(lv, strlen(lv), levels, 7);
	if (level < 0)
		return why_set(w, "unknown level (emerg alert crit err warning notice info debug, "
		    "or 0-7)");
	*pri = SYSLOG_PRI(facility, level);
	return 0;
}
