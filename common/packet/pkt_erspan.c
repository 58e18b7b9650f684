/*
 * ERSPAN, the mirrored frames Cisco and Linux (erspan/ip6erspan links)
 * send inside GRE. Type I: protocol 0x88be without a sequence number, no
 * header of its own. Type II (0x88be with a sequence number): 8 bytes,
 * version 1. Type III (0x22eb): 12 bytes, version 2, and 8 more of
 * platform data when the O bit is set; its frame type says Ethernet (0)
 * or IP (2). The tunnel id is the 10-bit session id.
 */
#include "packet/pkt_internal.h"

enum {
	ERSPAN_V2 = 1, ERSPAN_V3 = 2,		/* the version field of type II and III */
	ERSPAN3_O = 0x0001,			/* platform-specific subheader follows */
	ERSPAN3_FT_ETHERNET = 0, ERSPAN3_FT_IP = 2,
	ERSPAN3_PLATFORM = 8			/* bytes */
};

static enum pkt_next erspan3_rest(struct bytecursor *c, struct pkt_info *pi)
{
	uint16_t tail;
	unsigned ft;

	bc_skip(c, 4);			/* timestamp */
	bc_skip(c, 2);			/* security group tag */
	tail = bc_u16(c);
	if (tail & ERSPAN3_O)
		bc_skip(c, ERSPAN3_PLATFORM);
	if (c->bad) {
		pkt_tun_fail(pi, c, "ERSPAN type III header cut");
		return NEXT_NONE;
	}
	ft = (tail >> 10) & 0x1f;
	if (ft == ERSPAN3_FT_ETHERNET)
		return NEXT_ETHERNET;
	return ft == ERSPAN3_FT_IP ? NEXT_IP_ANY : NEXT_NONE;
}

int pkt_erspan_header(struct bytecursor *c, struct pkt_info *pi, uint16_t gre_proto,
    bool gre_seq, struct pkt_tun_hdr *h)
{
	uint32_t w1;
	unsigned version;

	h->next = NEXT_ETHERNET;
	if (gre_proto == ETH_ERSPAN_2 && !gre_seq)
		return 0;		/* type I */
	w1 = bc_u32(c);
	if (c->bad)
		return pkt_tun_fail(pi, c, "ERSPAN header cut");
	version = w1 >> 28;
	h->id = w1 & 0x3ff;
	h->has_id = true;
	if (gre_proto == ETH_ERSPAN_2) {
		if (version != ERSPAN_V2)
			return pkt_tun_fail(pi, c, "ERSPAN type II version is not 1");
		bc_skip(c, 4);		/* reserved, index */
		if (c->bad)
			return pkt_tun_fail(pi, c, "ERSPAN type II header cut");
		return 0;
	}
	if (version != ERSPAN_V3)
		return pkt_tun_fail(pi, c, "ERSPAN type III version is not 2");
	h->next = erspan3_rest(c, pi);
	return c->bad ? -1 : 0;
}
