/*
 * One direction of a TCP byte stream, put back in order. Sequence numbers
 * are taken mod 2^32 against the next byte expected and turned into 64-bit
 * stream offsets (offset 0 is the first byte after the SYN), so a session
 * may carry more than 4 GiB. Rules:
 *  - bytes at the next offset are delivered at once, from the packet;
 *  - bytes ahead of it are copied and held (only their own length: a far
 *    sequence number never allocates the distance; beyond max_ahead they
 *    are refused and counted) and delivered when the hole before them fills;
 *  - the first copy of a byte wins (RFC 9293): a later copy is compared
 *    with what is held or kept, and a copy with different bytes is reported
 *    as a conflict (offset and length), never delivered;
 *  - delivered bytes are kept as history until the peer acknowledges them
 *    (at most max_hist bytes), so retransmissions can be compared;
 *  - a hole is given up as a gap (offset and length, reported) when the
 *    caller says so (reasm_skip: the peer's ACK passed it, the session ends)
 *    or when more than max_held bytes wait behind it.
 * Every byte held or kept counts in a budget shared by all buffers, which
 * the caller keeps under its limit by ending sessions.
 */
#ifndef PCAP_SESSIONS_REASM_H
#define PCAP_SESSIONS_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct reasm_budget {
	size_t used, peak;	/* bytes of chunks (data and headers) now, and at most */
};

struct reasm_limits {
	size_t max_held;	/* out-of-order bytes one direction may hold */
	size_t max_hist;	/* delivered, unacknowledged bytes kept for comparison */
	uint64_t max_ahead;	/* farthest a segment may start past the next offset */
};

/* Where the bytes and findings go; ctx is the buffer's own. */
struct reasm_calls {
	void (*data)(void *ctx, uint64_t off, const uint8_t *p, size_t len);
	void (*gap)(void *ctx, uint64_t off, uint64_t len);
	void (*conflict)(void *ctx, uint64_t off, uint64_t len);
};

struct reasm_chunk;

struct reasm {
	uint64_t next;			/* stream offset: every byte before it is delivered
					   or a gap */
	uint32_t base;			/* sequence number of offset 0 */
	bool based;			/* base is known */
	struct reasm_chunk *held;	/* ahead of next, sorted, not overlapping */
	struct reasm_chunk *hist, *hist_tail;	/* behind next, sorted */
	size_t held_bytes, hist_bytes;
	uint64_t high;			/* end of the farthest byte seen (held or
					   delivered) */
	/* counters */
	uint64_t delivered, gap_bytes, dup_bytes, conflict_bytes, old_bytes;
	unsigned long long refused, gaps, conflicts;
	/* set by reasm_init */
	struct reasm_budget *budget;
	const struct reasm_limits *lim;
	const struct reasm_calls *calls;
	void *ctx;
};

enum reasm_result {
	REASM_NEW,		/* some bytes were new (delivered or held) */
	REASM_OLD,		/* every byte was there already (or before the history) */
	REASM_REFUSED,		/* too far ahead: dropped, counted */
	REASM_NOMEM		/* out of memory: the new bytes are lost (a gap later) */
};

void reasm_init(struct reasm *r, struct reasm_budget *b, const struct reasm_limits *lim,
    const struct reasm_calls *calls, void *ctx);
/* Offset 0 is sequence number seq (the SYN's + 1, or the first byte seen). */
void reasm_set_base(struct reasm *r, uint32_t seq);
/* The stream offset of seq, near the next offset (may be negative). */
int64_t reasm_offset(const struct reasm *r, uint32_t seq);
/* A segment of len bytes at sequence number seq (the base is set). */
enum reasm_result reasm_segment(struct reasm *r, uint32_t seq, const uint8_t *p, size_t len);
/* The peer acknowledged everything before off: history behind it goes. */
void reasm_acked(struct reasm *r, uint64_t off);
/* Everything before off is given up: holes become gaps, held bytes are delivered. */
void reasm_skip(struct reasm *r, uint64_t off);
/* The end: every hole up to end (or the last byte held) becomes a gap. */
void reasm_finish(struct reasm *r, uint64_t end);
/* Frees every chunk (nothing more is delivered). */
void reasm_free(struct reasm *r);

#endif
