/* UDP sockets: connected senders, bound receivers, socket buffers. */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "flow/flowaddr.h"
#include "net/sockaddr.h"
#include "net/udpsock.h"

/* Asks for b->asked bytes of buffer opt (SO_SNDBUF or SO_RCVBUF); sets b->granted. */
static void set_buffer(int fd, int opt, struct net_bufsize *b)
{
	int force = opt == SO_SNDBUF ? SO_SNDBUFFORCE : SO_RCVBUFFORCE;
	int v = 0;
	socklen_t vl = sizeof v;

	bool forced = b->force && b->asked > 0 &&
	    setsockopt(fd, SOL_SOCKET, force, &b->asked, sizeof b->asked) == 0;

	if (b->asked > 0 && !forced)
		setsockopt(fd, SOL_SOCKET, opt, &b->asked, sizeof b->asked);
	if (getsockopt(fd, SOL_SOCKET, opt, &v, &vl) != 0)
		v = 0;
#ifdef __linux__
	v /= 2;		/* socket(7): the kernel doubles the value for its bookkeeping */
#endif
	b->granted = v;
}

static int set_ttl(int fd, const struct net_endpoint *e)
{
	bool v6 = e->remote.family == FLOW_AF_INET6;
	bool multicast = v6 ? e->remote.bytes[0] == 0xff : (e->remote.bytes[0] & 0xf0) == 0xe0;
	int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	int opt = v6 ? (multicast ? IPV6_MULTICAST_HOPS : IPV6_UNICAST_HOPS)
	    : (multicast ? IP_MULTICAST_TTL : IP_TTL);

	return setsockopt(fd, level, opt, &e->ttl, sizeof e->ttl);
}

/* Closes fd, keeping errno; returns -1. */
static int fail(int fd)
{
	int saved = errno;

	close(fd);
	errno = saved;
	return -1;
}

int net_udp_connect(const struct net_endpoint *e, struct net_bufsize *buf, struct why *w)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int fd = socket(e->remote.family == FLOW_AF_INET6 ? AF_INET6 : AF_INET,
	    SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return why_set(w, "socket: %s", strerror(errno));
	set_buffer(fd, SO_SNDBUF, buf);
	if (e->ttl && set_ttl(fd, e) != 0) {
		why_set(w, "ttl %d: %s", e->ttl, strerror(errno));
		return fail(fd);
	}
	if (e->local.family) {
		sl = net_sockaddr_set(&ss, &e->local, 0);
		if (bind(fd, (struct sockaddr *)&ss, sl) != 0) {
			why_set(w, "bind: %s", strerror(errno));
			return fail(fd);
		}
	}
	sl = net_sockaddr_set(&ss, &e->remote, e->port);
	if (connect(fd, (struct sockaddr *)&ss, sl) != 0) {
		why_set(w, "connect: %s", strerror(errno));
		return fail(fd);
	}
	return fd;
}

/*
 * Whether an IPv6 socket takes IPv6 alone (on) or IPv4 too, whatever
 * net.ipv6.bindv6only says. 0, or -1 with errno.
 */
static int set_v6only(int fd, int on)
{
	return setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof on);
}

/* The any-family receiver: IPv6 taking IPv4 too, else IPv4. */
static int dual_stack(struct flow_addr *bind_addr)
{
	int fd = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd >= 0 && set_v6only(fd, 0) == 0) {
		flow_addr_set_zero(bind_addr, FLOW_AF_INET6);
		return fd;
	}
	if (fd >= 0)
		close(fd);
	flow_addr_set_zero(bind_addr, FLOW_AF_INET);
	return socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

int net_udp_bind(const struct net_endpoint *e, struct net_bufsize *buf, struct why *w)
{
	struct flow_addr at;
	struct sockaddr_storage ss;
	socklen_t sl;
	uint8_t family = net_endpoint_family(e);
	int fd;

	if (family == 0) {
		fd = dual_stack(&at);
	} else {
		if (e->local.family)
			at = e->local;
		else
			flow_addr_set_zero(&at, family);
		fd = socket(family == FLOW_AF_INET6 ? AF_INET6 : AF_INET,
		    SOCK_DGRAM | SOCK_CLOEXEC, 0);
	}
	if (fd < 0)
		return why_set(w, "socket: %s", strerror(errno));
	/* the family the endpoint names is the one the socket gets */
	if (family == FLOW_AF_INET6 && set_v6only(fd, 1) < 0) {
		why_set(w, "IPV6_V6ONLY: %s", strerror(errno));
		return fail(fd);
	}
	set_buffer(fd, SO_RCVBUF, buf);
	sl = net_sockaddr_set(&ss, &at, e->port);
	if (bind(fd, (struct sockaddr *)&ss, sl) != 0) {
		why_set(w, "bind: %s", strerror(errno));
		return fail(fd);
	}
	return fd;
}

ssize_t net_udp_recv(int fd, void *p, size_t len, struct flow_addr *from, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t sl = sizeof ss;
	ssize_t n = recvfrom(fd, p, len, 0, (struct sockaddr *)&ss, &sl);

	if (n >= 0 && net_sockaddr_get(&ss, from, port) != 0) {
		if (from)
			memset(from, 0, sizeof *from);
		if (port)
			*port = 0;
	}
	return n;
}
