/*
 * Protocol numbers and TCP flag bits as flow records carry them (IANA
 * protocol numbers; the TCP flags byte of NetFlow v5 field tcp_flags),
 * named once for every tool instead of bare 1, 6, 58 or 0x02.
 */
#ifndef FLOWPIPES_FLOWPROTO_H
#define FLOWPIPES_FLOWPROTO_H

#include <stdbool.h>
#include <stdint.h>

enum flow_proto {
	FLOW_PROTO_ICMP = 1,
	FLOW_PROTO_IPIP = 4,
	FLOW_PROTO_TCP = 6,
	FLOW_PROTO_UDP = 17,
	FLOW_PROTO_IPV6 = 41,
	FLOW_PROTO_GRE = 47,
	FLOW_PROTO_ESP = 50,
	FLOW_PROTO_AH = 51,
	FLOW_PROTO_ICMPV6 = 58,
	FLOW_PROTO_SCTP = 132
};

/* TCP header flag bits (RFC 9293, RFC 3168), as in tcp_flags. */
enum flow_tcp_flag {
	FLOW_TCP_FIN = 0x01,
	FLOW_TCP_SYN = 0x02,
	FLOW_TCP_RST = 0x04,
	FLOW_TCP_PSH = 0x08,
	FLOW_TCP_ACK = 0x10,
	FLOW_TCP_URG = 0x20,
	FLOW_TCP_ECE = 0x40,
	FLOW_TCP_CWR = 0x80
};

/* ICMP or ICMPv6: type and code travel in dstport (type*256+code). */
static inline bool flow_is_icmp(uint8_t prot)
{
	return prot == FLOW_PROTO_ICMP || prot == FLOW_PROTO_ICMPV6;
}

/*
 * The ICMP type the other side of a query exchange sends: echo (8, reply
 * 0), timestamp (13, 14), information (15, 16), address mask (17, 18)
 * (RFC 792, 950); ICMPv6 echo (128, 129; RFC 4443). Both ways (a reply
 * gives its query). -1 for a type with no partner (errors, unsolicited
 * messages) or a protocol other than ICMP.
 */
static inline int flow_icmp_partner_type(uint8_t prot, uint8_t type)
{
	static const uint8_t v4[][2] = { { 8, 0 }, { 13, 14 }, { 15, 16 }, { 17, 18 } };

	if (prot == FLOW_PROTO_ICMPV6)
		return type == 128 ? 129 : type == 129 ? 128 : -1;
	if (prot != FLOW_PROTO_ICMP)
		return -1;
	for (unsigned i = 0; i < sizeof v4 / sizeof v4[0]; i++) {
		if (type == v4[i][0])
			return v4[i][1];
		if (type == v4[i][1])
			return v4[i][0];
	}
	return -1;
}

#endif
