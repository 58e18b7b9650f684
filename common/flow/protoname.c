/* IANA protocol keywords for the protocols flow tools meet. */
#include <string.h>
#include <strings.h>

#include "base/decnum.h"
#include "flow/flowproto.h"
#include "flow/protoname.h"

static const struct {
	unsigned char num;
	const char *name;
} protos[] = {
	{ 0, "hopopt" }, { 1, "icmp" }, { 2, "igmp" }, { 4, "ipv4" },
	{ 6, "tcp" }, { 8, "egp" }, { 9, "igp" }, { 17, "udp" },
	{ 27, "rdp" }, { 33, "dccp" }, { 41, "ipv6" }, { 43, "ipv6-route" },
	{ 44, "ipv6-frag" }, { 46, "rsvp" }, { 47, "gre" }, { 50, "esp" },
	{ 51, "ah" }, { 58, "ipv6-icmp" }, { 59, "ipv6-nonxt" },
	{ 60, "ipv6-opts" }, { 88, "eigrp" }, { 89, "ospf" }, { 94, "ipip" },
	{ 103, "pim" }, { 112, "vrrp" }, { 115, "l2tp" }, { 132, "sctp" },
	{ 135, "mobility-header" }, { 136, "udplite" }, { 137, "mpls-in-ip" },
};

const char *proto_name(unsigned proto)
{
	for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
		if (protos[i].num == proto)
			return protos[i].name;
	return NULL;
}

int proto_number(const char *name)
{
	uint64_t v;

	if (name[0] >= '0' && name[0] <= '9')
		return dec_parse_u64(name, strlen(name), 255, &v) == 0 ? (int)v : -1;
	for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
		if (strcasecmp(protos[i].name, name) == 0)
			return protos[i].num;
	/* the names conntrack and tcpdump print for ICMPv6 */
	if (strcasecmp(name, "icmpv6") == 0 || strcasecmp(name, "icmp6") == 0)
		return FLOW_PROTO_ICMPV6;
	return -1;
}
