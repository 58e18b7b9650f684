/*
 * pkt_decap: every encapsulation on hand-built frames (written field by
 * field below), the packet inside each, and every cut of every frame: the
 * inner packet once its addresses are captured, before that the outer
 * packet with the tunnel counted as cut; never a byte read past caplen
 * (each cut is decoded from an exact-size copy, so ASan sees any overrun).
 */
#include <stdlib.h>
#include <string.h>

#include "base/bytecursor.h"
#include "flow/flowaddr.h"
#include "packet/pktdecode.h"
#include "pkt_testaid.h"
#include "tap.h"

static uint8_t buf[512];
static struct bytewriter w;

/* Length fields patched once the frame is written: IPv4, IPv6 and UDP headers. */
enum fix_kind { FIX_V4, FIX_V6, FIX_UDP };
static struct { size_t at; enum fix_kind kind; } fixes[16];
static int nfix;
static size_t inner_at;		/* bytes needed for the innermost IP addresses */

static const uint8_t outer_src[4] = { 192, 0, 2, 1 }, outer_dst[4] = { 198, 51, 100, 7 };
static const uint8_t in4_src[4] = { 10, 0, 0, 1 }, in4_dst[4] = { 10, 0, 0, 2 };
static const uint8_t in6_src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0xa };
static const uint8_t in6_dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0xb };

static void start(void)
{
	w = bw_make(buf, sizeof buf);
	nfix = 0;
	inner_at = 0;
}

static void eth(uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

	bw_bytes(&w, macs, 12);
	bw_u16(&w, type);
}

static void ipv4(uint8_t proto, const uint8_t src[4], const uint8_t dst[4], uint8_t tos)
{
	fixes[nfix].at = w.pos;
	fixes[nfix++].kind = FIX_V4;
	bw_u8(&w, 0x45);
	bw_u8(&w, tos);
	bw_u16(&w, 0);			/* total length, patched */
	bw_u32(&w, 0);			/* id, no fragment */
	bw_u8(&w, 64);
	bw_u8(&w, proto);
	bw_u16(&w, 0);
	bw_bytes(&w, src, 4);
	bw_bytes(&w, dst, 4);
	inner_at = w.pos;
}

static void ipv6(uint8_t nh)
{
	fixes[nfix].at = w.pos;
	fixes[nfix++].kind = FIX_V6;
	bw_u32(&w, 6u << 28 | 0x28u << 20);
	bw_u16(&w, 0);			/* payload length, patched */
	bw_u8(&w, nh);
	bw_u8(&w, 64);
	bw_bytes(&w, in6_src, 16);
	bw_bytes(&w, in6_dst, 16);
	inner_at = w.pos;
}

static void udp(uint16_t sport, uint16_t dport)
{
	fixes[nfix].at = w.pos;
	fixes[nfix++].kind = FIX_UDP;
	bw_u16(&w, sport);
	bw_u16(&w, dport);
	bw_u16(&w, 0);			/* length, patched */
	bw_u16(&w, 0);
}

static void outer_udp(uint16_t dport)
{
	eth(0x0800);
	ipv4(17, outer_src, outer_dst, 0);
	udp(49152, dport);
}

static void outer_ip(uint8_t proto)
{
	eth(0x0800);
	ipv4(proto, outer_src, outer_dst, 0);
}

/* The packet every tunnel carries: IPv4 UDP 1234 -> 53, TOS 0x20, 12 bytes of data. */
static void inner4(void)
{
	ipv4(17, in4_src, in4_dst, 0x20);
	udp(1234, 53);
	bw_bytes(&w, "hello world!", 12);
}

static void inner6(void)
{
	ipv6(17);
	udp(1234, 53);
	bw_bytes(&w, "hello world!", 12);
}

static size_t finish(void)
{
	for (int i = 0; i < nfix; i++) {
		size_t at = fixes[i].at;
		if (fixes[i].kind == FIX_V4)
			bw_patch_u16(&w, at + 2, (uint16_t)(w.pos - at));
		else if (fixes[i].kind == FIX_V6)
			bw_patch_u16(&w, at + 4, (uint16_t)(w.pos - at - 40));
		else
			bw_patch_u16(&w, at + 4, (uint16_t)(w.pos - at));
	}
	return w.pos;
}

