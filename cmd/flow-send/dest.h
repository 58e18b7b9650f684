/*
 * Collectors flow-send sends to, written as flow-tools writes them:
 * localip/remoteip/port[/ttl], localip 0 for any local address (parsed
 * by net/endpoint.h). Each is a connected UDP socket (IPv4 or IPv6), so
 * a collector that is not listening shows up as ECONNREFUSED on a later
 * send.
 */
#ifndef FLOW_SEND_DEST_H
#define FLOW_SEND_DEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <sys/uio.h>

#include "base/diag.h"
#include "net/endpoint.h"

#define DEST_BATCH_MAX 32	/* datagrams handed to the kernel at once */

struct dest {
	const char *spec;		/* as given, for messages */
	struct net_endpoint ep;
	int fd;
	int sndbuf;			/* send buffer the kernel granted */
	unsigned long sent, refused, retries, failed;
};

/* Parses spec into d (no socket yet). 0, or -1 with the reason in w. */
int dest_parse(struct dest *d, const char *spec, struct why *w);
/* Opens and connects the socket. 0, or -1 with the reason in w. */
int dest_open(struct dest *d, struct why *w);
/*
 * Sends one datagram: ENOBUFS/EAGAIN are waited out and retried (up to
 * about a second), ECONNREFUSED (an ICMP error for an earlier datagram)
 * is counted and the datagram sent again. Returns 0, or -1 when it could
 * not be sent (counted in failed; errno says why).
 */
int dest_send(struct dest *d, const uint8_t *buf, size_t len);
/*
 * Sends n datagrams in as few system calls as the kernel allows
 * (sendmmsg), with dest_send's retries for each. Returns how many could
 * not be sent.
 */
unsigned dest_send_many(struct dest *d, const struct iovec *dgram, unsigned n);
void dest_close(struct dest *d);

#endif
