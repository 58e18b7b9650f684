/* Sampling rates from options data, data records and v5 headers. */
#include <stdlib.h>
#include <string.h>

#include "base/bytecursor.h"
#include "netflow/nf_ie.h"
#include "sampling.h"

struct sampler_key {
	struct stream_key stream;
	uint64_t id;
};

int sampling_init(struct sampling *s)
{
	memset(s, 0, sizeof *s);
	return htab_init(&s->tab, 16);
}

void sampling_free(struct sampling *s)
{
	struct htab_node *n;

	while ((n = htab_oldest(&s->tab)) != NULL) {
		htab_remove(&s->tab, n);
		free(htab_entry(n, struct sampler, node));
	}
	htab_free(&s->tab);
}

static uint64_t field_uint(const uint8_t *b, size_t len)
{
	struct bytecursor c = bc_make(b, len);

	return len >= 1 && len <= 8 ? bc_uint(&c, len) : 0;
}

void sampling_read(const struct nft_template *t, const uint8_t *rec, size_t len,
    struct sample_note *note)
{
	struct bytecursor c = bc_make(rec, len);
	uint64_t interval = 0, space = 0, size = 0, population = 0;
	bool has_space = false;

	memset(note, 0, sizeof *note);
	for (unsigned i = 0; i < t->nfields; i++) {
		const struct nft_field *f = &t->field[i];
		const uint8_t *b;
		size_t n;
		uint64_t v;

		if (!nft_read_field(f, &c, &b, &n))
			return;
		if (f->pen)
			continue;
		v = field_uint(b, n);
		switch (f->id) {
		case NF_IE_SAMPLING_INTERVAL:
		case NF_IE_SAMPLER_RANDOM_INTERVAL:
		case NF_IE_SAMPLING_PACKET_INTERVAL:
			interval = v;
			break;
		case NF_IE_SAMPLING_PACKET_SPACE:
			space = v;
			has_space = true;
			break;
		case NF_IE_SAMPLING_SIZE:
			size = v;
			break;
		case NF_IE_SAMPLING_POPULATION:
			population = v;
			break;
		case NF_IE_SAMPLING_ALGORITHM:
		case NF_IE_SELECTOR_ALGORITHM:
			note->algorithm = (uint32_t)v;
			break;
		case NF_IE_SAMPLER_ID:
		case NF_IE_SELECTOR_ID:
			note->id = v;
			note->has_id = true;
			break;
		default:
			break;
		}
	}
	if (has_space && interval)
		interval = (interval + space) / interval;
	if (interval == 0 && size && population)
		interval = population / size;
	if (interval > 0 && interval <= UINT32_MAX) {
		note->rate = (uint32_t)interval;
		note->has_rate = true;
	}
}

static bool key_eq(const struct htab_node *n, const void *key)
{
	const struct sampler *sm = htab_entry(n, struct sampler, node);
	const struct sampler_key *k = key;

	return sm->id == k->id && stream_key_equal(&sm->stream, &k->stream);
}

static uint64_t key_hash(const struct htab *t, const struct sampler_key *k)
{
	uint8_t b[STREAM_KEY_BYTES + 8];

	stream_key_bytes(&k->stream, b);
	memcpy(b + STREAM_KEY_BYTES, &k->id, 8);
	return htab_hash(t, b, sizeof b);
}

static struct sampler *find(const struct sampling *s, const struct stream_key *stream, uint64_t id,
    uint64_t *hash)
{
	struct sampler_key k;
	struct htab_node *n;

	memset(&k, 0, sizeof k);
	k.stream = *stream;
	k.id = id;
	*hash = key_hash(&s->tab, &k);
	n = htab_find(&s->tab, *hash, key_eq, &k);
	return n ? htab_entry(n, struct sampler, node) : NULL;
}

void sampling_define(struct sampling *s, const struct stream_key *stream,
    const struct sample_note *note)
{
	uint64_t id = note->has_id ? note->id : 0, h;
	struct sampler *sm = find(s, stream, id, &h);

	if (!note->has_rate)
		return;
	if (sm == NULL && s->tab.count >= SAMPLERS_MAX) {
		s->dropped++;
		return;
	}
	if (sm == NULL) {
		sm = calloc(1, sizeof *sm);
		if (sm == NULL) {
			s->dropped++;
			return;
		}
		sm->stream = *stream;
		sm->id = id;
		htab_insert(&s->tab, &sm->node, h);
	}
	sm->rate = note->rate;
	sm->algorithm = note->algorithm;
}

uint32_t sampling_rate(struct sampling *s, const struct stream *st, const struct sample_note *note)
{
	struct sampler *sm = NULL;
	uint64_t h;

	if (note && note->has_rate)	/* a rate in the record itself: listed as its
					   sampler's */
		sampling_define(s, &st->key, note);
	if (s->tab.count && note && note->has_id)
		sm = find(s, &st->key, note->id, &h);
	if (sm == NULL && s->tab.count)
		sm = find(s, &st->key, 0, &h);
	if (sm) {
		sm->records++;
		return sm->rate;
	}
	return 0;
}

void sampling_each(const struct sampling *s, void (*fn)(void *ctx, const struct sampler *sm),
    void *ctx)
{
	for (struct htab_node *n = htab_oldest(&s->tab); n; n = htab_newer(&s->tab, n))
		fn(ctx, htab_entry(n, struct sampler, node));
}
