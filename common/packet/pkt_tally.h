/*
 * What every packet tool counts of pkt_decode()'s verdict, counted the same
 * way everywhere: a frame with no IP, a link or header that cannot be read,
 * a snapshot-length cut (a capture choice, no fault), and a header that
 * lies about its length or is cut inside a frame captured whole (bad data,
 * which the tool names with pkt_info's why and where).
 */
#ifndef FLOWPIPES_PKT_TALLY_H
#define FLOWPIPES_PKT_TALLY_H

#include <stdbool.h>
#include <stdint.h>

#include "packet/pktdecode.h"

struct pkt_tally {
	unsigned long long non_ip;	/* ARP, STP, LLDP ... */
	unsigned long long undecodable;	/* unknown link, or broken before the addresses */
	unsigned long long snap_cut;	/* cut by the snapshot length */
	unsigned long long cut_keyless;	/* of those, cut before the addresses */
	unsigned long long broken;	/* a length that lies, or cut inside a whole frame */
};

/*
 * Counts one verdict for a frame of caplen of wirelen bytes. True when the
 * addresses are known (a flow key can be made; PKT_TRUNCATED: the transport
 * header may be missing). *bad is set when the packet is bad data that the
 * caller should name (PKT_BAD, PKT_OVERLONG, a cut in a whole frame).
 */
bool pkt_tally_count(struct pkt_tally *t, enum pkt_status st, uint32_t caplen,
    uint32_t wirelen, bool *bad);

#endif
