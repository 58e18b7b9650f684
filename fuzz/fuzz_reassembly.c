/*
 * libFuzzer target for pcap-sessions' reassembly buffer: the input is a
 * list of operations (7 bytes each: kind, 32-bit sequence offset, 13-bit
 * length) on one direction: segments in any order, ACKs, skips, the end.
 * With an even first byte every segment carries the stream's true bytes
 * (a pattern of the offset), so whatever the order, repeats and overlaps,
 * what comes out must be those bytes, in order, with no conflict; the
 * bounds must hold and every byte held must be freed.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cmd/pcap-sessions/reasm.h"

#define SPAN (1u << 18)		/* stream bytes the operations may touch */

struct check {
	uint64_t next;		/* what the buffer must deliver next (or later, after a
				   gap) */
	bool honest;		/* segments carry the true bytes */
	uint64_t conflicts;
};

static uint8_t truth(uint64_t off)
{
	return (uint8_t)(off * 131 + (off >> 9));
}

static void on_data(void *ctx, uint64_t off, const uint8_t *p, size_t len)
{
	struct check *c = ctx;

	if (off < c->next)
		abort();	/* delivered twice or backwards */
	for (size_t i = 0; c->honest && i < len; i++)
		if (p[i] != truth(off + i))
			abort();
	c->next = off + len;
}

static void on_gap(void *ctx, uint64_t off, uint64_t len)
{
	struct check *c = ctx;

	if (off < c->next || len == 0)
		abort();
	c->next = off + len;
}

static void on_conflict(void *ctx, uint64_t off, uint64_t len)
{
	struct check *c = ctx;

	(void)off;
	if (len == 0)
		abort();
	c->conflicts++;
}

static const struct reasm_calls calls = { on_data, on_gap, on_conflict };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static uint8_t seg[0x2000];
	const struct reasm_limits lim = { 1u << 16, 1u << 14, SPAN };
	struct reasm_budget budget = { 0, 0 };
	struct check c = { 0, false, 0 };
	struct reasm r;
	uint32_t base;

	if (size < 5)
		return 0;
	c.honest = (data[0] & 1) == 0;
	memcpy(&base, data + 1, 4);
	reasm_init(&r, &budget, &lim, &calls, &c);
	reasm_set_base(&r, base);
	for (size_t i = 5; i + 7 <= size; i += 7) {
		uint32_t off, len;

		memcpy(&off, data + i + 1, 4);
		/* fast runs */
		len = ((uint32_t)data[i + 5] | (uint32_t)data[i + 6] << 8) & 0x1FFF;
		off %= SPAN;
		switch (data[i] % 8) {
		case 6:
			reasm_acked(&r, off);
			break;
		case 7:
			reasm_skip(&r, off);
			break;
		default:
			for (uint32_t k = 0; k < len; k++)
				seg[k] = c.honest ? truth(off + k) : data[(i + k) % size];
			reasm_segment(&r, base + off, seg, len);
		}
		if (r.held_bytes > lim.max_held || r.hist_bytes > lim.max_hist)
			abort();
	}
	reasm_finish(&r, 0);
	if (r.held_bytes != 0 || (c.honest && c.conflicts))
		abort();
	reasm_free(&r);
	if (budget.used != 0)
		abort();
	return 0;
}
