/*
 * Pool of fixed-size objects: the entries of a flow table. Objects are
 * carved from slabs (one allocation per slab, never per object) and go
 * back to a free list for the next ones; slabs are only freed with the
 * pool. A limit caps how many objects are live at once, so a table's
 * memory is bounded by limit * size (plus one slab) whatever the input:
 * pool_get says no at the limit and counts the refusal, and the caller
 * evicts an entry first (and counts that) instead of growing.
 */
#ifndef FLOWPIPES_POOL_H
#define FLOWPIPES_POOL_H

#include <stdbool.h>
#include <stddef.h>

struct pool_slab;

struct pool {
	size_t size;		/* one object, rounded up to max_align_t */
	size_t per_slab;	/* objects in one slab */
	size_t slab_bytes;	/* what one slab allocation takes */
	size_t limit;		/* most objects live at once (SIZE_MAX: none) */
	bool huge;		/* slabs on huge pages (huge_alloc) */
	size_t live, peak;	/* objects handed out now, and at most */
	size_t slabs;		/* slabs allocated */
	unsigned long long refused;	/* pool_get at the limit */
	/* private */
	void *free_list;
	struct pool_slab *slab_list;
	size_t carved;		/* objects handed out of the newest slab so far */
};

/*
 * obj_size: bytes of one object. slab_bytes: how much one slab takes
 * (at least one object fits; 0: a default). limit: most live objects
 * (0: no limit). huge: slab_bytes is a power of two and slabs sit on
 * huge pages where the kernel allows (fewer TLB misses on big tables).
 * Allocates nothing yet. 0, or -1 when the sizes make no sense.
 */
int pool_init(struct pool *p, size_t obj_size, size_t slab_bytes, size_t limit, bool huge);
/* An object (not zeroed), or NULL at the limit (counted) or out of memory. */
void *pool_get(struct pool *p);
/* Gives obj back (it must come from this pool). */
void pool_put(struct pool *p, void *obj);
/* Whether pool_get would be refused by the limit now. */
static inline bool pool_full(const struct pool *p)
{
	return p->live >= p->limit;
}
/* Bytes held in slabs now (what the pool costs). */
static inline size_t pool_bytes(const struct pool *p)
{
	return p->slabs * p->slab_bytes;
}
/* Frees every slab: all objects are gone. */
void pool_free(struct pool *p);

#endif
