/* Offline sources: UDP payloads of a capture, datagram files. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/runsignals.h"
#include "flow/flowproto.h"
#include "netflow/nf_datagram.h"
#include "offline.h"
#include "packet/capture.h"
#include "packet/ipdefrag.h"
#include "packet/pktdecode.h"

#define IPPROTO_UDP_NUM 17

struct cap_run {
	const struct offline_calls *calls;
	struct offline_counts *n;
	const struct net_endpoint *ep;	/* the operand, NULL for any port (-P) */
	unsigned long said;
	struct ipdefrag defrag;		/* UDP datagrams that came in fragments */
};

#define CAP_MESSAGES 10		/* per-packet messages printed; further ones counted */

static void say_packet(struct cap_run *r, const struct capture_pkt *p, const char *what)
{
	if (r->said++ < CAP_MESSAGES)
		diag_warn("%s: packet %llu: %s%s", p->source, p->num, what,
		    r->said == CAP_MESSAGES ? " (further such packets counted, not shown)" : "");
}

/*
 * A whole UDP datagram (bytes: the frame, or the one ipdefrag put
 * together): taken as the operand's live listener would take it, to its
 * port and address, from an exporter it takes.
 */
static void take_udp(struct cap_run *r, const struct capture_pkt *p, enum pkt_status st,
    const struct pkt_info *pi, const uint8_t *bytes)
{
	char where[512];

	if (r->ep && (pi->dport != r->ep->port || !net_endpoint_reaches(r->ep, &pi->dst)))
		return (void)r->n->other++;
	if (r->ep && !net_endpoint_takes(r->ep, &pi->src))
		return (void)r->n->ignored++;
	if (st == PKT_TRUNCATED || pi->payload_off == 0 || pi->payload_len < pi->payload_wire_len) {
		r->n->cut++;
		say_packet(r, p, "UDP payload cut by the snapshot length: skipped");
		return;
	}
	r->n->datagrams++;
	snprintf(where, sizeof where, "%s: packet %llu", p->source, p->num);
	r->calls->on_datagram(r->calls->ctx, bytes + pi->payload_off, pi->payload_len, &pi->src,
	    pi->sport, where);
}

/* A fragment goes to the reassembly; the one that completes a datagram delivers it. */
static void take_fragment(struct cap_run *r, const struct capture_pkt *p,
    const struct pkt_info *pi)
{
	const uint8_t *whole;
	size_t len;
	const char *why;
	struct pkt_info wpi;
	enum pkt_status st;
	char text[160];

	switch (ipdefrag_add(&r->defrag, p->bytes, p->caplen, pi, p->ts_us / 1000u, &whole, &len,
	    &why)) {
	case IPDEFRAG_HELD:
		return;
	case IPDEFRAG_REFUSED:
		snprintf(text, sizeof text, "IP fragment not reassembled: %s", why);
		say_packet(r, p, text);
		return;
	case IPDEFRAG_WHOLE:
		st = pkt_decode(PKT_LINK_RAW, whole, len, len, &wpi);
		if (st == PKT_BAD) {	/* counted and said, as a captured packet would be */
			r->n->undecodable++;
			snprintf(text, sizeof text, "the datagram it completes: %s", wpi.why);
			say_packet(r, p, text);
			return;
		}
		take_udp(r, p, st, &wpi, whole);
		return;
	}
}

static void on_packet(void *ctx, const struct capture_pkt *p)
{
	struct cap_run *r = ctx;
	struct pkt_info pi;
	enum pkt_status st = pkt_decode(p->linktype, p->bytes, p->caplen, p->wirelen, &pi);

	r->n->packets++;
	if (st == PKT_NOT_IP)
		return (void)r->n->other++;
	if (st == PKT_BAD || st == PKT_BAD_LINK) {
		r->n->undecodable++;
		return;
	}
	if (pi.proto != IPPROTO_UDP_NUM)
		return (void)r->n->other++;
	if (pi.is_frag)
		take_fragment(r, p, &pi);
	else
		take_udp(r, p, st, &pi, p->bytes);
}

/* What the reassembly did, into the counts the summary prints. */
static void defrag_counts(struct ipdefrag *d, struct offline_counts *n)
{
	const struct ipdefrag_stats *st = ipdefrag_get_stats(d);

	n->fragments = st->fragments;
	n->reassembled = st->reassembled;
	n->frag_lost = ipdefrag_refused(st);
	n->frag_dropped = ipdefrag_incomplete(st);
	n->frag_conflicts = st->conflicts;
}

