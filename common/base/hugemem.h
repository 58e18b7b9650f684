/*
 * Memory on huge pages where the kernel allows (transparent huge pages,
 * asked for with madvise): for big tables read at random, where 4 kB
 * pages cost a TLB miss nearly every access. The pool's slabs and the
 * hash table's index take it.
 */
#ifndef FLOWPIPES_HUGEMEM_H
#define FLOWPIPES_HUGEMEM_H

#include <stddef.h>

/*
 * bytes (a power of two, or a multiple of 2 MB), aligned to a huge page
 * or to bytes when smaller, not zeroed; free() frees it. NULL when out of
 * memory.
 */
void *huge_alloc(size_t bytes);

#endif
