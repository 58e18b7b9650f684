/*
 * libFuzzer target: flow-recv's decode path (cmd/flow-recv/collector.c)
 * with everything it keeps across datagrams: templates, held data sets,
 * sampling rates, export streams and their sequence state, the times
 * check. The input is a run of datagrams, each behind a 2-byte big-endian
 * length whose top bit picks one of two exporters (the rest the length,
 * cut to what is left). Every record written must have been counted.
 */
#include <stdlib.h>
#include <string.h>

#include "base/bytecursor.h"
#include "../cmd/flow-recv/collector.h"
#include "flow/flowaddr.h"

static void count(void *ctx, const struct flowrec *r)
{
	(void)r;
	(*(unsigned long long *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t a4[4] = { 192, 0, 2, 1 };
	static const uint8_t b6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	const struct collector_opts o = { true, TEMPLATE_LIFETIME_DEFAULT, true };
	struct bytecursor c = bc_make(data, size);
	struct flow_addr ex[2];
	struct collector col;
	unsigned long long n = 0;

	flow_addr_set_v4(&ex[0], a4);
	flow_addr_set_v6(&ex[1], b6);
	if (collector_init(&col, &o, count, &n) != 0)
		return 0;
	while (bc_left(&c) >= 2) {
		uint16_t head = bc_u16(&c);
		size_t len = head & 0x7fffu;
		const uint8_t *p;
		uint8_t *copy;

		if (len > bc_left(&c))
			len = bc_left(&c);
		p = bc_bytes(&c, len);
		/* a copy of its own size, so ASan sees any read past the datagram */
		copy = malloc(len ? len : 1);
		if (copy == NULL)
			break;
		if (len)
			memcpy(copy, p, len);
		collector_datagram(&col, copy, len, &ex[head >> 15], (uint16_t)(2055 + (head >> 15)),
		    "fuzz");
		free(copy);
	}
	collector_finish(&col);
	if (col.n.records != n)
		abort();
	collector_free(&col);
	return 0;
}
