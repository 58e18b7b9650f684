/* NetFlow v5 datagrams: decoder and encoder. */
#include <string.h>

#include "base/bytecursor.h"
#include "flow/flowaddr.h"
#include "flow/flowclock.h"
#include "netflow/netflow_v5.h"

/* ---- decoder ---- */

size_t nf5_datagram_len(const uint8_t *p, size_t len)
{
	struct bytecursor c = bc_make(p, len);
	uint16_t version = bc_u16(&c);
	uint16_t count = bc_u16(&c);

	if (len < NF5_HEADER_LEN || version != 5)
		return 0;
	return NF5_HEADER_LEN + (size_t)count * NF5_RECORD_LEN;
}

static void read_v4(struct bytecursor *c, struct flow_addr *a)
{
	const uint8_t *b = bc_bytes(c, 4);

	if (b)
		flow_addr_set_v4(a, b);
}

static void decode_record(struct bytecursor *c, struct flowrec *r)
{
	read_v4(c, &r->srcaddr);
	read_v4(c, &r->dstaddr);
	read_v4(c, &r->nexthop);
	r->input = bc_u16(c);
	r->output = bc_u16(c);
	r->dpkts = bc_u32(c);
	r->doctets = bc_u32(c);
	r->first = bc_u32(c);
	r->last = bc_u32(c);
	r->srcport = bc_u16(c);
	r->dstport = bc_u16(c);
	bc_skip(c, 1);		/* pad1 */
	r->tcp_flags = bc_u8(c);
	r->prot = bc_u8(c);
	r->tos = bc_u8(c);
	r->src_as = bc_u16(c);
	r->dst_as = bc_u16(c);
	r->src_mask = bc_u8(c);
	r->dst_mask = bc_u8(c);
	bc_skip(c, 2);		/* pad2 */
}

int nf5_decode(const uint8_t *p, size_t len, const struct flow_addr *exporter,
    nf_record_fn fn, void *ctx, struct nf_result *res)
{
	struct bytecursor c = bc_make(p, len);
	struct flowrec hdr;
	uint16_t version, count;

	memset(&hdr, 0, sizeof hdr);
	version = bc_u16(&c);
	count = bc_u16(&c);
	hdr.sysuptime = bc_u32(&c);
	hdr.unix_secs = bc_u32(&c);
	hdr.unix_nsecs = bc_u32(&c);
	bc_skip(&c, 4);		/* flow_sequence */
	hdr.engine_type = bc_u8(&c);
	hdr.engine_id = bc_u8(&c);
	bc_skip(&c, 2);		/* sampling_interval */
	if (c.bad) {
		nf_result_error(res, 0,
		    "v5 datagram of %zu bytes is shorter than its %d-byte header", len,
		    NF5_HEADER_LEN);
		return -1;
	}
	if (version != 5) {
		nf_result_error(res, 0, "version %u, not 5", version);
		return -1;
	}
	if (count > NF5_MAX_RECORDS) {
		nf_result_error(res, 2, "v5 record count %u is above %d", count, NF5_MAX_RECORDS);
		return -1;
	}
	if (len != NF5_HEADER_LEN + (size_t)count * NF5_RECORD_LEN) {
		nf_result_error(res, len, "v5 datagram of %zu bytes, but %u records need %zu",
		    len, count, NF5_HEADER_LEN + (size_t)count * NF5_RECORD_LEN);
		return -1;
	}
	if (hdr.unix_nsecs > 999999999u) {
		nf_result_error(res, 12, "v5 unix_nsecs %u is above 999999999", hdr.unix_nsecs);
		return -1;
	}
	if (exporter) {
		hdr.exaddr = *exporter;
	} else {
		static const uint8_t zero[4];

		flow_addr_set_v4(&hdr.exaddr, zero);
	}
	for (unsigned i = 0; i < count; i++) {
		struct flowrec r = hdr;

		decode_record(&c, &r);
		fn(ctx, &r);
		res->records++;
	}
	return count;
}

/* ---- encoder ---- */

static void write_v4(struct bytewriter *w, const struct flow_addr *a)
{
	static const uint8_t zero[4];

	/* an IPv6 next hop on an IPv4 flow has no v5 form: 0.0.0.0 */
	bw_bytes(w, a->family == FLOW_AF_INET6 ? zero : a->bytes, 4);
}

/* RFC 6793: a 4-byte AS in a 2-byte field is AS_TRANS. */
static uint16_t as16(uint32_t as)
{
	return as > UINT16_MAX ? NF5_AS_TRANS : (uint16_t)as;
}

/* v9/IPFIX interface indexes are 32-bit; v5's 16: the largest says "more". */
static uint16_t ifindex16(uint32_t ifindex)
{
	return ifindex > UINT16_MAX ? NF5_IFINDEX_MAX : (uint16_t)ifindex;
}

/*
 * The nanoseconds below the millisecond of the export moment: the header's
 * unix_nsecs is the residual of unix_secs in ns, the clock counts ms; the
 * latest record exported in that ms has them.
 */
static uint32_t sub_ms_ns(const struct flowrec *rec, unsigned n, uint64_t export_ms)
{
	uint32_t ns = 0;

	for (unsigned i = 0; i < n; i++)
		if (flow_export_ms(&rec[i]) == export_ms && rec[i].unix_nsecs % 1000000u > ns)
			ns = rec[i].unix_nsecs % 1000000u;
	return ns;
}

