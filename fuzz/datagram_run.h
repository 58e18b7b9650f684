/*
 * The input of the datagram fuzz targets: a run of datagrams, each behind
 * a 2-byte big-endian length whose top bit picks one of two exporters
 * (192.0.2.1 port 2055, 2001:db8::1 port 2056), the rest the length, cut
 * to what is left. Each datagram reaches fn in a copy of its own size, so
 * ASan sees any read past it.
 */
#ifndef FUZZ_DATAGRAM_RUN_H
#define FUZZ_DATAGRAM_RUN_H

#include <stdlib.h>
#include <string.h>

#include "base/bytecursor.h"
#include "flow/flowaddr.h"

typedef void (*fuzz_datagram_fn)(void *ctx, const uint8_t *p, size_t len,
    const struct flow_addr *exporter, uint16_t port);

static inline void fuzz_datagram_run(const uint8_t *data, size_t size, fuzz_datagram_fn fn,
    void *ctx)
{
	static const uint8_t a4[4] = { 192, 0, 2, 1 };
	static const uint8_t b6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct bytecursor c = bc_make(data, size);
	struct flow_addr ex[2];

	flow_addr_set_v4(&ex[0], a4);
	flow_addr_set_v6(&ex[1], b6);
	while (bc_left(&c) >= 2) {
		uint16_t head = bc_u16(&c);
		size_t len = head & 0x7fffu;
		const uint8_t *p;
		uint8_t *copy;

		if (len > bc_left(&c))
			len = bc_left(&c);
		p = bc_bytes(&c, len);
		copy = malloc(len ? len : 1);
		if (copy == NULL)
			return;
		if (len)
			memcpy(copy, p, len);
		fn(ctx, copy, len, &ex[head >> 15], (uint16_t)(2055 + (head >> 15)));
		free(copy);
	}
}

#endif
