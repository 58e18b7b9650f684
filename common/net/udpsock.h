/*
 * UDP sockets for NetFlow: a sender's socket connected to its collector
 * (so a collector that is not listening shows up as ECONNREFUSED on a
 * later send), and a collector's bound socket. Both ask for a socket
 * buffer and report what the kernel granted: a burst larger than that is
 * lost in the kernel, so a tool should say when it got less than it
 * asked for.
 */
#ifndef FLOWPIPES_NET_UDPSOCK_H
#define FLOWPIPES_NET_UDPSOCK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "base/diag.h"
#include "flow/flowrec.h"
#include "net/endpoint.h"

struct net_bufsize {
	int asked;		/* bytes asked for, 0: leave the system's default */
	bool force;		/* SO_*BUFFORCE first: root may exceed net.core.[rw]mem_max */
	int granted;		/* out: what the kernel gave (Linux reports twice that) */
};

/*
 * A socket connected to e->remote:e->port from e->local (any when its
 * family is 0), with e->ttl when set (IP_MULTICAST_TTL / IPV6_MULTICAST_HOPS
 * for a multicast collector). buf: the send buffer. Returns the
 * descriptor, or -1 with the reason in w ("connect: ...").
 */
int net_udp_connect(const struct net_endpoint *e, struct net_bufsize *buf, struct why *w);
/*
 * A socket bound to e->local:e->port, of the family e names (an IPv6 one
 * takes IPv6 alone). With no family on either side (0/0/port) an IPv6
 * socket that takes IPv4 too (IPV6_V6ONLY off), or IPv4 alone where the
 * system has no IPv6. buf: the receive buffer.
 * Returns the descriptor, or -1 with the reason in w ("bind: ...").
 */
int net_udp_bind(const struct net_endpoint *e, struct net_bufsize *buf, struct why *w);
/*
 * One datagram: its length, with the sender's address and port (a
 * v4-mapped sender as IPv4); -1 with errno as recvfrom(2) sets it.
 */
ssize_t net_udp_recv(int fd, void *p, size_t len, struct flow_addr *from, uint16_t *port);

#endif
