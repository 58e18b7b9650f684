/* Sequence numbers per export stream: loss, reordering, restarts. */
#include "seqtrack.h"

/* Units a datagram of this version counts for. */
static uint32_t units(const struct nf_header *h, uint32_t n)
{
	return h->version == 9 ? 1 : n;
}

/* The reorder window in units: SEQ_WINDOW datagrams of the last one's size. */
static uint32_t window(const struct seq_state *s, const struct nf_header *h)
{
	uint32_t per = h->version == 9 || s->last_n == 0 ? 1 : s->last_n;

	return SEQ_WINDOW * per;
}

/* The exporter's uptime went back (not a wrap past 2^32 ms): it rebooted. */
static bool uptime_reset(const struct seq_state *s, const struct nf_header *h)
{
	bool wrapped = s->last_uptime >= 0xf0000000u && h->sysuptime < 0x10000000u;

	return s->has_uptime && h->has_uptime && h->sysuptime < s->last_uptime && !wrapped;
}

/* IPFIX: the sequence this message should carry under the stream's convention. */
static uint32_t expected(struct seq_state *s, const struct nf_header *h, uint32_t n)
{
	uint32_t before = s->last_seq + s->last_n, including = s->last_seq + n;

	if (h->version != 10)
		return before;
	if (s->conv == SEQ_UNKNOWN && h->sequence != before && h->sequence == including)
		s->conv = SEQ_INCLUDING;
	else if (s->conv == SEQ_UNKNOWN && h->sequence == before && before != including)
		s->conv = SEQ_BEFORE;
	return s->conv == SEQ_INCLUDING ? including : before;
}

/* Whether [seq, seq + u) lies in the latest gap (mod 2^32). */
static bool in_gap(const struct seq_state *s, uint32_t seq, uint32_t u)
{
	uint32_t span = s->gap_hi - s->gap_lo;

	return seq - s->gap_lo < span && seq - s->gap_lo + (uint64_t)u <= span;
}

static void advance(struct seq_state *s, const struct nf_header *h, uint32_t n, bool n_known)
{
	s->started = n_known || h->version == 9;	/* v9 counts datagrams, whatever they
							   held */
	s->last_seq = h->sequence;
	s->last_n = n;
	s->last_uptime = h->sysuptime;
	s->has_uptime = h->has_uptime;
}

void seq_track(struct seq_state *s, struct seq_counts *c, const struct nf_header *h, uint32_t n,
    bool n_known)
{
	uint32_t u = units(h, n);
	int64_t diff;

	if (!s->started) {
		advance(s, h, u, n_known);
		return;
	}
	diff = (int32_t)(h->sequence - expected(s, h, u));
	if (diff != 0 && uptime_reset(s, h)) {
		c->restarts++;
	} else if (diff > 0) {
		c->missing += (uint64_t)diff;
		s->gap_lo = h->sequence - (uint32_t)diff;
		s->gap_hi = h->sequence;
	} else if (diff < 0 && -diff <= (int64_t)window(s, h) && in_gap(s, h->sequence, u) &&
	    c->missing >= u) {
		/* a late one fills the gap it left: not lost after all; the stream stays put */
		c->reordered++;
		c->missing -= u;
		return;
	} else if (diff < 0 && h->version == 10) {
		c->restarts++;	/* behind with no gap to fill: IPFIX has no uptime to tell
				   more */
	} else if (diff < 0) {
		c->resyncs++;
	}
	advance(s, h, u, n_known);
}