/* Decodes caplen bytes of the len-byte frame from an exact-size copy. */
static enum pkt_status decode(size_t caplen, size_t len, struct pkt_info *pi)
{
	uint8_t *copy = malloc(caplen ? caplen : 1);
	enum pkt_status st;

	memcpy(copy, buf, caplen);
	st = pkt_decode(PKT_LINK_ETHERNET, copy, caplen, len, pi);
	st = pkt_decap(copy, caplen, len, st, pi);
	free(copy);
	return st;
}

/*
 * Every cut: from inner_at bytes on the inner packet (depth layers off),
 * before that, once the outer packet decoded, a tunnel fault counted as
 * cut by the snapshot, and the outer packet kept.
 */
static void all_cuts(size_t len, size_t need, int depth, const char *what)
{
	int bad = 0;

	for (size_t n = 0; n < len; n++) {
		struct pkt_info pi;
		enum pkt_status st = decode(n, len, &pi);

		if (n >= need && (pi.tunnels != depth || pi.tunnel_fault))
			bad++;
		if (n < need && pi.tunnels == depth)
			bad++;
		if (n < need && st == PKT_OK && pi.tunnels < depth &&
		    !(pi.tunnel_fault && pi.tunnel_cut && pi.why != NULL && pi.where <= n))
			bad++;
		if (bad == 1) {
			printf("# %s: cut at %zu: st %d tunnels %u fault %u cut %u\n", what, n, st,
			    pi.tunnels, pi.tunnel_fault, pi.tunnel_cut);
			bad++;
		}
	}
	OK(bad == 0, "%s: every cut of the %zu-byte frame: inner from %zu bytes, else the "
	    "outer packet and a cut tunnel", what, len, need);
}

/* The inner IPv4 UDP packet, decoded in full through depth layers. */
static void check_inner4(size_t len, enum pkt_tunnel kind, uint32_t id, int depth, const char *what)
{
	struct pkt_info pi;
	size_t need = inner_at;

	IS_U(decode(len, len, &pi), PKT_OK, "%s: decodes", what);
	IS_U(pi.tunnels, depth, "%s: %d tunnel layers off", what, depth);
	IS_U(pi.tunnel_kind, kind, "%s: the tunnel is %s", what, pkt_tunnel_name(kind));
	IS_U(pi.tunnel_id, id, "%s: tunnel id %u", what, id);
	IS_U(pi.tunnel_fault, 0, "%s: no fault", what);
	IS_STR(addr(&pi.src), "10.0.0.1", "%s: inner source", what);
	IS_STR(addr(&pi.dst), "10.0.0.2", "%s: inner destination", what);
	IS_U(pi.proto, 17, "%s: inner protocol", what);
	IS_U(pi.sport * 65536u + pi.dport, 1234 * 65536u + 53, "%s: inner ports", what);
	IS_U(pi.tos, 0x20, "%s: inner TOS", what);
	IS_U(pi.l3_len, 40, "%s: inner IP length 20 + 8 + 12", what);
	all_cuts(len, need, depth, what);
}

static void test_ipip(void)
{
	struct pkt_info pi;
	size_t len;

	start();
	outer_ip(4);
	inner4();
	check_inner4(finish(), PKT_TUN_IPIP, 0, 1, "IPv4 in IPv4");

	start();
	outer_ip(41);
	inner6();
	len = finish();
	IS_U(decode(len, len, &pi), PKT_OK, "IPv6 in IPv4 decodes");
	IS_STR(addr(&pi.src), "2001:db8::a", "IPv6 in IPv4: inner source");
	IS_U(pi.l3_len, 60, "IPv6 in IPv4: inner length 40 + 8 + 12");
	IS_U(pi.tos, 0x28, "IPv6 in IPv4: traffic class");
	all_cuts(len, inner_at, 1, "IPv6 in IPv4");

	start();
	eth(0x86dd);
	ipv6(4);
	inner4();
	check_inner4(finish(), PKT_TUN_IPIP, 0, 1, "IPv4 in IPv6");
}