static void on_report(void *ctx)
{
	struct cap_run *r = ctx;

	r->calls->on_report(r->calls->ctx);
}

int offline_capture(char *const *files, int n, const struct net_endpoint *ep,
    const struct offline_calls *calls, struct offline_counts *counts)
{
	struct capture_opts o;
	struct cap_run r = { .calls = calls, .n = counts, .ep = ep };
	const struct capture_calls cc = { on_packet, NULL, on_report, &r };
	struct capture_stats cs;
	struct capture *cap;

	memset(&o, 0, sizeof o);
	o.files = (const char *const *)files;
	o.nfiles = n;
	if (ipdefrag_init(&r.defrag, NULL) < 0) {
		diag_warn("out of memory");
		return 2;
	}
	cap = capture_open(&o);
	if (cap == NULL) {
		ipdefrag_free(&r.defrag);
		return 2;
	}
	if (capture_run(cap, &cc) < 0)
		counts->read_errors++;
	capture_get_stats(cap, &cs);
	counts->read_errors += cs.read_errors;
	capture_close(cap);
	defrag_counts(&r.defrag, counts);
	ipdefrag_free(&r.defrag);
	return counts->read_errors || counts->undecodable || counts->frag_lost ||
	    counts->frag_dropped ? 1 : 0;
}

/* SIGUSR1 while a -d file is read: the counters now (a pipe may wait for hours). */
static void report_if_asked(const struct offline_calls *calls)
{
	if (run_usr1_take())
		calls->on_report(calls->ctx);
}

/*
 * Reads all of path (at most OFFLINE_FILE_MAX bytes), growing as it goes,
 * waiting in run_poll so that the signals get in (a FIFO or a process
 * substitution may be slow or never end). NULL after a message, or at a
 * stop: a file read in part is left out, since its last datagram may be cut.
 */
static uint8_t *slurp(const char *path, size_t *len, const struct offline_calls *calls)
{
	static const char too_large[] = "larger than 1 GiB, or out of memory";
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	uint8_t *buf = NULL, *more;
	size_t cap = 0, got = 0;
	const char *fault = NULL;

	if (fd < 0) {
		diag_warn_errno("%s", path);
		return NULL;
	}
	for (;;) {
		ssize_t n;

		if (got == cap) {
			cap = cap ? cap * 2 : 1u << 16;
			more = cap <= 2 * (size_t)OFFLINE_FILE_MAX ? realloc(buf, cap) : NULL;
			if (more == NULL) {
				fault = too_large;
				break;
			}
			buf = more;
		}
		report_if_asked(calls);
		if (run_stop) {
			fault = "stopped while reading it: its datagrams are left out";
			break;
		}
		if (run_poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;
			fault = strerror(errno);
			break;
		}
		n = read(fd, buf + got, cap - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fault = strerror(errno);
			break;
		}
		if (n == 0)
			break;
		got += (size_t)n;
		if (got > OFFLINE_FILE_MAX) {
			fault = too_large;
			break;
		}
	}
	close(fd);
	if (fault != NULL) {
		diag_warn("%s: %s", path, fault);
		free(buf);
		return NULL;
	}
	*len = got;
	return buf;
}

static void one_file(const char *path, const uint8_t *buf, size_t len,
    const struct offline_calls *calls, struct offline_counts *counts)
{
	size_t off = 0;
	unsigned k = 0;
	char where[512];

	do {
		size_t n = nf_datagram_len(NULL, buf + off, len - off);

		k++;
		if (off == 0 && n == len)
			snprintf(where, sizeof where, "%s", path);
		else
			snprintf(where, sizeof where, "%s: datagram %u", path, k);
		counts->datagrams++;
		calls->on_datagram(calls->ctx, buf + off, n, NULL, 0, where);
		off += n;
	} while (off < len);
}

int offline_files(char *const *files, int n, const struct offline_calls *calls,
    struct offline_counts *counts)
{
	int rc = 0;

	for (int i = 0; i < n && !run_stop; i++) {
		size_t len = 0;
		uint8_t *buf = slurp(files[i], &len, calls);

		if (buf == NULL) {
			counts->read_errors++;
			rc = 1;
			continue;
		}
		one_file(files[i], buf, len, calls, counts);
		free(buf);
		report_if_asked(calls);
	}
	return rc;
}
