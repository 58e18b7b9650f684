/*
 * pcap-flows' flow table: unidirectional flows keyed by 5-tuple (and
 * VLAN with -T vlan, tunnel id with -T tunnel), counters, and the NetFlow expiry rules on the
 * capture's clock. Expired flows go to an emit callback, in the order
 * they expire, so a file always gives the same output.
 */
#ifndef PCAP_FLOWS_FLOWTABLE_H
#define PCAP_FLOWS_FLOWTABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flowrec.h"
#include "base/htab.h"
#include "base/pool.h"

/* Memset before filling: the padding takes part in hashing and comparing. */
struct flow_key {
	struct flow_addr src, dst;
	uint16_t sport, dport;
	uint16_t vlan;
	uint8_t proto;
	uint8_t tunnel_id[4];		/* with -T tunnel, else 0; bytes keep the key 46
					   long */
};

/*
 * The htab's list is an expiry queue ordered by queued_ms, not moved per
 * packet (that costs two cache misses a packet): the expiry scan looks at
 * the front, writes what is idle and moves what has seen packets since it
 * was queued to the back. So an idle flow is written at most inactive_ms
 * after its timeout; a packet that comes after the timeout always starts
 * a new record, so the records are the same as with exact timing.
 */
struct flow_entry {
	struct htab_node node;		/* in the expiry queue */
	struct flow_key key;
	uint8_t tos, tcp_flags;		/* in the key's tail padding: 144 bytes an entry */
	uint64_t pkts, octets;
	uint64_t first_ms, last_ms;
	uint64_t queued_ms;		/* capture clock when (re)queued */
	uint64_t end_ms;		/* TCP end: leaves at this time; 0 while open */
	struct flow_entry *end_prev, *end_next;	/* FIFO of ending flows, by end_ms */
	uint32_t ifindex;
	uint32_t tunnel_id;		/* of the first packet */
};

enum flow_reason {
	FLOW_INACTIVE, FLOW_ACTIVE, FLOW_TCP_END, FLOW_EVICTED, FLOW_FLUSHED,
	FLOW_REASONS
};

struct flow_params {
	uint64_t inactive_ms, active_ms, tcp_end_ms;
	size_t max_flows;
};

typedef void flow_emit_fn(void *ctx, const struct flow_entry *f, uint64_t now_ms,
    enum flow_reason why);

/* What one packet adds to its flow. */
struct flow_pkt {
	uint64_t ts_ms;
	uint32_t octets;
	uint32_t ifindex;
	uint32_t tunnel_id;
	uint8_t tos, tcp_flags;
};

/*
 * Packets wait in a short queue before they are counted, so the hash slot
 * of each is fetched from memory while the ones before it are counted (a
 * table far bigger than the cache costs a miss a packet there otherwise).
 * The entry is not prefetched: on an Intel VM that was slower on every
 * capture; on an AMD EPYC VM it was 2-8% faster on the 10 M-packet
 * capture but 3-8% slower on the 1 M and 2 M ones (33 instructions a
 * packet more, for tables that miss less). A table without the index
 * (entries beside a control byte a slot, prefetched straight from the
 * hash) was 2-7% slower there still: huge pages did not widen that VM's
 * TLB, and the prefetches waited for the page walks.
 * Whatever looks at the table or its clock empties the queue first.
 */
#define FLOW_QUEUE 8

struct flow_queued {
	struct flow_key key;
	struct flow_pkt pk;
	uint64_t hash;
	uint64_t rev_hash;		/* TCP FIN or RST: the reverse key's hash, else 0 */
};

struct flow_table {
	struct htab h;
	struct flow_queued queue[FLOW_QUEUE];
	unsigned queue_head, queue_len;
	bool nomem;			/* a queued packet found no memory */
	struct flow_params p;
	flow_emit_fn *emit;
	void *ctx;
	struct flow_entry *end_head, *end_tail;
	struct pool pool;		/* the entries, at most max_flows */
	uint64_t clock_ms;		/* capture clock: the latest packet counted */
	size_t peak;			/* most flows held at once */
	unsigned long long expired[FLOW_REASONS];
};

int flow_table_init(struct flow_table *t, const struct flow_params *p, flow_emit_fn *emit,
    void *ctx);
/* Emits nothing; frees everything. */
void flow_table_free(struct flow_table *t);
/*
 * Moves the clock to now_ms (never back) and emits the flows inactive for
 * inactive_ms or past their TCP end grace.
 */
void flow_table_expire(struct flow_table *t, uint64_t now_ms);
/*
 * Counts a packet (after the FLOW_QUEUE before it); the clock follows the
 * packets' timestamps. 0, or -1 out of memory.
 */
int flow_table_add(struct flow_table *t, const struct flow_key *k, const struct flow_pkt *pk);
/* Counts the queued packets now (before reading the counters). 0, or -1 out of memory. */
int flow_table_drain(struct flow_table *t);
/* Emits every flow in queue order (end of input, SIGINT/SIGTERM); then check nomem. */
void flow_table_flush(struct flow_table *t);

#endif
