/*
 * libFuzzer target for IP reassembly: the input is a run of packets, each
 * a time step byte, a 2-byte length and that many bytes of raw IP. Every
 * fragment among them goes through ipdefrag with small limits (so that
 * eviction and timeouts happen); a datagram made whole must lie inside
 * the reassembly buffer and decode without reading past itself.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "packet/ipdefrag.h"
#include "packet/pktdecode.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* One packet: an exact-size copy, so ASan sees a read past it. */
static void one_packet(struct ipdefrag *d, const uint8_t *p, size_t len, uint64_t now_ms)
{
	uint8_t *frame = malloc(len ? len : 1);
	struct pkt_info pi, wpi;
	const uint8_t *whole;
	size_t wlen;
	const char *why;

	if (frame == NULL)
		return;
	memcpy(frame, p, len);
	pkt_decode(PKT_LINK_RAW, frame, len, len, &pi);
	if (pi.is_frag &&
	    ipdefrag_add(d, frame, len, &pi, now_ms, &whole, &wlen, &why) == IPDEFRAG_WHOLE) {
		if (wlen > 60 + IPDEFRAG_MAX)
			abort();
		pkt_decode(PKT_LINK_RAW, whole, wlen, wlen, &wpi);
	}
	free(frame);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct ipdefrag_limits lim = { 8, 1u << 16, 50 };
	struct ipdefrag d;
	uint64_t now_ms = 0;
	size_t pos = 0;

	if (ipdefrag_init(&d, &lim) < 0)
		return 0;
	while (pos + 3 <= size) {
		size_t len = (size_t)data[pos + 1] << 8 | data[pos + 2];
		now_ms += data[pos];
		pos += 3;
		if (len > size - pos)
			len = size - pos;
		one_packet(&d, data + pos, len, now_ms);
		pos += len;
	}
	if (ipdefrag_get_stats(&d)->held > lim.max_datagrams)
		abort();
	ipdefrag_free(&d);
	return 0;
}
