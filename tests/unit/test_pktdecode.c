/*
 * pktdecode: every link type and stack on hand-built frames (the bytes
 * are written out field by field below, so each expectation can be read
 * off the frame), plus every truncation of them.
 */
#include <string.h>

#include "base/bytecursor.h"
#include "flow/flowaddr.h"
#include "packet/pktdecode.h"
#include "pkt_frames.h"
#include "pkt_testaid.h"
#include "tap.h"

static uint8_t buf[512];

/* TCP with optlen bytes of NOP options (a multiple of 4). */
static void tcp_opts(struct bytewriter *w, uint32_t seq, uint32_t ack, uint16_t win, size_t optlen)
{
	bw_u16(w, 5000);
	bw_u16(w, 80);
	bw_u32(w, seq);
	bw_u32(w, ack);
	bw_u8(w, (uint8_t)((5 + optlen / 4) << 4));
	bw_u8(w, 0x18);			/* PSH|ACK */
	bw_u16(w, win);
	bw_u32(w, 0);
	for (size_t i = 0; i < optlen; i++)
		bw_u8(w, 1);
}

static void payload(struct bytewriter *w, size_t n)
{
	for (size_t i = 0; i < n; i++)
		bw_u8(w, (uint8_t)('a' + i % 26));
}

static enum pkt_status dec(int link, size_t len, struct pkt_info *pi)
{
	return pkt_decode(link, buf, len, len, pi);
}

/* Every shorter capture of the frame decodes without reading past it. */
static void all_cuts(int link, size_t len, const char *what)
{
	int bad = 0;

	for (size_t n = 0; n < len; n++) {
		struct pkt_info pi;
		enum pkt_status st = pkt_decode(link, buf, n, len, &pi);
		if (st == PKT_OK && n < len / 2)
			bad++;
		if ((st == PKT_BAD || st == PKT_TRUNCATED || st == PKT_CUT) && pi.why == NULL)
			bad++;
	}
	OK(bad == 0, "%s: every cut of the %zu-byte frame is reported as cut", what, len);
}

static void test_ethernet_tcp(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	eth(&w, 0x0800);
	ipv4(&w, 6, 20, 0x4000, 1);
	tcp(&w, 40000, 443, 0x12);
	bw_bytes(&w, "\0\0\0\0\0\0", 6);	/* Ethernet padding to 60 bytes */
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_OK, "Ethernet IPv4 TCP decodes");
	IS_STR(addr(&pi.src), "192.0.2.1", "source address");
	IS_STR(addr(&pi.dst), "198.51.100.7", "destination address");
	IS_U(pi.sport, 40000, "source port");
	IS_U(pi.dport, 443, "destination port");
	IS_U(pi.proto, 6, "protocol");
	IS_U(pi.tcp_flags, 0x12, "TCP flags SYN|ACK");
	IS_U(pi.tos, 0xb8, "TOS byte");
	IS_U(pi.l3_len, 40, "IP length from the header, not the padded frame");
	IS_U(pi.is_frag, 0, "DF alone is no fragment");
	IS_U(pi.payload_off, 54, "payload after the 20-byte TCP header");
	IS_U(pi.payload_len, 0, "Ethernet padding is no payload");
	IS_U(pi.payload_wire_len, 0, "no payload on the wire either");
	all_cuts(PKT_LINK_ETHERNET, 54, "Ethernet TCP");
}

