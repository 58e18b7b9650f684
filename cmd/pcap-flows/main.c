/*
 * pcap-flows: packets in through libpcap (saved captures or a live
 * interface), NetFlow-style flow lines out. See pcap-flows(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "flow/flowclock.h"
#include "line/flowline.h"
#include "fragports.h"
#include "options.h"
#include "packet/pktdecode.h"
#include "base/runsignals.h"
#include "sigfile.h"

#define PROG "pcap-flows"
#define MAX_PACKET_MESSAGES 20	/* then bad packets are only counted */
#define LIVE_POLL_MS 500
#define READ_BUFFER (1u << 20)

struct source {
	pcap_t *p;
	const char *name;
	int linktype;
	uint32_t ifindex;		/* live: the interface's index */
	char *iobuf;			/* file: its stdio buffer, freed after pcap_close */
	unsigned long long pkts;
};

struct counters {
	unsigned long long packets, ip, non_ip, undecodable, snap_cut, broken;
	unsigned long long frag_orphans, read_errors, kernel_drops;
};

struct run {
	const struct options *o;
	struct source *src;
	int nsrc;
	struct source *cur;
	struct flow_table ft;
	struct frag_table frags;
	struct flow_writer w;
	struct counters n;
	uint64_t clock_ms, boot_ms;
	bool clock_set, live, stop, fatal;
	unsigned messages;
};

static uint64_t wall_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void emit(void *ctx, const struct flow_entry *f, uint64_t now_ms, enum flow_reason why)
{
	struct run *r = ctx;
	struct flowrec rec;

	(void)why;
	if (r->fatal)
		return;
	memset(&rec, 0, sizeof rec);
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
	flow_set_clock(&rec, now_ms, (uint32_t)(now_ms - r->boot_ms));
	flow_set_first_last(&rec, f->first_ms, f->last_ms);
	if (flow_write(&r->w, &rec) < 0) {
		fprintf(stderr, PROG ": write error: %s\n", strerror(errno));
		r->fatal = r->stop = true;
	}
}

/* The capture's clock only moves forward; it ages fragments (the flow table keeps its own). */
static void advance_clock(struct run *r, uint64_t ms)
{
	if (!r->clock_set) {
		r->clock_set = true;
		r->clock_ms = ms;
		if (!r->live)
			r->boot_ms = ms;	/* uptime 0 at the first packet of the run */
		return;
	}
	if (ms <= r->clock_ms)
		return;
	r->clock_ms = ms;
	frag_expire(&r->frags, ms);
}

/* Live: the wall clock expires flows when no packets come. */
static void advance_wall_clock(struct run *r)
{
	uint64_t now = wall_ms();

	advance_clock(r, now);
	flow_table_expire(&r->ft, now);
}

static void packet_message(struct run *r, const struct pkt_info *pi)
{
	if (r->messages >= MAX_PACKET_MESSAGES)
		return;
	fprintf(stderr, PROG ": %s: packet %llu: %s at byte %zu\n",
	    r->cur->name, r->cur->pkts, pi->why, pi->where);
	if (++r->messages == MAX_PACKET_MESSAGES)
		fprintf(stderr, PROG ": further bad packets are counted, not shown\n");
}

/* Counts what the decoder says; false when the packet has no flow. */
static bool classify(struct run *r, enum pkt_status st, const struct pkt_info *pi, const struct pcap_pkthdr *h)
{
	switch (st) {
	case PKT_OK:
		return true;
	case PKT_NOT_IP:
		r->n.non_ip++;
		return false;
	case PKT_BAD_LINK:
		r->n.undecodable++;
		return false;
	case PKT_BAD:
		r->n.undecodable++;
		packet_message(r, pi);
		r->stop = r->stop || r->o->strict;
		return false;
	case PKT_TRUNCATED:
		break;
	}
	if (h->caplen < h->len) {	/* the snapshot length cut it: a capture choice */
		r->n.snap_cut++;
		return true;
	}
	r->n.broken++;
	packet_message(r, pi);
	r->stop = r->stop || r->o->strict;
	return true;
}

