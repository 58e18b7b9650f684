/* flow-send: encoder by version, pacing, fan-out to the destinations. */
#include <string.h>

#include "exporter.h"
#include "netflow/ipfix.h"
#include "netflow/netflow_v9.h"

void exporter_push(struct exporter *x)
{
	unsigned lost = x->nbatch;

	if (x->nbatch == 0)
		return;
	/* a datagram counts as lost when no destination took it */
	for (int i = 0; i < x->ndest; i++) {
		unsigned l = dest_send_many(&x->dest[i], x->iov, x->nbatch);

		if (l < lost)
			lost = l;
	}
	x->lost += lost;
	x->nbatch = 0;
}

static int send_all(void *ctx, const uint8_t *buf, size_t len)
{
	struct exporter *x = ctx;
	int ok = 0;

	if (x->pace.gap_ns == 0 && len <= sizeof x->batch[0]) {
		memcpy(x->batch[x->nbatch], buf, len);
		x->iov[x->nbatch].iov_base = x->batch[x->nbatch];
		x->iov[x->nbatch].iov_len = len;
		if (++x->nbatch == DEST_BATCH_MAX)
			exporter_push(x);
		return 0;
	}
	pace_wait(&x->pace);
	for (int i = 0; i < x->ndest; i++)
		if (dest_send(&x->dest[i], buf, len) == 0)
			ok++;
	if (ok == 0) {
		x->lost++;
		return -1;
	}
	return 0;
}

void exporter_init(struct exporter *x, const struct exporter_options *o, struct dest *dest, int ndest)
{
	memset(x, 0, sizeof *x);
	x->version = o->version;
	x->dest = dest;
	x->ndest = ndest;
	x->pace = o->pace;
	if (o->version == 5)
		nf5_encoder_init(&x->v5, &o->v5, send_all, x);
	else if (o->version == 9)
		nf9_encoder_init(&x->tmpl, &o->tmpl, send_all, x);
	else
		ipfix_encoder_init(&x->tmpl, &o->tmpl, send_all, x);
}

static void add_one(struct exporter *x, const struct flowrec *r)
{
	if (x->version == 5)
		nf5_add(&x->v5, r);
	else
		nft_encoder_add(&x->tmpl, r);
}

/* The reverse direction of a paired record, as a record of its own. */
static void reverse_of(const struct flowrec *r, struct flowrec *v)
{
	*v = *r;
	v->srcaddr = r->dstaddr;
	v->dstaddr = r->srcaddr;
	v->input = r->output;
	v->output = r->input;
	v->src_as = r->dst_as;
	v->dst_as = r->src_as;
	v->src_mask = r->dst_mask;
	v->dst_mask = r->src_mask;
	v->dpkts = r->rdpkts;
	v->doctets = r->rdoctets;
	v->tcp_flags = r->rtcp_flags;
	v->first = r->rfirst;
	v->last = r->rlast;
	/* ICMP keeps type/code in dstport; other protocols swap ports */
	if (r->prot != 1 && r->prot != 58) {
		v->srcport = r->dstport;
		v->dstport = r->srcport;
	}
	v->rdpkts = v->rdoctets = 0;
	v->rfirst = v->rlast = 0;
	v->rtcp_flags = 0;
}

void exporter_add(struct exporter *x, const struct flowrec *r)
{
	add_one(x, r);
	if (r->rdpkts || r->rdoctets) {
		struct flowrec v;

		reverse_of(r, &v);
		x->reverse++;
		add_one(x, &v);
	}
}

void exporter_flush(struct exporter *x)
{
	if (x->version == 5)
		nf5_flush(&x->v5);
	else
		nft_encoder_flush(&x->tmpl);
	exporter_push(x);
}

bool exporter_pending(const struct exporter *x)
{
	return x->version == 5 ? nf5_pending(&x->v5) : nft_encoder_pending(&x->tmpl);
}

unsigned long exporter_datagrams(const struct exporter *x)
{
	return x->version == 5 ? x->v5.count.datagrams : x->tmpl.count.datagrams;
}
