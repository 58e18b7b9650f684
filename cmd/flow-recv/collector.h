/*
 * The collector's decode path, one datagram at a time from wherever it
 * came (a socket, a capture, a file): header by header (IPFIX messages
 * back to back are taken one by one), the datagram decode dispatch of
 * netflow/nf_datagram.h with its template cache, sequence tracking per
 * export stream, data sets held until their template comes, sampling
 * rates (and --renormalize), and a check of each record's times. Records
 * leave by callback; every fault is printed naming the source and the
 * exporter, counted per stream, and the next datagram is taken as if
 * nothing happened.
 */
#ifndef FLOWRECV_COLLECTOR_H
#define FLOWRECV_COLLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "held.h"
#include "netflow/nf_datagram.h"
#include "sampling.h"
#include "streams.h"

#define TEMPLATE_LIFETIME_DEFAULT 1800	/* s: three times a typical 600 s refresh */

struct collector_opts {
	bool renormalize;		/* multiply packets and octets by the sampling rate */
	uint64_t template_lifetime_s;	/* 0: templates never expire */
	bool quiet;			/* no per-datagram messages (the fuzzer) */
};

struct collector_counts {
	unsigned long long datagrams, messages, records;
	unsigned long long rejected;	/* datagrams rejected whole or in part */
	unsigned long long no_template;	/* data sets never decoded: their template never
					   came */
	unsigned long long bad_times;	/* records written whose times cannot be right */
	unsigned long long clamped;	/* records whose times spanned 2^32 ms: earliest moved
					   up */
	unsigned long long templates, withdrawn, renormalized;
};

struct collector {
	struct collector_opts opt;
	struct nf_decoder dec;
	struct streams streams;
	struct sampling sampling;
	struct held held;
	struct collector_counts n;
	nf_record_fn out;
	void *out_ctx;
	/* the datagram being decoded */
	const char *where;		/* its source for messages, or NULL */
	struct stream *cur;
	uint64_t export_ms;
	struct sample_note note;	/* the sampling fields of the record being decoded */
	bool have_note;
	/*
	 * The decode in progress (decode_into sets both before each one):
	 * its result so far, and its count of records with times it had to
	 * mend when the last record came, so that a record it counted is not
	 * counted again by the times check.
	 */
	const struct nf_result *res;
	unsigned mended_seen;
};

/* 0, or -1 out of memory. */
int collector_init(struct collector *c, const struct collector_opts *o, nf_record_fn out,
    void *ctx);
/*
 * One datagram of len bytes from exporter (port its UDP source port; 0
 * for files). where names its source for messages ("FILE", "FILE:
 * packet N"), NULL for a socket.
 */
void collector_datagram(struct collector *c, const uint8_t *p, size_t len,
    const struct flow_addr *exporter, uint16_t port, const char *where);
/* The end of input: held sets whose template never came are counted as no template. */
void collector_finish(struct collector *c);
void collector_free(struct collector *c);

#endif
