/*
 * Packet decode for flow meters and TCP tools: from a captured frame of a
 * known link type to the fields a flow key and its counters need
 * (addresses, ports or ICMP type/code, protocol, TOS, TCP flags, layer-3
 * length, VLAN, fragment facts), and where the layer-4 header and the
 * payload lie, with the TCP sequence numbers and window, so a reassembler
 * needs no second decoder. Every byte is read through a bounds-checked cursor
 * (bytecursor.h); nothing is read past caplen. Independent of libpcap:
 * link types are the LINKTYPE_/DLT_ numbers of the capture file.
 */
#ifndef FLOWPIPES_PKTDECODE_H
#define FLOWPIPES_PKTDECODE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flowrec.h"

/* Link types understood (pcap LINKTYPE_ values, plus the DLT aliases libpcap hands out). */
enum pkt_link {
	PKT_LINK_NULL = 0,		/* BSD loopback, host-order AF_ value */
	PKT_LINK_ETHERNET = 1,
	PKT_LINK_RAW_DLT = 12,		/* DLT_RAW on Linux (LINKTYPE_RAW in the file) */
	PKT_LINK_RAW_OPENBSD = 14,
	PKT_LINK_PPP_ETHER = 51,	/* PPPoE header without the Ethernet header */
	PKT_LINK_RAW = 101,
	PKT_LINK_LOOP = 108,		/* OpenBSD loopback, network-order AF_ value */
	PKT_LINK_LINUX_SLL = 113,
	PKT_LINK_IPV4 = 228,
	PKT_LINK_IPV6 = 229,
	PKT_LINK_LINUX_SLL2 = 276
};

enum pkt_status {
	PKT_OK,			/* IP packet, everything the flow key needs is known */
	PKT_TRUNCATED,		/* IP header known, transport header cut by the snapshot
				   length */
	PKT_OVERLONG,		/* decoded, but the IP length claims more than the frame on
				   the wire holds: l3_len is the frame's; why says what */
	PKT_NOT_IP,		/* a well-formed frame that carries no IP (ARP, STP, LLDP ...) */
	PKT_CUT,		/* cut by the snapshot length (caplen < wirelen) before the IP
				   addresses: no flow, and no fault of the packet */
	PKT_BAD,		/* broken, or cut before the IP addresses although the whole
				   frame was captured: why says what */
	PKT_BAD_LINK		/* link type not understood */
};

/*
 * Offsets count from the start of the frame. The layer-4 and payload
 * fields are set when the transport header was reached (l4_off != 0; not
 * for later fragments); payload_off, payload_len and payload_wire_len only
 * when the whole transport header is there (TCP: its data offset; UDP and
 * UDP-Lite: 8 bytes; SCTP: the 12-byte common header; other protocols:
 * everything after the IP headers is payload).
 */
struct pkt_info {
	struct flow_addr src, dst;
	uint32_t l3_off;	/* where the IP header starts */
	uint32_t l3_len;	/* IP datagram length as NetFlow counts it */
	uint32_t l4_off;	/* where the transport header starts, 0 when not reached */
	uint32_t l4_len;	/* transport header + payload, by the IP length */
	uint32_t payload_off;	/* where the payload starts */
	uint32_t payload_len;	/* payload bytes captured (never Ethernet padding) */
	uint32_t payload_wire_len;	/* payload bytes the IP length says were sent */
	uint32_t tcp_seq, tcp_ack;
	uint16_t tcp_win;	/* the raw window field, unscaled */
	uint8_t tcp_doff;	/* TCP header length in bytes (data offset * 4) */
	uint32_t frag_id;	/* IPv4 id or IPv6 fragment header id */
	uint32_t frag_off;	/* a fragment: where its data lies in the datagram (bytes) */
	uint32_t frag_data_off;	/* ... where its data starts in the frame */
	uint8_t frag_more;	/* ... more fragments follow (MF, M) */
	uint8_t frag_next;	/* ... IPv6: the fragment header's next header */
	uint32_t ifindex;	/* Linux SLL2 interface index, else 0 */
	uint16_t sport, dport;	/* ICMP/ICMPv6: 0 and type*256+code */
	uint16_t vlan;		/* outermost 802.1Q/802.1ad VLAN id, 0 untagged */
	uint8_t proto;		/* transport protocol, past IPv6 extension headers */
	uint8_t tos;		/* IPv4 TOS byte or IPv6 traffic class */
	uint8_t tcp_flags;
	uint8_t is_frag;	/* a fragment of a larger datagram */
	uint8_t frag_later;	/* a fragment other than the first: carries no ports */
	uint8_t has_ports;	/* sport/dport came from the packet */
	uint8_t tunnels;	/* tunnel layers pkt_decap took off (0: the outer packet) */
	uint8_t tunnel_kind;	/* enum pkt_tunnel: the innermost taken off, or the faulty
				   one */
	uint8_t tunnel_fault;	/* pkt_decap: the tunnel_kind header was cut or broken */
	uint8_t tunnel_cut;	/* ... and the snapshot length cut it (a capture choice) */
	uint32_t tunnel_id;	/* VNI, GRE key, TEID or ERSPAN session of the innermost
				   tunnel that has one, else 0 */
	const char *why;	/* PKT_BAD / PKT_TRUNCATED: what is wrong */
	size_t where;		/* byte offset in the frame where decoding stopped */
};

