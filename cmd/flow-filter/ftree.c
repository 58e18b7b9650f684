/* Building and freeing the compiled filter tree (ftree.h). */
#include <stdlib.h>
#include <string.h>

#include "ftree.h"

#define BIT(f) ((flow_fieldset)1u << (f))
#define CLOCK (BIT(FF_UNIX_SECS) | BIT(FF_UNIX_NSECS) | BIT(FF_SYSUPTIME))
/* a duration goes through sysuptime, so a wrapped uptime is harmless */
#define SPAN (BIT(FF_SYSUPTIME) | BIT(FF_FIRST) | BIT(FF_LAST))

static const struct {
	const char *name;
	flow_fieldset needs;
} derived[FV_COUNT - FF_COUNT] = {
	[FV_DURATION - FF_COUNT] = { "duration", SPAN },
	[FV_BPS - FF_COUNT] = { "bps", BIT(FF_DOCTETS) | SPAN },
	[FV_PPS - FF_COUNT] = { "pps", BIT(FF_DPKTS) | SPAN },
	[FV_BPP - FF_COUNT] = { "bpp", BIT(FF_DPKTS) | BIT(FF_DOCTETS) },
	[FV_START - FF_COUNT] = { "start", CLOCK | BIT(FF_FIRST) },
	[FV_END - FF_COUNT] = { "end", CLOCK | BIT(FF_LAST) },
	[FV_ICMP_TYPE - FF_COUNT] = { "icmp-type", BIT(FF_DSTPORT) },
	[FV_ICMP_CODE - FF_COUNT] = { "icmp-code", BIT(FF_DSTPORT) },
};

flow_fieldset fvalue_needs(enum fvalue v)
{
	if ((int)v < FF_COUNT)
		return BIT(v);
	return v < FV_COUNT ? derived[v - FF_COUNT].needs : 0;
}

const char *fvalue_name(enum fvalue v)
{
	if ((int)v < FF_COUNT)
		return flow_field_name((enum flow_field)v);
	return v < FV_COUNT ? derived[v - FF_COUNT].name : "?";
}

/* Grows an array of *cap elements of size sz to hold need; 0 or -1. */
static int grow(void **p, int *cap, int need, size_t sz)
{
	int ncap = *cap ? *cap : 16;
	void *np;

	if (need <= *cap)
		return 0;
	while (ncap < need)
		ncap *= 2;
	np = realloc(*p, (size_t)ncap * sz);
	if (np == NULL)
		return -1;
	*p = np;
	*cap = ncap;
	return 0;
}

int ftree_add(struct ftree *t, const struct fnode *n)
{
	if (grow((void **)&t->node, &t->cap, t->count + 1, sizeof *t->node) < 0)
		return -1;
	t->node[t->count] = *n;
	return t->count++;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return (x > y) - (x < y);
}

int ftree_add_set(struct ftree *t, const uint64_t *v, int n)
{
	int start = t->nset;

	if (grow((void **)&t->set, &t->setcap, t->nset + n, sizeof *t->set) < 0)
		return -1;
	memcpy(t->set + start, v, (size_t)n * sizeof *v);
	qsort(t->set + start, (size_t)n, sizeof *v, cmp_u64);
	t->nset += n;
	return start;
}

void ftree_free(struct ftree *t)
{
	free(t->node);
	free(t->set);
	memset(t, 0, sizeof *t);
}
