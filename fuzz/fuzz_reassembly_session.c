/*
 * libFuzzer target for pcap-sessions' session table over its reassembly
 * buffers: the input is a list of TCP segments (16 bytes each: flags, which
 * of four endpoint pairs and which way, time step, sequence and ACK
 * numbers, window, payload length; the payload is taken from the input),
 * so SYNs, FINs, RSTs, reuse, wrap, overlaps and gaps come in any order.
 * Small bounds make the limits, evictions and timeouts happen. Whatever
 * comes, every event of a session must come after its start and before
 * its end, and every byte held must be freed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../cmd/pcap-sessions/session.h"
#include "flow/flowaddr.h"

static void must(bool ok)
{
	if (!ok)
		abort();
}

static void on_start(void *ctx, const struct session *s, enum sess_start how, uint64_t ts)
{
	(void)ctx, (void)how, (void)ts;
	must(s->open);
}

static void on_data(void *ctx, struct session *s, int dir, uint64_t off, uint64_t mono_off,
    const uint8_t *p, size_t len)
{
	(void)ctx, (void)off, (void)mono_off, (void)p;
	must(s->open && s->mono.dir == dir && len > 0);
}

static void on_monologue(void *ctx, struct session *s)
{
	(void)ctx;
	must(s->started && s->mono.dir >= 0);
}

static void on_gap(void *ctx, struct session *s, int dir, uint64_t off, uint64_t len, uint64_t ts)
{
	(void)ctx, (void)dir, (void)off, (void)ts;
	must(s->started && len > 0);
}

static void on_conflict(void *ctx, const struct session *s, int dir, uint64_t off, uint64_t len,
    uint64_t ts)
{
	(void)ctx, (void)dir, (void)off, (void)ts;
	must(s->started && len > 0);
}

static void on_end(void *ctx, struct session *s, enum sess_end why, uint64_t ts)
{
	(void)ctx, (void)why, (void)ts;
	must(s->started && s->open && s->mono.dir < 0);
}

static const struct sess_calls calls = {
	on_start, on_data, on_monologue, on_gap, on_conflict, on_end, NULL
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct sess_params p = {
		.idle_us = 5000000, .max_sessions = 3, .max_buffered = 20000,
		.max_size = 3000, .lim = { 4000, 2000, 1u << 20 }, .verbose_key = NULL
	};
	struct sess_table t;
	struct flow_addr a[4];
	uint64_t now = 1000000;

	for (int i = 0; i < 4; i++) {
		uint8_t v4[4] = { 10, 0, 0, (uint8_t)(i + 1) };

		flow_addr_set_v4(&a[i], v4);
	}
	if (sess_table_init(&t, &p, &calls, NULL) < 0)
		return 0;
	for (size_t i = 0; i + 16 <= size; i += 16) {
		const uint8_t *r = data + i;
		struct sess_pkt pk;
		unsigned pair = r[1] & 3, way = (r[1] >> 2) & 1;
		uint32_t plen = r[15];

		memset(&pk, 0, sizeof pk);
		pk.src = &a[way ? pair : (pair + 1) % 4];
		pk.dst = &a[way ? (pair + 1) % 4 : pair];
		pk.sport = way ? 80 : (uint16_t)(1000 + pair);
		pk.dport = way ? (uint16_t)(1000 + pair) : 80;
		pk.flags = r[0];
		now += (uint64_t)r[2] << 14;
		pk.ts_us = now;
		memcpy(&pk.seq, r + 3, 4);
		memcpy(&pk.ack, r + 7, 4);
		memcpy(&pk.win, r + 11, 2);
		if (plen > size - i - 16)
			plen = (uint32_t)(size - i - 16);
		pk.payload = r + 16;
		pk.caplen = plen;
		pk.wirelen = plen + (r[13] & 7);	/* some cut by a snapshot length */
		sess_table_expire(&t, now);
		sess_table_packet(&t, &pk);
		must(t.budget.used <= p.max_buffered + 70000);
	}
	sess_table_end_all(&t, SESS_END_EOF);
	sess_table_free(&t);
	must(t.budget.used == 0);
	return 0;
}
