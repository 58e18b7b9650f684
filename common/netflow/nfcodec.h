/*
 * What the NetFlow v5, v9 and IPFIX codecs share: each decoded flow
 * record goes to a callback, and each datagram's outcome (records,
 * templates, what was skipped, the first problem and its byte offset)
 * lands in a result the caller reports and counts; each encoded
 * datagram goes to an emit callback.
 */
#ifndef FLOWPIPES_NFCODEC_H
#define FLOWPIPES_NFCODEC_H

#include <stddef.h>

#include "flow/flowrec.h"

/* Receives each decoded record; the record is only valid during the call. */
typedef void (*nf_record_fn)(void *ctx, const struct flowrec *r);

/* Receives each datagram an encoder finished. Returns 0, or -1 to count a send failure. */
typedef int (*nf_emit_fn)(void *ctx, const uint8_t *dgram, size_t len);

/* Largest UDP payload the encoders write: a 1500-byte MTU less IPv6 and UDP headers. */
#define NF_DGRAM_MAX 1452

struct nf_result {
	unsigned version;		/* of the datagram (set by nf_decode_datagram) */
	unsigned records;		/* flow records passed to the callback */
	unsigned templates;		/* templates learnt or replaced */
	unsigned withdrawn;		/* IPFIX template withdrawals */
	unsigned option_records;	/* options data records skipped */
	unsigned no_template;		/* data sets skipped: template not (yet) known */
	unsigned missing_template;	/* the id of the last such set */
	unsigned skipped_sets;		/* reserved set ids skipped */
	unsigned clamped;		/* records with times 2^32 ms or more apart (moved up) */
	unsigned untimed;		/* records with no usable flow times: placed at the
					   export */
	unsigned errors;		/* malformed parts rejected */
	size_t err_at;			/* byte offset of the first error */
	char err[160];			/* what the first error was, "" if none */
};

void nf_result_clear(struct nf_result *res);
/* Records a malformed part; keeps the first message. */
void nf_result_error(struct nf_result *res, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif
