/* Unit tests of common/base/pool: slabs, free list, count and limit. */
#include <stdint.h>
#include <string.h>

#include "base/pool.h"
#include "tap.h"

struct obj {
	uint64_t a, b, c;
	unsigned char tail[5];
};

static void grows_in_slabs(void)
{
	struct pool p;
	void *seen[100];
	bool distinct = true, aligned = true;

	OK(pool_init(&p, sizeof(struct obj), 1024, 0, false) == 0, "init: 1 KB slabs");
	OK(p.size % _Alignof(max_align_t) == 0 && p.size >= sizeof(struct obj),
	    "size rounded to alignment");
	for (int i = 0; i < 100; i++) {
		seen[i] = pool_get(&p);
		memset(seen[i], 0xab, sizeof(struct obj));	/* ASan: the object is all ours */
		aligned &= ((uintptr_t)seen[i] % _Alignof(max_align_t)) == 0;
		for (int j = 0; j < i; j++)
			distinct &= seen[j] != seen[i];
	}
	OK(distinct, "100 gets: 100 distinct objects");
	OK(aligned, "every object aligned");
	IS_U(p.live, 100, "live counts them");
	IS_U(p.slabs, (100 + p.per_slab - 1) / p.per_slab, "slabs: as many as the objects need");
	OK(pool_bytes(&p) == p.slabs * 1024, "bytes: slabs times their size");
	pool_put(&p, seen[42]);
	IS_U(p.live, 99, "put: live goes down");
	OK(pool_get(&p) == seen[42], "get after put: the freed object comes back");
	IS_U(p.slabs, (100 + p.per_slab - 1) / p.per_slab, "reuse: no new slab");
	IS_U(p.peak, 100, "peak");
	pool_free(&p);
	IS_U(p.live, 0, "free: nothing live");
}

static void bounded(void)
{
	struct pool p;
	void *o[3];

	OK(pool_init(&p, 40, 0, 3, false) == 0, "init: limit 3");
	for (int i = 0; i < 3; i++)
		o[i] = pool_get(&p);
	OK(o[0] && o[1] && o[2], "three gets under the limit");
	OK(pool_full(&p), "full at the limit");
	OK(pool_get(&p) == NULL, "a fourth is refused");
	IS_U(p.refused, 1, "the refusal is counted");
	pool_put(&p, o[1]);
	OK(!pool_full(&p), "not full after a put");
	OK(pool_get(&p) == o[1], "room again after a put");
	IS_U(p.slabs, 1, "one slab for three small objects");
	pool_free(&p);
}

static void huge_slabs(void)
{
	struct pool p;
	void *a;

	OK(pool_init(&p, 100, 3000, 0, true) < 0, "huge: slab size not a power of two refused");
	OK(pool_init(&p, 100, 1u << 16, 0, true) == 0, "huge: 64 KB aligned slabs");
	a = pool_get(&p);
	OK(a != NULL && ((uintptr_t)a & 0xffff) < 64, "huge: the first object opens a 64 KB "
	    "aligned slab");
	OK(p.per_slab >= ((1u << 16) - 64) / p.size, "huge: the slab is filled");
	pool_free(&p);
}

static void tiny_and_oversized(void)
{
	struct pool p;
	char *a, *b;

	OK(pool_init(&p, 1, 0, 0, false) == 0, "1-byte objects still hold the free link");
	a = pool_get(&p);
	b = pool_get(&p);
	OK(a != NULL && b != NULL && (size_t)(b > a ? b - a : a - b) >= sizeof(void *),
	    "tiny: apart");
	pool_free(&p);
	OK(pool_init(&p, 5000, 1024, 0, false) == 0, "a slab smaller than one object grows to hold "
	    "one");
	a = pool_get(&p);
	OK(a != NULL && p.per_slab == 1, "one object a slab");
	memset(a, 0, 5000);
	pool_free(&p);
	OK(pool_init(&p, SIZE_MAX, 0, 0, false) < 0, "absurd object size refused");
}

int main(void)
{
	grows_in_slabs();
	bounded();
	huge_slabs();
	tiny_and_oversized();
	return tap_done();
}
