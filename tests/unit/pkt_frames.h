/*
 * Hand-built frames for the packet decode unit tests, written out field
 * by field so each expectation can be read off the bytes: an Ethernet
 * header, IPv4 (192.0.2.1 -> 198.51.100.7, TOS 0xb8), IPv6 (2001:db8::1
 * -> 2001:db8::2, traffic class 0x2e), TCP and UDP.
 */
#ifndef PKT_FRAMES_H
#define PKT_FRAMES_H

#include <stdint.h>

#include "base/bytecursor.h"

static const uint8_t v4src[4] = { 192, 0, 2, 1 }, v4dst[4] = { 198, 51, 100, 7 };
static const uint8_t v6src[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
static const uint8_t v6dst[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };

static inline void eth(struct bytewriter *w, uint16_t type)
{
	static const uint8_t macs[12] = { 2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2 };

	bw_bytes(w, macs, 12);
	bw_u16(w, type);
}

/* IPv4 header: total length = 20 + l4len. */
static inline void ipv4(struct bytewriter *w, uint8_t proto, uint16_t l4len, uint16_t frag, uint16_t id)
{
	bw_u8(w, 0x45);
	bw_u8(w, 0xb8);			/* TOS: EF */
	bw_u16(w, (uint16_t)(20 + l4len));
	bw_u16(w, id);
	bw_u16(w, frag);
	bw_u8(w, 64);
	bw_u8(w, proto);
	bw_u16(w, 0);
	bw_bytes(w, v4src, 4);
	bw_bytes(w, v4dst, 4);
}

static inline void ipv6(struct bytewriter *w, uint8_t nh, uint16_t plen)
{
	bw_u32(w, 6u << 28 | 0x2eu << 20);	/* traffic class 0x2e */
	bw_u16(w, plen);
	bw_u8(w, nh);
	bw_u8(w, 64);
	bw_bytes(w, v6src, 16);
	bw_bytes(w, v6dst, 16);
}

static inline void tcp(struct bytewriter *w, uint16_t sport, uint16_t dport, uint8_t flags)
{
	bw_u16(w, sport);
	bw_u16(w, dport);
	bw_u32(w, 1);
	bw_u32(w, 0);
	bw_u8(w, 5 << 4);
	bw_u8(w, flags);
	bw_u16(w, 65535);
	bw_u32(w, 0);
}

static inline void udp(struct bytewriter *w, uint16_t sport, uint16_t dport, uint16_t len)
{
	bw_u16(w, sport);
	bw_u16(w, dport);
	bw_u16(w, len);
	bw_u16(w, 0);
}

#endif
