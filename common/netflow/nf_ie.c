/* The information element table (see nf_ie.h). */
#include <stddef.h>

#include "netflow/nf_ie.h"

static const struct nf_ie table[] = {
	{ NF_IE_OCTET_DELTA_COUNT, "octetDeltaCount", 8, NF_ROLE_OCTETS },
	{ NF_IE_PACKET_DELTA_COUNT, "packetDeltaCount", 8, NF_ROLE_PACKETS },
	{ NF_IE_PROTOCOL_IDENTIFIER, "protocolIdentifier", 1, NF_ROLE_PROT },
	{ NF_IE_IP_CLASS_OF_SERVICE, "ipClassOfService", 1, NF_ROLE_TOS },
	/* 1 or 2 bytes on the wire; the flowrec keeps the low 8 bits */
	{ NF_IE_TCP_CONTROL_BITS, "tcpControlBits", 1, NF_ROLE_TCP_FLAGS },
	{ NF_IE_SOURCE_TRANSPORT_PORT, "sourceTransportPort", 2, NF_ROLE_SRCPORT },
	{ NF_IE_SOURCE_IPV4_ADDRESS, "sourceIPv4Address", 4, NF_ROLE_SRCADDR },
	{ NF_IE_SOURCE_IPV4_PREFIX_LENGTH, "sourceIPv4PrefixLength", 1, NF_ROLE_SRC_MASK },
	{ NF_IE_INGRESS_INTERFACE, "ingressInterface", 4, NF_ROLE_INPUT },
	{ NF_IE_DESTINATION_TRANSPORT_PORT, "destinationTransportPort", 2, NF_ROLE_DSTPORT },
	{ NF_IE_DESTINATION_IPV4_ADDRESS, "destinationIPv4Address", 4, NF_ROLE_DSTADDR },
	{ NF_IE_DESTINATION_IPV4_PREFIX_LENGTH, "destinationIPv4PrefixLength", 1,
	    NF_ROLE_DST_MASK },
	{ NF_IE_EGRESS_INTERFACE, "egressInterface", 4, NF_ROLE_OUTPUT },
	{ NF_IE_IP_NEXT_HOP_IPV4_ADDRESS, "ipNextHopIPv4Address", 4, NF_ROLE_NEXTHOP },
	{ NF_IE_BGP_SOURCE_AS_NUMBER, "bgpSourceAsNumber", 4, NF_ROLE_SRC_AS },
	{ NF_IE_BGP_DESTINATION_AS_NUMBER, "bgpDestinationAsNumber", 4, NF_ROLE_DST_AS },
	{ NF_IE_BGP_NEXT_HOP_IPV4_ADDRESS, "bgpNextHopIPv4Address", 4, NF_ROLE_BGP_NEXTHOP },
	{ NF_IE_FLOW_END_SYS_UP_TIME, "flowEndSysUpTime", 4, NF_ROLE_UPTIME_LAST },
	{ NF_IE_FLOW_START_SYS_UP_TIME, "flowStartSysUpTime", 4, NF_ROLE_UPTIME_FIRST },
	{ NF_IE_SOURCE_IPV6_ADDRESS, "sourceIPv6Address", 16, NF_ROLE_SRCADDR },
	{ NF_IE_DESTINATION_IPV6_ADDRESS, "destinationIPv6Address", 16, NF_ROLE_DSTADDR },
	{ NF_IE_SOURCE_IPV6_PREFIX_LENGTH, "sourceIPv6PrefixLength", 1, NF_ROLE_SRC_MASK },
	{ NF_IE_DESTINATION_IPV6_PREFIX_LENGTH, "destinationIPv6PrefixLength", 1,
	    NF_ROLE_DST_MASK },
	{ NF_IE_ICMP_TYPE_CODE_IPV4, "icmpTypeCodeIPv4", 2, NF_ROLE_ICMP_TYPE_CODE },
	{ NF_IE_SAMPLING_INTERVAL, "samplingInterval", 4, NF_ROLE_SAMPLING },
	{ NF_IE_ENGINE_TYPE, "engineType", 1, NF_ROLE_ENGINE_TYPE },
	{ NF_IE_ENGINE_ID, "engineId", 1, NF_ROLE_ENGINE_ID },
	{ NF_IE_IP_NEXT_HOP_IPV6_ADDRESS, "ipNextHopIPv6Address", 16, NF_ROLE_NEXTHOP },
	{ NF_IE_BGP_NEXT_HOP_IPV6_ADDRESS, "bgpNextHopIPv6Address", 16, NF_ROLE_BGP_NEXTHOP },
	{ NF_IE_OCTET_TOTAL_COUNT, "octetTotalCount", 8, NF_ROLE_OCTETS_TOTAL },
	{ NF_IE_PACKET_TOTAL_COUNT, "packetTotalCount", 8, NF_ROLE_PACKETS_TOTAL },
	{ NF_IE_ICMP_TYPE_CODE_IPV6, "icmpTypeCodeIPv6", 2, NF_ROLE_ICMP_TYPE_CODE },
	{ NF_IE_FLOW_START_SECONDS, "flowStartSeconds", 4, NF_ROLE_FIRST_SECONDS },
	{ NF_IE_FLOW_END_SECONDS, "flowEndSeconds", 4, NF_ROLE_LAST_SECONDS },
	{ NF_IE_FLOW_START_MILLISECONDS, "flowStartMilliseconds", 8, NF_ROLE_FIRST_MS },
	{ NF_IE_FLOW_END_MILLISECONDS, "flowEndMilliseconds", 8, NF_ROLE_LAST_MS },
	{ NF_IE_FLOW_START_MICROSECONDS, "flowStartMicroseconds", 8, NF_ROLE_FIRST_NTP },
	{ NF_IE_FLOW_END_MICROSECONDS, "flowEndMicroseconds", 8, NF_ROLE_LAST_NTP },
	{ NF_IE_FLOW_START_NANOSECONDS, "flowStartNanoseconds", 8, NF_ROLE_FIRST_NTP },
	{ NF_IE_FLOW_END_NANOSECONDS, "flowEndNanoseconds", 8, NF_ROLE_LAST_NTP },
	{ NF_IE_FLOW_START_DELTA_MICROSECONDS, "flowStartDeltaMicroseconds", 4,
	    NF_ROLE_FIRST_DELTA_US },
	{ NF_IE_FLOW_END_DELTA_MICROSECONDS, "flowEndDeltaMicroseconds", 4, NF_ROLE_LAST_DELTA_US },
	{ NF_IE_SYSTEM_INIT_TIME_MILLISECONDS, "systemInitTimeMilliseconds", 8,
	    NF_ROLE_SYSINIT_MS },
	{ NF_IE_ICMP_TYPE_IPV4, "icmpTypeIPv4", 1, NF_ROLE_ICMP_TYPE },
	{ NF_IE_ICMP_CODE_IPV4, "icmpCodeIPv4", 1, NF_ROLE_ICMP_CODE },
	{ NF_IE_ICMP_TYPE_IPV6, "icmpTypeIPv6", 1, NF_ROLE_ICMP_TYPE },
	{ NF_IE_ICMP_CODE_IPV6, "icmpCodeIPv6", 1, NF_ROLE_ICMP_CODE },
	{ NF_IE_POST_NAT_SOURCE_IPV4_ADDRESS, "postNATSourceIPv4Address", 4, NF_ROLE_POST_SRCADDR },
	{ NF_IE_POST_NAT_DESTINATION_IPV4_ADDRESS, "postNATDestinationIPv4Address", 4,
	    NF_ROLE_POST_DSTADDR },
	{ NF_IE_POST_NAPT_SOURCE_TRANSPORT_PORT, "postNAPTSourceTransportPort", 2,
	    NF_ROLE_POST_SRCPORT },
	{ NF_IE_POST_NAPT_DESTINATION_TRANSPORT_PORT, "postNAPTDestinationTransportPort", 2,
	    NF_ROLE_POST_DSTPORT },
	{ NF_IE_POST_NAT_SOURCE_IPV6_ADDRESS, "postNATSourceIPv6Address", 16,
	    NF_ROLE_POST_SRCADDR },
	{ NF_IE_POST_NAT_DESTINATION_IPV6_ADDRESS, "postNATDestinationIPv6Address", 16,
	    NF_ROLE_POST_DSTADDR },
};

const struct nf_ie *nf_ie_find(uint16_t id)
{
	/* the table is short and read only when a template is learnt or built */
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
		if (table[i].id == id)
			return &table[i];
	return NULL;
}

enum nf_role nf_ie_role(uint16_t id)
{
	const struct nf_ie *ie = nf_ie_find(id);

	return ie ? ie->role : NF_ROLE_NONE;
}

bool nf_ie_is_sampling(uint16_t id)
{
	switch (id) {
	case NF_IE_SAMPLING_INTERVAL: case NF_IE_SAMPLING_ALGORITHM: case NF_IE_SAMPLER_ID:
	case NF_IE_SAMPLER_MODE: case NF_IE_SAMPLER_RANDOM_INTERVAL: case NF_IE_SELECTOR_ID:
	case NF_IE_SELECTOR_ALGORITHM: case NF_IE_SAMPLING_PACKET_INTERVAL:
	case NF_IE_SAMPLING_PACKET_SPACE: case NF_IE_SAMPLING_SIZE: case NF_IE_SAMPLING_POPULATION:
		return true;
	default:
		return false;
	}
}
