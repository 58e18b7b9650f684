/*
 * The flow record every tool passes around: the 24 fields of a flow-tools
 * NetFlow v5 export (flow-export -f2), widened where flow-tools cannot
 * speak (IPv6 addresses, 64-bit packet and octet counters), plus the
 * reverse-direction extension fields that flow-stitch -b writes and the
 * tunnel id pcap-flows writes on request.
 */
#ifndef FLOWPIPES_FLOWREC_H
#define FLOWPIPES_FLOWREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/diag.h"

#define FLOW_AF_INET  4
#define FLOW_AF_INET6 6

/* An IPv4 address uses bytes[0..3]; the rest stays zero so memcmp works. */
struct flow_addr {
	uint8_t family;		/* FLOW_AF_INET or FLOW_AF_INET6 */
	uint8_t bytes[16];
};

struct flowrec {
	uint64_t dpkts, doctets;
	uint32_t unix_secs, unix_nsecs, sysuptime;
	uint32_t first, last;		/* exporter uptime (ms) of first/last packet */
	uint32_t input, output;		/* ifindex: 32-bit as v9/IPFIX carry it */
	uint32_t src_as, dst_as;	/* 4-byte AS numbers (RFC 6793) */
	uint16_t srcport, dstport;	/* ICMP: srcport 0, dstport type*256+code */
	uint8_t engine_type, engine_id;
	uint8_t prot, tos, tcp_flags, src_mask, dst_mask;
	struct flow_addr exaddr, srcaddr, dstaddr, nexthop;
	/* extension: the reverse direction of a paired flow (flow-stitch -b) */
	uint64_t rdpkts, rdoctets;
	uint32_t rfirst, rlast;
	uint8_t rtcp_flags;
	/* extension: VNI, GRE key, GTP-U TEID or ERSPAN session (pcap-flows) */
	uint32_t tunnel_id;
};

/* Field ids, in canonical (flow-export -f2) order; extensions after. */
enum flow_field {
	FF_UNIX_SECS, FF_UNIX_NSECS, FF_SYSUPTIME, FF_EXADDR, FF_DPKTS,
	FF_DOCTETS, FF_FIRST, FF_LAST, FF_ENGINE_TYPE, FF_ENGINE_ID,
	FF_SRCADDR, FF_DSTADDR, FF_NEXTHOP, FF_INPUT, FF_OUTPUT,
	FF_SRCPORT, FF_DSTPORT, FF_PROT, FF_TOS, FF_TCP_FLAGS,
	FF_SRC_MASK, FF_DST_MASK, FF_SRC_AS, FF_DST_AS,
	FF_RDPKTS, FF_RDOCTETS, FF_RTCP_FLAGS, FF_RFIRST, FF_RLAST,
	FF_TUNNEL_ID,
	FF_COUNT
};

typedef uint32_t flow_fieldset;		/* bit (1u << enum flow_field) */

#define FLOW_FIELDS_DEFAULT   ((flow_fieldset)0x00ffffffu)	/* the 24 */
#define FLOW_FIELDS_REVERSE   ((flow_fieldset)((1u << FF_RDPKTS) | (1u << FF_RDOCTETS) | \
	(1u << FF_RTCP_FLAGS) | (1u << FF_RFIRST) | (1u << FF_RLAST)))
/* nfflowd's 18-field set: the 24 without engine_*, masks and AS numbers */
#define FLOW_FIELDS_NFFLOWD   (FLOW_FIELDS_DEFAULT & ~((1u << FF_ENGINE_TYPE) | \
	(1u << FF_ENGINE_ID) | (1u << FF_SRC_MASK) | (1u << FF_DST_MASK) | \
	(1u << FF_SRC_AS) | (1u << FF_DST_AS)))

const char *flow_field_name(enum flow_field f);
/* Field id for a name of len bytes, or -1. */
int flow_field_lookup(const char *name, size_t len);
/*
 * Parses a comma-separated field list (-o). Returns 0, or -1 with the
 * reason in w naming the bad field.
 */
int flow_fieldset_parse(const char *list, flow_fieldset *out, struct why *w);

/*
 * A record of all zero bytes, padding too (records are hashed and compared
 * whole): copied from a static zero record, since gcc makes a memset of
 * this size a "rep stos", slow to start (the line reader, ct2ft and
 * flow-stitch clear one a line).
 */
static inline void flowrec_clear(struct flowrec *r)
{
	static const struct flowrec zero;

	memcpy(r, &zero, sizeof *r);
}

/* ICMP and ICMPv6 type/code travel in dstport, the NetFlow convention. */
static inline uint16_t flow_icmp_port(uint8_t type, uint8_t code)
{
	return (uint16_t)(type * 256u + code);
}

#endif
