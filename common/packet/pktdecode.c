/* Packet decode for flow meters (see pktdecode.h). */
#include <string.h>

#include "base/bytecursor.h"
#include "flow/flowaddr.h"
#include "flow/flowproto.h"
#include "packet/pkt_internal.h"

#define MAX_VLAN_TAGS   8
#define MAX_IPV6_EXT    16

enum { TCP_HEADER = 20, UDP_HEADER = 8, SCTP_HEADER = 12 };	/* fixed parts, bytes */

enum { PPP_IPV4 = 0x0021, PPP_IPV6 = 0x0057 };

/* IPv6 extension headers and the transports decoded; flow protocols by their flowproto.h names */
enum {
	IP_HOPOPTS = 0, IP_ICMP = FLOW_PROTO_ICMP, IP_TCP = FLOW_PROTO_TCP, IP_UDP = FLOW_PROTO_UDP,
	IP_DCCP = 33, IP_ROUTING = 43, IP_FRAGMENT = 44, IP_AH = FLOW_PROTO_AH,
	IP_ICMPV6 = FLOW_PROTO_ICMPV6, IP_DSTOPTS = 60, IP_SCTP = FLOW_PROTO_SCTP,
	IP_MOBILITY = 135, IP_UDPLITE = 136, IP_HIP = 139, IP_SHIM6 = 140
};

enum pkt_status pkt_fail(struct pkt_info *pi, const struct bytecursor *c,
    enum pkt_status st, const char *why)
{
	pi->why = why;
	pi->where = c->pos;
	return st;
}

/* The next byte without consuming it (the cursor is marked bad when there is none). */
static uint8_t peek_u8(struct bytecursor *c)
{
	struct bytecursor t = *c;
	uint8_t v = bc_u8(&t);

	c->bad = t.bad;
	return v;
}

/* Source and destination port; false (ports left 0) when they are cut. */
static bool read_ports(struct bytecursor *c, struct pkt_info *pi)
{
	uint16_t sport = bc_u16(c);
	uint16_t dport = bc_u16(c);

	if (c->bad)
		return false;
	pi->sport = sport;
	pi->dport = dport;
	pi->has_ports = 1;
	return true;
}

/*
 * The payload after a transport header of hlen bytes (0: unknown, all of
 * the segment counts), when the header is all there. The cursor ends at
 * the datagram's end or the captured end, whichever comes first.
 */
static void set_payload(struct pkt_info *pi, const struct bytecursor *c, size_t hlen)
{
	size_t off = (size_t)pi->l4_off + hlen;
	size_t wire_end = (size_t)pi->l3_off + pi->l3_len;

	if (off > c->len)
		return;			/* the header is cut: where the payload lies is
					   unknown */
	pi->payload_off = (uint32_t)off;
	pi->payload_len = (uint32_t)(c->len - off);
	pi->payload_wire_len = wire_end > off ? (uint32_t)(wire_end - off) : 0;
	if (pi->payload_len > pi->payload_wire_len)
		pi->payload_len = pi->payload_wire_len;
}

/* Ports, then the payload after a header of hlen bytes. */
static enum pkt_status decode_ported(struct bytecursor *c, struct pkt_info *pi, size_t hlen)
{
	if (!read_ports(c, pi))
		return pkt_fail(pi, c, PKT_TRUNCATED, "transport ports cut");
	set_payload(pi, c, hlen);
	return PKT_OK;
}

/* Ports, sequence numbers, flags and window; the flow needs no more than the flags. */
static enum pkt_status decode_tcp(struct bytecursor *c, struct pkt_info *pi)
{
	uint8_t off;

	if (!read_ports(c, pi))
		return pkt_fail(pi, c, PKT_TRUNCATED, "TCP ports cut");
	if (!bc_need(c, 10))
		return pkt_fail(pi, c, PKT_TRUNCATED, "TCP flags cut");
	pi->tcp_seq = bc_u32(c);
	pi->tcp_ack = bc_u32(c);
	off = bc_u8(c);
	pi->tcp_flags = bc_u8(c);
	pi->tcp_doff = (uint8_t)((off >> 4) * 4);
	pi->tcp_win = bc_u16(c);
	if (!c->bad && pi->tcp_doff >= TCP_HEADER)
		set_payload(pi, c, pi->tcp_doff);
	return PKT_OK;
}

