/*
 * Socket addresses and flow addresses, both ways: what a sender connects
 * to and what a collector learns from recvfrom. A v4-mapped IPv6 sender
 * (::ffff:a.b.c.d, seen on a dual-stack socket) is its IPv4 address, so
 * an exporter has one identity whichever socket its datagrams reach.
 */
#ifndef FLOWPIPES_NET_SOCKADDR_H
#define FLOWPIPES_NET_SOCKADDR_H

#include <stdint.h>
#include <sys/socket.h>

#include "flow/flowrec.h"

/* Fills ss with a (IPv4 or IPv6) and port; returns the length to pass to bind/connect. */
socklen_t net_sockaddr_set(struct sockaddr_storage *ss, const struct flow_addr *a, uint16_t port);
/* a and port (either may be NULL) from ss. 0, or -1 when ss is not AF_INET or AF_INET6. */
int net_sockaddr_get(const struct sockaddr_storage *ss, struct flow_addr *a, uint16_t *port);

#endif
