/* Ports of fragmented datagrams (see fragports.h). */
#include <string.h>

#include "fragports.h"

/* Memset before filling: the padding takes part in hashing and comparing. */
struct frag_key {
	struct flow_addr src, dst;
	uint32_t id;
	uint8_t proto;
};

struct frag_entry {
	struct htab_node node;
	struct frag_key key;
	uint64_t last_ms;
	uint16_t sport, dport;
};

static bool frag_eq(const struct htab_node *n, const void *key)
{
	const struct frag_entry *e = htab_entry(n, const struct frag_entry, node);

	return memcmp(&e->key, key, sizeof e->key) == 0;
}

static void make_key(struct frag_key *k, const struct flow_addr *src, const struct flow_addr *dst,
    uint8_t proto, uint32_t id)
{
	memset(k, 0, sizeof *k);
	k->src = *src;
	k->dst = *dst;
	k->proto = proto;
	k->id = id;
}

int frag_init(struct frag_table *t)
{
	t->forgotten = 0;
	if (pool_init(&t->pool, sizeof(struct frag_entry), 0, FRAG_MAX, false) < 0)
		return -1;
	return htab_init(&t->h, 256);
}

static void drop(struct frag_table *t, struct htab_node *n)
{
	htab_remove(&t->h, n);
	pool_put(&t->pool, htab_entry(n, struct frag_entry, node));
}

void frag_free(struct frag_table *t)
{
	pool_free(&t->pool);	/* every entry: no need to unlink them one by one */
	htab_free(&t->h);
}

static struct frag_entry *find(struct frag_table *t, const struct frag_key *k, uint64_t hash)
{
	struct htab_node *n = htab_find(&t->h, hash, frag_eq, k);

	return n ? htab_entry(n, struct frag_entry, node) : NULL;
}

int frag_remember(struct frag_table *t, const struct flow_addr *src, const struct flow_addr *dst,
    uint8_t proto, uint32_t id, uint16_t sport, uint16_t dport, uint64_t now_ms)
{
	struct frag_key k;
	uint64_t hash;
	struct frag_entry *e;

	make_key(&k, src, dst, proto, id);
	hash = htab_hash(&t->h, &k, sizeof k);
	e = find(t, &k, hash);
	if (e == NULL) {
		if (pool_full(&t->pool)) {
			drop(t, htab_oldest(&t->h));
			t->forgotten++;
		}
		e = pool_get(&t->pool);
		if (e == NULL)
			return -1;
		e->key = k;
		htab_insert(&t->h, &e->node, hash);
	} else {
		htab_touch(&t->h, &e->node);
	}
	e->sport = sport;
	e->dport = dport;
	e->last_ms = now_ms;
	return 0;
}

int frag_lookup(struct frag_table *t, const struct flow_addr *src, const struct flow_addr *dst,
    uint8_t proto, uint32_t id, uint16_t *sport, uint16_t *dport, uint64_t now_ms)
{
	struct frag_key k;
	struct frag_entry *e;

	make_key(&k, src, dst, proto, id);
	e = find(t, &k, htab_hash(&t->h, &k, sizeof k));
	if (e == NULL)
		return 0;
	*sport = e->sport;
	*dport = e->dport;
	e->last_ms = now_ms;
	htab_touch(&t->h, &e->node);
	return 1;
}

void frag_expire_stale(struct frag_table *t, uint64_t now_ms)
{
	struct htab_node *n;

	while ((n = htab_oldest(&t->h)) != NULL) {
		struct frag_entry *e = htab_entry(n, struct frag_entry, node);
		if (now_ms - e->last_ms < FRAG_TIMEOUT_MS)
			break;
		drop(t, n);
	}
}