/* Ports (or ICMP type/code) and TCP flags; the IP layer is already known. */
static enum pkt_status decode_transport(struct bytecursor *c, struct pkt_info *pi)
{
	uint8_t type, code;

	pi->l4_off = (uint32_t)c->pos;
	pi->l4_len = (size_t)pi->l3_off + pi->l3_len > c->pos ?
	    (uint32_t)((size_t)pi->l3_off + pi->l3_len - c->pos) : 0;
	switch (pi->proto) {
	case IP_TCP:
		return decode_tcp(c, pi);
	case IP_UDP:
	case IP_UDPLITE:
		return decode_ported(c, pi, UDP_HEADER);
	case IP_SCTP:
		return decode_ported(c, pi, SCTP_HEADER);
	case IP_DCCP:
		return decode_ported(c, pi, 0);
	case IP_ICMP:
	case IP_ICMPV6:
		type = bc_u8(c);
		code = bc_u8(c);
		if (c->bad)
			return pkt_fail(pi, c, PKT_TRUNCATED, "ICMP type/code cut");
		pi->dport = flow_icmp_port(type, code);
		pi->has_ports = 1;
		set_payload(pi, c, 0);
		return PKT_OK;
	default:
		set_payload(pi, c, 0);
		return PKT_OK;
	}
}

/* Shrinks the cursor to the datagram so Ethernet padding is never parsed as headers. */
static void limit_to(struct bytecursor *c, size_t end)
{
	if (end < c->len)
		c->len = end;
}

/*
 * An IP length beyond the whole frame on the wire is a lie (a snapshot cut
 * keeps the wire length): the datagram counts with what the frame holds,
 * and unless the packet is already reported as cut, it is reported so.
 */
static enum pkt_status length_lie(struct pkt_info *pi, enum pkt_status st, size_t where,
    const char *why)
{
	if (st != PKT_OK)
		return st;
	pi->why = why;
	pi->where = where;
	return PKT_OVERLONG;
}

/* What the frame on the wire holds from the IP header on. */
static size_t frame_from(size_t start, size_t wirelen)
{
	return wirelen > start ? wirelen - start : 0;
}

/* Past the fixed IPv4 header: fragment facts, options, the transport. */
static enum pkt_status ipv4_rest(struct bytecursor *c, struct pkt_info *pi, size_t ihl,
    uint16_t frag, uint16_t id)
{
	if ((frag & 0x3fff) != 0) {
		pi->is_frag = 1;
		pi->frag_id = id;
		pi->frag_off = (uint32_t)(frag & 0x1fff) * 8;
		pi->frag_more = (frag & 0x2000) != 0;
		pi->frag_data_off = pi->l3_off + (uint32_t)ihl;
	}
	if ((frag & 0x1fff) != 0) {
		pi->frag_later = 1;
		return PKT_OK;
	}
	bc_skip(c, ihl - 20);
	if (c->bad)
		return pkt_fail(pi, c, PKT_TRUNCATED, "IPv4 options cut");
	return decode_transport(c, pi);
}

enum pkt_status pkt_decode_ipv4(struct bytecursor *c, size_t wirelen, struct pkt_info *pi)
{
	size_t start = c->pos;
	size_t frame = frame_from(start, wirelen);
	uint8_t vihl = bc_u8(c);
	uint8_t tos = bc_u8(c);
	uint16_t totlen = bc_u16(c);
	uint16_t id = bc_u16(c);
	uint16_t frag = bc_u16(c);
	size_t ihl = (size_t)(vihl & 0x0f) * 4;
	enum pkt_status st;

