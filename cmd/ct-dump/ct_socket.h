/*
 * The kernel conntrack event subscription: which groups, how large a
 * receive buffer, and reliable delivery. With NETLINK_BROADCAST_ERROR the
 * kernel learns when an event did not fit into our buffer; for a DESTROY
 * it then keeps the entry and sends the event again later, and a missed
 * NEW is folded into the connection's next event. NETLINK_NO_ENOBUFS
 * keeps the socket from reporting ENOBUFS for what the kernel re-sends.
 * What never arrived is still counted: the kernel's per-socket drop
 * counter (SO_MEMINFO), and ENOBUFS when reliable delivery is off.
 */
#ifndef CTDUMP_CT_SOCKET_H
#define CTDUMP_CT_SOCKET_H

#include <stdbool.h>

#include "base/diag.h"
#include <stdint.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

struct ct_socket {
	struct nfct_handle *h;
	bool reliable;		/* both socket options took */
	int reliable_errno;	/* why not, when asked for */
	unsigned buffer;	/* receive buffer the kernel granted, bytes */
};

/*
 * groups: NF_NETLINK_CONNTRACK_NEW|UPDATE|DESTROY. bufsize 0 keeps the
 * default. Returns 0, or -1 with the reason in w. Asked for reliable
 * delivery that the kernel refused is no failure: reliable stays false
 * and reliable_errno says why.
 */
int ct_socket_open(struct ct_socket *s, unsigned groups, unsigned bufsize, bool reliable,
    struct why *w);
/* Events the kernel could not queue to this socket so far (its drop counter). */
uint64_t ct_socket_drops(const struct ct_socket *s);
/*
 * Leaves the event groups: the kernel queues nothing more, and what is
 * already queued can be read to its end. 0, or -1 with errno.
 */
int ct_socket_leave(struct ct_socket *s);
void ct_socket_close(struct ct_socket *s);

#endif
