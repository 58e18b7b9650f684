/* pcap-sessions' reassembly buffer: order, wrap, overlaps, gaps, bounds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../cmd/pcap-sessions/reasm.h"
#include "tap.h"

#define OUT_MAX (1 << 20)

struct sink {
	uint8_t out[OUT_MAX];
	uint64_t out_len;		/* bytes delivered (and the offset they should start at) */
	uint64_t bad_offsets;
	uint64_t gap_off[8], gap_len[8];
	unsigned gaps;
	uint64_t conf_off[8], conf_len[8];
	unsigned conflicts;
	bool keep;			/* copy what is delivered */
};

static void on_data(void *ctx, uint64_t off, const uint8_t *p, size_t len)
{
	struct sink *s = ctx;

	if (off < s->out_len)
		s->bad_offsets++;	/* delivery never goes back */
	if (s->keep && off + len <= OUT_MAX)
		memcpy(s->out + off, p, len);
	s->out_len = off + len;
}

static void on_gap(void *ctx, uint64_t off, uint64_t len)
{
	struct sink *s = ctx;

	if (s->gaps < 8) {
		s->gap_off[s->gaps] = off;
		s->gap_len[s->gaps] = len;
	}
	s->gaps++;
}

static void on_conflict(void *ctx, uint64_t off, uint64_t len)
{
	struct sink *s = ctx;

	if (s->conflicts < 8) {
		s->conf_off[s->conflicts] = off;
		s->conf_len[s->conflicts] = len;
	}
	s->conflicts++;
}

static const struct reasm_calls calls = { on_data, on_gap, on_conflict };
static struct reasm_limits lim = { 1 << 20, 1 << 16, 1ull << 30 };
static struct reasm_budget budget;
static uint8_t src[1 << 16];

static struct sink *fresh(struct reasm *r, uint32_t base)
{
	struct sink *s = calloc(1, sizeof *s);

	s->keep = true;
	reasm_init(r, &budget, &lim, &calls, s);
	reasm_set_base(r, base);
	return s;
}

static void done(struct reasm *r, struct sink *s)
{
	reasm_free(r);
	free(s);
}

static void test_in_order_across_wrap(void)
{
	struct reasm r;
	struct sink *s = fresh(&r, 0xFFFFFF00u);

	for (uint32_t o = 0; o < 4000; o += 500)
		OK(reasm_segment(&r, 0xFFFFFF00u + o, src + o, 500) == REASM_NEW,
		    "in order at %u", o);
	IS_U(s->out_len, 4000, "4000 bytes delivered across 2^32");
	OK(memcmp(s->out, src, 4000) == 0, "the same bytes");
	IS_U(reasm_offset(&r, 0x00000000u), 256, "seq 0 is offset 256");
	done(&r, s);
}

static void test_out_of_order(void)
{
	struct reasm r;
	struct sink *s = fresh(&r, 1000);

	OK(reasm_segment(&r, 3000, src + 2000, 1000) == REASM_NEW, "third held");
	OK(reasm_segment(&r, 2000, src + 1000, 1000) == REASM_NEW, "second held");
	IS_U(s->out_len, 0, "nothing delivered before the hole fills");
	IS_U(r.held_bytes, 2000, "2000 bytes held");
	OK(reasm_segment(&r, 1000, src, 1000) == REASM_NEW, "first fills the hole");
	IS_U(s->out_len, 3000, "all delivered");
	OK(memcmp(s->out, src, 3000) == 0, "in order");
	IS_U(r.held_bytes, 0, "nothing held");
	done(&r, s);
}

static void test_overlaps(void)
{
	struct reasm r;
	struct sink *s = fresh(&r, 0);
	uint8_t bad[600];

	reasm_segment(&r, 2000, src + 2000, 1000);	/* held */
	memcpy(bad, src + 2500, sizeof bad);
	bad[100] ^= 0xFF;
	bad[109] ^= 0xFF;
	OK(reasm_segment(&r, 2500, bad, 600) == REASM_NEW, "overlap of held and new bytes");
	IS_U(s->conflicts, 1, "one conflict");
	IS_U(s->conf_off[0], 2600, "at offset 2600");
	IS_U(s->conf_len[0], 10, "10 bytes from first to last different byte");
	reasm_segment(&r, 0, src, 2000);
	IS_U(s->out_len, 3100, "delivered through the new tail");
	OK(memcmp(s->out, src, 3100) == 0, "the first copy won");
	/* a retransmission of delivered bytes: same, then different */
	OK(reasm_segment(&r, 100, src + 100, 300) == REASM_OLD, "old bytes");
	IS_U(s->conflicts, 1, "same bytes: no conflict");
	memcpy(bad, src + 1000, 50);
	bad[0] ^= 1;
	reasm_segment(&r, 1000, bad, 50);
	IS_U(s->conflicts, 2, "different bytes in the history: conflict");
	IS_U(s->conf_off[1], 1000, "at 1000");
	IS_U(s->conf_len[1], 1, "one byte");
	reasm_acked(&r, 3100);
	IS_U(r.hist_bytes, 0, "acknowledged history goes");
	reasm_segment(&r, 1000, bad, 50);
	IS_U(s->conflicts, 2, "behind the history: not comparable");
	IS_U(r.old_bytes, 50, "counted as old");
	done(&r, s);
}