static void gre(uint16_t flags, uint16_t proto)
{
	bw_u16(&w, flags);
	bw_u16(&w, proto);
	if (flags & 0x8000)
		bw_u32(&w, 0xbeef0000);	/* checksum, reserved */
	if (flags & 0x2000)
		bw_u32(&w, 1000);	/* key */
	if (flags & 0x1000)
		bw_u32(&w, 77);		/* sequence number */
}

static void test_gre(void)
{
	static const struct { uint16_t flags; const char *what; } variants[] = {
		{ 0x0000, "GRE" }, { 0x8000, "GRE with checksum" }, { 0x2000, "GRE with key" },
		{ 0x1000, "GRE with sequence number" },
		{ 0xb000, "GRE with checksum, key, sequence" },
	};
	struct pkt_info pi;
	size_t len;

	for (size_t i = 0; i < sizeof variants / sizeof variants[0]; i++) {
		start();
		outer_ip(47);
		gre(variants[i].flags, 0x0800);
		inner4();
		check_inner4(finish(), PKT_TUN_GRE, variants[i].flags & 0x2000 ? 1000 : 0, 1,
		    variants[i].what);
	}
	start();
	outer_ip(47);
	gre(0x2000, 0x86dd);
	inner6();
	len = finish();
	IS_U(decode(len, len, &pi), PKT_OK, "GRE IPv6 payload decodes");
	IS_STR(addr(&pi.dst), "2001:db8::b", "GRE IPv6: inner destination");
	all_cuts(len, inner_at, 1, "GRE IPv6");

	start();
	outer_ip(47);
	gre(0x2000, 0x6558);		/* gretap */
	eth(0x0800);
	inner4();
	check_inner4(finish(), PKT_TUN_GRE, 1000, 1, "GRE transparent Ethernet bridging");

	start();
	outer_ip(47);
	gre(0x0000, 0x8847);
	bw_u32(&w, 1000u << 12 | 0x100 | 64);	/* one label, bottom of stack */
	inner4();
	check_inner4(finish(), PKT_TUN_GRE, 0, 1, "MPLS over GRE");

	start();
	outer_ip(47);
	gre(0x0001, 0x880b);		/* version 1: PPTP */
	bw_u32(&w, 0);
	len = finish();
	IS_U(decode(len, len, &pi), PKT_OK, "PPTP's GRE version 1 decodes");
	IS_U(pi.tunnels + pi.tunnel_fault, 0, "GRE version 1: the outer flow, no fault");
	IS_U(pi.proto, 47, "GRE version 1: protocol 47");
}

static void test_erspan(void)
{
	struct pkt_info pi;
	size_t len;

	start();
	outer_ip(47);
	gre(0x0000, 0x88be);		/* type I: no sequence number, no header */
	eth(0x0800);
	inner4();
	check_inner4(finish(), PKT_TUN_ERSPAN, 0, 1, "ERSPAN type I");

	start();
	outer_ip(47);
	gre(0x1000, 0x88be);
	bw_u32(&w, 1u << 28 | 5u << 16 | 0x123);	/* version 1, VLAN 5, session 0x123 */
	bw_u32(&w, 0);
	eth(0x0800);
	inner4();
	check_inner4(finish(), PKT_TUN_ERSPAN, 0x123, 1, "ERSPAN type II");

	start();
	outer_ip(47);
	gre(0x1000, 0x22eb);
	bw_u32(&w, 2u << 28 | 0x3ff);	/* version 2, session 1023 */
	bw_u32(&w, 12345);		/* timestamp */
	bw_u16(&w, 0);			/* SGT */
	bw_u16(&w, 0x0001);		/* frame type Ethernet, O: platform data follows */
	bw_u32(&w, 0);
	bw_u32(&w, 0);
	eth(0x0800);
	inner4();
	check_inner4(finish(), PKT_TUN_ERSPAN, 0x3ff, 1, "ERSPAN type III with platform data");

	start();
	outer_ip(47);
	gre(0x1000, 0x22eb);
	bw_u32(&w, 2u << 28 | 9);
	bw_u32(&w, 0);
	bw_u16(&w, 0);
	bw_u16(&w, 2u << 10);		/* frame type IP */
	inner4();
	check_inner4(finish(), PKT_TUN_ERSPAN, 9, 1, "ERSPAN type III, IP frame");

	start();
	outer_ip(47);
	gre(0x1000, 0x88be);
	bw_u32(&w, 3u << 28);		/* wrong version */
	bw_u32(&w, 0);
	eth(0x0800);
	inner4();
	len = finish();
	IS_U(decode(len, len, &pi), PKT_OK, "ERSPAN type II of version 3: the outer packet");
	IS_U(pi.tunnel_fault, 1, "ERSPAN wrong version: a fault");
	IS_U(pi.tunnel_cut, 0, "ERSPAN wrong version: captured whole, not cut");
	IS_U(pi.tunnel_kind, PKT_TUN_ERSPAN, "ERSPAN wrong version: counted as ERSPAN");
	IS_STR(addr(&pi.src), "192.0.2.1", "ERSPAN wrong version: the outer source");
}

