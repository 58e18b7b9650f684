/*
 * Information elements (RFC 7012, IANA "IPFIX Information Elements";
 * v9 field types below 128 are the same numbers) that flowpipes reads
 * or writes, named once. Each has a role: what it means to a flowrec.
 * The decoder resolves a template's fields to roles when it learns the
 * template; the encoder builds its templates from these names and
 * writes each field by its role. An id not in the table has role
 * NF_ROLE_NONE and is skipped.
 */
#ifndef FLOWPIPES_NF_IE_H
#define FLOWPIPES_NF_IE_H

#include <stdbool.h>
#include <stdint.h>

enum nf_ie_id {
	NF_IE_OCTET_DELTA_COUNT = 1,
	NF_IE_PACKET_DELTA_COUNT = 2,
	NF_IE_PROTOCOL_IDENTIFIER = 4,
	NF_IE_IP_CLASS_OF_SERVICE = 5,
	NF_IE_TCP_CONTROL_BITS = 6,
	NF_IE_SOURCE_TRANSPORT_PORT = 7,
	NF_IE_SOURCE_IPV4_ADDRESS = 8,
	NF_IE_SOURCE_IPV4_PREFIX_LENGTH = 9,
	NF_IE_INGRESS_INTERFACE = 10,
	NF_IE_DESTINATION_TRANSPORT_PORT = 11,
	NF_IE_DESTINATION_IPV4_ADDRESS = 12,
	NF_IE_DESTINATION_IPV4_PREFIX_LENGTH = 13,
	NF_IE_EGRESS_INTERFACE = 14,
	NF_IE_IP_NEXT_HOP_IPV4_ADDRESS = 15,
	NF_IE_BGP_SOURCE_AS_NUMBER = 16,
	NF_IE_BGP_DESTINATION_AS_NUMBER = 17,
	NF_IE_BGP_NEXT_HOP_IPV4_ADDRESS = 18,
	NF_IE_FLOW_END_SYS_UP_TIME = 21,	/* v9 LAST_SWITCHED */
	NF_IE_FLOW_START_SYS_UP_TIME = 22,	/* v9 FIRST_SWITCHED */
	NF_IE_SOURCE_IPV6_ADDRESS = 27,
	NF_IE_DESTINATION_IPV6_ADDRESS = 28,
	NF_IE_SOURCE_IPV6_PREFIX_LENGTH = 29,
	NF_IE_DESTINATION_IPV6_PREFIX_LENGTH = 30,
	NF_IE_ICMP_TYPE_CODE_IPV4 = 32,		/* v9 ICMP_TYPE, read for both families */
	NF_IE_SAMPLING_INTERVAL = 34,
	NF_IE_SAMPLING_ALGORITHM = 35,
	NF_IE_ENGINE_TYPE = 38,
	NF_IE_ENGINE_ID = 39,
	NF_IE_SAMPLER_ID = 48,			/* v9 FLOW_SAMPLER_ID */
	NF_IE_SAMPLER_MODE = 49,
	NF_IE_SAMPLER_RANDOM_INTERVAL = 50,
	NF_IE_IP_NEXT_HOP_IPV6_ADDRESS = 62,
	NF_IE_BGP_NEXT_HOP_IPV6_ADDRESS = 63,
	NF_IE_OCTET_TOTAL_COUNT = 85,
	NF_IE_PACKET_TOTAL_COUNT = 86,
	NF_IE_ICMP_TYPE_CODE_IPV6 = 139,
	NF_IE_FLOW_START_SECONDS = 150,
	NF_IE_FLOW_END_SECONDS = 151,
	NF_IE_FLOW_START_MILLISECONDS = 152,
	NF_IE_FLOW_END_MILLISECONDS = 153,
	NF_IE_FLOW_START_MICROSECONDS = 154,
	NF_IE_FLOW_END_MICROSECONDS = 155,
	NF_IE_FLOW_START_NANOSECONDS = 156,
	NF_IE_FLOW_END_NANOSECONDS = 157,
	NF_IE_FLOW_START_DELTA_MICROSECONDS = 158,
	NF_IE_FLOW_END_DELTA_MICROSECONDS = 159,
	NF_IE_SYSTEM_INIT_TIME_MILLISECONDS = 160,
	NF_IE_ICMP_TYPE_IPV4 = 176,
	NF_IE_ICMP_CODE_IPV4 = 177,
	NF_IE_ICMP_TYPE_IPV6 = 178,
	NF_IE_ICMP_CODE_IPV6 = 179,
	NF_IE_POST_NAT_SOURCE_IPV4_ADDRESS = 225,
	NF_IE_POST_NAT_DESTINATION_IPV4_ADDRESS = 226,
	NF_IE_POST_NAPT_SOURCE_TRANSPORT_PORT = 227,
	NF_IE_POST_NAPT_DESTINATION_TRANSPORT_PORT = 228,
	NF_IE_POST_NAT_SOURCE_IPV6_ADDRESS = 281,
	NF_IE_POST_NAT_DESTINATION_IPV6_ADDRESS = 282,
	NF_IE_SELECTOR_ID = 302,
	NF_IE_SELECTOR_ALGORITHM = 304,
	NF_IE_SAMPLING_PACKET_INTERVAL = 305,
	NF_IE_SAMPLING_PACKET_SPACE = 306,
	NF_IE_SAMPLING_SIZE = 309,
	NF_IE_SAMPLING_POPULATION = 310
};

