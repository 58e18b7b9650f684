/*
 * Packet sampling rates as exporters announce them: options data records
 * carrying samplingInterval / samplingAlgorithm / samplerId (v9 34, 35,
 * 48-50; IPFIX also selectorId 302, selectorAlgorithm 304,
 * samplingPacketInterval 305, samplingPacketSpace 306, samplingSize 309
 * and samplingPopulation 310) define a rate
 * per exporter stream and sampler id; a data record names its sampler
 * (48 or 302), or carries an interval itself (34, as flow-send -S does);
 * a v5 header carries one for its datagram. The rate that applies to a
 * record is the first of: its own interval, its sampler's, the stream's
 * sampler 0 (options with no sampler id, or the v5 header's). Rates are
 * 1 in N packets; with 305/306, N = (interval + space) / interval; with
 * 309/310, N = population / size.
 */
#ifndef FLOWRECV_SAMPLING_H
#define FLOWRECV_SAMPLING_H

#include <stdint.h>

#include "base/htab.h"
#include "netflow/nf_template.h"
#include "streams.h"

#define SAMPLERS_MAX 4096	/* rates kept, all exporters together */

struct sampler {
	struct htab_node node;
	struct stream_key stream;
	uint64_t id;
	uint32_t rate;		/* 1 in rate packets */
	uint32_t algorithm;	/* 35 / 304 as sent, 0 unknown */
	uint64_t records;	/* data records that applied it */
};

struct sampling {
	struct htab tab;
	unsigned long dropped;	/* definitions beyond SAMPLERS_MAX */
};

/* What one raw record says about sampling. */
struct sample_note {
	bool has_rate, has_id;
	uint32_t rate, algorithm;
	uint64_t id;
};

int sampling_init(struct sampling *s);
void sampling_free(struct sampling *s);
/* Reads the sampling fields of one raw record of template t. */
void sampling_read(const struct nft_template *t, const uint8_t *rec, size_t len,
    struct sample_note *note);
/* An options record's note: defines (or redefines) a sampler of stream. */
void sampling_define(struct sampling *s, const struct stream_key *stream,
    const struct sample_note *note);
/*
 * The rate for a data record of stream (note: what the record itself
 * said, or NULL); 0 when none applies. Counts the use.
 */
uint32_t sampling_rate(struct sampling *s, const struct stream *st, const struct sample_note *note);
/* Each sampler seen, in order of definition. */
void sampling_each(const struct sampling *s, void (*fn)(void *ctx, const struct sampler *sm),
    void *ctx);

#endif