/* Layer-4 and payload offsets, TCP sequence numbers and window, IPv4. */
static void test_tcp_payload_ipv4(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	eth(&w, 0x0800);
	ipv4(&w, 6, 32 + 100, 0x4000, 1);	/* 20 + 12 bytes of TCP header, 100 of data */
	tcp_opts(&w, 0x01020304, 0xa0b0c0d0, 0x1234, 12);
	payload(&w, 100);
	IS_U(w.pos, 14 + 20 + 32 + 100, "the frame is 166 bytes");
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_OK, "IPv4 TCP with options and data decodes");
	IS_U(pi.l3_off, 14, "IP header after the Ethernet header");
	IS_U(pi.l3_len, 152, "IP length 20 + 32 + 100");
	IS_U(pi.l4_off, 34, "TCP header at 14 + 20");
	IS_U(pi.l4_len, 132, "TCP segment 32 + 100");
	IS_U(pi.tcp_doff, 32, "TCP header length from the data offset (8 words)");
	IS_U(pi.tcp_seq, 0x01020304, "sequence number");
	IS_U(pi.tcp_ack, 0xa0b0c0d0, "acknowledgement number");
	IS_U(pi.tcp_win, 0x1234, "window");
	IS_U(pi.tcp_flags, 0x18, "flags PSH|ACK");
	IS_U(pi.payload_off, 66, "payload at 34 + 32");
	IS_U(pi.payload_len, 100, "100 payload bytes captured");
	IS_U(pi.payload_wire_len, 100, "100 payload bytes sent");
	OK(memcmp(buf + pi.payload_off, "abcdefghij", 10) == 0, "payload_off points at the data");

	/* a snapshot length of 96: 30 of the 100 payload bytes are there */
	IS_U(pkt_decode(PKT_LINK_ETHERNET, buf, 96, 166, &pi), PKT_OK, "snaplen 96 still decodes");
	IS_U(pi.payload_off, 66, "cut: payload offset");
	IS_U(pi.payload_len, 30, "cut: 30 payload bytes captured");
	IS_U(pi.payload_wire_len, 100, "cut: 100 on the wire, from the IP length");
	IS_U(pi.l4_len, 132, "cut: segment length from the IP length");
	/* cut inside the TCP options: sequence numbers known, payload not */
	IS_U(pkt_decode(PKT_LINK_ETHERNET, buf, 60, 166, &pi), PKT_OK,
	    "cut in the options decodes");
	IS_U(pi.tcp_seq, 0x01020304, "cut in the options: sequence number");
	IS_U(pi.tcp_win, 0x1234, "cut in the options: window");
	IS_U(pi.payload_off, 0, "cut in the options: payload unknown");
	IS_U(pi.payload_len, 0, "cut in the options: no payload length");
}

static void test_tcp_payload_ipv6(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	ipv6(&w, 6, 20 + 10);
	tcp_opts(&w, 4000000000u, 7, 512, 0);
	payload(&w, 10);
	IS_U(dec(PKT_LINK_RAW, w.pos, &pi), PKT_OK, "raw IPv6 TCP decodes");
	IS_U(pi.l3_off, 0, "IPv6 header at 0");
	IS_U(pi.l3_len, 70, "40 + payload length 30");
	IS_U(pi.l4_off, 40, "TCP after the fixed IPv6 header");
	IS_U(pi.l4_len, 30, "TCP segment 20 + 10");
	IS_U(pi.tcp_doff, 20, "no options");
	IS_U(pi.tcp_seq, 4000000000u, "sequence number above 2^31");
	IS_U(pi.tcp_ack, 7, "acknowledgement number");
	IS_U(pi.tcp_win, 512, "window");
	IS_U(pi.payload_off, 60, "payload at 40 + 20");
	IS_U(pi.payload_len, 10, "10 payload bytes");
	IS_U(pi.payload_wire_len, 10, "10 on the wire");
	IS_U(pkt_decode(PKT_LINK_RAW, buf, 64, 70, &pi), PKT_OK, "snaplen 64 decodes");
	IS_U(pi.payload_len, 4, "snaplen 64: 4 payload bytes captured");
	IS_U(pi.payload_wire_len, 10, "snaplen 64: 10 on the wire");
}

