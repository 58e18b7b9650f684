/*
 * libFuzzer target for the packet decoder: the first byte picks the link
 * type, the second how much of the frame counts as captured, the rest is
 * the frame. Whatever the bytes, pkt_decode and pkt_decap (tunnels) must
 * stay inside them, and the payload they point at must be inside them too.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet/pktdecode.h"

static const int links[] = {
	PKT_LINK_NULL, PKT_LINK_ETHERNET, PKT_LINK_RAW_DLT, PKT_LINK_RAW_OPENBSD,
	PKT_LINK_PPP_ETHER, PKT_LINK_RAW, PKT_LINK_LOOP, PKT_LINK_LINUX_SLL,
	PKT_LINK_IPV4, PKT_LINK_IPV6, PKT_LINK_LINUX_SLL2
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pkt_info pi;
	enum pkt_status st;
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
	st = pkt_decode(links[data[0] % (sizeof links / sizeof links[0])], frame, caplen, size - 2,
	    &pi);
	if (data[0] & 0x80)
		st = pkt_decap(frame, caplen, size - 2, st, &pi);
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
