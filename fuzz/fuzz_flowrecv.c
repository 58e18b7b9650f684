/*
 * libFuzzer target: flow-recv's decode path (cmd/flow-recv/collector.c)
 * with everything it keeps across datagrams: templates, held data sets,
 * sampling rates, export streams and their sequence state, the times
 * check. The input is a run of datagrams from two exporters
 * (datagram_run.h). Every record written must have been counted.
 */
#include <stdlib.h>

#include "../cmd/flow-recv/collector.h"
#include "datagram_run.h"

static void count(void *ctx, const struct flowrec *r)
{
	(void)r;
	(*(unsigned long long *)ctx)++;
}

static void one(void *ctx, const uint8_t *p, size_t len, const struct flow_addr *exporter,
    uint16_t port)
{
	collector_datagram(ctx, p, len, exporter, port, "fuzz");
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct collector_opts o = { true, TEMPLATE_LIFETIME_DEFAULT, true };
	struct collector col;
	unsigned long long n = 0;

	if (collector_init(&col, &o, count, &n) != 0)
		return 0;
	fuzz_datagram_run(data, size, one, &col);
	collector_finish(&col);
	if (col.n.records != n)
		abort();
	collector_free(&col);
	return 0;
}
