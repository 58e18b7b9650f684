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

#include "datagram_run.h"
#include "netflow/nf_datagram.h"

static void count(void *ctx, const struct flowrec *r)
{
	(void)r;
	(*(unsigned *)ctx)++;
}

/* One datagram: the records it reports must be the ones delivered, a rejection must say why. */
static void one(void *ctx, const uint8_t *p, size_t len, const struct flow_addr *exporter,
    uint16_t port)
{
	struct nf_result res;
	unsigned n = 0;
	int rc;

	nf_result_clear(&res);
	rc = nf_decode_datagram(ctx, p, len, exporter, port, count, &n, &res);
	if ((rc < 0 && res.err[0] == '\0') || res.records != n || (rc >= 0 && (unsigned)rc != n))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct nf_decoder d;

	if (nf_decoder_init(&d, 8, 0) != 0)
		return 0;
	fuzz_datagram_run(data, size, one, &d);
	nf_decoder_free(&d);
	return 0;
}