static void count_packet(struct run *r, const struct pcap_pkthdr *h, const uint8_t *bytes, uint64_t ts)
{
	struct pkt_info pi;
	struct flow_key k;
	struct flow_pkt pk;
	enum pkt_status st = pkt_decode(r->cur->linktype, bytes, h->caplen, h->len, &pi);

	if (!classify(r, st, &pi, h))
		return;
	r->n.ip++;
	memset(&k, 0, sizeof k);
	k.src = pi.src;
	k.dst = pi.dst;
	k.proto = pi.proto;
	k.vlan = r->o->key_vlan ? pi.vlan : 0;
	k.sport = pi.sport;
	k.dport = pi.dport;
	if (pi.frag_later) {
		if (!frag_lookup(&r->frags, &pi.src, &pi.dst, pi.proto, pi.frag_id, &k.sport, &k.dport, r->clock_ms))
			r->n.frag_orphans++;
	} else if (pi.is_frag && pi.has_ports &&
	    frag_remember(&r->frags, &pi.src, &pi.dst, pi.proto, pi.frag_id, pi.sport, pi.dport, r->clock_ms) < 0) {
		r->fatal = r->stop = true;
		return;
	}
	pk.ts_ms = ts;
	pk.octets = pi.l3_len;
	pk.ifindex = r->o->have_ifindex ? r->o->ifindex : pi.ifindex ? pi.ifindex : r->cur->ifindex;
	pk.tos = pi.tos;
	pk.tcp_flags = pi.tcp_flags;
	if (flow_table_add(&r->ft, &k, &pk) < 0) {
		fprintf(stderr, PROG ": %s: packet %llu: out of memory\n", r->cur->name, r->cur->pkts);
		r->fatal = r->stop = true;
	}
}

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct run *r = (struct run *)(void *)user;
	uint64_t ts = (uint64_t)h->ts.tv_sec * 1000u + (uint64_t)h->ts.tv_usec / 1000u;

	r->cur->pkts++;
	r->n.packets++;
	advance_clock(r, ts);
	count_packet(r, h, bytes, ts);
	if (run_stop || run_usr1 || r->stop)
		pcap_breakloop(r->cur->p);
}

static void print_stats(const struct run *r, const char *when)
{
	fprintf(stderr, PROG ": %s%llu packets: %llu IP, %llu non-IP, %llu undecodable, %llu cut by snaplen, "
	    "%llu broken; %zu flows open (peak %zu), %lu written, %llu early (table full at %zu)",
	    when, r->n.packets, r->n.ip, r->n.non_ip, r->n.undecodable, r->n.snap_cut, r->n.broken,
	    r->ft.h.count, r->ft.peak, r->w.records, r->ft.expired[FLOW_EVICTED], r->o->params.max_flows);
	if (r->n.frag_orphans)
		fprintf(stderr, ", %llu fragments without their first", r->n.frag_orphans);
	if (r->frags.forgotten)
		fprintf(stderr, ", %llu fragmented datagrams forgotten", r->frags.forgotten);
	if (r->n.read_errors)
		fprintf(stderr, ", %llu read errors", r->n.read_errors);
	if (r->live)
		fprintf(stderr, ", %llu dropped by the kernel", r->n.kernel_drops);
	fputc('\n', stderr);
}

static void live_drops(struct run *r)
{
	struct pcap_stat ps;

	if (r->live && pcap_stats(r->src[0].p, &ps) == 0)
		r->n.kernel_drops = ps.ps_drop + ps.ps_ifdrop;
}

static void note_usr1(struct run *r)
{
	if (!run_usr1)
		return;
	run_usr1 = 0;
	live_drops(r);
	print_stats(r, "");
}

