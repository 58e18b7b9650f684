/*
 * pcap-sessions: packets in through the capture module, TCP sessions and
 * monologues out as event lines, their bytes to files. See pcap-sessions(1).
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "base/runsignals.h"
#include "dumpfiles.h"
#include "events.h"
#include "flow/flowproto.h"
#include "line/toolopts.h"
#include "options.h"
#include "packet/capture.h"
#include "packet/ipdefrag.h"
#include "packet/pkt_tally.h"
#include "packet/pktdecode.h"
#include "session.h"

#define PROG "pcap-sessions"
#define MAX_PACKET_MESSAGES 20	/* then bad packets are only counted */

struct counters {
	struct pkt_tally pkts;		/* what pkt_decode said */
	unsigned long long tcp, not_tcp;
};

struct run {
	const struct options *o;
	struct capture *cap;
	struct sess_table st;
	struct ev_writer ev;
	struct dumpfiles df;
	struct ipdefrag defrag;		/* TCP segments that came in IP fragments */
	struct counters n;
	bool fatal;
	struct diag_quota messages;	/* about packets, shown */
};

/* Verbose about s at this level (-v count, or -k naming it). */
static bool talk(const struct run *r, const struct session *s, int level)
{
	if (r->o->params.verbose_key)
		return s->verbose;
	return r->o->verbose >= level;
}

static void on_start(void *ctx, const struct session *s, enum sess_start how, uint64_t ts)
{
	struct run *r = ctx;

	ev_session_start(&r->ev, s, how, ts);
	if (talk(r, s, 1))
		diag_warn("%s: start (%s, original side by %s)", s->key, sess_start_name(how),
		    sess_orig_name(s->orig));
}

static void on_data(void *ctx, struct session *s, int dir, uint64_t off, uint64_t mono_off,
    const uint8_t *p, size_t len)
{
	struct run *r = ctx;

	dumpfiles_data(&r->df, s, dir, off, mono_off, p, len);
}

static void on_monologue(void *ctx, struct session *s)
{
	struct run *r = ctx;

	ev_monologue(&r->ev, s);
	dumpfiles_monologue_end(&r->df, s);
	if (talk(r, s, 2))
		diag_warn("%s: monologue %u %s: %" PRIu64 " bytes in %" PRIu64 " packets", s->key,
		    s->mono.n, s->mono.dir == 0 ? "c" : "s", s->mono.bytes, s->mono.packets);
}

static void on_gap(void *ctx, struct session *s, int dir, uint64_t off, uint64_t len,
    uint64_t ts)
{
	struct run *r = ctx;

	ev_gap(&r->ev, s, dir, off, len, ts);
	dumpfiles_gap(&r->df, s, dir, off, len);
}

static void on_conflict(void *ctx, const struct session *s, int dir, uint64_t off,
    uint64_t len, uint64_t ts)
{
	struct run *r = ctx;

	ev_conflict(&r->ev, s, dir, off, len, ts);
}

static void on_end(void *ctx, struct session *s, enum sess_end why, uint64_t ts)
{
	struct run *r = ctx;

	ev_session_end(&r->ev, s, why, ts);
	dumpfiles_session_end(&r->df, s);
	if (talk(r, s, 1))
		diag_warn("%s: end (%s): c %" PRIu64 " bytes, s %" PRIu64 " bytes", s->key,
		    sess_end_name(why), s->d[0].r.delivered, s->d[1].r.delivered);
	if (r->ev.failed && !r->fatal) {
		diag_warn_errno("write error");
		r->fatal = true;
		capture_stop(r->cap);
	}
}

static void on_seg(void *ctx, const struct session *s, int dir, const struct sess_pkt *pk,
    const char *what)
{
	(void)ctx;
	diag_warn("%s: %c seq %" PRIu32 " ack %" PRIu32 " win %u flags 0x%02x len %" PRIu32 ": %s",
	    s->key, dir == 0 ? 'c' : 's', pk->seq, pk->ack, pk->win, pk->flags, pk->wirelen, what);
}

static const struct sess_calls sess_calls = {
	on_start, on_data, on_monologue, on_gap, on_conflict, on_end, on_seg
};

/* The first MAX_PACKET_MESSAGES messages about packets are shown, the rest only counted. */
static void packet_note(struct run *r, const char *fmt, ...) DIAG_PRINTF(2, 3);
static void packet_note(struct run *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vwarn_quota(&r->messages, fmt, ap);
	va_end(ap);
}

