/* UDP listeners: bind, batch reads, kernel drop counts. */
#include <errno.h>
#include <stdbool.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/sock_diag.h>

#include "base/diag.h"
#include "base/runsignals.h"
#include "flow/flowaddr.h"
#include "listen.h"
#include "net/sockaddr.h"
#include "net/udpsock.h"

#ifndef SO_MEMINFO
#define SO_MEMINFO 55
#endif
#ifndef SO_RXQ_OVFL
#define SO_RXQ_OVFL 40
#endif

#define RMEM_MAX_PATH "/proc/sys/net/core/rmem_max"

static long rmem_max(void)
{
	FILE *fp = fopen(RMEM_MAX_PATH, "r");
	long v = -1;

	if (fp) {
		if (fscanf(fp, "%ld", &v) != 1)
			v = -1;
		fclose(fp);
	}
	return v;
}

/*
 * The socket an operand needs, as the endpoint net_udp_bind takes: its
 * port and local address; on any local address, the zero address of the
 * family it names (0.0.0.0 or ::), or no address for both.
 */
static struct net_endpoint binding_of(const struct net_endpoint *e)
{
	struct net_endpoint b;

	memset(&b, 0, sizeof b);
	b.port = e->port;
	if (net_endpoint_any_local(e))
		flow_addr_set_zero(&b.local, net_endpoint_family(e));
	else
		b.local = e->local;
	return b;
}

/*
 * Whether an operand with binding b is served by socket binding s: the
 * same port and local address. Two on any local address share one
 * socket, of both families when theirs differ.
 */
static bool joins(struct net_endpoint *s, const struct net_endpoint *b)
{
	if (s->port != b->port || net_endpoint_any_local(s) != net_endpoint_any_local(b))
		return false;
	if (!net_endpoint_any_local(s))
		return flow_addr_equal(&s->local, &b->local);
	if (s->local.family != b->local.family)
		flow_addr_set_zero(&s->local, 0);	/* both families: dual-stack */
	return true;
}

static int bind_one(struct listener *l, int bufsize)
{
	struct net_bufsize b = { bufsize, true, 0 };
	struct why w;
	int one = 1;

	l->fd = net_udp_bind(&l->ep, &b, &w);
	if (l->fd < 0) {
		diag_warn("%s: %s", l->spec, w.text);
		return 2;
	}
	if (setsockopt(l->fd, SOL_SOCKET, SO_RXQ_OVFL, &one, sizeof one) != 0)
		diag_warn_errno("%s: SO_RXQ_OVFL (kernel drops will not be counted)", l->spec);
	if (b.granted < bufsize)
		diag_warn("%s: socket buffer %d bytes, %d asked: a burst beyond it is lost in the "
		    "kernel (net.core.rmem_max is %ld; raise it, or run as root)", l->spec,
		    b.granted, bufsize, rmem_max());
	return 0;
}

/* Operand i: to the socket of an earlier operand it joins, else a new one (bound later). */
static int place(struct listeners *ls, int i, const char *spec)
{
	struct net_endpoint b;
	struct why w;

	if (net_endpoint_parse(&ls->ep[i], spec, NET_SPEC_RECV, &w) != 0) {
		diag_warn("%s: %s", spec, w.text);
		return 2;
	}
	b = binding_of(&ls->ep[i]);
	for (int k = 0; k < ls->n; k++)
		if (joins(&ls->l[k].ep, &b)) {
			ls->l[k].takes |= UINT32_C(1) << i;
			return 0;
		}
	ls->l[ls->n] = (struct listener){ .ep = b, .spec = spec, .takes = UINT32_C(1) << i,
		.fd = -1 };
	ls->n++;
	return 0;
}

int listeners_open(struct listeners *ls, char *const *specs, int n, int bufsize)
{
	memset(ls, 0, sizeof *ls);
	if (n > LISTEN_MAX) {
		diag_warn("at most %d listeners", LISTEN_MAX);
		return 2;
	}
	ls->buf = malloc((size_t)LISTEN_BATCH * LISTEN_DGRAM_MAX);
	if (ls->buf == NULL) {
		diag_warn("out of memory");
		return 2;
	}
	for (int i = 0; i < n; i++)
		if (place(ls, i, specs[i]) != 0)
			return 2;
	for (int k = 0; k < ls->n; k++)
		if (bind_one(&ls->l[k], bufsize) != 0)
			return 2;
	return 0;
}

/* Whether one of the operands l serves takes a datagram from `from`. */
static bool takes(const struct listeners *ls, const struct listener *l,
    const struct flow_addr *from)
{
	for (int i = 0; i < LISTEN_MAX; i++)
		if ((l->takes >> i & 1) && net_endpoint_takes(&ls->ep[i], from))
			return true;
	return false;
}

/* The drop counter a datagram carried (cumulative per socket). */
static void note_drops(struct listener *l, struct msghdr *m)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(m); cm; cm = CMSG_NXTHDR(m, cm))
		if (cm->cmsg_level == SOL_SOCKET && cm->cmsg_type == SO_RXQ_OVFL) {
			uint32_t v;

			memcpy(&v, CMSG_DATA(cm), sizeof v);
			l->drops = v;
		}
}

