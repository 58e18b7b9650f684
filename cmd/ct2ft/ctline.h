/*
 * One conntrack event line, as `conntrack -E` (any -o timestamp,extended,id
 * combination, old and new kernels) or ct-dump prints it, read by
 * key=value and by the meaning of each word, never by token position:
 *
 *   [1795377176.324770]	    [NEW] ipv4     2 tcp      6 120 SYN_SENT
 *     src=A dst=B sport=P dport=Q [UNREPLIED] src=B dst=A sport=Q dport=P id=N
 *   [DESTROY] tcp 6 src=.. dst=.. sport=.. dport=.. packets=N bytes=N
 *     src=.. dst=.. sport=.. dport=.. packets=N bytes=N [ASSURED] delta-time=N
 *
 * The first src= opens the original tuple, the second the reply tuple;
 * packets=/bytes= belong to the tuple they follow.
 */
#ifndef CT2FT_CTLINE_H
#define CT2FT_CTLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "flow/flowrec.h"

enum ct_evtype { CT_EV_NONE, CT_EV_NEW, CT_EV_UPDATE, CT_EV_DESTROY };

struct ct_tuple {
	struct flow_addr src, dst;
	uint16_t sport, dport;		/* TCP, UDP, SCTP, DCCP, UDP-Lite */
	uint8_t icmp_type, icmp_code;	/* ICMP, ICMPv6 */
	uint16_t icmp_id;
	uint64_t packets, bytes;
	bool has_src, has_dst, has_ports, has_icmp, has_counters;
};

struct ct_event {
	enum ct_evtype type;
	uint8_t proto;
	bool has_proto;
	bool has_time;		/* the [secs.usecs] event time prefix */
	uint64_t time_us;	/* microseconds since the epoch */
	bool has_id;
	uint32_t id;
	bool has_delta;		/* delta-time=: whole seconds, kernel start to stop */
	uint64_t delta_s;
	bool has_start, has_stop;	/* [start=ctime] [stop=ctime] (-o ktimestamp) */
	uint64_t start_s, stop_s;	/* the text read in the reader's time zone */
	int64_t start_wall, stop_wall;	/* the text as if it were UTC: zone-free */
	uint32_t zone;		/* zone=, 0 when absent */
	struct ct_tuple orig, reply;
};

/*
 * Parses line[0..len) (no newline). Returns 0, or -1 with the reason in
 * why. Unknown key=value pairs and [FLAGS] are ignored.
 */
int ct_line_parse(const char *line, size_t len, struct ct_event *ev, struct why *why);

/* The connection went through NAT: the reply tuple is not the original mirrored. */
bool ct_event_natted(const struct ct_event *ev);

#endif
