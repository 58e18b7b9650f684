/*
 * pkt_decode_brief: it takes the plain frames it is meant for, with the
 * values read off the hand-built bytes below; it leaves every frame the
 * full decoder treats otherwise; and whenever it takes a frame, pkt_decode
 * and pkt_decap say the same (checked on every cut of the frames and on a
 * few hundred thousand mutations of them).
 */
#include <string.h>

#include "base/bytecursor.h"
#include "flow/flowaddr.h"
#include "packet/pktdecode.h"
#include "pkt_frames.h"
#include "pkt_testaid.h"
#include "tap.h"

static uint8_t buf[256];
static unsigned long long disagreements;

/*
 * The brief decode of the frame; when it takes it, the full decode must
 * agree, else the disagreement is counted (and checked by the caller).
 */
static bool brief(int link, size_t caplen, size_t wirelen, bool tunnels, struct pkt_brief *b)
{
	struct pkt_info pi;
	enum pkt_status st;

	if (!pkt_decode_brief(link, buf, caplen, wirelen, tunnels, b))
		return false;
	st = pkt_decode(link, buf, caplen, wirelen, &pi);
	if (tunnels)
		st = pkt_decap(buf, caplen, wirelen, st, &pi);
	if (st != PKT_OK || pi.tunnels || pi.tunnel_fault || pi.is_frag ||
	    !flow_addr_equal(&pi.src, &b->src) || !flow_addr_equal(&pi.dst, &b->dst) ||
	    pi.sport != b->sport || pi.dport != b->dport || pi.proto != b->proto ||
	    pi.tos != b->tos || pi.tcp_flags != b->tcp_flags || pi.l3_len != b->l3_len ||
	    pi.vlan != b->vlan || pi.ifindex != 0 || pi.tunnel_id != 0)
		disagreements++;
	return true;
}

/* Every shorter capture of the frame (the wire length kept) agrees. */
static void all_cuts(size_t len, const char *what)
{
	struct pkt_brief b;
	unsigned long long before = disagreements;

	for (size_t n = 0; n <= len; n++)
		(void)brief(PKT_LINK_ETHERNET, n, len, true, &b);
	IS_U(disagreements - before, 0, "%s: every cut agrees with the full decode", what);
}

static void test_ipv4_tcp(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_brief b;

	eth(&w, 0x0800);
	ipv4(&w, 6, 20, 0x4000, 7);	/* DF: no fragment */
	tcp(&w, 40000, 443, 0x12);
	bw_bytes(&w, "\0\0\0\0\0\0", 6);	/* Ethernet padding */
	OK(brief(PKT_LINK_ETHERNET, w.pos, w.pos, true, &b), "Ethernet IPv4 TCP is taken");
	IS_STR(addr(&b.src), "192.0.2.1", "source address");
	IS_STR(addr(&b.dst), "198.51.100.7", "destination address");
	IS_U(b.sport, 40000, "source port");
	IS_U(b.dport, 443, "destination port");
	IS_U(b.proto, 6, "protocol");
	IS_U(b.tcp_flags, 0x12, "TCP flags");
	IS_U(b.tos, 0xb8, "TOS");
	IS_U(b.l3_len, 40, "IP length from the header, not the padded frame");
	IS_U(b.vlan, 0, "untagged");
	OK(brief(PKT_LINK_ETHERNET, 14 + 20 + 14, w.pos, true, &b),
	    "a capture that ends after the TCP flags is taken");
	OK(!brief(PKT_LINK_ETHERNET, 14 + 20 + 13, w.pos, true, &b),
	    "one cut before the TCP flags is not");
	OK(!brief(PKT_LINK_LINUX_SLL, w.pos, w.pos, true, &b), "another link type is not");
	all_cuts(w.pos, "IPv4 TCP");
}

