/*
 * pcap-flows: packets in through the capture module (saved captures or a
 * live interface), NetFlow-style flow lines out. See pcap-flows(1).
 */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/runsignals.h"
#include "flow/flowclock.h"
#include "fragports.h"
#include "line/flowline.h"
#include "line/toolopts.h"
#include "options.h"
#include "packet/capture.h"
#include "packet/pkt_tally.h"
#include "packet/pktdecode.h"

#define PROG "pcap-flows"
#define MAX_PACKET_MESSAGES 20	/* then bad packets are only counted */

struct counters {
	struct pkt_tally pkts;		/* what pkt_decode said */
	unsigned long long ip, frag_orphans;
	unsigned long long decapsulated;	/* counted as the packet inside a tunnel */
	/* a tunnel header or inner packet cut or broken: counted as the outer flow */
	unsigned long long tunnel_faults[PKT_TUN_KINDS];
	unsigned long long tunnel_broken;	/* of those, captured whole: bad data */
};

struct run {
	const struct options *o;
	struct capture *cap;
	struct flow_table ft;
	struct frag_table frags;
	struct flow_writer w;
	struct counters n;
	uint64_t clock_ms, boot_ms;
	bool clock_set, live, fatal;
	struct diag_quota messages;	/* bad packets shown */
	/* what the tables counted before a file that started them again */
	size_t peak_before;
	unsigned long long evicted_before, forgotten_before;
};

/* A fault that ends the run (output, memory): exit 2. */
static void fatal(struct run *r)
{
	r->fatal = true;
	if (r->cap)
		capture_stop(r->cap);
}

/*
 * The moment a record is written at. The end of input (or a stop) and a
 * full table write at the capture's clock; a flow whose inactive timeout
 * had passed by then, but which the lazy expiry scan had not reached yet,
 * gets that deadline instead, as when the scan finds it in time: the
 * export time never depends on when the scan came to the flow.
 */
static uint64_t export_moment(const struct run *r, const struct flow_entry *f,
    uint64_t now_ms, enum flow_reason why)
{
	uint64_t deadline = f->last_ms + r->o->params.inactive_ms;

	if ((why == FLOW_FLUSHED || why == FLOW_EVICTED) && deadline < now_ms)
		return deadline;
	return now_ms;
}

static void emit(void *ctx, const struct flow_entry *f, uint64_t now_ms, enum flow_reason why)
{
	struct run *r = ctx;
	struct flowrec rec;

	now_ms = export_moment(r, f, now_ms, why);
	if (r->fatal)
		return;
	flowrec_clear(&rec);
	rec.dpkts = f->pkts;
	rec.doctets = f->octets;
	rec.exaddr = r->o->exaddr;
	rec.engine_type = r->o->engine_type;
	rec.engine_id = r->o->engine_id;
	rec.srcaddr = f->key.src;
	rec.dstaddr = f->key.dst;
	rec.nexthop.family = f->key.src.family;
	rec.input = f->ifindex;
	rec.srcport = f->key.sport;
	rec.dstport = f->key.dport;
	rec.prot = f->key.proto;
	rec.tos = f->tos;
	rec.tcp_flags = f->tcp_flags;
	rec.tunnel_id = f->tunnel_id;
	flow_set_clock(&rec, now_ms, (uint32_t)(now_ms - r->boot_ms));
	flow_set_first_last(&rec, f->first_ms, f->last_ms);
	if (flow_write(&r->w, &rec) < 0) {
		diag_warn_errno("write error");
		fatal(r);
	}
}

/* The capture's clock only moves forward; it ages fragments (the flow table keeps its own). */
static void advance_clock(struct run *r, uint64_t ms)
{
	if (!r->clock_set) {
		r->clock_set = true;
		r->clock_ms = ms;
		r->boot_ms = ms;	/* uptime 0 at the first packet (live: the first tick) */
		return;
	}
	if (ms <= r->clock_ms)
		return;
	r->clock_ms = ms;
	frag_expire(&r->frags, ms);
}

/* Live: the wall clock expires flows when no packets come. */
static void on_tick(void *ctx, uint64_t wall_us)
{
	struct run *r = ctx;
	uint64_t now = wall_us / 1000u;

	advance_clock(r, now);
	flow_table_expire(&r->ft, now);
}