/* What a field's value is to a flowrec (or to the record's clock). */
enum nf_role {
	NF_ROLE_NONE,			/* not read */
	NF_ROLE_OCTETS,			/* doctets */
	NF_ROLE_PACKETS,		/* dpkts */
	NF_ROLE_OCTETS_TOTAL,		/* doctets when no delta count is there */
	NF_ROLE_PACKETS_TOTAL,		/* dpkts likewise */
	NF_ROLE_PROT,
	NF_ROLE_TOS,
	NF_ROLE_TCP_FLAGS,
	NF_ROLE_SRCPORT,
	NF_ROLE_DSTPORT,
	NF_ROLE_SRCADDR,
	NF_ROLE_DSTADDR,
	NF_ROLE_NEXTHOP,
	NF_ROLE_BGP_NEXTHOP,		/* nexthop when no IP next hop is there */
	NF_ROLE_SRC_MASK,
	NF_ROLE_DST_MASK,
	NF_ROLE_INPUT,
	NF_ROLE_OUTPUT,
	NF_ROLE_SRC_AS,
	NF_ROLE_DST_AS,
	NF_ROLE_UPTIME_FIRST,		/* first, ms of exporter uptime */
	NF_ROLE_UPTIME_LAST,
	NF_ROLE_ICMP_TYPE_CODE,		/* dstport of an ICMP flow: type*256+code */
	NF_ROLE_ICMP_TYPE,
	NF_ROLE_ICMP_CODE,
	NF_ROLE_ENGINE_TYPE,
	NF_ROLE_ENGINE_ID,
	NF_ROLE_FIRST_SECONDS,		/* absolute times, seconds since 1970 */
	NF_ROLE_LAST_SECONDS,
	NF_ROLE_FIRST_MS,		/* milliseconds since 1970 */
	NF_ROLE_LAST_MS,
	NF_ROLE_FIRST_NTP,		/* NTP timestamps (micro- and nanosecond elements) */
	NF_ROLE_LAST_NTP,
	NF_ROLE_SYSINIT_MS,		/* the exporter's boot, ms since 1970 (in options) */
	NF_ROLE_FIRST_DELTA_US,		/* microseconds before the export time */
	NF_ROLE_LAST_DELTA_US,
	NF_ROLE_POST_SRCADDR,		/* post-NAT views: srcaddr etc. only when the */
	NF_ROLE_POST_DSTADDR,		/* record has no pre-NAT field of its own */
	NF_ROLE_POST_SRCPORT,
	NF_ROLE_POST_DSTPORT,
	NF_ROLE_SAMPLING		/* the exporter's sampling interval (written, not read) */
};

struct nf_ie {
	uint16_t id;
	const char *name;		/* IANA name */
	uint16_t len;			/* bytes the encoder sends it in */
	enum nf_role role;
};

/* The element with this IANA id (enterprise 0), or NULL when flowpipes has no use for it. */
const struct nf_ie *nf_ie_find(uint16_t id);
/* Its role, NF_ROLE_NONE for an unknown id. */
enum nf_role nf_ie_role(uint16_t id);
/*
 * Whether an (IANA) element describes packet sampling: v9 34/35/48-50,
 * IPFIX 34/35/48-50, 302, 304-306, 309-310. A collector reads these from the raw
 * record (nft_hooks), as their meaning depends on their neighbours.
 */
bool nf_ie_is_sampling(uint16_t id);

#endif
