/*
 * The export streams a collector has heard from: one per exporter
 * address, UDP source port, version and source id / observation domain
 * (v5: engine type and id), each with its sequence state and the
 * counters the report prints. Kept in arrival order, so reports list
 * exporters as they first appeared; bounded by STREAMS_MAX (beyond it,
 * new streams share one overflow entry, counted).
 */
#ifndef FLOWRECV_STREAMS_H
#define FLOWRECV_STREAMS_H

#include <stdbool.h>
#include <stdint.h>

#include "base/htab.h"
#include "flow/flowrec.h"
#include "seqtrack.h"

#define STREAMS_MAX 65536
#define STREAM_MESSAGES 10	/* messages printed per stream; further ones counted */

struct stream_key {
	struct flow_addr exporter;
	uint16_t port;
	uint16_t version;
	uint32_t domain;
};

#define STREAM_KEY_BYTES 25	/* a key's bytes without padding, for a hash */

/* Whether two keys name the same stream. */
bool stream_key_equal(const struct stream_key *a, const struct stream_key *b);
/* The key's STREAM_KEY_BYTES bytes into b (padding left out, so equal keys hash alike). */
void stream_key_bytes(const struct stream_key *k, uint8_t *b);

struct stream {
	struct htab_node node;
	struct stream_key key;
	struct seq_state seq;
	struct seq_counts loss;
	uint64_t datagrams;	/* v5/v9 datagrams, IPFIX messages */
	uint64_t records;
	uint64_t no_template;	/* data sets dropped for want of their template */
	uint64_t rejected;	/* datagrams or sets rejected as malformed */
	uint64_t bad_times;	/* records written whose times cannot be right */
	unsigned messages;	/* printed so far */
};

struct streams {
	struct htab tab;
	struct stream overflow;
	unsigned long overflowed;
};

int streams_init(struct streams *s);
void streams_free(struct streams *s);
/* The stream for key, created when new (NULL only when out of memory). */
struct stream *streams_get(struct streams *s, const struct stream_key *key);
/* Visits every stream in first-heard order. */
void streams_each(const struct streams *s, void (*fn)(void *ctx, const struct stream *st),
    void *ctx);
/* "1.2.3.4/2055 v9 source 7" into buf (at least 96 bytes). */
const char *stream_name(const struct stream_key *k, char *buf, size_t len);
/* Whether another message may be printed for st (counts it). */
bool stream_may_say(struct stream *st);

#endif