/*
 * A bad packet is counted by the caller and shown here (the first
 * MAX_PACKET_MESSAGES of them); --strict stops at it.
 */
static void bad_packet(struct run *r, const char *fmt, ...) DIAG_PRINTF(2, 3);
static void bad_packet(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vwarn_quota(&r->messages, fmt, ap);
	va_end(ap);
	if (r->o->strict)
		capture_stop(r->cap);
}

static void bad_decode(struct run *r, const struct capture_pkt *p, const struct pkt_info *pi)
{
	bad_packet(r, "%s: packet %llu: %s at byte %zu", p->source, p->num, pi->why, pi->where);
}

/*
 * A record's unix_secs is 32 bits: a packet from 2106-02-07 06:28:16 UTC
 * on (pcapng can say so) has no flow; it is counted as undecodable.
 */
static bool time_fits(struct run *r, const struct capture_pkt *p)
{
	uint64_t secs = p->ts_us / 1000000u;

	if (secs <= UINT32_MAX)
		return true;
	r->n.pkts.undecodable++;
	bad_packet(r, "%s: packet %llu: time %llu s is past 2106-02-07, "
	    "the end of the flow format's unix_secs", p->source, p->num, (unsigned long long)secs);
	return false;
}

/* Counts what the decoder says; false when the packet has no flow. */
static bool classify(struct run *r, enum pkt_status st, const struct pkt_info *pi,
    const struct capture_pkt *p)
{
	bool bad;
	bool keyed = pkt_tally_count(&r->n.pkts, st, p->caplen, p->wirelen, &bad);

	if (bad)
		bad_decode(r, p, pi);
	return keyed;
}

/* Found by UDP port alone: a datagram that fails the header's rules may be no tunnel. */
static bool udp_tunnel(enum pkt_tunnel kind)
{
	return kind == PKT_TUN_VXLAN || kind == PKT_TUN_GENEVE || kind == PKT_TUN_GTPU ||
	    kind == PKT_TUN_MPLS_UDP;
}

/*
 * The tunnels come off (unless --tunnels outer). A tunnel that cannot be
 * taken off leaves the outer packet, counted by the tunnel's kind; unless
 * the snapshot length cut it or only its UDP port named it, it is bad
 * data and shown.
 */
static enum pkt_status decap(struct run *r, const struct capture_pkt *p, enum pkt_status st,
    struct pkt_info *pi)
{
	if (r->o->tunnels_outer)
		return st;
	st = pkt_decap(p->bytes, p->caplen, p->wirelen, st, pi);
	if (pi->tunnels)
		r->n.decapsulated++;
	if (!pi->tunnel_fault)
		return st;
	r->n.tunnel_faults[pi->tunnel_kind]++;
	if (pi->tunnel_cut || udp_tunnel((enum pkt_tunnel)pi->tunnel_kind))
		return st;
	r->n.tunnel_broken++;
	bad_packet(r, "%s: packet %llu: %s at byte %zu (counted as the outer flow)",
	    p->source, p->num, pi->why, pi->where);
	return st;
}

/* Later fragments take the ports of their first; false when the run must end. */
static bool fragment_ports(struct run *r, const struct pkt_info *pi, struct pkt_brief *b)
{
	if (pi->frag_later) {
		if (!frag_lookup(&r->frags, &pi->src, &pi->dst, pi->proto, pi->frag_id,
		    &b->sport, &b->dport, r->clock_ms))
			r->n.frag_orphans++;
		return true;
	}
	if (pi->is_frag && pi->has_ports &&
	    frag_remember(&r->frags, &pi->src, &pi->dst, pi->proto, pi->frag_id,
	    pi->sport, pi->dport, r->clock_ms) < 0)
		return false;
	return true;
}

/*
 * A packet with a flow: its key (VLAN and tunnel id as -T asks) and what
 * it adds. tunnel_id and frame_ifindex: the decoder's, 0 when it has none.
 */