/*
 * Decodes one frame: caplen bytes captured of a wirelen-byte frame.
 * Fills *pi (zeroed first) and returns how far it got.
 */
enum pkt_status pkt_decode(int linktype, const uint8_t *frame, size_t caplen,
    size_t wirelen, struct pkt_info *pi);
/*
 * Tunnels, taken off by pkt_decap. Which header is a tunnel: IP protocol 4
 * (IPv4) and 41 (IPv6) in IPv4 or IPv6; GRE (47, RFC 2784/2890, version 0:
 * IPv4, IPv6, transparent Ethernet bridging, MPLS and ERSPAN type I, II
 * and III payloads); UDP to port 4789 (VXLAN), 6081 (Geneve), 2152 (GTP-U
 * G-PDUs) and 6635 (MPLS over UDP). A fragment is never looked into.
 */
enum pkt_tunnel {
	PKT_TUN_NONE, PKT_TUN_IPIP, PKT_TUN_GRE, PKT_TUN_ERSPAN, PKT_TUN_VXLAN,
	PKT_TUN_GENEVE, PKT_TUN_GTPU, PKT_TUN_MPLS_UDP, PKT_TUN_KINDS
};

#define PKT_TUNNEL_DEPTH 4	/* layers taken off at most; a deeper one stays a packet */

/*
 * Takes the tunnels off a packet pkt_decode decoded with status st (the
 * same frame, caplen and wirelen). While the packet is a tunnel, the
 * packet inside it replaces *pi (its addresses, ports, protocol, TOS,
 * flags, l3_len and offsets; vlan and ifindex stay the frame's) and
 * pi->tunnels counts the layers. A tunnel header or inner packet that is
 * cut or broken leaves *pi as the last packet that decoded, with
 * tunnel_fault, tunnel_kind, why and where set; nothing past caplen is
 * read. A payload that is not IP (ARP over gretap, ...) leaves *pi as it
 * was, no fault. Returns the status of the packet *pi now describes.
 */
enum pkt_status pkt_decap(const uint8_t *frame, size_t caplen, size_t wirelen,
    enum pkt_status st, struct pkt_info *pi);
/*
 * The tunnel a UDP datagram to that destination port is taken for: VXLAN,
 * Geneve, GTP-U, MPLS over UDP, or PKT_TUN_NONE.
 */
static inline enum pkt_tunnel pkt_udp_tunnel(uint16_t dport)
{
	switch (dport) {
	case 4789: return PKT_TUN_VXLAN;
	case 6081: return PKT_TUN_GENEVE;
	case 2152: return PKT_TUN_GTPU;
	case 6635: return PKT_TUN_MPLS_UDP;
	default: return PKT_TUN_NONE;
	}
}

/* "GRE", "VXLAN", ... for counters and messages. */
const char *pkt_tunnel_name(enum pkt_tunnel kind);

/* What a flow meter keys on and counts, for the frames pkt_decode_brief takes. */
struct pkt_brief {
	struct flow_addr src, dst;
	uint32_t l3_len;	/* as pkt_info's */
	uint16_t sport, dport;
	uint16_t vlan;		/* the 802.1Q tag's VLAN id, 0 untagged */
	uint8_t proto, tos, tcp_flags;
};

/*
 * The frames most captures are made of, in one short pass: Ethernet with
 * at most one 802.1Q tag; IPv4 without options and not a fragment, or
 * IPv6 with no extension header; TCP with its ports and flags inside the
 * capture and the datagram, or UDP with its ports (not to a tunnel port
 * when tunnels is set); an IP length that is not 0 and that the frame on
 * the wire holds. For such a frame it fills *b and returns true, and
 * pkt_decode (then pkt_decap, when tunnels) would return PKT_OK with the
 * same fields and no tunnel taken off. Any other frame: false, and *b
 * means nothing.
 */
bool pkt_decode_brief(int linktype, const uint8_t *frame, size_t caplen, size_t wirelen,
    bool tunnels, struct pkt_brief *b);

/* Name of a supported link type, or NULL when pkt_decode does not know it. */
const char *pkt_link_name(int linktype);

#endif
