/*
 * pcap-flows' flow table: unidirectional flows keyed by 5-tuple (and
 * VLAN with -T vlan), counters, and the NetFlow expiry rules on the
 * capture's clock. Expired flows go to an emit callback, in the order
 * they expire, so a file always gives the same output.
 */
#ifndef PCAP_FLOWS_FLOWTABLE_H
#define PCAP_FLOWS_FLOWTABLE_H

#include <stdint.h>

#include "flowrec.h"
#include "htab.h"

/* Memset before filling: the padding takes part in hashing and comparing. */
struct flow_key {
	struct flow_addr src, dst;
	uint16_t sport, dport;
	uint16_t vlan;
	uint8_t proto;
};

struct flow_entry {
	struct htab_node node;		/* LRU order = order of last packet */
	struct flow_key key;
	uint64_t pkts, octets;
	uint64_t first_ms, last_ms;
	uint64_t end_ms;		/* TCP end: leaves at this time; 0 while open */
	struct flow_entry *end_prev, *end_next;	/* FIFO of ending flows, by end_ms */
	uint32_t ifindex;
	uint8_t tos, tcp_flags;
	uint8_t fin_seen;
};

enum flow_reason {
	FLOW_INACTIVE, FLOW_ACTIVE, FLOW_TCP_END, FLOW_EVICTED, FLOW_FLUSHED,
	FLOW_REASONS
};

struct flow_params {
	uint64_t inactive_ms, active_ms, tcp_end_ms;
	size_t max_flows;
};

typedef void flow_emit_fn(void *ctx, const struct flow_entry *f, uint64_t now_ms, enum flow_reason why);

/* What one packet adds to its flow. */
struct flow_pkt {
	uint64_t ts_ms;
	uint32_t octets;
	uint32_t ifindex;
	uint8_t tos, tcp_flags;
};

struct flow_chunk;

struct flow_table {
	struct htab h;
	struct flow_params p;
	flow_emit_fn *emit;
	void *ctx;
	struct flow_entry *end_head, *end_tail;
	struct flow_entry *free_list;
	struct flow_chunk *chunks;
	size_t peak;			/* most flows held at once */
	unsigned long long expired[FLOW_REASONS];
};

int flow_table_init(struct flow_table *t, const struct flow_params *p, flow_emit_fn *emit, void *ctx);
/* Emits nothing; frees everything. */
void flow_table_free(struct flow_table *t);
/* Emits flows inactive for inactive_ms or past their TCP end grace at now_ms. */
void flow_table_expire(struct flow_table *t, uint64_t now_ms);
/* Counts a packet; now_ms is the capture clock (never behind ts_ms). 0, or -1 out of memory. */
int flow_table_add(struct flow_table *t, const struct flow_key *k, const struct flow_pkt *pk, uint64_t now_ms);
/* Emits every flow, oldest last packet first (end of input, SIGINT/SIGTERM). */
void flow_table_flush(struct flow_table *t, uint64_t now_ms);
/* Bytes of state one flow takes (entry plus its share of the hash buckets). */
size_t flow_table_bytes_per_flow(void);

#endif
