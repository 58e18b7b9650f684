/*
 * Geneve (RFC 8926), UDP port 6081: 8 bytes, version 0, a 24-bit VNI, then
 * options skipped by their total length (6 bits, in 4-byte words); the
 * protocol type names the payload like an EtherType.
 */
#include "packet/pkt_internal.h"

int pkt_geneve_header(struct bytecursor *c, struct pkt_info *pi, struct pkt_tun_hdr *h)
{
	uint8_t verlen = bc_u8(c);
	uint16_t proto;
	uint32_t vni;

	bc_skip(c, 1);			/* O and C flags, reserved */
	proto = bc_u16(c);
	vni = bc_u32(c) >> 8;		/* and 8 reserved bits */
	if (c->bad)
		return pkt_tun_fail(pi, c, "Geneve header cut");
	if (verlen >> 6 != 0)
		return pkt_tun_fail(pi, c, "Geneve version is not 0");
	bc_skip(c, (size_t)(verlen & 0x3f) * 4);
	if (c->bad)
		return pkt_tun_fail(pi, c, "Geneve options cut");
	h->id = vni;
	h->has_id = true;
	if (proto == ETH_TEB)
		h->next = NEXT_ETHERNET;
	else if (proto == ETH_IPV4)
		h->next = NEXT_IPV4;
	else if (proto == ETH_IPV6)
		h->next = NEXT_IPV6;
	else
		h->next = NEXT_NONE;
	return 0;
}
