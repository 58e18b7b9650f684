/*
 * libFuzzer target: the NetFlow v5 decoder. Any bytes are one datagram;
 * whatever it accepts must survive the encoder unchanged (all fields,
 * first/last as absolute times), and a rejection must say why.
 */
#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "flow/flowclock.h"
#include "netflow/netflow_v5.h"

struct got {
	struct flowrec rec[NF5_MAX_RECORDS];
	unsigned n;
};

static void take(void *ctx, const struct flowrec *r)
{
	struct got *g = ctx;

	if (g->n >= NF5_MAX_RECORDS)
		abort();
	g->rec[g->n++] = *r;
}

static bool same(const struct flowrec *a, const struct flowrec *b)
{
	return a->dpkts == b->dpkts && a->doctets == b->doctets && a->input == b->input &&
	    a->output == b->output && a->srcport == b->srcport && a->dstport == b->dstport &&
	    a->prot == b->prot && a->tos == b->tos && a->tcp_flags == b->tcp_flags &&
	    a->src_mask == b->src_mask && a->dst_mask == b->dst_mask && a->src_as == b->src_as &&
	    a->dst_as == b->dst_as && a->engine_type == b->engine_type &&
	    a->engine_id == b->engine_id &&
	    flow_addr_equal(&a->srcaddr, &b->srcaddr) &&
	    flow_addr_equal(&a->dstaddr, &b->dstaddr) &&
	    flow_addr_equal(&a->nexthop, &b->nexthop) &&
	    flow_first_ms(a) == flow_first_ms(b) && flow_last_ms(a) == flow_last_ms(b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct got a, b;
	struct nf_result res;
	struct nf5_options opt = { 0 };
	uint8_t out[NF5_MAX_LEN];
	/* an exact-size copy, so reading past the end is caught */
	uint8_t *p = malloc(size ? size : 1);
	size_t len;

	if (p == NULL)
		return 0;
	memcpy(p, data, size);
	a.n = b.n = 0;
	nf_result_clear(&res);
	if (nf5_decode(p, size, NULL, take, &a, &res) < 0) {
		if (res.err[0] == '\0' || a.n != 0)
			abort();
		free(p);
		return 0;
	}
	if (a.n > 0) {
		len = nf5_encode(a.rec, a.n, &opt, a.rec[0].engine_type, a.rec[0].engine_id, 0,
		    out);
		nf_result_clear(&res);
		if (nf5_decode(out, len, NULL, take, &b, &res) != (int)a.n)
			abort();
		for (unsigned i = 0; i < a.n; i++)
			if (!same(&a.rec[i], &b.rec[i]))
				abort();
	}
	free(p);
	return 0;
}
