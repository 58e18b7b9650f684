/*
 * Sequence tracking for one export stream (exporter address, port,
 * version, source id / observation domain), by each version's rule: v5
 * counts flows, v9 export datagrams, IPFIX data records (templates do not
 * count; options data records do, as RFC 7011 says). All differences are
 * taken mod 2^32. The first datagram never alarms. A datagram up to
 * SEQ_WINDOW datagrams behind is reordered (it fills the gap it left).
 * Far behind with the exporter's uptime gone back (or, in IPFIX, which
 * has no uptime, far behind at all) is a restart; far behind without it
 * is a resync, counted apart. IPFIX exporters that number a message with
 * the count including its own records (softflowd 1.1.0) are recognised
 * by the first pair of messages that tells the two conventions apart;
 * true loss still counts.
 */
#ifndef FLOWRECV_SEQTRACK_H
#define FLOWRECV_SEQTRACK_H

#include <stdbool.h>
#include <stdint.h>

#include "netflow/nf_header.h"

#define SEQ_WINDOW 64		/* datagrams: reordering within this is not loss */

enum seq_convention { SEQ_UNKNOWN, SEQ_BEFORE, SEQ_INCLUDING };

struct seq_state {
	bool started;
	enum seq_convention conv;	/* IPFIX only */
	uint32_t last_seq, last_n;	/* the newest datagram's sequence and units */
	uint32_t last_uptime;
	bool has_uptime;
	uint32_t gap_lo, gap_hi;	/* the latest gap counted as missing: [lo, hi) */
};

struct seq_counts {
	uint64_t missing;	/* units (flows, datagrams, records) never seen */
	uint64_t reordered;	/* datagrams that came late */
	uint64_t restarts;
	uint64_t resyncs;	/* jumps back that are no restart */
};

/*
 * One datagram (IPFIX: one message) with header h and n units (v5 the
 * records, v9 ignored, IPFIX the data records). n_known false: some of
 * its sets could not be counted (no template yet), so the next one
 * starts afresh.
 */
void seq_track(struct seq_state *s, struct seq_counts *c, const struct nf_header *h, uint32_t n,
    bool n_known);

#endif
