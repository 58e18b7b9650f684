/*
 * Endpoint specs as flow-tools writes them: localip/remoteip/port, with
 * localip 0 for any local address. A sender (flow-send) names its
 * collector as remoteip and may add /ttl; a collector (flow-recv) may
 * write remoteip 0 for any exporter, or an address to take datagrams
 * from that exporter only. IPv4 or IPv6 (RFC 5952 text); the two
 * addresses, when both given, are of one family. Numbers are read by
 * dec_parse_u64 (no sign, no blanks).
 */
#ifndef FLOWPIPES_NET_ENDPOINT_H
#define FLOWPIPES_NET_ENDPOINT_H

#include <stdbool.h>
#include <stdint.h>

#include "base/diag.h"
#include "flow/flowrec.h"

enum net_spec_form {
	NET_SPEC_SEND,		/* localip/remoteip/port[/ttl], remoteip an address */
	NET_SPEC_RECV		/* localip/remoteip/port, remoteip 0 for any exporter */
};

struct net_endpoint {
	struct flow_addr local;		/* family 0: any local address ("0") */
	struct flow_addr remote;	/* family 0: any exporter ("0", NET_SPEC_RECV only) */
	uint16_t port;			/* 1..65535 */
	int ttl;			/* 1..255, 0: not given (the system's default) */
};

/*
 * Parses spec into e. 0, or -1 with the reason in w (the spec itself not
 * repeated: the caller names it).
 */
int net_endpoint_parse(struct net_endpoint *e, const char *spec, enum net_spec_form form,
    struct why *w);
/*
 * Address family the endpoint's socket has: the local address's, else
 * the remote's, else 0 (any: a receiver takes IPv4 and IPv6).
 */
uint8_t net_endpoint_family(const struct net_endpoint *e);
/* Whether e listens on any local address: localip 0, 0.0.0.0 or ::. */
bool net_endpoint_any_local(const struct net_endpoint *e);
/*
 * Whether a datagram from `from` is for this endpoint: remoteip 0 takes
 * any sender, a zero address (0.0.0.0, ::) any sender of its family,
 * another address only itself.
 */
bool net_endpoint_accepts(const struct net_endpoint *e, const struct flow_addr *from);
/*
 * Whether a receiver takes a datagram from `from`: of the family it
 * names, if it names one (a socket shared with operands of the other
 * family receives both), and net_endpoint_accepts.
 */
bool net_endpoint_takes(const struct net_endpoint *e, const struct flow_addr *from);
/*
 * Whether a datagram to address `to` reaches a receiver bound as e: to
 * its local address, or on any address (0, 0.0.0.0, ::) to one of the
 * family it names (any family when none).
 */
bool net_endpoint_reaches(const struct net_endpoint *e, const struct flow_addr *to);
/* addr/port (one address, a port 0..65535 when allow_zero, else 1..65535). 0, or -1 with w. */
int net_addrport_parse(const char *s, bool allow_zero, struct flow_addr *a, uint16_t *port,
    struct why *w);

#endif
