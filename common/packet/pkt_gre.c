/*
 * GRE, version 0 (RFC 2784; key and sequence number RFC 2890): the
 * optional fields by the C, K and S bits, then the payload by its
 * protocol type. Not followed, so the outer flow stands: version 1 (PPTP's
 * enhanced GRE, PPP inside), RFC 1701 source routing, and payload types
 * other than IPv4, IPv6, transparent Ethernet bridging, MPLS and ERSPAN.
 */
#include "packet/pkt_internal.h"

enum {
	GRE_C = 0x8000,		/* checksum and reserved1 present */
	GRE_R = 0x4000,		/* RFC 1701 routing present */
	GRE_K = 0x2000,		/* key present */
	GRE_S = 0x1000,		/* sequence number present */
	GRE_VERSION = 0x0007
};

static enum pkt_next gre_payload(uint16_t proto)
{
	switch (proto) {
	case ETH_IPV4:
		return NEXT_IPV4;
	case ETH_IPV6:
		return NEXT_IPV6;
	case ETH_TEB:
		return NEXT_ETHERNET;
	case ETH_MPLS:
	case ETH_MPLS_MC:
		return NEXT_MPLS;
	default:
		return NEXT_NONE;
	}
}

int pkt_gre_header(struct bytecursor *c, struct pkt_info *pi, struct pkt_tun_hdr *h)
{
	uint16_t flags = bc_u16(c);
	uint16_t proto = bc_u16(c);

	if (c->bad)
		return pkt_tun_fail(pi, c, "GRE header cut");
	h->next = NEXT_NONE;
	if ((flags & GRE_VERSION) != 0 || (flags & GRE_R) != 0)
		return 0;
	if (flags & GRE_C)
		bc_skip(c, 4);		/* checksum, reserved1 */
	if (flags & GRE_K) {
		h->id = bc_u32(c);
		h->has_id = true;
	}
	if (flags & GRE_S)
		bc_skip(c, 4);		/* sequence number */
	if (c->bad)
		return pkt_tun_fail(pi, c, "GRE checksum, key or sequence number cut");
	if (proto == ETH_ERSPAN_2 || proto == ETH_ERSPAN_3) {
		h->kind = PKT_TUN_ERSPAN;
		return pkt_erspan_header(c, pi, proto, (flags & GRE_S) != 0, h);
	}
	h->next = gre_payload(proto);
	return 0;
}