static void test_udp_payload(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	eth(&w, 0x0800);
	ipv4(&w, 17, 8 + 12, 0, 1);
	udp(&w, 53, 3333, 8 + 12);
	payload(&w, 12);
	for (int i = 0; i < 12; i++)
		bw_u8(&w, 0);		/* padding: frames end past the datagram */
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_OK, "IPv4 UDP decodes");
	IS_U(pi.l4_off, 34, "UDP header at 34");
	IS_U(pi.l4_len, 20, "UDP datagram 8 + 12");
	IS_U(pi.payload_off, 42, "payload after the 8-byte UDP header");
	IS_U(pi.payload_len, 12, "12 payload bytes, padding left out");
	IS_U(pi.payload_wire_len, 12, "12 on the wire");
	IS_U(pkt_decode(PKT_LINK_ETHERNET, buf, 40, w.pos, &pi), PKT_OK,
	    "cut after the ports decodes");
	OK(pi.has_ports && pi.l4_off == 34, "cut after the ports: ports and header offset known");
	IS_U(pi.payload_off, 0, "cut inside the UDP header: payload unknown");
}

static void test_vlan_stack(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	eth(&w, 0x88a8);
	bw_u16(&w, 0x2000 | 100);	/* PCP 1, VID 100 (outer, service) */
	bw_u16(&w, 0x8100);
	bw_u16(&w, 200);		/* VID 200 (inner, customer) */
	bw_u16(&w, 0x0800);
	ipv4(&w, 17, 8, 0, 2);
	udp(&w, 5353, 53, 8);
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_OK, "802.1ad + 802.1Q decodes");
	IS_U(pi.vlan, 100, "VLAN is the outer tag's VID");
	IS_U(pi.dport, 53, "UDP port under two tags");
	all_cuts(PKT_LINK_ETHERNET, w.pos, "QinQ UDP");
}

static void test_mpls_ipv6(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	eth(&w, 0x8847);
	bw_u32(&w, 16u << 12 | 64);		/* label 16, not bottom */
	bw_u32(&w, 17u << 12 | 0x100 | 64);	/* label 17, bottom of stack */
	ipv6(&w, 17, 8);
	udp(&w, 1000, 2000, 8);
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_OK, "MPLS two labels, IPv6 UDP decodes");
	IS_STR(addr(&pi.src), "2001:db8::1", "IPv6 source under MPLS");
	IS_U(pi.l3_len, 48, "IPv6 length = 40 + payload length");
	IS_U(pi.tos, 0x2e, "traffic class");
	all_cuts(PKT_LINK_ETHERNET, w.pos, "MPLS IPv6");
}

static void test_pppoe(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	eth(&w, 0x8864);
	bw_u8(&w, 0x11);
	bw_u8(&w, 0);
	bw_u16(&w, 0x1234);		/* session */
	bw_u16(&w, 2 + 20 + 8);
	bw_u16(&w, 0x0021);		/* PPP: IPv4 */
	ipv4(&w, 17, 8, 0, 3);
	udp(&w, 67, 68, 8);
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_OK, "PPPoE session IPv4 decodes");
	IS_U(pi.sport, 67, "UDP source port in PPPoE");
	all_cuts(PKT_LINK_ETHERNET, w.pos, "PPPoE");
	/* the same without its Ethernet header: LINKTYPE_PPP_ETHER */
	memmove(buf, buf + 14, w.pos - 14);
	IS_U(dec(PKT_LINK_PPP_ETHER, w.pos - 14, &pi), PKT_OK, "PPP_ETHER (bare PPPoE) decodes");
	IS_U(pi.dport, 68, "UDP port under bare PPPoE");
	memmove(buf + 14, buf, w.pos - 14);
	/* PPP LCP is not IP */
	buf[20] = 0xc0;
	buf[21] = 0x21;
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_NOT_IP, "PPPoE LCP is not IP");
}

