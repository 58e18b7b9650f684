/*
 * MPLS label stacks (RFC 3032): over Ethernet, over GRE (RFC 4023) and over
 * UDP (RFC 7510). The payload has no type field: after the bottom label
 * the version nibble says IPv4 or IPv6; anything else (a pseudowire
 * control word, ...) is not IP.
 */
#include "packet/pkt_internal.h"

#define MAX_MPLS_LABELS 16
#define MPLS_BOTTOM 0x100u	/* the S bit of a label stack entry */

enum pkt_status pkt_decode_mpls(struct bytecursor *c, size_t wirelen, struct pkt_info *pi)
{
	for (int i = 0; i < MAX_MPLS_LABELS; i++) {
		uint32_t label = bc_u32(c);

		if (c->bad)
			return pkt_fail(pi, c, PKT_BAD, "MPLS label stack cut");
		if (label & MPLS_BOTTOM)
			return pkt_decode_ip_any(c, wirelen, pi, false);
	}
	return pkt_fail(pi, c, PKT_BAD, "MPLS label stack too deep");
}