	bc_skip(c, 1);			/* TTL */
	pi->proto = bc_u8(c);
	bc_skip(c, 2);			/* checksum */
	const uint8_t *src = bc_bytes(c, 4);
	const uint8_t *dst = bc_bytes(c, 4);
	if (c->bad)
		return pkt_fail(pi, c, PKT_BAD, "IPv4 header cut");
	c->pos = start;			/* header faults are reported where the header
					   starts */
	if (vihl >> 4 != 4)
		return pkt_fail(pi, c, PKT_BAD, "IP version is not 4");
	if (ihl < 20)
		return pkt_fail(pi, c, PKT_BAD, "IPv4 header length below 20");
	if (totlen != 0 && totlen < ihl)
		return pkt_fail(pi, c, PKT_BAD, "IPv4 total length below header length");
	c->pos = start + 20;
	pi->l3_off = (uint32_t)start;
	flow_addr_set_v4(&pi->src, src);
	flow_addr_set_v4(&pi->dst, dst);
	pi->tos = tos;
	/* total length 0: a segmentation-offload capture; the frame says how long */
	pi->l3_len = totlen && totlen <= frame ? totlen : (uint32_t)frame;
	if (totlen)
		limit_to(c, start + totlen);
	st = ipv4_rest(c, pi, ihl, frag, id);
	if (totlen > frame)
		return length_lie(pi, st, start + 2, "IPv4 total length beyond the frame");
	return st;
}

/* The extension headers, walked to the transport header. */
static enum pkt_status ipv6_walk(struct bytecursor *c, struct pkt_info *pi, uint8_t nh)
{
	for (int i = 0; i < MAX_IPV6_EXT; i++) {
		uint8_t next, hlen;
		uint16_t offmf;

		pi->proto = nh;
		switch (nh) {
		case IP_HOPOPTS:
		case IP_ROUTING:
		case IP_DSTOPTS:
		case IP_MOBILITY:
		case IP_HIP:
		case IP_SHIM6:
			next = bc_u8(c);
			hlen = bc_u8(c);
			bc_skip(c, (size_t)hlen * 8 + 6);
			break;
		case IP_AH:
			next = bc_u8(c);
			hlen = bc_u8(c);
			bc_skip(c, ((size_t)hlen + 2) * 4 - 2);
			break;
		case IP_FRAGMENT:
			next = bc_u8(c);
			bc_skip(c, 1);
			offmf = bc_u16(c);
			pi->frag_id = bc_u32(c);
			if (c->bad)
				break;
			pi->is_frag = (offmf & 0xfff9) != 0;
			pi->frag_off = offmf & 0xfff8;
			pi->frag_more = offmf & 1;
			pi->frag_data_off = (uint32_t)c->pos;
			pi->frag_next = next;
			if (offmf >> 3 != 0) {
				pi->proto = next;
				pi->frag_later = 1;
				return PKT_OK;
			}
			break;
		default:
			return decode_transport(c, pi);
		}
		if (c->bad)
			return pkt_fail(pi, c, PKT_TRUNCATED, "IPv6 extension header cut");
		nh = next;
	}
	return pkt_fail(pi, c, PKT_BAD, "too many IPv6 extension headers");
}

enum pkt_status pkt_decode_ipv6(struct bytecursor *c, size_t wirelen, struct pkt_info *pi)
{
	size_t start = c->pos;
	size_t frame = frame_from(start, wirelen);
	uint32_t vtcfl = bc_u32(c);
	uint16_t plen = bc_u16(c);
	uint8_t nh = bc_u8(c);
	enum pkt_status st;

	bc_skip(c, 1);			/* hop limit */
	const uint8_t *src = bc_bytes(c, 16);
	const uint8_t *dst = bc_bytes(c, 16);
	if (c->bad)
		return pkt_fail(pi, c, PKT_BAD, "IPv6 header cut");
	if (vtcfl >> 28 != 6) {
		c->pos = start;
		return pkt_fail(pi, c, PKT_BAD, "IP version is not 6");
	}
	pi->l3_off = (uint32_t)start;
	flow_addr_set_v6(&pi->src, src);
	flow_addr_set_v6(&pi->dst, dst);
	pi->tos = (uint8_t)(vtcfl >> 20);
	/* payload length 0: a jumbogram or an offload capture; the frame says how long */
	pi->l3_len = plen && 40u + plen <= frame ? 40u + plen : (uint32_t)frame;
	if (plen)
		limit_to(c, start + 40u + plen);
	st = ipv6_walk(c, pi, nh);
	if (plen && 40u + plen > frame)
		return length_lie(pi, st, start + 4, "IPv6 payload length beyond the frame");
	return st;
}

