/*
 * libFuzzer target for the packet decoder: the first byte picks the link
 * type, the second how much of the frame counts as captured, the rest is
 * the frame. Whatever the bytes, pkt_decode and pkt_decap (tunnels) must
 * stay inside them, and the payload they point at must be inside them too.
 * When pkt_decode_brief takes the frame, the full decode must agree.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "packet/pktdecode.h"

static const int links[] = {
	PKT_LINK_NULL, PKT_LINK_ETHERNET, PKT_LINK_RAW_DLT, PKT_LINK_RAW_OPENBSD,
	PKT_LINK_PPP_ETHER, PKT_LINK_RAW, PKT_LINK_LOOP, PKT_LINK_LINUX_SLL,
	PKT_LINK_IPV4, PKT_LINK_IPV6, PKT_LINK_LINUX_SLL2
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The brief decode took the frame: what the full decode found must be the same. */
static bool brief_agrees(const struct pkt_brief *b, enum pkt_status st, const struct pkt_info *pi)
{
	return st == PKT_OK && pi->tunnels == 0 && !pi->tunnel_fault && !pi->is_frag &&
	    pi->tunnel_id == 0 && pi->ifindex == 0 &&
	    flow_addr_equal(&pi->src, &b->src) && flow_addr_equal(&pi->dst, &b->dst) &&
	    pi->sport == b->sport && pi->dport == b->dport && pi->proto == b->proto &&
	    pi->tos == b->tos && pi->tcp_flags == b->tcp_flags && pi->l3_len == b->l3_len &&
	    pi->vlan == b->vlan;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_info pi;
	struct pkt_brief b;
	enum pkt_status st;
	int link;
	bool tunnels;
	size_t caplen;
	uint8_t *frame;

	if (size < 2)
		return 0;
	caplen = size - 2;
	if (data[1] < caplen)
		caplen = data[1];	/* a snapshot shorter than the frame */
	/* an exact-size copy, so ASan sees any read past caplen */
	frame = malloc(caplen ? caplen : 1);
	if (frame == NULL)
		return 0;
	memcpy(frame, data + 2, caplen);
	link = links[data[0] % (sizeof links / sizeof links[0])];
	tunnels = (data[0] & 0x80) != 0;
	st = pkt_decode(link, frame, caplen, size - 2, &pi);
	if (tunnels)
		st = pkt_decap(frame, caplen, size - 2, st, &pi);
	if (pkt_decode_brief(link, frame, caplen, size - 2, tunnels, &b) && !brief_agrees(&b, st, &pi))
		abort();
	if (pi.tunnel_fault && (pi.why == NULL || pi.where > caplen))
		abort();
	/* a failure always says why and where, inside the capture */
	if ((st == PKT_BAD || st == PKT_TRUNCATED || st == PKT_OVERLONG || st == PKT_CUT) &&
	    (pi.why == NULL || pi.where > caplen))
		abort();
	/* the payload a reassembler would take lies inside the capture and the datagram */
	if (pi.payload_off && ((size_t)pi.payload_off + pi.payload_len > caplen ||
	    pi.payload_len > pi.payload_wire_len || pi.payload_off < pi.l4_off))
		abort();
	free(frame);
	return 0;
}