/* Reads one saved capture to its end (or a stop). */
static void read_file(struct run *r, struct source *s)
{
	r->cur = s;
	while (!run_stop && !r->stop) {
		int k = pcap_dispatch(s->p, -1, on_packet, (u_char *)(void *)r);

		note_usr1(r);
		if (k == 0)
			return;
		if (k == PCAP_ERROR && run_stop)
			return;	/* the stop ended the input mid-record: not a broken file */
		if (k == PCAP_ERROR) {
			fprintf(stderr, PROG ": %s: after packet %llu: %s\n", s->name, s->pkts, pcap_geterr(s->p));
			r->n.read_errors++;
			r->stop = r->stop || r->o->strict;
			return;
		}
	}
}

/* Live: waits for packets, and lets the wall clock expire flows when none come. */
static void read_live(struct run *r, struct source *s)
{
	int fd = pcap_get_selectable_fd(s->p);

	r->cur = s;
	while (!run_stop && !r->stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int k;

		if (run_poll(&pfd, 1, LIVE_POLL_MS) < 0 && errno != EINTR) {
			fprintf(stderr, PROG ": %s: poll: %s\n", s->name, strerror(errno));
			r->fatal = true;
			return;
		}
		k = pcap_dispatch(s->p, -1, on_packet, (u_char *)(void *)r);
		if (k == PCAP_ERROR) {
			fprintf(stderr, PROG ": %s: %s\n", s->name, pcap_geterr(s->p));
			r->fatal = true;
			return;
		}
		advance_wall_clock(r);
		note_usr1(r);
	}
}

static int set_filter(struct source *s, const char *expr)
{
	struct bpf_program prog;
	int rc;

	if (expr == NULL)
		return 0;

	if (pcap_compile(s->p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		fprintf(stderr, PROG ": %s: filter: %s\n", s->name, pcap_geterr(s->p));
		return -1;
	}
	rc = pcap_setfilter(s->p, &prog);
	if (rc < 0)
		fprintf(stderr, PROG ": %s: filter: %s\n", s->name, pcap_geterr(s->p));
	pcap_freecode(&prog);
	return rc < 0 ? -1 : 0;
}

static pcap_t *open_live(const struct options *o, char *errbuf)
{
	pcap_t *p = pcap_create(o->iface, errbuf);
	int rc;

	if (p == NULL)
		return NULL;
	pcap_set_snaplen(p, o->snaplen);
	pcap_set_promisc(p, o->promisc);
	pcap_set_timeout(p, 100);
	rc = pcap_activate(p);
	if (rc > 0)
		fprintf(stderr, PROG ": %s: %s\n", o->iface, pcap_geterr(p));
	if (rc < 0) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", pcap_geterr(p));
		pcap_close(p);
		return NULL;
	}
	if (pcap_setnonblock(p, 1, errbuf) < 0) {
		pcap_close(p);
		return NULL;
	}
	return p;
}

/*
 * A saved capture read through a 1 MB stdio buffer of our own (glibc
 * ignores the size without one): 4 kB reads cost a syscall per 40 packets.
 * The stream waits in run_poll() before each read (sigfile.c), where the
 * stop and report signals get in.
 */
static pcap_t *open_file(struct source *s, char *errbuf)
{
	int fd = strcmp(s->name, "-") == 0 ? 0 : open(s->name, O_RDONLY | O_CLOEXEC);
	FILE *fp;
	pcap_t *p;

	if (fd < 0 || (fp = sigfile_open(fd)) == NULL) {
		snprintf(errbuf, PCAP_ERRBUF_SIZE, "%s", strerror(errno));
		if (fd > 0)
			close(fd);
		return NULL;
	}
	s->iobuf = malloc(READ_BUFFER);	/* freed after pcap_close */
	if (s->iobuf)
		setvbuf(fp, s->iobuf, _IOFBF, READ_BUFFER);
	p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_MICRO, errbuf);
	if (p == NULL)
		fclose(fp);
	return p;
}