/* IP by its version nibble: raw IP link types and MPLS payloads. */
enum pkt_status pkt_decode_ip_any(struct bytecursor *c, size_t wirelen, struct pkt_info *pi,
    bool must_be_ip)
{
	uint8_t v = peek_u8(c);

	if (c->bad)
		return pkt_fail(pi, c, PKT_BAD, "no IP header");
	if (v >> 4 == 4)
		return pkt_decode_ipv4(c, wirelen, pi);
	if (v >> 4 == 6)
		return pkt_decode_ipv6(c, wirelen, pi);
	if (must_be_ip)
		return pkt_fail(pi, c, PKT_BAD, "IP version is neither 4 nor 6");
	return PKT_NOT_IP;
}

/* PPPoE session header and the PPP protocol field. */
static enum pkt_status decode_pppoe(struct bytecursor *c, size_t wirelen, struct pkt_info *pi)
{
	uint16_t proto;

	bc_skip(c, 6);			/* version/type, code, session id, length */
	proto = bc_u16(c);
	if (c->bad)
		return pkt_fail(pi, c, PKT_BAD, "PPPoE header cut");
	if (proto == PPP_IPV4)
		return pkt_decode_ipv4(c, wirelen, pi);
	if (proto == PPP_IPV6)
		return pkt_decode_ipv6(c, wirelen, pi);
	return PKT_NOT_IP;
}

/* From an EtherType on: VLAN tag stacks, MPLS, PPPoE, IP. */
static enum pkt_status decode_ethertype(struct bytecursor *c, uint16_t type, size_t wirelen,
    struct pkt_info *pi)
{
	bool tagged = false;

	for (int i = 0; i <= MAX_VLAN_TAGS; i++) {
		uint16_t tci;

		switch (type) {
		case ETH_VLAN:
		case ETH_QINQ:
		case ETH_QINQ_OLD1:
		case ETH_QINQ_OLD2:
			tci = bc_u16(c);
			type = bc_u16(c);
			if (c->bad)
				return pkt_fail(pi, c, PKT_BAD, "VLAN tag cut");
			if (!tagged)
				pi->vlan = tci & 0x0fff;
			tagged = true;
			break;
		case ETH_MPLS:
		case ETH_MPLS_MC:
			return pkt_decode_mpls(c, wirelen, pi);
		case ETH_PPPOE_SESSION:
			return decode_pppoe(c, wirelen, pi);
		case ETH_IPV4:
			return pkt_decode_ipv4(c, wirelen, pi);
		case ETH_IPV6:
			return pkt_decode_ipv6(c, wirelen, pi);
		default:
			return PKT_NOT_IP;
		}
	}
	return pkt_fail(pi, c, PKT_BAD, "too many VLAN tags");
}

enum pkt_status pkt_decode_ethernet(struct bytecursor *c, size_t wirelen, struct pkt_info *pi)
{
	uint16_t type;

	bc_skip(c, 12);			/* destination and source MAC */
	type = bc_u16(c);
	if (c->bad)
		return pkt_fail(pi, c, PKT_BAD, "Ethernet header cut");
	if (type > 1500)
		return decode_ethertype(c, type, wirelen, pi);
	/* 802.3 length field: only LLC/SNAP can carry an EtherType on */
	const uint8_t *llc = bc_bytes(c, 3);
	if (llc == NULL)
		return pkt_fail(pi, c, PKT_BAD, "802.2 LLC header cut");
	if (llc[0] != 0xaa || llc[1] != 0xaa || llc[2] != 0x03)
		return PKT_NOT_IP;
	bc_skip(c, 3);			/* SNAP OUI */
	type = bc_u16(c);
	if (c->bad)
		return pkt_fail(pi, c, PKT_BAD, "SNAP header cut");
	return decode_ethertype(c, type, wirelen, pi);
}

static enum pkt_status decode_sll(struct bytecursor *c, size_t wirelen, struct pkt_info *pi)
{
	uint16_t proto;

	bc_skip(c, 14);			/* packet type, ARPHRD type, address length,
					   address */
	proto = bc_u16(c);
	if (c->bad)
		return pkt_fail(pi, c, PKT_BAD, "Linux cooked header cut");
	return decode_ethertype(c, proto, wirelen, pi);
}

