/*
 * ct-dump: kernel conntrack events as the text lines that
 * `conntrack -E -o timestamp,extended,id` prints, with reliable DESTROY
 * delivery, a large receive buffer and every loss counted.
 */
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/time.h>

#include "base/diag.h"
#include "ct_filter.h"
#include "ct_format.h"
#include "ct_socket.h"
#include "ct_sysctl.h"
#include "flow/flowaddr.h"
#include "base/optnum.h"
#include "flow/protoname.h"
#include "base/runsignals.h"
#include "line/toolopts.h"

#define PROG "ct-dump"
#define BUFFER_DEFAULT (32u << 20)

struct options {
	unsigned groups;
	bool dump_first;	/* -L */
	unsigned bufsize;
	bool reliable;
	bool sysctl;
	struct ct_filter filter;
};

struct counters {
	unsigned long events[3];	/* NEW, UPDATE, DESTROY printed */
	unsigned long dumped;		/* -L lines */
	unsigned long filtered;
	unsigned long enobufs;
	unsigned long drained;		/* events read after the stop signal */
};

struct run {
	struct options opt;
	struct counters c;
	struct ct_socket sock;
	bool dumping;		/* the -L table, printed as NEW events */
	bool dump_cut;		/* a stop signal or a write failure ended it early */
	bool draining;		/* stopping: reading what the socket still holds */
	struct ct_progname_cache names;
	bool write_failed;
};

static void usage(FILE *fp)
{
	fprintf(fp,
	    "usage: " PROG " [-L] [-e NEW,UPDATE,DESTROY] [-f ipv4|ipv6] [-p PROTO]\n"
	    "               [-n [ADDR]] [-g [ADDR]] [--zone N] [--mark V[/MASK]]\n"
	    "               [-b BYTES] [--no-reliable] [--no-sysctl]\n"
	    "  prints kernel conntrack events as conntrack -E -o timestamp,extended,id does\n"
	    "  -L              print the current table first (as NEW events)\n"
	    "  -e EVENTS       event types (default NEW,DESTROY; ALL for all three)\n"
	    "  -f FAMILY       ipv4 or ipv6 only\n"
	    "  -p PROTO        one protocol (name or number)\n"
	    "  -n, --src-nat[=ADDR]  source-NATed connections only (to ADDR)\n"
	    "  -g, --dst-nat[=ADDR]  destination-NATed connections only (to ADDR)\n"
	    "  --zone N        conntrack zone N only\n"
	    "  --mark V[/M]    connections whose mark & M == V only\n"
	    "  -b BYTES        netlink receive buffer (default %u)\n"
	    "  --no-reliable   plain subscription: no kernel-held DESTROY events\n"
	    "  --no-sysctl     do not turn on nf_conntrack_acct / nf_conntrack_timestamp\n"
	    "  -h, --version\n", BUFFER_DEFAULT);
}

static int parse_events(const char *list, unsigned *groups)
{
	unsigned g = 0;
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");
		if ((n == 3 && strncasecmp(p, "NEW", 3) == 0))
			g |= NF_NETLINK_CONNTRACK_NEW;
		else if ((n == 6 || n == 7) && strncasecmp(p, "UPDATES", n) == 0)
			g |= NF_NETLINK_CONNTRACK_UPDATE;
		else if (n == 7 && strncasecmp(p, "DESTROY", 7) == 0)
			g |= NF_NETLINK_CONNTRACK_DESTROY;
		else if (n == 3 && strncasecmp(p, "ALL", 3) == 0)
			g |= NF_NETLINK_CONNTRACK_NEW | NF_NETLINK_CONNTRACK_UPDATE |
			    NF_NETLINK_CONNTRACK_DESTROY;
		else
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	if (g == 0)
		return -1;
	*groups = g;
	return 0;
}

