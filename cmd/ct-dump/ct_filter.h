/*
 * Which events ct-dump prints, with conntrack's own options: -f family,
 * -p protocol, -n/-g (source/destination NAT, optionally to one address),
 * --zone, --mark value[/mask]. Filtering happens here, in user space.
 */
#ifndef CTDUMP_CT_FILTER_H
#define CTDUMP_CT_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include <libnetfilter_conntrack/libnetfilter_conntrack.h>

#include "flow/flowrec.h"

struct ct_filter {
	int family;		/* AF_INET, AF_INET6, 0 any */
	int proto;		/* -1 any */
	bool snat, dnat;	/* only NATed connections */
	bool snat_addr_set, dnat_addr_set;
	struct flow_addr snat_addr, dnat_addr;	/* the address translated to */
	bool zone_set, mark_set;
	uint16_t zone;
	uint32_t mark, mark_mask;
};

/* True when ct passes every filter. */
bool ct_filter_match(const struct ct_filter *f, const struct nf_conntrack *ct);

#endif