static void test_vlan_ipv6_udp(void)
{
	struct bytewriter w = bw_make(buf, sizeof buf);
	struct pkt_brief b;

	eth(&w, 0x8100);
	bw_u16(&w, 0x2000 | 100);	/* priority 1, VLAN 100 */
	bw_u16(&w, 0x86dd);
	ipv6(&w, 17, 8 + 4);
	udp(&w, 5353, 53, 8 + 4);
	bw_bytes(&w, "abcd", 4);
	OK(brief(PKT_LINK_ETHERNET, w.pos, w.pos, true, &b), "tagged IPv6 UDP is taken");
	IS_STR(addr(&b.src), "2001:db8::1", "source address");
	IS_U(b.sport, 5353, "source port");
	IS_U(b.dport, 53, "destination port");
	IS_U(b.proto, 17, "protocol");
	IS_U(b.tcp_flags, 0, "no TCP flags");
	IS_U(b.tos, 0x2e, "traffic class");
	IS_U(b.l3_len, 40 + 12, "IP length");
	IS_U(b.vlan, 100, "VLAN id without the priority bits");
	all_cuts(w.pos, "tagged IPv6 UDP");
}

/* Frames that must go the full way, each for its own reason. */
static void test_left_to_the_full_decode(void)
{
	struct bytewriter w;
	struct pkt_brief b;

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x0800);
	ipv4(&w, 6, 24, 0, 7);
	buf[14] = 0x46;			/* 4 bytes of options */
	bw_u32(&w, 0x01010101);
	tcp(&w, 1, 2, 0x10);
	OK(!brief(PKT_LINK_ETHERNET, w.pos, w.pos, true, &b), "IPv4 options");

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x0800);
	ipv4(&w, 17, 8, 0x2000, 7);	/* MF */
	udp(&w, 1, 2, 8);
	OK(!brief(PKT_LINK_ETHERNET, w.pos, w.pos, true, &b), "a first fragment");
	w.pos = 14 + 6;
	bw_u16(&w, 0x0001);		/* offset 8, no MF */
	OK(!brief(PKT_LINK_ETHERNET, 14 + 28, 14 + 28, true, &b), "a last fragment");

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x0800);
	ipv4(&w, 17, 8, 0, 7);
	udp(&w, 49152, 4789, 8);
	OK(!brief(PKT_LINK_ETHERNET, w.pos, w.pos, true, &b), "UDP to the VXLAN port");
	OK(brief(PKT_LINK_ETHERNET, w.pos, w.pos, false, &b),
	    "... taken when tunnels are not looked for");
	w.pos = 14 + 20 + 2;
	bw_u16(&w, 53);			/* from here on no tunnel port */
	OK(brief(PKT_LINK_ETHERNET, 14 + 28, 14 + 28, true, &b), "UDP to port 53 is taken");
	w.pos = 14 + 9;
	bw_u8(&w, 1);			/* ICMP */
	OK(!brief(PKT_LINK_ETHERNET, 14 + 28, 14 + 28, true, &b), "ICMP");
	w.pos = 14 + 9;
	bw_u8(&w, 17);
	w.pos = 14 + 2;
	bw_u16(&w, 0);
	OK(!brief(PKT_LINK_ETHERNET, 14 + 28, 14 + 28, true, &b), "IPv4 total length 0");
	w.pos = 14 + 2;
	bw_u16(&w, 29);
	OK(!brief(PKT_LINK_ETHERNET, 14 + 28, 14 + 28, true, &b),
	    "a total length beyond the frame on the wire");
	OK(brief(PKT_LINK_ETHERNET, 14 + 28, 14 + 29, true, &b),
	    "... taken when the wire had that byte");
	w.pos = 14 + 2;
	bw_u16(&w, 23);
	OK(!brief(PKT_LINK_ETHERNET, 14 + 28, 14 + 28, true, &b),
	    "a datagram that ends inside the UDP ports");
	w.pos = 14;
	bw_u8(&w, 0x65);
	OK(!brief(PKT_LINK_ETHERNET, 14 + 28, 14 + 28, true, &b), "IP version 6 in an IPv4 frame");

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x0800);
	ipv4(&w, 6, 13, 0, 7);
	tcp(&w, 1, 2, 0x02);
	OK(!brief(PKT_LINK_ETHERNET, w.pos, w.pos, true, &b),
	    "a TCP segment whose datagram ends before the flags");

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x86dd);
	ipv6(&w, 0, 8 + 8);		/* hop-by-hop options, then UDP */
	bw_u8(&w, 17);
	bw_u8(&w, 0);
	bw_bytes(&w, "\1\4\0\0\0\0", 6);
	udp(&w, 1, 2, 8);
	OK(!brief(PKT_LINK_ETHERNET, w.pos, w.pos, true, &b), "an IPv6 extension header");

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x88a8);
	bw_u16(&w, 10);
	bw_u16(&w, 0x0800);
	ipv4(&w, 17, 8, 0, 7);
	udp(&w, 1, 2, 8);
	OK(!brief(PKT_LINK_ETHERNET, w.pos, w.pos, true, &b), "an 802.1ad tag");

	w = bw_make(buf, sizeof buf);
	eth(&w, 0x8100);
	bw_u16(&w, 10);
	bw_u16(&w, 0x8100);
	bw_u16(&w, 20);
	bw_u16(&w, 0x0800);
	ipv4(&w, 17, 8, 0, 7);
	udp(&w, 1, 2, 8);
	OK(!brief(PKT_LINK_ETHERNET, w.pos, w.pos, true, &b), "two 802.1Q tags");
}

