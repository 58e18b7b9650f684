/*
 * The live input: one UDP socket per local address and port, shared by
 * the localip/remoteip/port operands that name them, so several
 * exporters can be taken on one port; a datagram is taken when one of
 * them takes its sender. An operand takes the family it names (by its
 * localip, else its remoteip; 0/0/port names none and takes both); on
 * any local address (0, 0.0.0.0, ::) the operands of a port share one
 * socket, of both families when they name both. A
 * large receive buffer (what the kernel granted is said when it is less
 * than asked), datagrams read in recvmmsg(2) batches into 65535-byte
 * buffers, so none is ever cut, and the kernel's count of datagrams it
 * dropped for want of buffer (SO_RXQ_OVFL) kept per socket. Before every
 * wait the idle callback runs (the caller flushes its output there, so a
 * pipe never sits on a record); SIGINT/SIGTERM end the loop, SIGUSR1
 * reaches the report callback.
 */
#ifndef FLOWRECV_LISTEN_H
#define FLOWRECV_LISTEN_H

#include <stddef.h>
#include <stdint.h>

#include "net/endpoint.h"

#define LISTEN_MAX 16
#define LISTEN_BATCH 32			/* datagrams per recvmmsg */
#define LISTEN_DGRAM_MAX 65535
#define LISTEN_BUFFER_DEFAULT (32 << 20)	/* bytes: 300 k records/s bursts fit */

struct listener {			/* one socket */
	struct net_endpoint ep;		/* its binding: local address, port, family */
	const char *spec;		/* of the first operand it serves */
	uint32_t takes;			/* the operands it serves: bits of listeners.ep */
	int fd;
	uint32_t drops;			/* SO_RXQ_OVFL: the kernel's running count */
	unsigned long long ignored;	/* from senders none of its operands takes */
};

struct listen_calls {
	void (*on_datagram)(void *ctx, const uint8_t *p, size_t len, const struct flow_addr *from,
	    uint16_t port);
	void (*on_idle)(void *ctx);
	void (*on_report)(void *ctx);
	void *ctx;
};

struct listeners {
	struct net_endpoint ep[LISTEN_MAX];	/* each operand */
	struct listener l[LISTEN_MAX];
	int n;				/* sockets */
	uint8_t *buf;			/* LISTEN_BATCH * LISTEN_DGRAM_MAX */
};

/*
 * Parses each spec and binds a socket for each local binding with a
 * receive buffer of bufsize bytes. 0, or 2 after a message (bad spec,
 * bind failed).
 */
int listeners_open(struct listeners *ls, char *const *specs, int n, int bufsize);
/* Reads until SIGINT/SIGTERM. 0, or 2 after a message when reading fails. */
int listeners_run(struct listeners *ls, const struct listen_calls *calls);
unsigned long long listeners_drops(const struct listeners *ls);
unsigned long long listeners_ignored(const struct listeners *ls);
void listeners_close(struct listeners *ls);

#endif
