/* ct-dump's event filters (see ct_filter.h). */
#include <string.h>
#include <sys/socket.h>

#include "ct_filter.h"
#include "flow/flowaddr.h"

/* An address attribute of ct as a flow_addr of the connection's family. */
static void get_addr(const struct nf_conntrack *ct, bool v6, int attr4, int attr6,
    struct flow_addr *a)
{
	memset(a, 0, sizeof *a);
	if (v6) {
		const void *p = nfct_get_attr(ct, attr6);
		a->family = FLOW_AF_INET6;
		if (p != NULL)
			memcpy(a->bytes, p, 16);
	} else {
		uint32_t v4 = nfct_get_attr_u32(ct, attr4);
		a->family = FLOW_AF_INET;
		memcpy(a->bytes, &v4, 4);
	}
}

/*
 * Source NAT: the reply goes to another address or port than the original
 * came from. Destination NAT: the reply comes from another address or port
 * than the original went to. The address reported is the one translated to.
 */
static bool nat_match(const struct nf_conntrack *ct, bool v6, bool src, bool addr_set,
    const struct flow_addr *want)
{
	struct flow_addr o, r;
	uint16_t oport, rport;

	if (src) {
		get_addr(ct, v6, ATTR_ORIG_IPV4_SRC, ATTR_ORIG_IPV6_SRC, &o);
		get_addr(ct, v6, ATTR_REPL_IPV4_DST, ATTR_REPL_IPV6_DST, &r);
		oport = nfct_get_attr_u16(ct, ATTR_ORIG_PORT_SRC);
		rport = nfct_get_attr_u16(ct, ATTR_REPL_PORT_DST);
	} else {
		get_addr(ct, v6, ATTR_ORIG_IPV4_DST, ATTR_ORIG_IPV6_DST, &o);
		get_addr(ct, v6, ATTR_REPL_IPV4_SRC, ATTR_REPL_IPV6_SRC, &r);
		oport = nfct_get_attr_u16(ct, ATTR_ORIG_PORT_DST);
		rport = nfct_get_attr_u16(ct, ATTR_REPL_PORT_SRC);
	}
	if (flow_addr_equal(&o, &r) && oport == rport)
		return false;
	return !addr_set || flow_addr_equal(&r, want);
}

bool ct_filter_match(const struct ct_filter *f, const struct nf_conntrack *ct)
{
	int family = nfct_get_attr_u8(ct, ATTR_ORIG_L3PROTO);
	bool v6 = family == AF_INET6;

	if (f->family != 0 && family != f->family)
		return false;
	if (f->proto >= 0 && nfct_get_attr_u8(ct, ATTR_ORIG_L4PROTO) != f->proto)
		return false;
	if (f->snat && !nat_match(ct, v6, true, f->snat_addr_set, &f->snat_addr))
		return false;
	if (f->dnat && !nat_match(ct, v6, false, f->dnat_addr_set, &f->dnat_addr))
		return false;
	if (f->zone_set && nfct_get_attr_u16(ct, ATTR_ZONE) != f->zone)
		return false;
	if (f->mark_set && (nfct_get_attr_u32(ct, ATTR_MARK) & f->mark_mask) != f->mark)
		return false;
	return true;
}
