/*
 * The body of the v9 and IPFIX fuzz targets, which differ only in their
 * decoder and encoder: the includer defines FUZZ_DECODE (nf9_decode or
 * ipfix_decode) and FUZZ_ENCODER_INIT first. The input is decoded four
 * times against one small cache (templates learnt in a pass serve the
 * data of the next), from two exporters so the cache evicts; every
 * record it yields that the same version's encoder takes must come back.
 */
#ifndef FUZZ_TEMPLATE_ROUNDTRIP_H
#define FUZZ_TEMPLATE_ROUNDTRIP_H

#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"

struct got {
	unsigned n, back, refused;
	struct nft_encoder enc;
};

/*
 * A record the encoder cannot carry (IPFIX: a time before 1970, which a
 * decoded uptime can give) is counted there and not sent: it does not
 * come back. Every other one must.
 */
static void take(void *ctx, const struct flowrec *r)
{
	struct got *g = ctx;

	if (nft_encoder_add(&g->enc, r))
		g->n++;
	else
		g->refused++;
}

static void count(void *ctx, const struct flowrec *r)
{
	(void)r;
	((struct got *)ctx)->back++;
}

static int redecode(void *ctx, const uint8_t *p, size_t len)
{
	struct got *g = ctx;
	struct nft_cache cache;
	struct nf_result res;
	unsigned before = g->back;

	nft_cache_init(&cache, 0);
	nf_result_clear(&res);
	/* every datagram of the encoder carries its templates (refresh 1) */
	if (FUZZ_DECODE(&cache, p, len, NULL, 0, count, g, &res) < 0 || g->back == before)
		abort();
	nft_cache_free(&cache);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct got g;
	struct nft_enc_options opt = { .refresh_packets = 1 };
	struct nft_cache cache;
	struct nf_result res;
	struct flow_addr ex[2];
	static const uint8_t a4[4] = { 127, 0, 0, 1 }, b4[4] = { 127, 0, 0, 2 };
	uint8_t *p = malloc(size ? size : 1);

	if (p == NULL)
		return 0;
	memcpy(p, data, size);
	flow_addr_set_v4(&ex[0], a4);
	flow_addr_set_v4(&ex[1], b4);
	memset(&g, 0, sizeof g);
	FUZZ_ENCODER_INIT(&g.enc, &opt, redecode, &g);
	nft_cache_init(&cache, 4);
	for (int pass = 0; pass < 4; pass++) {
		nf_result_clear(&res);
		/* passes 0/1 and 2/3: two exporters; 0/2 and 1/3 differ in port too */
		if (FUZZ_DECODE(&cache, p, size, &ex[pass & 1], (uint16_t)(pass < 2 ? 2055 : 4739),
		    take, &g, &res) < 0 &&
		    res.err[0] == '\0')
			abort();
	}
	nft_encoder_flush(&g.enc);
	/* refused only for the reason it counts: a time before 1970 */
	if (g.back != g.n || g.refused != g.enc.count.before_epoch)
		abort();
	nft_cache_free(&cache);
	free(p);
	return 0;
}

#endif
