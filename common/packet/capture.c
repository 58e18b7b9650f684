/* Capture sources through libpcap (see capture.h). */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <net/if.h>
#include <pcap/pcap.h>
#include <poll.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/runsignals.h"
#include "packet/capture.h"
#include "packet/pcap_records.h"
#include "packet/pktdecode.h"
#include "packet/sigfile.h"

#define READ_BUFFER (64u << 10)
#define LIVE_READ_TIMEOUT_MS 100	/* the kernel's batching delay */
#define LIVE_DRAIN_MAX_MS 1000		/* a stop reads what the kernel holds, this long at most */
#define FILE_SIGNAL_PACKETS 4096	/* a regular file: signals get in this often */

struct source {
	pcap_t *p;
	const char *name;
	int linktype;
	uint32_t ifindex;		/* live: the interface's index */
	char *iobuf;			/* file: its stdio buffer, freed after pcap_close */
	bool regular;			/* a named regular file: no read of it waits */
	bool own_records;		/* a classic pcap file: its records read by `records` */
	struct pcap_reader records;
	bool own_filter;		/* file: prog is run here, not by libpcap */
	struct bpf_program prog;
	unsigned long long pkts;
};

struct capture {
	struct source *src;
	int nsrc;
	bool live, stop_on_error, stop;
	bool draining;			/* live, after a stop signal: see drain_live() */
	struct source *cur;
	const struct capture_calls *calls;
	struct capture_stats st;
};

static uint64_t wall_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/*
 * Classic pcap keeps seconds as an unsigned 32-bit number (good to 2106),
 * which libpcap hands over through a signed 32-bit field: from 2038-01-19
 * on, tv_sec comes out negative. pcapng's 64-bit times never do, so a
 * negative tv_sec is always such a second count, and is taken back.
 */
static uint64_t packet_time_us(const struct timeval *tv)
{
	uint64_t sec = tv->tv_sec < 0 ? (uint32_t)tv->tv_sec : (uint64_t)tv->tv_sec;

	return sec * 1000000u + (uint64_t)tv->tv_usec;
}

/* One packet to the caller, which may stop the capture (c->stop). */
static void deliver(struct capture *c, struct source *s, uint64_t ts_us, uint32_t caplen,
    uint32_t wirelen, const uint8_t *bytes)
{
	struct capture_pkt p = {
		.source = s->name, .num = ++s->pkts, .linktype = s->linktype, .ifindex = s->ifindex,
		.ts_us = ts_us, .caplen = caplen, .wirelen = wirelen, .bytes = bytes
	};

	c->st.packets++;
	c->calls->on_packet(c->calls->ctx, &p);
}

/*
 * Whether libpcap may read on after a packet: no stop, no signal to act
 * on (it may be reading a pipe, which lets the signals in). The signals
 * are blocked while dispatch_records runs (read_file lets them in
 * between its runs), so there only the stop is asked about.
 */
static bool go_on(const struct capture *c)
{
	return !(c->stop || (!c->draining && (run_stop || run_usr1)));
}

static void on_pcap_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct capture *c = (struct capture *)(void *)user;
	struct source *s = c->cur;

	if (s->own_filter && !pcap_offline_filter(&s->prog, h, bytes))
		return;
	deliver(c, s, packet_time_us(&h->ts), h->caplen, h->len, bytes);
	if (!go_on(c))
		pcap_breakloop(s->p);
}

/*
 * Up to max records of a classic pcap file, as pcap_dispatch would give
 * them: the number read (filtered ones too), or PCAP_ERROR with the fault
 * in s->records.error (the packets before it delivered).
 */
static int dispatch_records(struct capture *c, struct source *s, int max)
{
	struct pcap_record rec;
	int n = 0, k = 0;

	while (n < max && (k = pcap_reader_next(&s->records, &rec)) > 0) {
		n++;
		if (s->own_filter) {
			struct pcap_pkthdr h = { .caplen = rec.caplen, .len = rec.wirelen };

			if (!pcap_offline_filter(&s->prog, &h, rec.bytes))
				continue;
		}
		deliver(c, s, rec.ts_us, rec.caplen, rec.wirelen, rec.bytes);
		if (c->stop)
			break;
	}
	return k < 0 ? PCAP_ERROR : n;
}

