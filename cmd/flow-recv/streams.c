/* Export streams by exporter, port, version and domain. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "streams.h"

int streams_init(struct streams *s)
{
	memset(s, 0, sizeof *s);
	return htab_init(&s->tab, 64);
}

void streams_free(struct streams *s)
{
	struct htab_node *n;

	while ((n = htab_oldest(&s->tab)) != NULL) {
		htab_remove(&s->tab, n);
		free(htab_entry(n, struct stream, node));
	}
	htab_free(&s->tab);
}

bool stream_key_equal(const struct stream_key *a, const struct stream_key *b)
{
	return a->port == b->port && a->version == b->version && a->domain == b->domain &&
	    flow_addr_equal(&a->exporter, &b->exporter);
}

void stream_key_bytes(const struct stream_key *k, uint8_t *b)
{
	b[0] = k->exporter.family;
	memcpy(b + 1, k->exporter.bytes, 16);
	memcpy(b + 17, &k->port, 2);
	memcpy(b + 19, &k->version, 2);
	memcpy(b + 21, &k->domain, 4);
}

static bool key_eq(const struct htab_node *n, const void *key)
{
	return stream_key_equal(&htab_entry(n, struct stream, node)->key, key);
}

static uint64_t key_hash(const struct htab *t, const struct stream_key *k)
{
	uint8_t b[STREAM_KEY_BYTES];

	stream_key_bytes(k, b);
	return htab_hash(t, b, sizeof b);
}

struct stream *streams_get(struct streams *s, const struct stream_key *key)
{
	uint64_t h = key_hash(&s->tab, key);
	struct htab_node *n = htab_find(&s->tab, h, key_eq, key);
	struct stream *st;

	if (n)
		return htab_entry(n, struct stream, node);
	if (s->tab.count >= STREAMS_MAX) {
		s->overflowed++;
		return &s->overflow;
	}
	st = calloc(1, sizeof *st);
	if (st == NULL)
		return NULL;
	st->key = *key;
	htab_insert(&s->tab, &st->node, h);	/* never touched: the list stays in arrival
						   order */
	return st;
}

void streams_each(const struct streams *s, void (*fn)(void *ctx, const struct stream *st),
    void *ctx)
{
	for (struct htab_node *n = htab_oldest(&s->tab); n; n = htab_newer(&s->tab, n))
		fn(ctx, htab_entry(n, struct stream, node));
	if (s->overflowed)
		fn(ctx, &s->overflow);
}

const char *stream_name(const struct stream_key *k, char *buf, size_t len)
{
	char a[64];

	if (k->exporter.family == 0) {
		snprintf(buf, len, "streams beyond %d", STREAMS_MAX);
		return buf;
	}
	flow_addr_format(&k->exporter, a);
	if (k->version == 5)
		snprintf(buf, len, "%s/%u v5 engine %u/%u", a, k->port, k->domain >> 8,
		    k->domain & 0xff);
	else if (k->version == 9)
		snprintf(buf, len, "%s/%u v9 source %u", a, k->port, k->domain);
	else if (k->version == 10)
		snprintf(buf, len, "%s/%u IPFIX domain %u", a, k->port, k->domain);
	else
		snprintf(buf, len, "%s/%u", a, k->port);
	return buf;
}

bool stream_may_say(struct stream *st)
{
	return st->messages++ < STREAM_MESSAGES;
}
