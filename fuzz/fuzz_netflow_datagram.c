/*
 * libFuzzer target: the datagram decode dispatch (netflow/nf_datagram.h)
 * with template state across datagrams. The input is a run of datagrams,
 * each behind a 2-byte big-endian length, the top bit of which picks one
 * of two exporters (the rest the length, cut to what is left). All go
 * through one decoder with a small template cache, so templates learnt
 * from one datagram decode the data of later ones, exporters share
 * nothing and the cache evicts. A datagram the dispatch rejects must say
 * why; the records it reports must be the ones delivered.
 */
#include <stdlib.h>
#include <string.h>

#include "base/bytecursor.h"
#include "flow/flowaddr.h"
#include "netflow/nf_datagram.h"

static void count(void *ctx, const struct flowrec *r)
{
	(void)r;
	(*(unsigned *)ctx)++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t a4[4] = { 192, 0, 2, 1 };
	static const uint8_t b6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct bytecursor c = bc_make(data, size);
	struct flow_addr ex[2];
	struct nf_decoder d;

	flow_addr_set_v4(&ex[0], a4);
	flow_addr_set_v6(&ex[1], b6);
	if (nf_decoder_init(&d, 8, 0) != 0)
		return 0;
	while (bc_left(&c) >= 2) {
		uint16_t head = bc_u16(&c);
		size_t len = head & 0x7fffu;
		const uint8_t *p;
		uint8_t *copy;
		struct nf_result res;
		unsigned n = 0;
		int rc;

		if (len > bc_left(&c))
			len = bc_left(&c);
		p = bc_bytes(&c, len);
		/* a copy of its own size, so ASan sees any read past the datagram */
		copy = malloc(len ? len : 1);
		if (copy == NULL)
			break;
		if (len)
			memcpy(copy, p, len);
		nf_result_clear(&res);
		rc = nf_decode_datagram(&d, copy, len, &ex[head >> 15],
		    (uint16_t)(2055 + (head >> 15)), count, &n, &res);
		if ((rc < 0 && res.err[0] == '\0') || res.records != n ||
		    (rc >= 0 && (unsigned)rc != n))
			abort();
		free(copy);
	}
	nf_decoder_free(&d);
	return 0;
}
