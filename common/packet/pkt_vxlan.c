/*
 * VXLAN (RFC 7348), UDP port 4789: 8 bytes, the I flag set, a 24-bit VNI,
 * an Ethernet frame inside.
 */
#include "packet/pkt_internal.h"

#define VXLAN_I 0x08		/* the VNI is valid */

int pkt_vxlan_header(struct bytecursor *c, struct pkt_info *pi, struct pkt_tun_hdr *h)
{
	uint8_t flags = bc_u8(c);
	uint32_t vni;

	bc_skip(c, 3);			/* reserved */
	vni = bc_u32(c) >> 8;		/* and 8 reserved bits */
	if (c->bad)
		return pkt_tun_fail(pi, c, "VXLAN header cut");
	if (!(flags & VXLAN_I))
		return pkt_tun_fail(pi, c, "VXLAN I flag not set");
	h->id = vni;
	h->has_id = true;
	h->next = NEXT_ETHERNET;
	return 0;
}