static void refresh_drops(struct capture *c)
{
	struct pcap_stat ps;

	if (c->live && pcap_stats(c->src[0].p, &ps) == 0)
		c->st.kernel_drops = ps.ps_drop + ps.ps_ifdrop;
}

static void note_usr1(struct capture *c)
{
	if (!run_usr1_take())
		return;
	refresh_drops(c);
	if (c->calls->on_report)
		c->calls->on_report(c->calls->ctx);
}

/* SIGUSR1 while a pipe or stdin is read (sigfile.c): the report now, even if no data comes. */
static void report_while_waiting(void *ctx)
{
	struct capture *c = ctx;

	if (c->calls)	/* not while capture_open reads the file header */
		note_usr1(c);
}

/*
 * libpcap reads one link type per file: in a pcapng file it stops at the
 * first interface of another type, with this text. Say what that means.
 */
static const char *read_error_meaning(const char *err)
{
	if (strstr(err, "different from the type of the first interface") == NULL)
		return "";
	return " (a pcapng file with interfaces of several link types: libpcap reads one, "
	    "the rest of the file is not read; split it by interface first, "
	    "e.g. tshark -r FILE -Y frame.interface_id==N -w PART)";
}

/* A fault of pcap_records names its packet; libpcap's gets the last one handed over. */
static void report_read_error(struct source *s)
{
	const char *err;

	if (s->own_records) {
		diag_warn("%s: %s", s->name, s->records.error.text);
		return;
	}
	err = pcap_geterr(s->p);
	diag_warn("%s: after packet %llu: %s%s", s->name, s->pkts, err, read_error_meaning(err));
}

/*
 * Reads one saved capture to its end (or a stop). A regular file never
 * makes a read wait, so it is read in runs of FILE_SIGNAL_PACKETS packets
 * (filtered ones too: the filter runs here, not in libpcap) with the
 * signals let in between; a pipe lets them in at each read (sigfile.c).
 */
static void read_file(struct capture *c, struct source *s)
{
	c->cur = s;
	while (!run_stop && !c->stop) {
		int k = s->own_records ? dispatch_records(c, s, FILE_SIGNAL_PACKETS) :
		    pcap_dispatch(s->p, s->regular ? FILE_SIGNAL_PACKETS : -1, on_pcap_packet,
		    (u_char *)(void *)c);

		if (s->regular)
			run_signals_deliver();
		note_usr1(c);
		if (k == 0)
			return;
		if (k == PCAP_ERROR && run_stop && !s->regular)
			return;	/* the stop ended the input mid-record: not a broken file */
		if (k == PCAP_ERROR) {
			report_read_error(s);
			c->st.read_errors++;
			c->stop = c->stop || c->stop_on_error;
			return;
		}
	}
}

static void tick(struct capture *c)
{
	if (c->calls->on_tick)
		c->calls->on_tick(c->calls->ctx, wall_us());
}

/*
 * After a stop signal, the packets the kernel captured before it are still
 * read, so that a flush on SIGTERM holds them: the kernel hands its buffer
 * over in blocks, each at most LIVE_READ_TIMEOUT_MS after its first packet,
 * so reading ends after a quiet wait a little longer than that, or after
 * LIVE_DRAIN_MAX_MS on a link that never goes quiet. Signals stay blocked
 * here (plain poll): a second one waits for the end of the drain.
 */
static int drain_live(struct capture *c, struct source *s, int fd)
{
	uint64_t end = wall_us() + LIVE_DRAIN_MAX_MS * 1000u;

	c->draining = true;
	while (!c->stop && wall_us() < end) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int k = pcap_dispatch(s->p, -1, on_pcap_packet, (u_char *)(void *)c);

		if (k == PCAP_ERROR) {
			diag_warn("%s: %s", s->name, pcap_geterr(s->p));
			return -1;
		}
		if (k == 0 && poll(&pfd, 1, LIVE_READ_TIMEOUT_MS + 50) == 0)
			break;
	}
	c->draining = false;
	return 0;
}