size_t nf5_encode(const struct flowrec *rec, unsigned n, const struct nf5_options *hdr,
    uint8_t engine_type, uint8_t engine_id, uint32_t flow_sequence, uint8_t *out)
{
	struct bytewriter w = bw_make(out, NF5_MAX_LEN);
	struct nf_export_clock clock;
	uint64_t export_ms;

	if (n > NF5_MAX_RECORDS)
		n = NF5_MAX_RECORDS;
	nf_export_clock_reset(&clock);
	for (unsigned i = 0; i < n; i++)
		nf_export_clock_add(&clock, &rec[i], 1);
	export_ms = nf_export_clock_export_ms(&clock, 1);

	bw_u16(&w, 5);
	bw_u16(&w, (uint16_t)n);
	bw_u32(&w, nf_export_clock_uptime(&clock, export_ms));
	bw_u32(&w, (uint32_t)(export_ms / 1000));
	bw_u32(&w, (uint32_t)(export_ms % 1000) * 1000000u + sub_ms_ns(rec, n, export_ms));
	bw_u32(&w, flow_sequence);
	bw_u8(&w, engine_type);
	bw_u8(&w, engine_id);
	bw_u16(&w, hdr->sampling);
	for (unsigned i = 0; i < n; i++) {
		const struct flowrec *r = &rec[i];

		write_v4(&w, &r->srcaddr);
		write_v4(&w, &r->dstaddr);
		write_v4(&w, &r->nexthop);
		bw_u16(&w, ifindex16(r->input));
		bw_u16(&w, ifindex16(r->output));
		bw_u32(&w, (uint32_t)r->dpkts);
		bw_u32(&w, (uint32_t)r->doctets);
		bw_u32(&w, nf_export_clock_uptime(&clock, flow_first_ms(r)));
		bw_u32(&w, nf_export_clock_uptime(&clock, flow_last_ms(r)));
		bw_u16(&w, r->srcport);
		bw_u16(&w, r->dstport);
		bw_u8(&w, 0);
		bw_u8(&w, r->tcp_flags);
		bw_u8(&w, r->prot);
		bw_u8(&w, r->tos);
		bw_u16(&w, as16(r->src_as));
		bw_u16(&w, as16(r->dst_as));
		bw_u8(&w, r->src_mask);
		bw_u8(&w, r->dst_mask);
		bw_u16(&w, 0);
	}
	return w.pos;
}

void nf5_encoder_init(struct nf5_encoder *e, const struct nf5_options *opt, nf_emit_fn emit,
    void *ctx)
{
	memset(e, 0, sizeof *e);
	e->opt = *opt;
	e->emit = emit;
	e->ctx = ctx;
	nf_export_clock_reset(&e->clock);
}

int nf5_flush(struct nf5_encoder *e)
{
	uint8_t buf[NF5_MAX_LEN];
	size_t len;
	int rc = 0;

	if (e->n == 0)
		return 0;
	len = nf5_encode(e->rec, e->n, &e->opt, e->engine_type, e->engine_id, e->flow_sequence,
	    buf);
	if (e->emit(e->ctx, buf, len) != 0) {
		e->count.emit_failed++;
		rc = -1;
	}
	e->count.datagrams++;
	e->count.sent += e->n;
	e->flow_sequence += e->n;
	e->n = 0;
	nf_export_clock_reset(&e->clock);
	return rc;
}

/* Queues one v5-sized record, sending the pending datagram first when r cannot join it. */
static void queue(struct nf5_encoder *e, const struct flowrec *r)
{
	uint8_t et = e->opt.engine_fixed ? e->opt.engine_type : r->engine_type;
	uint8_t ei = e->opt.engine_fixed ? e->opt.engine_id : r->engine_id;

	if (e->n > 0 && (et != e->engine_type || ei != e->engine_id ||
	    !nf_export_clock_fits(&e->clock, r, 1)))
		nf5_flush(e);
	e->engine_type = et;
	e->engine_id = ei;
	e->rec[e->n++] = *r;
	nf_export_clock_add(&e->clock, r, 1);
	if (e->n == NF5_MAX_RECORDS)
		nf5_flush(e);
}

/* Share i of parts of total, so the parts add up to total exactly. */
static uint64_t share(uint64_t total, uint64_t parts, uint64_t i)
{
	return total / parts + (i < total % parts ? 1 : 0);
}

unsigned nf5_add(struct nf5_encoder *e, const struct flowrec *r)
{
	uint64_t parts, pp, po, cap;
	struct flowrec part;

	e->count.records++;
	if (r->srcaddr.family != FLOW_AF_INET || r->dstaddr.family != FLOW_AF_INET) {
		e->count.skipped_v6++;
		return 0;
	}
	if (r->input > UINT16_MAX || r->output > UINT16_MAX || r->src_as > UINT16_MAX ||
	    r->dst_as > UINT16_MAX)
		e->count.narrowed++;
	pp = r->dpkts / UINT32_MAX + (r->dpkts % UINT32_MAX ? 1 : 0);
	po = r->doctets / UINT32_MAX + (r->doctets % UINT32_MAX ? 1 : 0);
	parts = pp > po ? pp : po;
	if (parts <= 1) {
		queue(e, r);
		return 1;
	}
	/*
	 * each v5 record is a part of the flow and carries at least one of
	 * its packets; beyond 4 TB a flow, or beyond 4 GB a packet: send the
	 * most v5 can hold, and say so
	 */
	cap = r->dpkts > 0 && r->dpkts < NF5_MAX_SPLIT ? r->dpkts : NF5_MAX_SPLIT;
	if (parts > cap) {
		parts = cap;
		e->count.truncated++;
	}
	if (parts > 1)
		e->count.split++;
	part = *r;
	for (uint64_t i = 0; i < parts; i++) {
		uint64_t sp = share(r->dpkts, parts, i), so = share(r->doctets, parts, i);

		part.dpkts = sp < UINT32_MAX ? sp : UINT32_MAX;
		part.doctets = so < UINT32_MAX ? so : UINT32_MAX;
		queue(e, &part);
	}
	return (unsigned)parts;
}