static void count_keyed(struct run *r, const struct capture_pkt *p, uint64_t ts,
    const struct pkt_brief *b, uint32_t tunnel_id, uint32_t frame_ifindex)
{
	struct flow_key k;
	struct flow_pkt pk = {
		.ts_ms = ts, .octets = b->l3_len, .tunnel_id = tunnel_id,
		.tos = b->tos, .tcp_flags = b->tcp_flags,
		.ifindex = r->o->have_ifindex ? r->o->ifindex :
		    frame_ifindex ? frame_ifindex : p->ifindex
	};

	memset(&k, 0, sizeof k);
	k.src = b->src;
	k.dst = b->dst;
	k.proto = b->proto;
	k.vlan = r->o->key_vlan ? b->vlan : 0;
	k.sport = b->sport;
	k.dport = b->dport;
	if (r->o->key_tunnel)
		memcpy(k.tunnel_id, &tunnel_id, sizeof k.tunnel_id);
	if (flow_table_add(&r->ft, &k, &pk) < 0) {
		diag_warn("%s: packet %llu: out of memory", p->source, p->num);
		fatal(r);
	}
}

/*
 * Most packets are plain TCP or UDP, which pkt_decode_brief takes (the
 * full decode would find the same, and no fragment or tunnel); the rest
 * go the full way.
 */
static void count_packet(struct run *r, const struct capture_pkt *p, uint64_t ts)
{
	struct pkt_info pi;
	struct pkt_brief b;
	enum pkt_status st;

	if (pkt_decode_brief(p->linktype, p->bytes, p->caplen, p->wirelen, !r->o->tunnels_outer,
	    &b)) {
		r->n.ip++;
		count_keyed(r, p, ts, &b, 0, 0);
		return;
	}
	st = pkt_decode(p->linktype, p->bytes, p->caplen, p->wirelen, &pi);
	st = decap(r, p, st, &pi);
	if (!classify(r, st, &pi, p))
		return;
	r->n.ip++;
	b = (struct pkt_brief){ .src = pi.src, .dst = pi.dst, .l3_len = pi.l3_len,
		.sport = pi.sport, .dport = pi.dport, .vlan = pi.vlan, .proto = pi.proto,
		.tos = pi.tos, .tcp_flags = pi.tcp_flags };
	if (!fragment_ports(r, &pi, &b)) {
		fatal(r);
		return;
	}
	count_keyed(r, p, ts, &b, pi.tunnel_id, pi.ifindex);
}

static int tables_init(struct run *r)
{
	if (flow_table_init(&r->ft, &r->o->params, emit, r) < 0 || frag_init(&r->frags) < 0) {
		diag_warn("out of memory");
		return -1;
	}
	return 0;
}

static void tables_free(struct run *r)
{
	flow_table_free(&r->ft);
	frag_free(&r->frags);
}

/*
 * Files are read in order as one capture; one whose first packet is older
 * than the capture clock cannot continue it. Every open flow is written,
 * and the tables and the clock start again from that packet, so no record
 * spans the two (within a file, a packet a little out of order joins its
 * flow as usual).
 */
static void start_again_if_earlier(struct run *r, const struct capture_pkt *p, uint64_t ts)
{
	if (r->live || p->num != 1 || !r->clock_set || ts >= r->clock_ms)
		return;
	diag_warn("%s: starts %.3f s before the input read so far ends: "
	    "its open flows are written and the clock starts again",
	    p->source, (double)(r->clock_ms - ts) / 1000.0);
	flow_table_flush(&r->ft);
	if (r->ft.peak > r->peak_before)
		r->peak_before = r->ft.peak;
	r->evicted_before += r->ft.expired[FLOW_EVICTED];
	r->forgotten_before += r->frags.forgotten;
	tables_free(r);
	if (tables_init(r) < 0)
		fatal(r);
	r->clock_set = false;
}

static void on_packet(void *ctx, const struct capture_pkt *p)
{
	struct run *r = ctx;
	uint64_t ts = p->ts_us / 1000u;

	if (!time_fits(r, p))
		return;
	start_again_if_earlier(r, p, ts);
	if (r->fatal)
		return;
	advance_clock(r, ts);
	count_packet(r, p, ts);
}

