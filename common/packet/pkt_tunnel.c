/*
 * Taking tunnels off (see pkt_decap in pktdecode.h): which outer header is
 * a tunnel, where its payload lies, and the packet inside in place of the
 * outer one. Each encapsulation's header is read by its own file.
 */
#include <string.h>

#include "flow/flowproto.h"
#include "packet/pkt_internal.h"

enum { IP_IPIP = 4, IP_IPV6 = 41, IP_GRE = 47, UDP_HEADER = 8 };

const char *pkt_tunnel_name(enum pkt_tunnel kind)
{
	static const char *const names[PKT_TUN_KINDS] = {
		"none", "IP-in-IP", "GRE", "ERSPAN", "VXLAN", "Geneve", "GTP-U", "MPLS-over-UDP"
	};

	return (unsigned)kind < PKT_TUN_KINDS ? names[kind] : "?";
}

/* The tunnel the packet is, by protocol and UDP destination port; NONE when none. */
static enum pkt_tunnel tunnel_of(const struct pkt_info *pi)
{
	if (pi->is_frag || pi->l4_off == 0)
		return PKT_TUN_NONE;	/* a fragment holds part of a packet at most */
	switch (pi->proto) {
	case IP_IPIP:
	case IP_IPV6:
		return PKT_TUN_IPIP;
	case IP_GRE:
		return PKT_TUN_GRE;
	case FLOW_PROTO_UDP:
		break;
	default:
		return PKT_TUN_NONE;
	}
	return pkt_udp_tunnel(pi->dport);
}

/* Reads the tunnel's own header; 0 with h filled, or -1 (why in in). */
static int tunnel_header(struct bytecursor *c, const struct pkt_info *pi, struct pkt_info *in,
    struct pkt_tun_hdr *h)
{
	switch (h->kind) {
	case PKT_TUN_IPIP:
		h->next = pi->proto == IP_IPIP ? NEXT_IPV4 : NEXT_IPV6;
		return 0;
	case PKT_TUN_GRE:
		return pkt_gre_header(c, in, h);
	case PKT_TUN_VXLAN:
		return pkt_vxlan_header(c, in, h);
	case PKT_TUN_GENEVE:
		return pkt_geneve_header(c, in, h);
	case PKT_TUN_GTPU:
		return pkt_gtpu_header(c, in, h);
	case PKT_TUN_MPLS_UDP:
		h->next = NEXT_MPLS;
		return 0;
	default:
		h->next = NEXT_NONE;
		return 0;
	}
}

static enum pkt_status inner_packet(struct bytecursor *c, size_t end, enum pkt_next next,
    struct pkt_info *in)
{
	switch (next) {
	case NEXT_ETHERNET:
		return pkt_decode_ethernet(c, end, in);
	case NEXT_IPV4:
		return pkt_decode_ipv4(c, end, in);
	case NEXT_IPV6:
		return pkt_decode_ipv6(c, end, in);
	case NEXT_IP_ANY:
		return pkt_decode_ip_any(c, end, in, false);
	case NEXT_MPLS:
		return pkt_decode_mpls(c, end, in);
	default:
		return PKT_NOT_IP;
	}
}

/* The tunnel or the packet inside it is cut or broken: *pi stays, the fault is noted. */
static void tunnel_fault(struct pkt_info *pi, enum pkt_tunnel kind, const struct pkt_info *in,
    const struct bytecursor *c, size_t caplen, size_t wirelen)
{
	pi->tunnel_fault = 1;
	pi->tunnel_kind = (uint8_t)kind;
	pi->tunnel_cut = c->bad && c->len == caplen && caplen < wirelen;
	pi->why = in->why;
	pi->where = in->where;
}

/*
 * One layer: true when *pi is now the packet inside, false when it stays
 * (not a tunnel, not IP inside, or a fault). *st follows *pi.
 */
static bool take_off(const uint8_t *frame, size_t caplen, size_t wirelen, enum pkt_status *st,
    struct pkt_info *pi, enum pkt_tunnel kind)
{
	struct pkt_tun_hdr h = { .kind = kind };
	size_t start = (size_t)pi->l4_off + (pi->proto == FLOW_PROTO_UDP ? UDP_HEADER : 0);
	size_t end = (size_t)pi->l3_off + pi->l3_len;	/* the outer datagram's, on the wire */
	struct bytecursor c = bc_make(frame, end < caplen ? end : caplen);
	struct pkt_info in;
	enum pkt_status ist;

	memset(&in, 0, sizeof in);
	c.pos = start <= c.len ? start : c.len;
	if (start > c.len)
		c.bad = true;
	if (c.bad || tunnel_header(&c, pi, &in, &h) < 0) {
		if (in.why == NULL)
			pkt_tun_fail(&in, &c, "tunnel header cut");
		tunnel_fault(pi, h.kind, &in, &c, caplen, wirelen);
		return false;
	}
	ist = inner_packet(&c, end, h.next, &in);
	if (ist == PKT_NOT_IP)
		return false;
	if (ist == PKT_BAD || ist == PKT_CUT || ist == PKT_BAD_LINK) {
		tunnel_fault(pi, h.kind, &in, &c, caplen, wirelen);
		return false;
	}
	in.vlan = pi->vlan;		/* the frame's, as captured */
	in.ifindex = pi->ifindex;
	in.tunnels = (uint8_t)(pi->tunnels + 1);
	in.tunnel_kind = (uint8_t)h.kind;
	in.tunnel_id = h.has_id ? h.id : pi->tunnel_id;
	*pi = in;
	*st = ist;
	return true;
}

enum pkt_status pkt_decap(const uint8_t *frame, size_t caplen, size_t wirelen,
    enum pkt_status st, struct pkt_info *pi)
{
	enum pkt_tunnel kind;

	/* most packets are no tunnel: that costs a look at the protocol and port */
	while (st == PKT_OK && pi->tunnels < PKT_TUNNEL_DEPTH &&
	    (kind = tunnel_of(pi)) != PKT_TUN_NONE &&
	    take_off(frame, caplen, wirelen, &st, pi, kind))
		;
	return st;
}
