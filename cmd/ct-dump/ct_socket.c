/* Conntrack event socket: groups, buffer, reliable delivery (see ct_socket.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/sock_diag.h>

#include <libnfnetlink/libnfnetlink.h>

#include "ct_socket.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

static bool set_flag(int fd, int opt)
{
	int one = 1;
	return setsockopt(fd, SOL_NETLINK, opt, &one, sizeof one) == 0;
}

int ct_socket_open(struct ct_socket *s, unsigned groups, unsigned bufsize, bool reliable,
    struct why *w)
{
	int fd;

	memset(s, 0, sizeof *s);
	s->h = nfct_open(CONNTRACK, groups);
	if (s->h == NULL)
		return why_set(w, "cannot subscribe to conntrack events: %s", strerror(errno));
	fd = nfct_fd(s->h);
	if (bufsize > 0)
		/* SO_RCVBUFFORCE as root */
		s->buffer = nfnl_rcvbufsiz(nfct_nfnlh(s->h), bufsize);
	else {
		int v = 0;
		socklen_t len = sizeof v;
		if (getsockopt(fd, SOL_SOCKET, SO_RCVBUF, &v, &len) == 0)
			s->buffer = (unsigned)v;
	}
	if (reliable) {
		s->reliable = set_flag(fd, NETLINK_BROADCAST_ERROR) &&
		    set_flag(fd, NETLINK_NO_ENOBUFS);
		s->reliable_errno = s->reliable ? 0 : errno;
	}
	/* nfct_catch then returns when the socket is drained, and the loop can look at its flags */
	if (fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) < 0) {
		why_set(w, "fcntl: %s", strerror(errno));
		nfct_close(s->h);
		s->h = NULL;
		return -1;
	}
	return 0;
}

uint64_t ct_socket_drops(const struct ct_socket *s)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof mem;

	memset(mem, 0, sizeof mem);
	if (getsockopt(nfct_fd(s->h), SOL_SOCKET, SO_MEMINFO, mem, &len) < 0 ||
	    len <= SK_MEMINFO_DROPS * sizeof mem[0])
		return 0;
	return mem[SK_MEMINFO_DROPS];
}

int ct_socket_leave(struct ct_socket *s)
{
	static const int groups[] = {
		NFNLGRP_CONNTRACK_NEW, NFNLGRP_CONNTRACK_UPDATE, NFNLGRP_CONNTRACK_DESTROY
	};
	int fd = nfct_fd(s->h), rc = 0;

	for (size_t i = 0; i < sizeof groups / sizeof groups[0]; i++)
		if (setsockopt(fd, SOL_NETLINK, NETLINK_DROP_MEMBERSHIP, &groups[i],
		    sizeof groups[i]) < 0 && errno != ENOENT)
			rc = -1;
	return rc;
}

void ct_socket_close(struct ct_socket *s)
{
	if (s->h != NULL)
		nfct_close(s->h);
	s->h = NULL;
}