static void test_sll_and_sll2(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	bw_u16(&w, 0);			/* SLL: packet type */
	bw_u16(&w, 1);			/* ARPHRD_ETHER */
	bw_u16(&w, 6);
	bw_bytes(&w, "\2\0\0\0\0\1\0\0", 8);
	bw_u16(&w, 0x0800);
	ipv4(&w, 1, 8, 0, 4);
	bw_u8(&w, 3);			/* ICMP destination unreachable */
	bw_u8(&w, 3);			/* port unreachable */
	bw_bytes(&w, "\0\0\0\0\0\0", 6);
	IS_U(dec(PKT_LINK_LINUX_SLL, w.pos, &pi), PKT_OK, "SLL IPv4 ICMP decodes");
	IS_U(pi.dport, 3 * 256 + 3, "ICMP type/code in dstport");
	IS_U(pi.sport, 0, "ICMP srcport 0");
	all_cuts(PKT_LINK_LINUX_SLL, w.pos, "SLL ICMP");

	w = bw_make(buf, sizeof buf);
	bw_u16(&w, 0x86dd);		/* SLL2: protocol first */
	bw_u16(&w, 0);
	bw_u32(&w, 7);			/* interface index */
	bw_u16(&w, 1);
	bw_u8(&w, 4);
	bw_u8(&w, 6);
	bw_bytes(&w, "\2\0\0\0\0\1\0\0", 8);
	ipv6(&w, 58, 8);
	bw_u8(&w, 128);			/* echo request */
	bw_u8(&w, 0);
	bw_bytes(&w, "\0\0\0\0\0\0", 6);
	IS_U(dec(PKT_LINK_LINUX_SLL2, w.pos, &pi), PKT_OK, "SLL2 ICMPv6 decodes");
	IS_U(pi.ifindex, 7, "SLL2 interface index");
	IS_U(pi.dport, 128 * 256, "ICMPv6 echo request in dstport");
	all_cuts(PKT_LINK_LINUX_SLL2, w.pos, "SLL2 ICMPv6");
}

static void test_null_loop_raw(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	bw_bytes(&w, "\x1e\0\0\0", 4);	/* AF_INET6 on macOS, little-endian host */
	ipv6(&w, 6, 20);
	tcp(&w, 1, 2, 0x04);
	IS_U(dec(PKT_LINK_NULL, w.pos, &pi), PKT_OK, "BSD null, host-order AF_INET6 30");
	IS_U(pi.tcp_flags, 0x04, "RST flag");

	w = bw_make(buf, sizeof buf);
	bw_u32(&w, 2);			/* AF_INET, network order */
	ipv4(&w, 6, 20, 0, 5);
	tcp(&w, 3, 4, 0x01);
	IS_U(dec(PKT_LINK_LOOP, w.pos, &pi), PKT_OK, "OpenBSD loop, network-order AF_INET");
	IS_U(pi.dport, 4, "port under loop");
	buf[3] = 99;
	IS_U(dec(PKT_LINK_LOOP, w.pos, &pi), PKT_NOT_IP, "unknown address family is not IP");

	w = bw_make(buf, sizeof buf);
	ipv4(&w, 17, 8, 0, 6);
	udp(&w, 9, 10, 8);
	IS_U(dec(PKT_LINK_RAW, w.pos, &pi), PKT_OK, "raw IP (101) IPv4");
	IS_U(dec(PKT_LINK_RAW_DLT, w.pos, &pi), PKT_OK, "raw IP (DLT 12) IPv4");
	IS_U(dec(PKT_LINK_IPV4, w.pos, &pi), PKT_OK, "LINKTYPE_IPV4");
	IS_U(dec(PKT_LINK_IPV6, w.pos, &pi), PKT_BAD, "LINKTYPE_IPV6 holding IPv4 is bad");
	buf[0] = 0x55;
	IS_U(dec(PKT_LINK_RAW, w.pos, &pi), PKT_BAD, "raw IP of version 5 is bad");
	IS_U(dec(147, w.pos, &pi), PKT_BAD_LINK, "an unknown link type says so");
	OK(pkt_link_name(147) == NULL && pkt_link_name(276) != NULL, "link type names");
}

