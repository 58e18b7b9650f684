/*
 * Private to common/packet: the per-header decoders that pktdecode.c (link
 * layers, IP) and the tunnel files (pkt_gre.c, pkt_vxlan.c, ...) call on
 * each other. Every one reads through the same bounds-checked cursor, whose
 * positions count from the start of the frame; wirelen is where the frame
 * (or the datagram that holds the header) ends on the wire.
 */
#ifndef FLOWPIPES_PKT_INTERNAL_H
#define FLOWPIPES_PKT_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/bytecursor.h"
#include "packet/pktdecode.h"

/* EtherTypes, as GRE, Geneve and Ethernet name their payloads. */
enum {
	ETH_IPV4 = 0x0800, ETH_IPV6 = 0x86dd, ETH_VLAN = 0x8100,
	ETH_QINQ = 0x88a8, ETH_QINQ_OLD1 = 0x9100, ETH_QINQ_OLD2 = 0x9200,
	ETH_MPLS = 0x8847, ETH_MPLS_MC = 0x8848, ETH_PPPOE_SESSION = 0x8864,
	ETH_TEB = 0x6558,		/* transparent Ethernet bridging */
	ETH_ERSPAN_2 = 0x88be, ETH_ERSPAN_3 = 0x22eb
};

/* Records why and where decoding stopped; returns st. */
enum pkt_status pkt_fail(struct pkt_info *pi, const struct bytecursor *c,
    enum pkt_status st, const char *why);

enum pkt_status pkt_decode_ipv4(struct bytecursor *c, size_t wirelen, struct pkt_info *pi);
enum pkt_status pkt_decode_ipv6(struct bytecursor *c, size_t wirelen, struct pkt_info *pi);
/* IP by its version nibble; must_be_ip: anything else is PKT_BAD, not PKT_NOT_IP. */
enum pkt_status pkt_decode_ip_any(struct bytecursor *c, size_t wirelen, struct pkt_info *pi,
    bool must_be_ip);
/* From the destination MAC on. */
enum pkt_status pkt_decode_ethernet(struct bytecursor *c, size_t wirelen, struct pkt_info *pi);
/* From the first label on (pkt_mpls.c). */
enum pkt_status pkt_decode_mpls(struct bytecursor *c, size_t wirelen, struct pkt_info *pi);

/*
 * What a tunnel header says follows it. Each tunnel file reads its own
 * header and nothing after it: 0 and *next filled, or -1 with pi->why
 * (the cursor is marked bad when the header was cut).
 */
enum pkt_next {
	NEXT_NONE,		/* not a payload this decoder follows: the outer flow stands */
	NEXT_ETHERNET, NEXT_IPV4, NEXT_IPV6, NEXT_IP_ANY, NEXT_MPLS
};

struct pkt_tun_hdr {
	enum pkt_tunnel kind;	/* the caller sets it; GRE says when it is ERSPAN */
	enum pkt_next next;
	uint32_t id;		/* VNI, GRE key, TEID, ERSPAN session */
	bool has_id;
};

/* A tunnel header fault: why and where, -1. */
static inline int pkt_tun_fail(struct pkt_info *pi, const struct bytecursor *c, const char *why)
{
	pi->why = why;
	pi->where = c->pos;
	return -1;
}

int pkt_gre_header(struct bytecursor *c, struct pkt_info *pi, struct pkt_tun_hdr *h);
int pkt_erspan_header(struct bytecursor *c, struct pkt_info *pi, uint16_t gre_proto,
    bool gre_seq, struct pkt_tun_hdr *h);
int pkt_vxlan_header(struct bytecursor *c, struct pkt_info *pi, struct pkt_tun_hdr *h);
int pkt_geneve_header(struct bytecursor *c, struct pkt_info *pi, struct pkt_tun_hdr *h);
int pkt_gtpu_header(struct bytecursor *c, struct pkt_info *pi, struct pkt_tun_hdr *h);

#endif