static void test_gaps(void)
{
	struct reasm r;
	struct sink *s = fresh(&r, 500);

	reasm_segment(&r, 500, src, 100);
	reasm_segment(&r, 900, src + 400, 100);
	reasm_skip(&r, 450);	/* inside the held bytes */
	IS_U(s->gaps, 1, "skip: one gap");
	IS_U(s->gap_off[0], 100, "from 100");
	IS_U(s->gap_len[0], 300, "up to the held bytes");
	IS_U(s->out_len, 500, "held bytes delivered after the gap");
	reasm_finish(&r, 800);
	IS_U(s->gaps, 2, "finish: a FIN beyond the data is a gap too");
	IS_U(s->gap_off[1], 500, "from 500");
	IS_U(s->gap_len[1], 300, "to the FIN");
	IS_U(r.gap_bytes, 600, "600 missing");
	done(&r, s);
}

static void test_bounds(void)
{
	struct reasm r;
	struct sink *s = fresh(&r, 0);
	size_t before = budget.used;

	OK(reasm_segment(&r, 0x7FFFFFF0u, src, 100) == REASM_REFUSED, "2 GiB ahead: refused");
	OK(reasm_segment(&r, (1u << 30) - 100, src, 100) == REASM_NEW, "1 GiB ahead: held");
	OK(budget.used - before < 200, "holding it costs its own bytes, not the distance");
	reasm_free(&r);
	IS_U(budget.used, before, "freed");
	free(s);
	s = fresh(&r, 0);
	for (uint32_t o = 1000; o < (1u << 20) + 20000; o += 10000)
		reasm_segment(&r, o, src, 10000);
	OK(r.held_bytes <= lim.max_held, "held bytes stay under max_held");
	IS_U(s->gaps, 1, "the first hole was given up");
	IS_U(s->gap_off[0], 0, "at 0");
	IS_U(s->gap_len[0], 1000, "its length");
	done(&r, s);
}

static void test_over_4gib(void)
{
	struct reasm r;
	struct sink *s;
	const uint64_t total = 5ull << 30;
	const struct reasm_limits nohist = { 1 << 20, 0, 1ull << 30 };
	uint32_t seq = 0xFFFF0000u;

	s = calloc(1, sizeof *s);
	reasm_init(&r, &budget, &nohist, &calls, s);
	reasm_set_base(&r, seq);
	for (uint64_t o = 0; o < total; o += sizeof src, seq += sizeof src)
		reasm_segment(&r, seq, src, sizeof src);
	IS_U(s->out_len, total, "5 GiB delivered, 64-bit offsets");
	IS_U(r.next, total, "next offset past 4 GiB");
	OK(reasm_segment(&r, seq - 100, src, 100) == REASM_OLD, "an old copy near the end is old");
	done(&r, s);
}

/* Segments in a random order, some twice, some overlapping: the same bytes come out. */
static void test_random_orders(void)
{
	uint64_t rng = 42;

	for (int round = 0; round < 200; round++) {
		struct reasm r;
		struct sink *s = fresh(&r, (uint32_t)(round * 0x1357913u));
		uint32_t cut[65], n = 1 + round % 64;
		uint32_t order[130];

		cut[0] = 0;
		for (uint32_t i = 1; i <= n; i++)
			cut[i] = (uint32_t)(i * (sizeof src / n));
		for (uint32_t i = 0; i < 2 * n; i++)
			order[i] = i % n;
		for (uint32_t i = 2 * n - 1; i > 0; i--) {
			uint32_t j, t;

			rng = rng * 6364136223846793005ull + 1442695040888963407ull;
			j = (uint32_t)(rng >> 33) % (i + 1);
			t = order[i];
			order[i] = order[j];
			order[j] = t;
		}
		for (uint32_t i = 0; i < 2 * n; i++) {
			uint32_t k = order[i], a = cut[k], b = k + 1 < n ?
			    cut[k + 2 > n ? n : k + 2] : cut[n];

			if (i % 3 == 0)
				b = cut[k + 1];	/* exact segment */
			reasm_segment(&r, r.base + a, src + a, b - a);
		}
		if (s->out_len != cut[n] || memcmp(s->out, src, cut[n]) != 0 || s->conflicts ||
		    s->gaps || s->bad_offsets) {
			OK(0, "round %d: %u segments", round, n);
			done(&r, s);
			return;
		}
		done(&r, s);
	}
	OK(1, "200 random orders with repeats and overlaps: the same bytes, no conflict");
	IS_U(budget.used, 0, "every chunk freed");
}

int main(void)
{
	for (size_t i = 0; i < sizeof src; i++)
		src[i] = (uint8_t)(i * 7 + (i >> 8) * 13);
	test_in_order_across_wrap();
	test_out_of_order();
	test_overlaps();
	test_gaps();
	test_bounds();
	test_over_4gib();
	test_random_orders();
	return tap_done();
}