static void test_ipv6_extensions_and_fragments(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	ipv6(&w, 0, 8 + 8 + 8);
	bw_u8(&w, 44);			/* hop-by-hop, next: fragment */
	bw_u8(&w, 0);
	bw_bytes(&w, "\1\4\0\0\0\0", 6);
	bw_u8(&w, 17);			/* fragment header, next: UDP */
	bw_u8(&w, 0);
	bw_u16(&w, 0x0001);		/* offset 0, more fragments */
	bw_u32(&w, 0xdeadbeef);
	udp(&w, 7000, 53, 8);
	IS_U(dec(PKT_LINK_RAW, w.pos, &pi), PKT_OK, "IPv6 HBH + first fragment decodes");
	IS_U(pi.proto, 17, "transport protocol past the extension headers");
	IS_U(pi.sport, 7000, "first fragment carries the ports");
	OK(pi.is_frag && !pi.frag_later, "first fragment");
	IS_U(pi.frag_id, 0xdeadbeef, "fragment id");
	all_cuts(PKT_LINK_RAW, w.pos, "IPv6 HBH fragment");
	buf[40 + 8 + 2] = 0x05;		/* offset 1280 bytes */
	buf[40 + 8 + 3] = 0x00;
	IS_U(dec(PKT_LINK_RAW, w.pos, &pi), PKT_OK, "later IPv6 fragment decodes");
	OK(pi.frag_later && !pi.has_ports && pi.proto == 17,
	    "later fragment: no ports, protocol known");

	w = bw_make(buf, sizeof buf);
	ipv4(&w, 6, 100, 0x0010, 77);	/* offset 128 bytes */
	/* captured without its payload: the snapshot cut it, the wire had all 120 bytes */
	IS_U(pkt_decode(PKT_LINK_RAW, buf, 20, 120, &pi), PKT_OK,
	    "later IPv4 fragment decodes without its payload");
	OK(pi.frag_later && pi.frag_id == 77 && pi.l3_len == 120,
	    "later IPv4 fragment: id and length");
}

/* Issue 10.10: an IP length beyond the whole frame is a lie, not a count. */
static void test_length_beyond_frame(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	ipv4(&w, 6, 20 + 12, 0, 1);
	tcp(&w, 1000, 80, 0x18);
	payload(&w, 12);
	buf[2] = 60000 >> 8;		/* total length 60000 in a 52-byte frame */
	buf[3] = 60000 & 0xff;
	IS_U(dec(PKT_LINK_RAW, w.pos, &pi), PKT_OVERLONG,
	    "IPv4: 60000 bytes claimed in 52 is reported");
	IS_U(pi.l3_len, 52, "IPv4: counted with the frame's own length");
	IS_U(pi.where, 2, "IPv4: reported at the total length field");
	OK(pi.why != NULL && pi.has_ports && pi.sport == 1000,
	    "IPv4: says why, flow key still known");
	IS_U(pi.payload_len, 12, "IPv4: payload as far as the frame goes");
	IS_U(pi.payload_wire_len, 12, "IPv4: on the wire, the frame's end");
	IS_U(pkt_decode(PKT_LINK_RAW, buf, 52, 60000, &pi), PKT_OK,
	    "IPv4: the same bytes cut by the snapshot from a 60000-byte frame are no lie");
	IS_U(pi.l3_len, 60000, "IPv4: and count the IP length");

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x86dd);
	ipv6(&w, 17, 5000);
	udp(&w, 53, 53, 16);
	payload(&w, 8);
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_OVERLONG,
	    "IPv6: payload length 5000 in 16 is reported");
	IS_U(pi.l3_len, 56, "IPv6: counted as the frame's 56 bytes after Ethernet");
	IS_U(pi.where, 14 + 4, "IPv6: reported at the payload length field");
	buf[14 + 4] = 0;
	buf[14 + 5] = 16;
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_OK, "IPv6: the right payload length decodes");
	IS_U(pi.l3_len, 56, "IPv6: 40 + 16");
}

