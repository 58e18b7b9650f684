/* Data sets held until their template comes. */
#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "held.h"

void held_init(struct held *h, held_drop_fn drop, void *ctx)
{
	memset(h, 0, sizeof *h);
	h->tail = &h->head;
	h->drop = drop;
	h->ctx = ctx;
}

static struct held_set *unlink_at(struct held *h, struct held_set **at)
{
	struct held_set *s = *at;

	*at = s->next;
	if (h->tail == &s->next)
		h->tail = at;
	h->sets--;
	h->bytes -= s->len;
	return s;
}

static void drop_oldest(struct held *h)
{
	struct held_set *s = unlink_at(h, &h->head);

	if (h->drop)
		h->drop(h->ctx, s);
	free(s);
}

bool held_keep(struct held *h, const struct nft_key *key, const uint8_t *set, size_t len,
    const struct nft_export *x)
{
	struct held_set *s;

	if (len > HELD_MAX_BYTES)
		return false;
	while (h->head && (h->sets >= HELD_MAX_SETS || h->bytes + len > HELD_MAX_BYTES))
		drop_oldest(h);
	s = malloc(sizeof *s + len);
	if (s == NULL)
		return false;
	s->next = NULL;
	s->key = *key;
	s->x = *x;
	memset(&s->exporter, 0, sizeof s->exporter);
	if (x->exporter)
		s->exporter = *x->exporter;
	s->x.exporter = &s->exporter;
	s->len = len;
	memcpy(s->bytes, set, len);
	*h->tail = s;
	h->tail = &s->next;
	h->sets++;
	h->bytes += len;
	h->kept++;
	return true;
}

static bool same_domain(const struct nft_key *a, const struct nft_key *b)
{
	return a->version == b->version && a->domain == b->domain && a->port == b->port &&
	    flow_addr_equal(&a->exporter, &b->exporter);
}

void held_retry(struct held *h, struct nft_cache *c, const struct nft_key *key,
    void (*before)(void *ctx, const struct nft_export *x), nf_record_fn fn, void *ctx,
    struct nf_result *res)
{
	struct held_set **at = &h->head;

	while (*at) {
		struct held_set *s = *at;
		struct bytecursor set;

		if (!same_domain(&s->key, key) || nft_find(c, &s->key) == NULL) {
			at = &s->next;
			continue;
		}
		unlink_at(h, at);
		set = bc_make(s->bytes, s->len);
		before(ctx, &s->x);
		nft_decode_set(c, &s->key, &set, 0, &s->x, fn, ctx, res);
		h->decoded++;
		free(s);
	}
}

void held_flush(struct held *h)
{
	while (h->head)
		drop_oldest(h);
}