/* A bad packet (in: "" or which part of it) is shown; --strict stops at it. */
static void bad_packet(struct run *r, const struct capture_pkt *p, const struct pkt_info *pi,
    const char *in)
{
	packet_note(r, "%s: packet %llu: %s%s at byte %zu", p->source, p->num, in, pi->why,
	    pi->where);
	if (r->o->strict)
		capture_stop(r->cap);
}

/* Counts what the decoder says; false when the packet is no TCP segment to follow. */
static bool classify(struct run *r, enum pkt_status st, const struct pkt_info *pi,
    const struct capture_pkt *p)
{
	bool bad;
	bool keyed = pkt_tally_count(&r->n.pkts, st, p->caplen, p->wirelen, &bad);

	if (bad)
		bad_packet(r, p, pi, "");
	if (!keyed)
		return false;
	if (pi->proto != FLOW_PROTO_TCP) {
		r->n.not_tcp++;
		return false;
	}
	return true;	/* a fragment goes to the reassembly, whatever of the header it holds */
}

/*
 * A segment, from the frame or from the datagram ipdefrag put together;
 * a transport header cut off (PKT_TRUNCATED) leaves no segment to follow.
 */
static void take_segment(struct run *r, const struct capture_pkt *p, enum pkt_status st,
    const struct pkt_info *pi, const uint8_t *bytes)
{
	struct sess_pkt sp;

	if (st == PKT_TRUNCATED)
		return;
	if (pi->payload_off == 0) {	/* the TCP header is cut */
		r->n.pkts.snap_cut++;
		return;
	}
	r->n.tcp++;
	sp.src = &pi->src;
	sp.dst = &pi->dst;
	sp.sport = pi->sport;
	sp.dport = pi->dport;
	sp.seq = pi->tcp_seq;
	sp.ack = pi->tcp_ack;
	sp.win = pi->tcp_win;
	sp.flags = pi->tcp_flags;
	sp.payload = bytes + pi->payload_off;
	sp.caplen = pi->payload_len;
	sp.wirelen = pi->payload_wire_len;
	sp.ts_us = p->ts_us;
	sess_table_packet(&r->st, &sp);
}

/* A fragment goes to the reassembly; the one that completes a datagram delivers it. */
static void take_fragment(struct run *r, const struct capture_pkt *p, const struct pkt_info *pi)
{
	const uint8_t *whole;
	size_t len;
	const char *why;
	struct pkt_info wpi;
	enum pkt_status st;
	bool keyed, bad;

	switch (ipdefrag_add(&r->defrag, p->bytes, p->caplen, pi, p->ts_us / 1000u, &whole, &len,
	    &why)) {
	case IPDEFRAG_HELD:
		return;
	case IPDEFRAG_REFUSED:
		packet_note(r, "%s: packet %llu: IP fragment not reassembled: %s", p->source,
		    p->num, why);
		return;
	case IPDEFRAG_WHOLE:	/* a datagram whose TCP header cannot be read is bad data */
		st = pkt_decode(PKT_LINK_RAW, whole, len, len, &wpi);
		keyed = pkt_tally_count(&r->n.pkts, st, (uint32_t)len, (uint32_t)len, &bad);
		if (bad)
			bad_packet(r, p, &wpi, "the datagram it completes: ");
		if (keyed)
			take_segment(r, p, st, &wpi, whole);
		return;
	}
}

static void on_packet(void *ctx, const struct capture_pkt *p)
{
	struct run *r = ctx;
	struct pkt_info pi;
	enum pkt_status st = pkt_decode(p->linktype, p->bytes, p->caplen, p->wirelen, &pi);

	sess_table_expire(&r->st, p->ts_us);
	if (!classify(r, st, &pi, p))
		return;
	if (pi.is_frag)
		take_fragment(r, p, &pi);
	else
		take_segment(r, p, st, &pi, p->bytes);
}

static void on_tick(void *ctx, uint64_t wall_us)
{
	struct run *r = ctx;

	sess_table_expire(&r->st, wall_us);
	if (ev_writer_flush(&r->ev) < 0 && !r->fatal) {
		diag_warn_errno("write error");
		r->fatal = true;
		capture_stop(r->cap);
	}
}