static int parse_mark(const char *s, struct ct_filter *f)
{
	char buf[64];
	char *slash;
	uint64_t v, m = UINT32_MAX;

	if (strlen(s) >= sizeof buf)
		return -1;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash != NULL) {
		*slash = '\0';
		if (optnum_uint(slash + 1, 0, UINT32_MAX, &m) < 0)
			return -1;
	}
	if (optnum_uint(buf, 0, UINT32_MAX, &v) < 0)
		return -1;
	f->mark = (uint32_t)(v & m);
	f->mark_mask = (uint32_t)m;
	f->mark_set = true;
	return 0;
}

/*
 * conntrack's -n/-g take an optional address, also as the next word:
 * `-n 192.0.2.1`. The next word is taken when it is an address.
 */
static int nat_option(int argc, char **argv, bool *set, struct flow_addr *a)
{
	const char *arg = optarg;

	if (arg == NULL && optind < argc && argv[optind][0] != '-' &&
	    flow_addr_parse(a, argv[optind], strlen(argv[optind])) == 0)
		arg = argv[optind++];
	if (arg == NULL)
		return 0;
	if (flow_addr_parse(a, arg, strlen(arg)) < 0)
		return -1;
	*set = true;
	return 0;
}

/* 0 ok, 1 exit 0 (help/version), 2 usage error */
static int parse_args(int argc, char **argv, struct options *o)
{
	enum { OPT_ZONE = 256, OPT_NORELIABLE, OPT_NOSYSCTL };
	static const struct option longs[] = {
		{ "event-mask", required_argument, NULL, 'e' },
		{ "dump", no_argument, NULL, 'L' },
		{ "family", required_argument, NULL, 'f' },
		{ "proto", required_argument, NULL, 'p' },
		{ "protonum", required_argument, NULL, 'p' },
		{ "src-nat", optional_argument, NULL, 'n' },
		{ "dst-nat", optional_argument, NULL, 'g' },
		{ "zone", required_argument, NULL, OPT_ZONE },
		{ "mark", required_argument, NULL, 'm' },
		{ "buffer-size", required_argument, NULL, 'b' },
		{ "no-reliable", no_argument, NULL, OPT_NORELIABLE },
		{ "no-sysctl", no_argument, NULL, OPT_NOSYSCTL },
		TOOLOPTS_LONG,
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = { .usage = usage };
	uint64_t v;
	uint64_t big;
	int c, rc;

	*o = (struct options){ .groups = NF_NETLINK_CONNTRACK_NEW | NF_NETLINK_CONNTRACK_DESTROY,
	    .bufsize = BUFFER_DEFAULT, .reliable = true, .sysctl = true };
	o->filter.proto = -1;
	while ((c = getopt_long(argc, argv, "hLe:f:p:n::g::m:b:", longs, NULL)) != -1) {
		switch (c) {
		case 'L':
			o->dump_first = true;
			break;
		case 'e':
			if (parse_events(optarg, &o->groups) < 0) {
				diag_warn("-e: want NEW,UPDATE,DESTROY or ALL: %s", optarg);
				return 2;
			}
			break;
		case 'f':
			if (strcasecmp(optarg, "ipv4") == 0)
				o->filter.family = AF_INET;
			else if (strcasecmp(optarg, "ipv6") == 0)
				o->filter.family = AF_INET6;
			else {
				diag_warn("-f: want ipv4 or ipv6: %s", optarg);
				return 2;
			}
			break;
		case 'p':
			o->filter.proto = proto_number(optarg);
			if (o->filter.proto < 0) {
				diag_warn("-p: unknown protocol: %s", optarg);
				return 2;
			}
			break;
		case 'n':
		case 'g': {
			struct ct_filter *f = &o->filter;
			bool *set = c == 'n' ? &f->snat_addr_set : &f->dnat_addr_set;
			struct flow_addr *a = c == 'n' ? &f->snat_addr : &f->dnat_addr;

			if (nat_option(argc, argv, set, a) < 0) {
				diag_warn("-%c: not an address: %s", c, optarg);
				return 2;
			}
			if (c == 'n')
				f->snat = true;
			else
				f->dnat = true;
			break;
		}
		case OPT_ZONE:
			if (optnum_uint(optarg, 0, 65535, &v) < 0) {
				diag_warn("--zone: want 0..65535: %s", optarg);
				return 2;
			}
			o->filter.zone = (uint16_t)v;
			o->filter.zone_set = true;
			break;
		case 'm':
			if (parse_mark(optarg, &o->filter) < 0) {
				diag_warn("--mark: want VALUE[/MASK]: %s", optarg);
				return 2;
			}
			break;
		case 'b':
			if (optnum_count(optarg, 1u << 30, &big) < 0 || big < 4096) {
				diag_warn("-b: want bytes, 4096..%u (k, M allowed): %s", 1u << 30,
				    optarg);
				return 2;
			}
			o->bufsize = (unsigned)big;
			break;
		case OPT_NORELIABLE:
			o->reliable = false;
			break;
		case OPT_NOSYSCTL:
			o->sysctl = false;
			break;
		default:
			if ((rc = toolopt_take(&shared, c, optarg)) != 0)
				return rc;
		}
	}
	return toolopt_no_operands(&shared, argc, argv);
}

static void report(const struct run *r)
{
	const struct counters *c = &r->c;

	/* overruns: events the kernel could not queue; reliable delivery re-sends the DESTROYs */
	diag_warn("%lu NEW, %lu UPDATE, %lu DESTROY events printed (%lu table entries), "
	    "%lu filtered out; lost: %lu ENOBUFS; kernel socket overruns: %llu (%s); "
	    "buffer %u bytes",
	    c->events[0], c->events[1], c->events[2], c->dumped, c->filtered, c->enobufs,
	    (unsigned long long)ct_socket_drops(&r->sock),
	    r->sock.reliable ? "reliable delivery on: DESTROY events re-sent" :
	    "reliable delivery off: events lost", r->sock.buffer);
}

/*
 * Whether the callback ends nfct_catch/nfct_query now. A dump reply packs
 * many entries into one message, so stopping it drops the rest of the
 * listing: only a stop signal does that (a SIGUSR1 is answered here). An
 * event is one message of its own: stopping after it loses nothing, and
 * lets the loop look at its flags in a storm that never lets it wait.
 * The drain at exit reads on whatever comes.
 */
static bool stop_callback(struct run *r)
{
	if (r->draining)
		return false;
	run_signals_deliver();
	if (!r->dumping)
		return run_stop || run_usr1;
	if (run_usr1_take())
		report(r);
	if (run_stop)
		r->dump_cut = true;
	return run_stop;
}

static int on_event(const struct nlmsghdr *nlh, enum nf_conntrack_msg_type type,
    struct nf_conntrack *ct, void *data)
{
	struct run *r = data;
	char line[CT_LINE_MAX + 160];
	struct timeval tv;
	unsigned long *count;
	size_t n;

	if (r->dumping && run_stop)
		return NFCT_CB_STOP;	/* the rest of a message the stop cut */
	if (!ct_filter_match(&r->opt.filter, ct)) {
		r->c.filtered++;
		return stop_callback(r) ? NFCT_CB_STOP : NFCT_CB_CONTINUE;
	}
	gettimeofday(&tv, NULL);
	if (r->dumping) {
		/* a dump reply is addressed to us: no [USERSPACE] cause */
		n = ct_format_event(line, sizeof line, &tv, ct, NFCT_T_NEW, 0, &r->names);
		count = &r->c.dumped;
	} else {
		n = ct_format_event(line, sizeof line, &tv, ct, type, nlh->nlmsg_pid, &r->names);
		count = &r->c.events[type == NFCT_T_NEW ? 0 : type == NFCT_T_UPDATE ? 1 : 2];
	}
	line[n++] = '\n';
	/* each line flushed, as conntrack -E does: the reader downstream is live */
	if (fwrite(line, 1, n, stdout) != n || fflush(stdout) != 0) {
		r->write_failed = true;
		r->dump_cut = r->dumping;
		return NFCT_CB_STOP;
	}
	++*count;	/* printed: counted once the line went out */
	if (r->draining)
		r->c.drained++;
	return stop_callback(r) ? NFCT_CB_STOP : NFCT_CB_CONTINUE;
}

/* -L: the table as it is now, through a second handle (dumps are not events). */
static int dump_table(struct run *r)
{
	struct nfct_handle *h = nfct_open(CONNTRACK, 0);
	uint32_t family = AF_UNSPEC;
	int rc;

	if (h == NULL) {
		diag_warn_errno("-L");
		return -1;
	}
	nfct_callback_register2(h, NFCT_T_ALL, on_event, r);
	r->dumping = true;
	rc = nfct_query(h, NFCT_Q_DUMP, &family);
	r->dumping = false;
	if (rc < 0)
		diag_warn_errno("-L: table dump failed");
	else if (r->dump_cut)
		diag_warn("-L: dump interrupted after %lu entries", r->c.dumped);
	nfct_close(h);
	return rc < 0 ? -1 : 0;
}

/*
 * Stopping: the kernel counts what sits in our socket as delivered (a
 * DESTROY it will not send again), so read it all before exit. Leaving
 * the groups first keeps a storm from making the drain endless.
 */
static void drain(struct run *r)
{
	if (ct_socket_leave(&r->sock) < 0)
		diag_warn("leaving the event groups: %s (draining anyway)", strerror(errno));
	r->draining = true;
	while (!r->write_failed) {
		if (nfct_catch(r->sock.h) >= 0)
			continue;
		if (errno == ENOBUFS)
			r->c.enobufs++;
		else if (errno != EINTR)
			break;	/* EAGAIN: empty */
	}
	r->draining = false;
	diag_warn("stopping: %lu events still queued were read and printed", r->c.drained);
}

/* Events until a stop signal. 0, or 2 on a fatal error. */
static int event_loop(struct run *r)
{
	struct pollfd pfd = { .fd = nfct_fd(r->sock.h), .events = POLLIN };

	for (;;) {
		int caught;

		if (run_usr1_take())
			report(r);
		if (run_stop || r->write_failed)
			break;
		caught = nfct_catch(r->sock.h);
		run_signals_deliver();	/* a storm may never let us wait */
		if (caught >= 0)
			continue;	/* a callback stopped it to let us look at the flags */
		if (errno == EAGAIN || errno == EWOULDBLOCK) {
			run_poll(&pfd, 1, -1);	/* drained: wait (EINTR: back to the flags) */
		} else if (errno == ENOBUFS) {
			r->c.enobufs++;	/* events were lost; the run goes on */
		} else if (errno != EINTR) {
			diag_warn_errno("receiving events");
			return 2;
		}
	}
	if (!r->write_failed)
		drain(r);
	if (fflush(stdout) != 0)
		r->write_failed = true;
	return 0;
}

int main(int argc, char **argv)
{
	static struct run r;
	static char obuf[1 << 18];
	struct why why;
	int rc;

	if (tool_start(PROG) < 0)
		return 2;
	rc = parse_args(argc, argv, &r.opt);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	for (unsigned i = 0; r.opt.sysctl && i < CT_SYSCTL_COUNT; i++)
		if (ct_sysctl_enable(i, &why) != 0)
			diag_warn("%s", why.text);
	if (ct_socket_open(&r.sock, r.opt.groups, r.opt.bufsize, r.opt.reliable, &why) < 0) {
		diag_warn("%s", why.text);
		return 2;
	}
	if (r.opt.reliable && !r.sock.reliable)
		diag_warn("warning: no reliable event delivery (%s): DESTROY events can be lost",
		    strerror(r.sock.reliable_errno));
	nfct_callback_register2(r.sock.h, NFCT_T_ALL, on_event, &r);

	run_signals_install();
	setvbuf(stdout, obuf, _IOFBF, sizeof obuf);

	/* subscribed before the dump, so nothing falls between table and events */
	if (r.opt.dump_first && dump_table(&r) < 0) {
		ct_socket_close(&r.sock);
		return 2;
	}
	rc = event_loop(&r);
	if (r.write_failed) {
		diag_warn_errno("write");
		rc = 2;
	}
	report(&r);
	ct_socket_close(&r.sock);
	return rc;
}