/* splitmix64: the same mutations on every run. */
static uint64_t next_random(uint64_t *s)
{
	uint64_t z = (*s += 0x9e3779b97f4a7c15ull);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

/*
 * Frames of every kind above with a byte or three changed at random and a
 * random capture and wire length: whatever the brief decode takes, the
 * full decode agrees with.
 */
static void test_mutations(void)
{
	uint8_t base[4][128];
	size_t len[4];
	uint64_t s = 1;
	unsigned long long taken = 0, before = disagreements;
	struct bytewriter w;

	w = bw_make(base[0], sizeof base[0]);
	eth(&w, 0x0800), ipv4(&w, 6, 20, 0, 7), tcp(&w, 1000, 80, 0x18);
	len[0] = w.pos;
	w = bw_make(base[1], sizeof base[1]);
	eth(&w, 0x8100), bw_u16(&w, 5), bw_u16(&w, 0x0800), ipv4(&w, 17, 8, 0, 7);
	udp(&w, 1000, 53, 8);
	len[1] = w.pos;
	w = bw_make(base[2], sizeof base[2]);
	eth(&w, 0x86dd), ipv6(&w, 6, 20), tcp(&w, 1000, 443, 0x11);
	len[2] = w.pos;
	w = bw_make(base[3], sizeof base[3]);
	eth(&w, 0x86dd), ipv6(&w, 17, 8), udp(&w, 1000, 6081, 8);
	len[3] = w.pos;

	for (int i = 0; i < 400000; i++) {
		uint64_t r = next_random(&s);
		int k = (int)(r & 3);
		size_t n = len[k], caplen, wirelen;
		struct pkt_brief b;

		memcpy(buf, base[k], n);
		for (int m = 0; m < 1 + (int)((r >> 2) % 3); m++) {
			uint64_t q = next_random(&s);
			buf[q % n] = (uint8_t)(q >> 8);
		}
		caplen = n - (r >> 8) % 4 * ((r >> 10) % 8);
		/* mostly at least what was captured; one in eight shorter, as a bad file can say */
		wirelen = caplen + (r >> 16) % 3 * ((r >> 20) % 64);
		if ((r >> 40) % 8 == 0)
			wirelen = caplen - (r >> 43) % 32;
		taken += brief(PKT_LINK_ETHERNET, caplen, wirelen, (r >> 30) & 1, &b);
	}
	IS_U(disagreements - before, 0, "400000 mutated frames: the full decode agrees with "
	    "every one the brief decode took");
	OK(taken > 100000, "and it took many of them (%llu)", taken);
}

int main(void)
{
	test_ipv4_tcp();
	test_vlan_ipv6_udp();
	test_left_to_the_full_decode();
	test_mutations();
	return tap_done();
}