static void print_stats(struct run *r, const char *when)
{
	const struct sess_counters *n = &r->st.n;
	const struct ipdefrag_stats *fs = ipdefrag_get_stats(&r->defrag);
	struct capture_stats cs;

	capture_get_stats(r->cap, &cs);
	fprintf(stderr, PROG ": %s%llu packets: %llu TCP, %llu other IP, %llu non-IP, "
	    "%llu undecodable, %llu cut by snaplen, %llu broken, %llu TCP fragments (%llu "
	    "segments reassembled, %llu fragments refused, %llu left incomplete, "
	    "%llu conflicting overlaps); %llu sessions (%zu open, peak %zu), ended fin %llu, rst %llu, "
	    "timeout %llu, eof %llu, limit %llu; %" PRIu64 " bytes, %llu gaps (%" PRIu64
	    " bytes), %llu conflicts (%" PRIu64 " bytes), %" PRIu64 " bytes seen twice; "
	    "%llu segments of no session, %llu keep-alives, %llu zero-window probes, "
	    "%llu RST outside the window, %llu SYN again, %llu too far ahead, "
	    "%llu lost for memory; peak buffered %zu bytes",
	    when, cs.packets, r->n.tcp, r->n.not_tcp, r->n.pkts.non_ip, r->n.pkts.undecodable,
	    r->n.pkts.snap_cut, r->n.pkts.broken, fs->fragments, fs->reassembled,
	    ipdefrag_refused(fs), ipdefrag_incomplete(fs), fs->conflicts,
	    n->sessions, r->st.open,
	    r->st.peak_open, n->ended[SESS_END_FIN], n->ended[SESS_END_RST],
	    n->ended[SESS_END_TIMEOUT], n->ended[SESS_END_EOF], n->ended[SESS_END_LIMIT],
	    n->bytes, n->gaps, n->gap_bytes, n->conflicts, n->conflict_bytes, n->dup_bytes,
	    n->no_session, n->keepalives, n->zero_window_probes, n->rst_ignored,
	    n->syn_retrans, n->refused, n->no_memory, r->st.budget.peak);
	if (r->df.files)
		fprintf(stderr, "; %llu files, %llu reopened", r->df.files, r->df.fc.reopens);
	if (r->df.write_errors)
		fprintf(stderr, ", %llu file errors", r->df.write_errors);
	if (cs.read_errors)
		fprintf(stderr, ", %llu read errors", cs.read_errors);
	if (cs.live)
		fprintf(stderr, ", %llu dropped by the kernel", cs.kernel_drops);
	fputc('\n', stderr);
}

static void on_report(void *ctx)
{
	print_stats(ctx, "");
}

static int run_all(struct run *r)
{
	const struct capture_calls calls = { on_packet, on_tick, on_report, r };
	const struct ipdefrag_stats *fs;
	struct capture_stats cs;

	if (capture_run(r->cap, &calls) < 0)
		r->fatal = true;
	sess_table_end_all(&r->st, SESS_END_EOF);
	dumpfiles_close(&r->df);
	if (ev_writer_flush(&r->ev) < 0 && !r->fatal) {
		diag_warn_errno("write error");
		r->fatal = true;
	}
	print_stats(r, run_stop ? "stopped: " : "");
	capture_get_stats(r->cap, &cs);
	if (r->fatal)
		return 2;
	fs = ipdefrag_get_stats(&r->defrag);
	return r->n.pkts.undecodable || r->n.pkts.broken || cs.read_errors ||
	    r->df.write_errors || ipdefrag_refused(fs) || ipdefrag_incomplete(fs) ? 1 : 0;
}

int main(int argc, char **argv)
{
	static char outbuf[1 << 16];
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
	if (sess_table_init(&r.st, &o.params, &sess_calls, &r) < 0 ||
	    ipdefrag_init(&r.defrag, NULL) < 0) {
		diag_warn("out of memory");
		return 2;
	}
	setvbuf(stdout, outbuf, _IOFBF, sizeof outbuf);
	ev_writer_init(&r.ev, stdout, o.header, o.capture.cap.iface != NULL);
	dumpfiles_init(&r.df, o.dump_dir, o.stream_dir, o.params.max_size, o.max_open);
	r.cap = capture_open(&o.capture.cap);
	rc = 2;
	if (r.cap != NULL) {
		run_signals_install();
		rc = run_all(&r);
	}
	capture_close(r.cap);
	ipdefrag_free(&r.defrag);
	sess_table_free(&r.st);
	options_free(&o);
	return rc;
}
