/* Walking "name=value,name" option lists (see kwlist.h). */
#include <string.h>
#include <strings.h>

#include "base/kwlist.h"

bool kwlist_next(struct kwlist *k, struct kwitem *it)
{
	const char *s = k->s;
	const char *end, *eq;
	size_t len;

	if (s == NULL || *s == '\0')
		return false;
	end = strchr(s, k->sep);
	len = end ? (size_t)(end - s) : strlen(s);
	eq = memchr(s, '=', len);
	it->name = s;
	it->name_len = eq ? (size_t)(eq - s) : len;
	it->value = eq ? eq + 1 : NULL;
	it->value_len = eq ? len - it->name_len - 1 : 0;
	k->s = end ? end + 1 : s + len;
	return true;
}

int kwname_lookup(const struct kwname *table, const char *name, size_t len)
{
	for (const struct kwname *t = table; t->name != NULL; t++)
		if (strlen(t->name) == len && memcmp(t->name, name, len) == 0)
			return t->id;
	return -1;
}

int kwname_lookup_icase(const struct kwname *table, const char *name, size_t len)
{
	for (const struct kwname *t = table; t->name != NULL; t++)
		if (strlen(t->name) == len && strncasecmp(t->name, name, len) == 0)
			return t->id;
	return -1;
}
