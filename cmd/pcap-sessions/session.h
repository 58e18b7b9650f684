/*
 * pcap-sessions' session table: TCP sessions keyed by their 5-tuple (either
 * way round) and a reuse counter, each with the two directions' reassembly
 * buffers (reasm.h), the TCP state a passive observer can follow, and the
 * monologue in progress. Packets go in in capture order; what happens
 * leaves by the callbacks in struct sess_calls, in the order it happens,
 * so the same capture always gives the same events.
 *
 * Rules: the original side (client, direction 0 "c") sent the SYN, else
 * is the peer of the SYN/ACK's sender, else sent the first packet seen
 * (marked). A session starts at a SYN, a SYN/ACK, or the first data of an
 * unknown tuple (midstream join); a bare ACK of an unknown tuple is only
 * counted. It ends at FIN both ways (every byte up to each FIN delivered
 * or given up), at an RST inside the window, at idle timeout, at the end
 * of input, or when the table is full (sessions or buffered bytes: the
 * oldest ends with `limit`). An ended session stays as a small tombstone
 * for the idle timeout (counted from its end), so late ACKs and retransmissions are not taken for
 * a new session and a new SYN on the same tuple gets the next counter.
 */
#ifndef PCAP_SESSIONS_SESSION_H
#define PCAP_SESSIONS_SESSION_H

#include <stdbool.h>
#include <stdint.h>

#include "base/htab.h"
#include "base/pool.h"
#include "flow/flowrec.h"
#include "reasm.h"

#define SESS_KEY_MAX 112	/* "addr.port-addr.port-N" for IPv6 */

enum sess_end {
	SESS_END_FIN, SESS_END_RST, SESS_END_TIMEOUT, SESS_END_EOF, SESS_END_LIMIT,
	SESS_END_REASONS
};

enum sess_start {
	SESS_START_HANDSHAKE,	/* SYN and SYN/ACK seen */
	SESS_START_PARTIAL,	/* one SYN seen */
	SESS_START_MIDSTREAM	/* no SYN: joined at the first data */
};

enum sess_orig { SESS_ORIG_SYN, SESS_ORIG_SYNACK, SESS_ORIG_FIRST };

/* Monologue flags */
#define MONO_GAP	0x01	/* a gap inside it */
#define MONO_OVERLAP	0x02	/* retransmitted or overlapping copies of its bytes */
#define MONO_CONFLICT	0x04	/* a copy with different bytes */
#define MONO_CUT	0x08	/* bytes past --max-session-size not kept */

struct monologue {
	int dir;			/* 0 c (client to server), 1 s; -1 none */
	unsigned n;			/* its number in the session, from 1 */
	uint64_t first_us, last_us;
	uint64_t bytes, packets;
	uint64_t start_off;		/* stream offset of its first byte */
	unsigned long long last_pkt;	/* table packet serial that last added to it */
	uint8_t flags;
};

struct session;
struct sess_table;
struct sess_pkt;

struct sess_dir {
	struct reasm r;
	struct session *s;
	uint8_t idx;			/* 0 c, 1 s */
	bool syn, fin;
	uint64_t fin_off;		/* stream offset of the FIN */
	uint64_t wire_end;		/* end of the farthest byte sent (wire lengths) */
	uint64_t packets;		/* every packet this side sent */
	uint64_t cut;			/* bytes past --max-session-size not handed out */
	uint16_t win;			/* last raw window this side advertised */
	bool win_seen;
	void *file;			/* the sink's stream file */
};

struct session {
	struct htab_node node;		/* LRU: oldest first */
	struct flow_addr caddr, saddr;
	uint16_t cport, sport;
	uint32_t reuse;			/* sessions before it on this tuple */
	bool open;			/* false: a tombstone */
	bool started;
	uint8_t orig;			/* enum sess_orig */
	uint64_t first_us, last_us;
	struct sess_dir d[2];
	struct monologue mono;
	void *mono_file;		/* the sink's monologue file */
	bool verbose;			/* -k picked it, or -v 3 */
	struct sess_table *t;
	char key[SESS_KEY_MAX];
};

/* What the table reports; ctx is the table's. */
struct sess_calls {
	void (*start)(void *ctx, const struct session *s, enum sess_start how, uint64_t ts);
	/* bytes of monologue s->mono at offset mono_off, stream offset off */
	void (*data)(void *ctx, struct session *s, int dir, uint64_t off, uint64_t mono_off,
	    const uint8_t *p, size_t len);
	void (*monologue)(void *ctx, struct session *s);	/* s->mono has ended */
	void (*gap)(void *ctx, struct session *s, int dir, uint64_t off, uint64_t len,
	    uint64_t ts);
	void (*conflict)(void *ctx, const struct session *s, int dir, uint64_t off,
	    uint64_t len, uint64_t ts);
	void (*end)(void *ctx, struct session *s, enum sess_end why, uint64_t ts);
	/* -k, -v 3: what one packet did */
	void (*packet)(void *ctx, const struct session *s, int dir, const struct sess_pkt *pk,
	    const char *what);
};

/* One decoded TCP segment. */
struct sess_pkt {
	const struct flow_addr *src, *dst;
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint16_t win;
	uint8_t flags;			/* FLOW_TCP_* */
	const uint8_t *payload;
	uint32_t caplen;		/* payload bytes captured */
	uint32_t wirelen;		/* payload bytes sent */
	uint64_t ts_us;
};

struct sess_params {
	uint64_t idle_us;
	size_t max_sessions;
	size_t max_buffered;		/* bytes held or kept by every buffer together */
	uint64_t max_size;		/* per direction, bytes handed out; UINT64_MAX none */
	struct reasm_limits lim;
	const char *verbose_key;	/* -k, or NULL */
	bool verbose_all;		/* -v 3: every session's packets */
};

struct sess_counters {
	unsigned long long sessions, ended[SESS_END_REASONS];
	unsigned long long no_session;	/* segments of no session (bare ACKs, late packets) */
	unsigned long long keepalives, zero_window_probes, rst_ignored, syn_retrans;
	unsigned long long refused, no_memory, tombstones_dropped;
	unsigned long long gaps, conflicts;
	uint64_t bytes, gap_bytes, conflict_bytes, dup_bytes;
};

struct sess_table {
	struct htab h;
	struct pool pool;
	struct sess_params p;
	const struct sess_calls *calls;
	void *ctx;
	struct reasm_budget budget;
	size_t open, peak_open;
	uint64_t now_us;
	unsigned long long pkt_serial;
	struct sess_counters n;
};

int sess_table_init(struct sess_table *t, const struct sess_params *p,
    const struct sess_calls *calls, void *ctx);
/* One segment; the clock follows it. Always 0 (what was not taken is counted). */
int sess_table_packet(struct sess_table *t, const struct sess_pkt *pk);
/* Ends the sessions idle for idle_us at now_us, and drops old tombstones. */
void sess_table_expire(struct sess_table *t, uint64_t now_us);
/* Ends every open session with why (end of input, a stop signal). */
void sess_table_end_all(struct sess_table *t, enum sess_end why);
/* Frees everything; reports nothing. */
void sess_table_free(struct sess_table *t);

const char *sess_end_name(enum sess_end why);
const char *sess_start_name(enum sess_start how);
const char *sess_orig_name(enum sess_orig o);

#endif
