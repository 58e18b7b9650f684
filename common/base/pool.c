/* Pool of fixed-size objects in slabs (see pool.h). */
#include <stdint.h>
#include <stdlib.h>

#include "base/hugemem.h"
#include "base/pool.h"

#define SLAB_DEFAULT (64u << 10)

/* A slab: the link to the next, then the objects, each max_align_t aligned. */
struct pool_slab {
	struct pool_slab *next;
	max_align_t obj[];
};

struct free_obj {
	struct free_obj *next;
};

int pool_init(struct pool *p, size_t obj_size, size_t slab_bytes, size_t limit, bool huge)
{
	size_t a = _Alignof(max_align_t);
	size_t head = offsetof(struct pool_slab, obj);

	*p = (struct pool){ .limit = limit ? limit : SIZE_MAX, .huge = huge };
	if (obj_size < sizeof(struct free_obj))
		obj_size = sizeof(struct free_obj);
	if (obj_size > SIZE_MAX / 2)
		return -1;
	p->size = (obj_size + a - 1) / a * a;
	if (slab_bytes == 0)
		slab_bytes = SLAB_DEFAULT;
	if (slab_bytes < head + p->size)
		slab_bytes = head + p->size;
	if (huge && (slab_bytes & (slab_bytes - 1)) != 0)
		return -1;
	p->slab_bytes = slab_bytes;
	p->per_slab = (slab_bytes - head) / p->size;
	return 0;
}

static struct pool_slab *slab_new(struct pool *p)
{
	struct pool_slab *s;

	if (p->huge) {
		s = huge_alloc(p->slab_bytes);
	} else {
		s = malloc(p->slab_bytes);
	}
	if (s == NULL)
		return NULL;
	s->next = p->slab_list;
	p->slab_list = s;
	p->slabs++;
	p->carved = 0;
	return s;
}

void *pool_get(struct pool *p)
{
	void *obj;

	if (pool_full(p)) {
		p->refused++;
		return NULL;
	}
	if (p->free_list != NULL) {
		struct free_obj *f = p->free_list;
		p->free_list = f->next;
		obj = f;
	} else {
		/* carve lazily: a slab's untouched objects cost no page faults */
		if (p->slab_list == NULL || p->carved == p->per_slab) {
			if (slab_new(p) == NULL)
				return NULL;
		}
		obj = (char *)p->slab_list->obj + p->carved++ * p->size;
	}
	if (++p->live > p->peak)
		p->peak = p->live;
	return obj;
}

void pool_put(struct pool *p, void *obj)
{
	struct free_obj *f = obj;

	f->next = p->free_list;
	p->free_list = f;
	p->live--;
}

void pool_free(struct pool *p)
{
	while (p->slab_list != NULL) {
		struct pool_slab *s = p->slab_list;
		p->slab_list = s->next;
		free(s);
	}
	p->free_list = NULL;
	p->slabs = p->live = p->carved = 0;
}
