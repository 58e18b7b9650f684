/* Waiting records in fewer bytes (see waitrec.h). */
#include <string.h>

#include "waitrec.h"

/* An IPv4 address whose unused bytes are zero, as the reader leaves them. */
static bool plain_v4(const struct flow_addr *a)
{
	static const uint8_t zero[12];

	return a->family == FLOW_AF_INET && memcmp(a->bytes + 4, zero, sizeof zero) == 0;
}

bool waitrec_packs(const struct flowrec *r)
{
	return plain_v4(&r->exaddr) && plain_v4(&r->srcaddr) && plain_v4(&r->dstaddr) &&
	    plain_v4(&r->nexthop) && r->rdpkts == 0 && r->rdoctets == 0 && r->rfirst == 0 &&
	    r->rlast == 0 && r->rtcp_flags == 0 && r->tunnel_id == 0;
}

void waitrec_pack(struct waitrec_packed *p, const struct flowrec *r)
{
	*p = (struct waitrec_packed){
		.dpkts = r->dpkts, .doctets = r->doctets,
		.unix_secs = r->unix_secs, .unix_nsecs = r->unix_nsecs,
		.sysuptime = r->sysuptime, .first = r->first, .last = r->last,
		.input = r->input, .output = r->output, .src_as = r->src_as, .dst_as = r->dst_as,
		.srcport = r->srcport, .dstport = r->dstport,
		.engine_type = r->engine_type, .engine_id = r->engine_id, .prot = r->prot,
		.tos = r->tos, .tcp_flags = r->tcp_flags, .src_mask = r->src_mask,
		.dst_mask = r->dst_mask,
	};
	memcpy(p->exaddr, r->exaddr.bytes, 4);
	memcpy(p->srcaddr, r->srcaddr.bytes, 4);
	memcpy(p->dstaddr, r->dstaddr.bytes, 4);
	memcpy(p->nexthop, r->nexthop.bytes, 4);
}

void waitrec_unpack(struct flowrec *r, const struct waitrec_packed *p)
{
	flowrec_clear(r);	/* the padding too (see waitrec.h) */
	r->dpkts = p->dpkts;
	r->doctets = p->doctets;
	r->unix_secs = p->unix_secs;
	r->unix_nsecs = p->unix_nsecs;
	r->sysuptime = p->sysuptime;
	r->first = p->first;
	r->last = p->last;
	r->input = p->input;
	r->output = p->output;
	r->src_as = p->src_as;
	r->dst_as = p->dst_as;
	r->srcport = p->srcport;
	r->dstport = p->dstport;
	r->engine_type = p->engine_type;
	r->engine_id = p->engine_id;
	r->prot = p->prot;
	r->tos = p->tos;
	r->tcp_flags = p->tcp_flags;
	r->src_mask = p->src_mask;
	r->dst_mask = p->dst_mask;
	r->exaddr.family = r->srcaddr.family = r->dstaddr.family = r->nexthop.family = FLOW_AF_INET;
	memcpy(r->exaddr.bytes, p->exaddr, 4);
	memcpy(r->srcaddr.bytes, p->srcaddr, 4);
	memcpy(r->dstaddr.bytes, p->dstaddr, 4);
	memcpy(r->nexthop.bytes, p->nexthop, 4);
}
