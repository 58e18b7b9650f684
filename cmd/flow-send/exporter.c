/* flow-send: encoder by version, pacing, fan-out to the destinations. */
#include <string.h>

#include "exporter.h"
#include "flow/flowproto.h"

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

	x->datagrams++;
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

int exporter_init(struct exporter *x, const struct exporter_options *o, struct dest *dest,
    int ndest)
{
	memset(x, 0, sizeof *x);
	x->dest = dest;
	x->ndest = ndest;
	x->pace = o->pace;
	return nf_encoder_init(&x->enc, &o->enc, send_all, x);
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
	/*
	 * ICMP keeps type/code in dstport, and the other side of a query
	 * answers with the partner type (an echo request's reverse is the
	 * reply); other protocols swap ports
	 */
	if (flow_is_icmp(r->prot)) {
		int back = flow_icmp_partner_type(r->prot, (uint8_t)(r->dstport >> 8));

		if (back >= 0)
			v->dstport = flow_icmp_port((uint8_t)back, (uint8_t)(r->dstport & 0xff));
	} else {
		v->srcport = r->dstport;
		v->dstport = r->srcport;
	}
	v->rdpkts = v->rdoctets = 0;
	v->rfirst = v->rlast = 0;
	v->rtcp_flags = 0;
}

unsigned exporter_add(struct exporter *x, const struct flowrec *r)
{
	unsigned skipped = 1u << nf_encoder_add(&x->enc, r);

	if (r->rdpkts || r->rdoctets) {
		struct flowrec v;

		reverse_of(r, &v);
		x->reverse++;
		skipped |= 1u << nf_encoder_add(&x->enc, &v);
	}
	return skipped & ~(1u << NF_ADD_QUEUED);
}

void exporter_flush(struct exporter *x)
{
	nf_encoder_flush(&x->enc);
	exporter_push(x);
}

bool exporter_pending(const struct exporter *x)
{
	return nf_encoder_pending(&x->enc);
}

void exporter_counts(const struct exporter *x, struct exporter_counts *out)
{
	memset(out, 0, sizeof *out);
	nf_encoder_counters(&x->enc, &out->enc);
	out->reverse = x->reverse;
	out->lost = x->lost;
	for (int i = 0; i < x->ndest; i++) {
		out->refused += x->dest[i].refused;
		out->retries += x->dest[i].retries;
		out->failed += x->dest[i].failed;
	}
}