/* Live: waits for packets, and ticks with the wall clock when none come. */
static int read_live(struct capture *c, struct source *s)
{
	int fd = pcap_get_selectable_fd(s->p);

	c->cur = s;
	while (!run_stop && !c->stop) {
		struct pollfd pfd = { .fd = fd, .events = POLLIN };
		int k;

		if (run_poll(&pfd, 1, CAPTURE_TICK_MS) < 0 && errno != EINTR) {
			diag_warn_errno("%s: poll", s->name);
			return -1;
		}
		k = pcap_dispatch(s->p, -1, on_pcap_packet, (u_char *)(void *)c);
		if (k == PCAP_ERROR) {
			diag_warn("%s: %s", s->name, pcap_geterr(s->p));
			return -1;
		}
		tick(c);
		note_usr1(c);
	}
	return c->stop ? 0 : drain_live(c, s, fd);
}

int capture_run(struct capture *c, const struct capture_calls *calls)
{
	int rc = 0;

	c->calls = calls;
	if (c->live) {
		tick(c);
		rc = read_live(c, &c->src[0]);
		if (rc == 0)
			tick(c);
	} else {
		for (int i = 0; i < c->nsrc && !run_stop && !c->stop; i++)
			read_file(c, &c->src[i]);
	}
	refresh_drops(c);
	return rc;
}

void capture_stop(struct capture *c)
{
	c->stop = true;
}

void capture_get_stats(struct capture *c, struct capture_stats *st)
{
	refresh_drops(c);
	*st = c->st;
}

bool capture_is_live(const struct capture *c)
{
	return c->live;
}

/*
 * Live, the kernel runs the filter. A file's is run by capture.c
 * (on_pcap_packet, dispatch_records), so that every packet read counts
 * towards a run of read_file's (libpcap counts only those that pass its
 * own filter).
 */