struct batch {
	struct mmsghdr msg[LISTEN_BATCH];
	struct iovec iov[LISTEN_BATCH];
	struct sockaddr_storage from[LISTEN_BATCH];
	char ctl[LISTEN_BATCH][CMSG_SPACE(sizeof(uint32_t))];
};

static void batch_prepare(struct batch *b, uint8_t *buf)
{
	memset(b, 0, sizeof *b);
	for (int i = 0; i < LISTEN_BATCH; i++) {
		b->iov[i].iov_base = buf + (size_t)i * LISTEN_DGRAM_MAX;
		b->iov[i].iov_len = LISTEN_DGRAM_MAX;
		b->msg[i].msg_hdr.msg_iov = &b->iov[i];
		b->msg[i].msg_hdr.msg_iovlen = 1;
	}
}

#define DRAIN_ROUNDS 64	/* batches before the loop looks at signals and the other sockets */

/* Reads what is waiting on l; -1 with errno on a read error, else 0. */
static int drain(const struct listeners *ls, struct listener *l, struct batch *b,
    const struct listen_calls *calls)
{
	for (int round = 0; round < DRAIN_ROUNDS; round++) {
		int got;

		for (int i = 0; i < LISTEN_BATCH; i++) {
			struct msghdr *h = &b->msg[i].msg_hdr;

			h->msg_name = &b->from[i];
			h->msg_namelen = sizeof b->from[i];
			h->msg_control = b->ctl[i];
			h->msg_controllen = sizeof b->ctl[i];
			h->msg_flags = 0;
		}
		got = recvmmsg(l->fd, b->msg, LISTEN_BATCH, MSG_DONTWAIT, NULL);
		if (got < 0)
			return errno == EAGAIN || errno == EWOULDBLOCK || errno == EINTR ? 0 : -1;
		for (int i = 0; i < got; i++) {
			struct flow_addr from;
			uint16_t port = 0;

			memset(&from, 0, sizeof from);
			note_drops(l, &b->msg[i].msg_hdr);
			net_sockaddr_get(&b->from[i], &from, &port);
			if (!takes(ls, l, &from)) {
				l->ignored++;
				continue;
			}
			calls->on_datagram(calls->ctx, b->iov[i].iov_base, b->msg[i].msg_len, &from,
			    port);
		}
		if (got < LISTEN_BATCH)
			return 0;
	}
	return 0;
}

int listeners_run(struct listeners *ls, const struct listen_calls *calls)
{
	struct pollfd pfd[LISTEN_MAX];
	struct batch *b = malloc(sizeof *b);

	if (b == NULL) {
		diag_warn("out of memory");
		return 2;
	}
	batch_prepare(b, ls->buf);
	for (int i = 0; i < ls->n; i++) {
		pfd[i].fd = ls->l[i].fd;
		pfd[i].events = POLLIN;
	}
	while (!run_stop) {
		if (run_usr1_take())
			calls->on_report(calls->ctx);
		calls->on_idle(calls->ctx);
		if (run_poll(pfd, (nfds_t)ls->n, -1) < 0)
			continue;	/* a signal: the loop looks at the flags */
		for (int i = 0; i < ls->n && !run_stop; i++) {
			if (!(pfd[i].revents & POLLIN))
				continue;
			if (drain(ls, &ls->l[i], b, calls) != 0) {
				diag_warn_errno("%s: recvmmsg", ls->l[i].spec);
				free(b);
				return 2;
			}
		}
	}
	free(b);
	return 0;
}

/*
 * The socket's drop count now. A datagram's SO_RXQ_OVFL tells the drops
 * before it was queued, so those after the last one read (a collector
 * that fell behind, then stopped) show only in SO_MEMINFO.
 */
static uint32_t drops_now(const struct listener *l)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof mem;

	if (getsockopt(l->fd, SOL_SOCKET, SO_MEMINFO, mem, &len) != 0 ||
	    len < (SK_MEMINFO_DROPS + 1) * sizeof mem[0])
		return l->drops;
	return mem[SK_MEMINFO_DROPS] > l->drops ? mem[SK_MEMINFO_DROPS] : l->drops;
}

unsigned long long listeners_drops(const struct listeners *ls)
{
	unsigned long long n = 0;

	for (int i = 0; i < ls->n; i++)
		n += drops_now(&ls->l[i]);
	return n;
}

unsigned long long listeners_ignored(const struct listeners *ls)
{
	unsigned long long n = 0;

	for (int i = 0; i < ls->n; i++)
		n += ls->l[i].ignored;
	return n;
}

void listeners_close(struct listeners *ls)
{
	for (int i = 0; i < ls->n; i++)
		if (ls->l[i].fd >= 0)
			close(ls->l[i].fd);
	free(ls->buf);
	ls->n = 0;
	ls->buf = NULL;
}
