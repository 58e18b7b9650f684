/*
 * The one keyword-list parser, for option arguments of the form
 * "name=value,name=value" (pcap-flows -t inactive=15,active=1800) and
 * bare "name,name" lists. The caller walks the items and looks each name
 * up in its own table of accepted names (aliases allowed), so every tool
 * spells and refuses keywords the same way.
 */
#ifndef FLOWPIPES_KWLIST_H
#define FLOWPIPES_KWLIST_H

#include <stdbool.h>
#include <stddef.h>

struct kwlist {
	const char *s;		/* what is left to walk */
	char sep;		/* between items, ',' */
};

struct kwitem {
	const char *name, *value;	/* value NULL when the item has no '=' */
	size_t name_len, value_len;
};

/* A keyword and its id; a table ends with a NULL name. */
struct kwname {
	const char *name;
	int id;
};

static inline struct kwlist kwlist_make(const char *s, char sep)
{
	struct kwlist k = { s, sep };
	return k;
}

/* Next item into *it: true, or false at the end of the list. */
bool kwlist_next(struct kwlist *k, struct kwitem *it);
/* The id of name[0..len) in table, or -1. */
int kwname_lookup(const struct kwname *table, const char *name, size_t len);
/* The same, letters matched without regard to case (syslog names: LOCAL6.NOTICE). */
int kwname_lookup_icase(const struct kwname *table, const char *name, size_t len);

#endif