static int set_filter(struct source *s, const char *expr, bool live)
{
	struct bpf_program prog;
	int rc;

	if (expr == NULL)
		return 0;
	if (pcap_compile(s->p, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0) {
		diag_warn("%s: filter: %s", s->name, pcap_geterr(s->p));
		return -1;
	}
	if (!live) {
		s->prog = prog;
		s->own_filter = true;
		return 0;
	}
	rc = pcap_setfilter(s->p, &prog);
	if (rc < 0)
		diag_warn("%s: filter: %s", s->name, pcap_geterr(s->p));
	pcap_freecode(&prog);
	return rc < 0 ? -1 : 0;
}

static pcap_t *open_live(const struct capture_opts *o, char *errbuf)
{
	pcap_t *p = pcap_create(o->iface, errbuf);
	int rc;

	if (p == NULL)
		return NULL;
	pcap_set_snaplen(p, o->snaplen ? o->snaplen : CAPTURE_SNAPLEN_MAX);
	pcap_set_promisc(p, o->promisc);
	pcap_set_timeout(p, LIVE_READ_TIMEOUT_MS);
	rc = pcap_activate(p);
	if (rc > 0)
		diag_warn("%s: %s", o->iface, pcap_geterr(p));
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
 * A saved capture that libpcap reads goes through a 64 kB stdio buffer of
 * our own (glibc takes 4 kB without one, a syscall per 40 packets): one
 * read per 600 packets or so, and the buffer stays in the L2 cache beside
 * the flow table. A named regular file is a plain stdio stream, whose
 * copies glibc makes in half the instructions a cookie stream's generic
 * path takes; most such files are then read by pcap_records.c instead
 * (take_records). A pipe or stdin waits in run_poll() before each read
 * (sigfile.c), where the stop and report signals get in.
 */
static FILE *open_stream(struct capture *c, struct source *s, int fd)
{
	struct stat st;

	s->regular = fd != 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
	return s->regular ? fdopen(fd, "r") : sigfile_open(fd, report_while_waiting, c);
}

static pcap_t *open_file(struct capture *c, struct source *s, char *errbuf)
{
	int fd = strcmp(s->name, "-") == 0 ? 0 : open(s->name, O_RDONLY | O_CLOEXEC);
	FILE *fp;
	pcap_t *p;

	if (fd < 0 || (fp = open_stream(c, s, fd)) == NULL) {
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

static void check_link(const struct source *s)
{
	const char *name = pcap_datalink_val_to_name(s->linktype);

	if (pkt_link_name(s->linktype) == NULL)
		diag_warn("%s: link type %s (%d) not understood: its packets count as undecodable",
		    s->name, name ? name : "?", s->linktype);
}

bool capture_signed_fraction(void)
{
	int major = 0, minor = 0, patch = 0;

	if (sscanf(pcap_lib_version(), "libpcap version %d.%d.%d", &major, &minor, &patch) < 2)
		return false;
	return major < 1 || (major == 1 && (minor < 10 || (minor == 10 && patch < 5)));
}

/* The link types whose headers libpcap rewrites in a file of the other byte order. */
static bool libpcap_fixes_swapped(int linktype)
{
	return linktype == PKT_LINK_LINUX_SLL || linktype == PKT_LINK_LINUX_SLL2;
}

/*
 * A named classic pcap file of a link type pkt_decode reads: its records
 * are read by pcap_records.c once libpcap has opened it and agrees on the
 * snapshot length. libpcap keeps the rest: the other link types, and
 * Linux cooked headers in the other byte order (it swaps their CAN id,
 * which a filter may test). Out of memory, libpcap reads it too.
 */
static void take_records(struct source *s)
{
	struct pcap_reader *r = &s->records;
	uint32_t snapshot = (uint32_t)pcap_snapshot(s->p);

	if (!s->regular || pkt_link_name(s->linktype) == NULL ||
	    pcap_reader_open(r, fileno(pcap_file(s->p))) < 0)
		return;
	if (snapshot > PCAP_RECORD_MAX)
		snapshot = PCAP_RECORD_MAX;	/* no longer record is read: it cuts none */
	if (r->f.snapshot != snapshot || (r->f.swapped && libpcap_fixes_swapped(s->linktype))) {
		pcap_reader_free(r);
		return;
	}
	r->f.signed_fraction = capture_signed_fraction();
	s->own_records = true;
}

static int open_source(struct capture *c, struct source *s, const struct capture_opts *o)
{
	char errbuf[PCAP_ERRBUF_SIZE] = "";

	if (o->iface) {
		s->p = open_live(o, errbuf);
		s->ifindex = if_nametoindex(o->iface);
	} else {
		s->p = open_file(c, s, errbuf);
	}
	if (strcmp(s->name, "-") == 0)
		s->name = "stdin";
	if (s->p == NULL) {
		diag_warn("%s: %s", s->name, errbuf);
		return -1;
	}
	if (set_filter(s, o->filter, o->iface != NULL) < 0)
		return -1;
	s->linktype = pcap_datalink(s->p);
	check_link(s);
	take_records(s);
	return 0;
}

static int drop_privileges(const char *user)
{
	struct passwd *pw = getpwnam(user);

	if (pw == NULL) {
		diag_warn("-Z %s: no such user", user);
		return -1;
	}
	if (initgroups(pw->pw_name, pw->pw_gid) < 0 || setgid(pw->pw_gid) < 0 ||
	    setuid(pw->pw_uid) < 0) {
		diag_warn_errno("-Z %s", user);
		return -1;
	}
	return 0;
}

struct capture *capture_open(const struct capture_opts *o)
{
	struct capture *c = calloc(1, sizeof *c);

	if (c == NULL) {
		diag_warn("out of memory");
		return NULL;
	}
	c->live = c->st.live = o->iface != NULL;
	c->stop_on_error = o->stop_on_error;
	c->nsrc = o->iface ? 1 : o->nfiles ? o->nfiles : 1;
	c->src = calloc((size_t)c->nsrc, sizeof *c->src);
	if (c->src == NULL) {
		diag_warn("out of memory");
		capture_close(c);
		return NULL;
	}
	/* every input is opened before root is given up */
	for (int i = 0; i < c->nsrc; i++) {
		c->src[i].name = o->iface ? o->iface : o->nfiles ? o->files[i] : "-";
		if (open_source(c, &c->src[i], o) < 0) {
			capture_close(c);
			return NULL;
		}
	}
	if (o->user && drop_privileges(o->user) < 0) {
		capture_close(c);
		return NULL;
	}
	return c;
}

void capture_close(struct capture *c)
{
	if (c == NULL)
		return;
	for (int i = 0; c->src && i < c->nsrc; i++) {
		if (c->src[i].own_filter)
			pcap_freecode(&c->src[i].prog);
		if (c->src[i].own_records)
			pcap_reader_free(&c->src[i].records);
		if (c->src[i].p)
			pcap_close(c->src[i].p);
		free(c->src[i].iobuf);
	}
	free(c->src);
	free(c);
}