/* Opens every input before any privilege is dropped. */
static int open_sources(struct run *r)
{
	const struct options *o = r->o;
	char errbuf[PCAP_ERRBUF_SIZE];

	r->nsrc = o->iface ? 1 : o->nfiles ? o->nfiles : 1;
	r->src = calloc((size_t)r->nsrc, sizeof *r->src);
	if (r->src == NULL)
		return -1;
	for (int i = 0; i < r->nsrc; i++) {
		struct source *s = &r->src[i];

		errbuf[0] = '\0';
		s->name = o->iface ? o->iface : o->nfiles ? o->files[i] : "-";
		if (o->iface) {
			s->p = open_live(o, errbuf);
			s->ifindex = if_nametoindex(o->iface);
		} else {
			s->p = open_file(s, errbuf);
		}
		if (s->p == NULL) {
			fprintf(stderr, PROG ": %s: %s\n", strcmp(s->name, "-") ? s->name : "stdin", errbuf);
			return -1;
		}
		if (strcmp(s->name, "-") == 0)
			s->name = "stdin";
		if (set_filter(s, o->filter) < 0)
			return -1;
		s->linktype = pcap_datalink(s->p);
		if (pkt_link_name(s->linktype) == NULL)
			fprintf(stderr, PROG ": %s: link type %s (%d) not understood: its packets count as undecodable\n",
			    s->name, pcap_datalink_val_to_name(s->linktype) ? pcap_datalink_val_to_name(s->linktype) : "?",
			    s->linktype);
	}
	return 0;
}

static int drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		fprintf(stderr, PROG ": -Z %s: no such user\n", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 || setuid(pw->pw_uid) < 0) {
		fprintf(stderr, PROG ": -Z %s: %s\n", user, strerror(errno));
		return -1;
	}
	return 0;
}

static void close_run(struct run *r)
{
	for (int i = 0; i < r->nsrc; i++) {
		if (r->src[i].p)
			pcap_close(r->src[i].p);
		free(r->src[i].iobuf);
	}
	free(r->src);
	flow_table_free(&r->ft);
	frag_free(&r->frags);
}

static int run_all(struct run *r)
{
	if (r->live) {
		r->boot_ms = wall_ms();
		advance_wall_clock(r);
		read_live(r, &r->src[0]);
	} else {
		for (int i = 0; i < r->nsrc && !run_stop && !r->stop; i++)
			read_file(r, &r->src[i]);
	}
	if (r->live)
		advance_wall_clock(r);
	flow_table_flush(&r->ft);
	if (!r->fatal && flow_writer_flush(&r->w) < 0) {
		fprintf(stderr, PROG ": write error: %s\n", strerror(errno));
		r->fatal = true;
	}
	live_drops(r);
	print_stats(r, run_stop ? "stopped: " : "");
	if (r->fatal)
		return 2;
	return r->n.undecodable || r->n.broken || r->n.read_errors ? 1 : 0;
}

int main(int argc, char **argv)
{
	struct options o;
	struct run r;
	int rc = options_parse(&o, argc, argv);

	if (rc != 0) {
		options_free(&o);
		return rc == 1 ? 0 : 2;
	}
	memset(&r, 0, sizeof r);
	r.o = &o;
	r.live = o.iface != NULL;
	if (flow_table_init(&r.ft, &o.params, emit, &r) < 0 || frag_init(&r.frags) < 0) {
		fprintf(stderr, PROG ": out of memory\n");
		return 2;
	}
	flow_writer_init(&r.w, stdout, o.fields, o.header, r.live);
	if (open_sources(&r) < 0 || (o.user && drop_privileges(o.user) < 0)) {
		close_run(&r);
		options_free(&o);
		return 2;
	}
	run_signals_install();
	rc = run_all(&r);
	close_run(&r);
	options_free(&o);
	return rc;
}