static void test_vxlan(void)
{
	struct pkt_info pi;
	size_t len;

	start();
	outer_udp(4789);
	bw_u32(&w, 0x08000000);
	bw_u32(&w, 0x123456u << 8);
	eth(0x0800);
	inner4();
	check_inner4(finish(), PKT_TUN_VXLAN, 0x123456, 1, "VXLAN");

	start();
	outer_udp(4789);
	bw_u32(&w, 0);			/* I flag clear */
	bw_u32(&w, 1u << 8);
	eth(0x0800);
	inner4();
	len = finish();
	IS_U(decode(len, len, &pi), PKT_OK, "VXLAN without the I flag: the outer packet");
	IS_U(pi.tunnel_fault * 2 + pi.tunnel_cut, 2, "VXLAN without the I flag: a fault, not cut");
	IS_U(pi.dport, 4789, "VXLAN without the I flag: outer UDP");

	start();
	outer_udp(4789);
	bw_u32(&w, 0x08000000);
	bw_u32(&w, 7u << 8);
	eth(0x0806);			/* ARP */
	bw_bytes(&w, "arp arp arp arp arp arp arp.", 28);
	len = finish();
	IS_U(decode(len, len, &pi), PKT_OK, "ARP in VXLAN decodes");
	IS_U(pi.tunnels + pi.tunnel_fault, 0, "ARP in VXLAN: the outer flow, no fault");
}

static void test_geneve(void)
{
	struct pkt_info pi;
	size_t len;

	start();
	outer_udp(6081);
	bw_u8(&w, 3);			/* version 0, 3 words of options */
	bw_u8(&w, 0);
	bw_u16(&w, 0x6558);
	bw_u32(&w, 77u << 8);
	bw_u32(&w, 0x01020304);		/* option class, type, length 2 words */
	bw_u32(&w, 0);
	bw_u32(&w, 0);
	eth(0x0800);
	inner4();
	check_inner4(finish(), PKT_TUN_GENEVE, 77, 1, "Geneve with options");

	start();
	outer_udp(6081);
	bw_u8(&w, 0);
	bw_u8(&w, 0);
	bw_u16(&w, 0x0800);
	bw_u32(&w, 5u << 8);
	inner4();
	check_inner4(finish(), PKT_TUN_GENEVE, 5, 1, "Geneve, IPv4 payload");

	start();
	outer_udp(6081);
	bw_u8(&w, 63);			/* 252 bytes of options: more than the datagram */
	bw_u8(&w, 0);
	bw_u16(&w, 0x6558);
	bw_u32(&w, 5u << 8);
	inner4();
	len = finish();
	IS_U(decode(len, len, &pi), PKT_OK, "Geneve options beyond the datagram: outer packet");
	IS_U(pi.tunnel_fault * 2 + pi.tunnel_cut, 2, "Geneve options too long: a fault, not cut");
	IS_U(pi.tunnel_kind, PKT_TUN_GENEVE, "Geneve options too long: counted as Geneve");
}

