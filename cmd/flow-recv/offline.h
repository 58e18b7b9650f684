/*
 * The offline inputs: a capture (-r: pcap or pcapng through
 * packet/capture.h; the UDP payloads of IPv4 and IPv6 packets that the
 * operand's live listener would take, by port, local address and
 * exporter, or of any to any port with -P; the exporter is the packet's
 * source address and port), and saved datagram payloads (-d: one datagram a file, except
 * NetFlow v5 datagrams back to back, split by their record counts, and
 * IPFIX messages back to back, which the collector splits by their
 * lengths). IP fragments are reassembled (packet/ipdefrag.h). Packets
 * that cannot give a whole UDP payload (cut by the snapshot length,
 * undecodable, fragments that never made a whole datagram) are counted
 * and said.
 */
#ifndef FLOWRECV_OFFLINE_H
#define FLOWRECV_OFFLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "flow/flowrec.h"
#include "net/endpoint.h"

#define OFFLINE_FILE_MAX (1u << 30)	/* -d: bytes read of one file */

struct offline_calls {
	void (*on_datagram)(void *ctx, const uint8_t *p, size_t len, const struct flow_addr *from,
	    uint16_t port, const char *where);
	void (*on_report)(void *ctx);
	void *ctx;
};

struct offline_counts {
	unsigned long long packets, datagrams, other;	/* other: not UDP to the operand */
	unsigned long long ignored;		/* to it, from an exporter it does not take */
	unsigned long long cut, fragments, undecodable, read_errors;
	unsigned long long reassembled;		/* datagrams made whole of fragments */
	unsigned long long frag_lost;		/* fragments refused: cut, malformed */
	unsigned long long frag_dropped;	/* datagrams given up incomplete */
	unsigned long long frag_conflicts;	/* fragments that disagreed with earlier bytes */
};

/* -r: 0, 1 (some input could not be read or decoded), 2 (could not open). */
int offline_capture(char *const *files, int n, const struct net_endpoint *ep,
    const struct offline_calls *calls, struct offline_counts *counts);
/* -d: 0, or 1 when a file could not be read. */
int offline_files(char *const *files, int n, const struct offline_calls *calls,
    struct offline_counts *counts);

#endif
