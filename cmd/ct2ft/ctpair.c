/* Open connections waiting for their DESTROY (see ctpair.h). */
#include <string.h>

#include "ctpair.h"

static void make_key(struct ct_key *k, const struct ct_event *ev)
{
	memset(k, 0, sizeof *k);	/* padding too: keys are hashed and compared as bytes */
	k->src = ev->orig.src;
	k->dst = ev->orig.dst;
	k->sport = ev->orig.sport;
	k->dport = ev->orig.dport;
	k->icmp_type = ev->orig.icmp_type;
	k->icmp_code = ev->orig.icmp_code;
	k->icmp_id = ev->orig.icmp_id;
	k->proto = ev->proto;
	k->zone = ev->zone;
	k->has_id = ev->has_id;
	k->id = ev->has_id ? ev->id : 0;
}

static uint64_t key_hash(const struct ct_table *t, const struct ct_key *k)
{
	return htab_hash(&t->h, k, sizeof *k);
}

static bool key_eq(const struct htab_node *n, const void *key)
{
	const struct ct_open *o = htab_entry(n, struct ct_open, node);
	return memcmp(&o->key, key, sizeof o->key) == 0;
}

int ct_table_init(struct ct_table *t, size_t max)
{
	memset(t, 0, sizeof *t);
	t->max = max;
	if (pool_init(&t->pool, sizeof(struct ct_open), 0, max, false) < 0)
		return -1;
	/*
	 * Small at first, grown as connections stay open: an index sized for
	 * the bound would spread a few open entries over a megabyte, and each
	 * lookup would miss the cache.
	 */
	return htab_init(&t->h, max < 1024 ? max : 1024);
}

static void drop(struct ct_table *t, struct htab_node *n)
{
	htab_remove(&t->h, n);
	pool_put(&t->pool, htab_entry(n, struct ct_open, node));
}

void ct_table_free(struct ct_table *t)
{
	pool_free(&t->pool);	/* every entry: no need to unlink them one by one */
	htab_free(&t->h);
}

int ct_table_add(struct ct_table *t, const struct ct_event *ev)
{
	struct ct_key k;
	struct ct_open *o;
	struct htab_node *old;
	uint64_t h;

	make_key(&k, ev);
	h = key_hash(t, &k);
	old = htab_find(&t->h, h, key_eq, &k);
	if (old != NULL) {
		drop(t, old);
		t->replaced++;
	} else if (pool_full(&t->pool)) {
		drop(t, htab_oldest(&t->h));
		t->evicted++;
	}
	o = pool_get(&t->pool);
	if (o == NULL)
		return -1;
	o->key = k;
	o->has_time = ev->has_time;
	o->time_us = ev->time_us;
	/* a failed grow keeps the entry: chains just get longer */
	htab_insert(&t->h, &o->node, h);
	return 0;
}

bool ct_table_take(struct ct_table *t, const struct ct_event *ev, bool *has_time,
    uint64_t *time_us)
{
	struct ct_key k;
	struct htab_node *n;
	struct ct_open *o;

	make_key(&k, ev);
	n = htab_find(&t->h, key_hash(t, &k), key_eq, &k);
	if (n == NULL)
		return false;
	o = htab_entry(n, struct ct_open, node);
	*has_time = o->has_time;
	*time_us = o->time_us;
	drop(t, n);
	return true;
}

void ct_table_purge(struct ct_table *t, uint64_t cutoff_us)
{
	struct htab_node *n;

	while ((n = htab_oldest(&t->h)) != NULL) {
		const struct ct_open *o = htab_entry(n, struct ct_open, node);
		/* without a time there is no age: only the size bound applies */
		if (!o->has_time || o->time_us >= cutoff_us)
			break;
		drop(t, n);
		t->purged++;
	}
}