static void test_gtpu(void)
{
	struct pkt_info pi;
	size_t len;

	start();
	outer_udp(2152);
	bw_u8(&w, 0x30);		/* version 1, PT */
	bw_u8(&w, 0xff);		/* G-PDU */
	bw_u16(&w, 40);
	bw_u32(&w, 0xdeadbeef);
	inner4();
	check_inner4(finish(), PKT_TUN_GTPU, 0xdeadbeef, 1, "GTP-U");

	start();
	outer_udp(2152);
	bw_u8(&w, 0x34);		/* E: extension headers */
	bw_u8(&w, 0xff);
	bw_u16(&w, 0);
	bw_u32(&w, 42);
	bw_u16(&w, 0);			/* sequence number */
	bw_u8(&w, 0);			/* N-PDU */
	bw_u8(&w, 0x85);		/* PDU session container */
	bw_u8(&w, 1);			/* 4 bytes */
	bw_u16(&w, 0x0009);
	bw_u8(&w, 0x40);		/* another one */
	bw_u8(&w, 2);			/* 8 bytes */
	bw_bytes(&w, "\0\0\0\0\0\0", 6);
	bw_u8(&w, 0);			/* last */
	inner4();
	check_inner4(finish(), PKT_TUN_GTPU, 42, 1, "GTP-U with two extension headers");

	start();
	outer_udp(2152);
	bw_u8(&w, 0x34);
	bw_u8(&w, 0xff);
	bw_u16(&w, 0);
	bw_u32(&w, 42);
	bw_u32(&w, 0x00000085);
	bw_u8(&w, 0);			/* length 0: would loop */
	bw_bytes(&w, "\0\0\0", 3);
	inner4();
	len = finish();
	IS_U(decode(len, len, &pi), PKT_OK, "GTP-U extension of length 0: the outer packet");
	IS_U(pi.tunnel_fault * 2 + pi.tunnel_cut, 2, "GTP-U extension of length 0: a fault");

	start();
	outer_udp(2152);
	bw_u8(&w, 0x32);
	bw_u8(&w, 1);			/* echo request */
	bw_u16(&w, 4);
	bw_u32(&w, 0);
	bw_u32(&w, 0);
	len = finish();
	IS_U(decode(len, len, &pi), PKT_OK, "GTP-U echo request decodes");
	IS_U(pi.tunnels + pi.tunnel_fault, 0, "GTP-U echo: the outer flow, no fault");
}

static void test_mpls_udp(void)
{
	start();
	outer_udp(6635);
	bw_u32(&w, 16u << 12 | 64);
	bw_u32(&w, 17u << 12 | 0x100 | 64);
	inner4();
	check_inner4(finish(), PKT_TUN_MPLS_UDP, 0, 1, "MPLS over UDP, two labels");
}

static void test_nested(void)
{
	struct pkt_info pi;
	size_t len;

	/* VXLAN inside GRE with a key: the VNI is the innermost id */
	start();
	outer_ip(47);
	gre(0x2000, 0x0800);
	ipv4(17, outer_dst, outer_src, 0);
	udp(50000, 4789);
	bw_u32(&w, 0x08000000);
	bw_u32(&w, 99u << 8);
	eth(0x0800);
	inner4();
	check_inner4(finish(), PKT_TUN_VXLAN, 99, 2, "VXLAN in GRE");

	/* six IP-in-IP layers: four come off, the fifth packet is the flow */
	start();
	eth(0x0800);
	for (int i = 0; i < 6; i++)
		ipv4(4, outer_src, outer_dst, (uint8_t)i);
	inner4();
	len = finish();
	IS_U(decode(len, len, &pi), PKT_OK, "six IP-in-IP layers decode");
	IS_U(pi.tunnels, PKT_TUNNEL_DEPTH, "at most PKT_TUNNEL_DEPTH layers come off");
	IS_U(pi.tos, PKT_TUNNEL_DEPTH, "the packet at that depth is the flow");
	IS_U(pi.proto, 4, "... still IP-in-IP");
	IS_U(pi.tunnel_fault, 0, "too deep is no fault");
}

/* A fragment holds part of a packet at most: it stays the outer flow. */
static void test_fragment(void)
{
	struct pkt_info pi;
	size_t len;

	start();
	outer_ip(47);
	gre(0, 0x0800);
	inner4();
	len = finish();
	buf[14 + 6] = 0x20;		/* MF */
	IS_U(decode(len, len, &pi), PKT_OK, "a first fragment of GRE decodes");
	IS_U(pi.tunnels + pi.tunnel_fault, 0, "a fragment is not decapsulated");
}

int main(void)
{
	test_ipip();
	test_gre();
	test_erspan();
	test_vxlan();
	test_geneve();
	test_gtpu();
	test_mpls_udp();
	test_nested();
	test_fragment();
	return tap_done();
}