/* ", 3 decapsulated, 2 tunnels cut or broken (GRE 1, VXLAN 1)" */
static void print_tunnel_stats(const struct run *r)
{
	unsigned long long faults = 0;
	const char *sep = " (";

	if (r->n.decapsulated)
		fprintf(stderr, ", %llu decapsulated", r->n.decapsulated);
	for (int k = 0; k < PKT_TUN_KINDS; k++)
		faults += r->n.tunnel_faults[k];
	if (faults == 0)
		return;
	fprintf(stderr, ", %llu tunnels cut or broken", faults);
	for (int k = 0; k < PKT_TUN_KINDS; k++) {
		if (r->n.tunnel_faults[k] == 0)
			continue;
		fprintf(stderr, "%s%s %llu", sep, pkt_tunnel_name((enum pkt_tunnel)k),
		    r->n.tunnel_faults[k]);
		sep = ", ";
	}
	fputc(')', stderr);
}

static void print_stats(struct run *r, const char *when)
{
	struct capture_stats cs;

	capture_get_stats(r->cap, &cs);
	fprintf(stderr, PROG ": %s%llu packets: %llu IP, %llu non-IP, %llu undecodable, "
	    "%llu cut by snaplen, %llu broken; %zu flows open (peak %zu), %lu written, "
	    "%llu early (table full at %zu)",
	    when, cs.packets, r->n.ip, r->n.pkts.non_ip, r->n.pkts.undecodable,
	    r->n.pkts.snap_cut, r->n.pkts.broken,
	    r->ft.h.count, r->ft.peak > r->peak_before ? r->ft.peak : r->peak_before, r->w.records,
	    r->evicted_before + r->ft.expired[FLOW_EVICTED], r->o->params.max_flows);
	print_tunnel_stats(r);
	if (r->n.pkts.cut_keyless)
		fprintf(stderr, ", %llu cut before the IP addresses (no flow)",
		    r->n.pkts.cut_keyless);
	if (r->n.frag_orphans)
		fprintf(stderr, ", %llu fragments without their first", r->n.frag_orphans);
	if (r->forgotten_before + r->frags.forgotten)
		fprintf(stderr, ", %llu fragmented datagrams forgotten",
		    r->forgotten_before + r->frags.forgotten);
	if (cs.read_errors)
		fprintf(stderr, ", %llu read errors", cs.read_errors);
	if (cs.live)
		fprintf(stderr, ", %llu dropped by the kernel", cs.kernel_drops);
	fputc('\n', stderr);
}

static void on_report(void *ctx)
{
	struct run *r = ctx;

	if (flow_table_drain(&r->ft) < 0) {
		diag_warn("out of memory");
		fatal(r);
	}
	print_stats(ctx, "");
}

static int run_all(struct run *r)
{
	const struct capture_calls calls = { on_packet, on_tick, on_report, r };
	struct capture_stats cs;

	if (capture_run(r->cap, &calls) < 0)
		r->fatal = true;
	flow_table_flush(&r->ft);
	if (r->ft.nomem && !r->fatal) {
		diag_warn("out of memory");
		r->fatal = true;
	}
	if (!r->fatal && flow_writer_flush(&r->w) < 0) {
		diag_warn_errno("write error");
		r->fatal = true;
	}
	print_stats(r, run_stop ? "stopped: " : "");
	capture_get_stats(r->cap, &cs);
	if (r->fatal)
		return 2;
	return r->n.pkts.undecodable || r->n.pkts.broken || r->n.tunnel_broken ||
	    cs.read_errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	static char obuf[1 << 16];
	struct options o;
	struct run r;
	int rc;

	if (tool_start(PROG) < 0)
		return 2;
	rc = options_parse(&o, argc, argv);
	if (rc != 0) {
		options_free(&o);
		return rc == 1 ? 0 : 2;
	}
	memset(&r, 0, sizeof r);
	r.o = &o;
	r.messages = (struct diag_quota){ 0, MAX_PACKET_MESSAGES, "bad packets" };
	r.live = o.capture.cap.iface != NULL;
	if (tables_init(&r) < 0)
		return 2;
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);	/* live: the writer flushes each line */
	flow_writer_init(&r.w, stdout, o.fields, o.header, r.live);
	r.cap = capture_open(&o.capture.cap);
	rc = 2;
	if (r.cap != NULL) {
		run_signals_install();
		rc = run_all(&r);
	}
	capture_close(r.cap);
	tables_free(&r);
	options_free(&o);
	return rc;
}
