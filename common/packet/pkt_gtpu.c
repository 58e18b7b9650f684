/*
 * GTP-U version 1 (3GPP TS 29.281), UDP port 2152: an 8-byte header with
 * the TEID; with any of the E, S or PN flags 4 more bytes (sequence
 * number, N-PDU number, next extension type), then the chain of extension
 * headers, each its length in 4-byte units first and the next type last.
 * Only G-PDUs (type 255) carry user packets; echo and the other signalling
 * messages stay the outer flow.
 */
#include "packet/pkt_internal.h"

enum {
	GTP_VERSION_1 = 1, GTP_PT = 0x10, GTP_OPTIONAL = 0x07, GTP_E = 0x04,
	GTP_G_PDU = 0xff, GTP_MAX_EXTENSIONS = 16
};

static int gtpu_extensions(struct bytecursor *c, struct pkt_info *pi, uint8_t next)
{
	for (int i = 0; next != 0; i++) {
		uint8_t units = bc_u8(c);

		if (c->bad)
			return pkt_tun_fail(pi, c, "GTP-U extension header cut");
		if (units == 0)
			return pkt_tun_fail(pi, c, "GTP-U extension header of length 0");
		if (i == GTP_MAX_EXTENSIONS)
			return pkt_tun_fail(pi, c, "too many GTP-U extension headers");
		bc_skip(c, (size_t)units * 4 - 2);
		next = bc_u8(c);
		if (c->bad)
			return pkt_tun_fail(pi, c, "GTP-U extension header cut");
	}
	return 0;
}

int pkt_gtpu_header(struct bytecursor *c, struct pkt_info *pi, struct pkt_tun_hdr *h)
{
	uint8_t flags = bc_u8(c);
	uint8_t type = bc_u8(c);
	uint8_t next = 0;

	bc_skip(c, 2);			/* length */
	h->id = bc_u32(c);
	h->has_id = true;
	if (c->bad)
		return pkt_tun_fail(pi, c, "GTP-U header cut");
	if (flags >> 5 != GTP_VERSION_1 || !(flags & GTP_PT))
		return pkt_tun_fail(pi, c, "GTP-U version is not 1");
	h->next = NEXT_NONE;
	if (type != GTP_G_PDU)
		return 0;
	if (flags & GTP_OPTIONAL) {
		bc_skip(c, 3);		/* sequence number, N-PDU number */
		next = bc_u8(c);
		if (c->bad)
			return pkt_tun_fail(pi, c, "GTP-U optional fields cut");
		if (!(flags & GTP_E))
			next = 0;
	}
	if (gtpu_extensions(c, pi, next) < 0)
		return -1;
	h->next = NEXT_IP_ANY;
	return 0;
}