/* Issue 10.11: a snapshot cut before the addresses is no fault of the packet. */
static void test_cut_before_addresses(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	eth(&w, 0x86dd);
	ipv6(&w, 6, 64);
	tcp(&w, 1, 2, 0x10);
	/* ipv6_39_byte_header.pcap: 39 bytes captured of a 118-byte frame */
	IS_U(pkt_decode(PKT_LINK_ETHERNET, buf, 39, 118, &pi), PKT_CUT,
	    "IPv6 header cut by the snapshot: cut, not bad");
	OK(pi.why != NULL && strcmp(pi.why, "IPv6 header cut") == 0, "and says what was cut");
	IS_U(pkt_decode(PKT_LINK_ETHERNET, buf, 39, 39, &pi), PKT_BAD,
	    "the same 39 bytes as the whole frame: bad");
	IS_U(pkt_decode(PKT_LINK_ETHERNET, buf, 10, 118, &pi), PKT_CUT,
	    "cut in the Ethernet header by the snapshot: cut");
	w = bw_make(buf, sizeof buf);
	eth(&w, 0x0800);
	ipv4(&w, 17, 8, 0, 1);
	udp(&w, 1, 2, 8);
	IS_U(pkt_decode(PKT_LINK_ETHERNET, buf, 20, 42, &pi), PKT_CUT,
	    "IPv4 header cut by the snapshot: cut");
	buf[14] = 0x55;			/* version 5: broken whatever the snapshot */
	IS_U(pkt_decode(PKT_LINK_ETHERNET, buf, 40, 42, &pi), PKT_BAD,
	    "a wrong IP version stays bad");
}

static void test_broken(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_info pi;

	eth(&w, 0x0806);		/* ARP */
	bw_bytes(&w, "\0\1\10\0\6\4\0\1", 8);
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_NOT_IP, "ARP is not IP");

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x0800);
	ipv4(&w, 6, 20, 0, 1);
	tcp(&w, 1, 2, 2);
	buf[14] = 0x43;			/* IHL 3 */
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_BAD, "IPv4 header length 12 is bad");
	buf[14] = 0x4f;			/* IHL 15: options longer than the total length */
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_BAD,
	    "IPv4 header longer than the datagram is bad");
	buf[17] = 80;			/* total length 80: options run past the frame */
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_TRUNCATED,
	    "IPv4 options past the frame: addresses only");
	OK(pi.why != NULL && !pi.has_ports, "and says why, without ports");
	buf[14] = 0x45;
	buf[16] = 0;
	buf[17] = 10;			/* total length 10 < 20 */
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_BAD,
	    "IPv4 total length below its header is bad");

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x8100);
	for (int i = 0; i < 12; i++) {
		bw_u16(&w, 5);
		bw_u16(&w, 0x8100);
	}
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_BAD, "a dozen VLAN tags is bad");

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x8847);
	for (int i = 0; i < 20; i++)
		bw_u32(&w, 16u << 12);
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_BAD, "an MPLS stack without bottom is bad");

	w = bw_make(buf, sizeof buf);
	eth(&w, 40);			/* 802.3 length, LLC/SNAP carrying IPv4 */
	bw_bytes(&w, "\xaa\xaa\x03\0\0\0\x08\x00", 8);
	ipv4(&w, 17, 8, 0, 1);
	udp(&w, 11, 12, 8);
	IS_U(dec(PKT_LINK_ETHERNET, w.pos, &pi), PKT_OK, "LLC/SNAP IPv4 decodes");
	IS_U(pi.dport, 12, "port under SNAP");
}

int main(void)
{
	test_ethernet_tcp();
	test_tcp_payload_ipv4();
	test_tcp_payload_ipv6();
	test_udp_payload();
	test_vlan_stack();
	test_mpls_ipv6();
	test_pppoe();
	test_sll_and_sll2();
	test_null_loop_raw();
	test_ipv6_extensions_and_fragments();
	test_length_beyond_frame();
	test_cut_before_addresses();
	test_broken();
	return tap_done();
}