static enum pkt_status decode_sll2(struct bytecursor *c, size_t wirelen, struct pkt_info *pi)
{
	uint16_t proto = bc_u16(c);

	bc_skip(c, 2);			/* reserved */
	pi->ifindex = bc_u32(c);
	bc_skip(c, 12);			/* ARPHRD type, packet type, address length,
					   address */
	if (c->bad)
		return pkt_fail(pi, c, PKT_BAD, "Linux cooked v2 header cut");
	return decode_ethertype(c, proto, wirelen, pi);
}

/* AF_INET6 differs between systems; AF_INET is 2 everywhere. */
static bool af_is_inet6(uint32_t af)
{
	return af == 10 || af == 24 || af == 28 || af == 30;
}

/* BSD loopback: a 4-byte address family, host order (NULL) or network order (LOOP). */
static enum pkt_status decode_null(struct bytecursor *c, size_t wirelen, struct pkt_info *pi,
    bool network_order)
{
	uint32_t be = bc_u32(c);
	uint32_t le = (be >> 24) | ((be >> 8) & 0xff00) | ((be << 8) & 0xff0000) | (be << 24);

	if (c->bad)
		return pkt_fail(pi, c, PKT_BAD, "loopback header cut");
	if (network_order)
		le = be;
	if (be == 2 || le == 2)
		return pkt_decode_ipv4(c, wirelen, pi);
	if (af_is_inet6(be) || af_is_inet6(le))
		return pkt_decode_ipv6(c, wirelen, pi);
	return PKT_NOT_IP;
}

static enum pkt_status decode_link(struct bytecursor *c, int linktype, size_t wirelen,
    struct pkt_info *pi)
{
	switch (linktype) {
	case PKT_LINK_ETHERNET:
		return pkt_decode_ethernet(c, wirelen, pi);
	case PKT_LINK_LINUX_SLL:
		return decode_sll(c, wirelen, pi);
	case PKT_LINK_LINUX_SLL2:
		return decode_sll2(c, wirelen, pi);
	case PKT_LINK_RAW:
	case PKT_LINK_RAW_DLT:
	case PKT_LINK_RAW_OPENBSD:
		return pkt_decode_ip_any(c, wirelen, pi, true);
	case PKT_LINK_IPV4:
		return pkt_decode_ipv4(c, wirelen, pi);
	case PKT_LINK_IPV6:
		return pkt_decode_ipv6(c, wirelen, pi);
	case PKT_LINK_NULL:
		return decode_null(c, wirelen, pi, false);
	case PKT_LINK_LOOP:
		return decode_null(c, wirelen, pi, true);
	case PKT_LINK_PPP_ETHER:
		return decode_pppoe(c, wirelen, pi);
	default:
		return pkt_fail(pi, c, PKT_BAD_LINK, "link type not understood");
	}
}

enum pkt_status pkt_decode(int linktype, const uint8_t *frame, size_t caplen,
    size_t wirelen, struct pkt_info *pi)
{
	struct bytecursor c = bc_make(frame, caplen);
	enum pkt_status st;

	memset(pi, 0, sizeof *pi);
	st = decode_link(&c, linktype, wirelen, pi);
	/* it ran off the captured end, and the wire had more: the snapshot cut it */
	if (st == PKT_BAD && c.bad && c.len == caplen && caplen < wirelen)
		return PKT_CUT;
	return st;
}

const char *pkt_link_name(int linktype)
{
	switch (linktype) {
	case PKT_LINK_NULL: return "BSD null loopback";
	case PKT_LINK_ETHERNET: return "Ethernet";
	case PKT_LINK_RAW_DLT:
	case PKT_LINK_RAW_OPENBSD:
	case PKT_LINK_RAW: return "raw IP";
	case PKT_LINK_PPP_ETHER: return "PPPoE";
	case PKT_LINK_LOOP: return "OpenBSD loopback";
	case PKT_LINK_LINUX_SLL: return "Linux cooked (SLL)";
	case PKT_LINK_IPV4: return "raw IPv4";
	case PKT_LINK_IPV6: return "raw IPv6";
	case PKT_LINK_LINUX_SLL2: return "Linux cooked v2 (SLL2)";
	default: return NULL;
	}
}
