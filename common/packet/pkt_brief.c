/*
 * The brief decode (see pkt_decode_brief in pktdecode.h): the frames most
 * captures are made of, straight to the fields of a flow key. Each header
 * is fetched whole through the cursor (one bounds check) and read at its
 * offsets. Whatever is not such a frame (a fault, a fragment, a tunnel,
 * options to walk, another link layer or tag) returns false and goes the
 * full way, so the two always agree.
 */
#include "flow/flowaddr.h"
#include "flow/flowproto.h"
#include "packet/pkt_internal.h"

enum {
	ETH_HEADER = 14, VLAN_TAG = 4, IPV4_HEADER = 20, IPV6_HEADER = 40,
	TCP_FLAGS_END = 14, UDP_PORTS_END = 4	/* transport bytes the key needs */
};

/* TCP ports and flags, or UDP ports; ip_left: the datagram's bytes after the IP header. */
static inline __attribute__((always_inline))
bool brief_transport(struct bytecursor *c, size_t ip_left, bool tunnels, struct pkt_brief *b)
{
	const uint8_t *l4;

	if (b->proto == FLOW_PROTO_TCP) {
		l4 = bc_bytes(c, TCP_FLAGS_END);
		if (l4 == NULL || ip_left < TCP_FLAGS_END)
			return false;
		b->tcp_flags = l4[13];
	} else if (b->proto == FLOW_PROTO_UDP) {
		l4 = bc_bytes(c, UDP_PORTS_END);
		if (l4 == NULL || ip_left < UDP_PORTS_END)
			return false;
		b->tcp_flags = 0;
	} else {
		return false;
	}
	b->sport = bc_be16(l4);
	b->dport = bc_be16(l4 + 2);
	return !(b->proto == FLOW_PROTO_UDP && tunnels && pkt_udp_tunnel(b->dport) != PKT_TUN_NONE);
}

/* IPv4 without options, not a fragment, its total length within the frame on the wire. */
static bool brief_ipv4(struct bytecursor *c, size_t wirelen, bool tunnels, struct pkt_brief *b)
{
	size_t start = c->pos;
	const uint8_t *ip = bc_bytes(c, IPV4_HEADER);
	uint16_t totlen;

	if (ip == NULL)
		return false;
	totlen = bc_be16(ip + 2);
	/* version 4, header length 20; no MF flag, no fragment offset */
	if (ip[0] != 0x45 || (bc_be16(ip + 6) & 0x3fff) != 0 || totlen < IPV4_HEADER ||
	    start + totlen > wirelen)
		return false;
	b->proto = ip[9];
	b->tos = ip[1];
	b->l3_len = totlen;
	flow_addr_set_v4(&b->src, ip + 12);
	flow_addr_set_v4(&b->dst, ip + 16);
	return brief_transport(c, totlen - IPV4_HEADER, tunnels, b);
}

/* IPv6 with TCP or UDP right after the fixed header, its payload length within the frame. */
static bool brief_ipv6(struct bytecursor *c, size_t wirelen, bool tunnels, struct pkt_brief *b)
{
	size_t start = c->pos;
	const uint8_t *ip = bc_bytes(c, IPV6_HEADER);
	uint32_t vtcfl;
	uint16_t plen;

	if (ip == NULL)
		return false;
	vtcfl = bc_be32(ip);
	plen = bc_be16(ip + 4);
	if (vtcfl >> 28 != 6 || plen == 0 || start + IPV6_HEADER + plen > wirelen)
		return false;
	b->proto = ip[6];
	b->tos = (uint8_t)(vtcfl >> 20);
	b->l3_len = IPV6_HEADER + (uint32_t)plen;
	flow_addr_set_v6(&b->src, ip + 8);
	flow_addr_set_v6(&b->dst, ip + 24);
	return brief_transport(c, plen, tunnels, b);
}

bool pkt_decode_brief(int linktype, const uint8_t *frame, size_t caplen, size_t wirelen,
    bool tunnels, struct pkt_brief *b)
{
	struct bytecursor c = bc_make(frame, caplen);
	const uint8_t *eth = bc_bytes(&c, ETH_HEADER);
	uint16_t type;

	if (linktype != PKT_LINK_ETHERNET || eth == NULL)
		return false;
	type = bc_be16(eth + 12);
	b->vlan = 0;
	if (type == ETH_VLAN) {
		const uint8_t *tag = bc_bytes(&c, VLAN_TAG);

		if (tag == NULL)
			return false;
		b->vlan = bc_be16(tag) & 0x0fff;
		type = bc_be16(tag + 2);
	}
	if (type == ETH_IPV4)
		return brief_ipv4(&c, wirelen, tunnels, b);
	if (type == ETH_IPV6)
		return brief_ipv6(&c, wirelen, tunnels, b);
	return false;
}
