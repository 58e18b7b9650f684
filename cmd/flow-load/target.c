/* Which backend a target spec names, and whether this binary has it. */
#include <string.h>

#include "target.h"

struct scheme {
	const char *prefix;
	const char *what, *package;	/* for "built without" */
	const struct target_ops *ops;	/* NULL: built without it */
};

static const struct scheme schemes[] = {
	{ "sqlite:", "SQLite", "libsqlite3-dev",
#ifdef HAVE_SQLITE
	    &target_sqlite },
#else
	    NULL },
#endif
	{ "postgresql://", "PostgreSQL", "libpq-dev",
#ifdef HAVE_POSTGRESQL
	    &target_postgresql },
#else
	    NULL },
#endif
	{ "postgres://", "PostgreSQL", "libpq-dev",
#ifdef HAVE_POSTGRESQL
	    &target_postgresql },
#else
	    NULL },
#endif
	{ "clickhouse://", "ClickHouse", "libcurl4-openssl-dev",
#ifdef HAVE_CLICKHOUSE
	    &target_clickhouse },
#else
	    NULL },
#endif
	{ "mysql://", "MySQL/MariaDB", "libmariadb-dev",
#ifdef HAVE_MARIADB
	    &target_mariadb },
#else
	    NULL },
#endif
};

/* A libpq conninfo string ("host=... dbname=...") names PostgreSQL too. */
static bool is_conninfo(const char *spec)
{
	return strchr(spec, '=') != NULL && strstr(spec, "://") == NULL;
}

const struct target_ops *target_lookup(const char *spec, struct why *w)
{
	const struct scheme *s = NULL;

	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0] && s == NULL; i++)
		if (strncmp(spec, schemes[i].prefix, strlen(schemes[i].prefix)) == 0)
			s = &schemes[i];
	if (s == NULL && is_conninfo(spec))
		s = &schemes[1];
	if (s == NULL) {
		why_set(w, "%s: unknown target (want sqlite:PATH, postgresql://..., "
		    "clickhouse://HOST[:PORT]/DB or mysql://USER@HOST/DB)", spec);
		return NULL;
	}
	if (s->ops == NULL)
		why_set(w, "built without %s support (install %s and rebuild)", s->what,
		    s->package);
	return s->ops;
}
