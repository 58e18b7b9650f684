/* Field id -> place and width in struct flowrec (see flowfield_access.h). */
#include <stddef.h>
#include <string.h>

#include "flow/flowfield_access.h"

#define F(m) { offsetof(struct flowrec, m), sizeof ((struct flowrec *)0)->m }

/* size 17 (sizeof struct flow_addr) marks an address */
static const struct {
	unsigned short off, size;
} place[FF_COUNT] = {
	[FF_UNIX_SECS] = F(unix_secs), [FF_UNIX_NSECS] = F(unix_nsecs),
	[FF_SYSUPTIME] = F(sysuptime), [FF_EXADDR] = F(exaddr),
	[FF_DPKTS] = F(dpkts), [FF_DOCTETS] = F(doctets),
	[FF_FIRST] = F(first), [FF_LAST] = F(last),
	[FF_ENGINE_TYPE] = F(engine_type), [FF_ENGINE_ID] = F(engine_id),
	[FF_SRCADDR] = F(srcaddr), [FF_DSTADDR] = F(dstaddr),
	[FF_NEXTHOP] = F(nexthop), [FF_INPUT] = F(input), [FF_OUTPUT] = F(output),
	[FF_SRCPORT] = F(srcport), [FF_DSTPORT] = F(dstport), [FF_PROT] = F(prot),
	[FF_TOS] = F(tos), [FF_TCP_FLAGS] = F(tcp_flags),
	[FF_SRC_MASK] = F(src_mask), [FF_DST_MASK] = F(dst_mask),
	[FF_SRC_AS] = F(src_as), [FF_DST_AS] = F(dst_as),
	[FF_RDPKTS] = F(rdpkts), [FF_RDOCTETS] = F(rdoctets),
	[FF_RTCP_FLAGS] = F(rtcp_flags), [FF_RFIRST] = F(rfirst), [FF_RLAST] = F(rlast),
	[FF_TUNNEL_ID] = F(tunnel_id),
};

bool flow_field_is_addr(enum flow_field f)
{
	return (unsigned)f < FF_COUNT && place[f].size == sizeof(struct flow_addr);
}

struct flow_addr *flow_field_addr(struct flowrec *r, enum flow_field f)
{
	return (struct flow_addr *)((char *)r + place[f].off);
}

const struct flow_addr *flow_field_addr_c(const struct flowrec *r, enum flow_field f)
{
	return (const struct flow_addr *)((const char *)r + place[f].off);
}

uint64_t flow_field_get(const struct flowrec *r, enum flow_field f)
{
	const char *p = (const char *)r + place[f].off;
	uint64_t v64;
	uint32_t v32;
	uint16_t v16;

	switch (place[f].size) {
	case 8: memcpy(&v64, p, 8); return v64;
	case 4: memcpy(&v32, p, 4); return v32;
	case 2: memcpy(&v16, p, 2); return v16;
	case 1: return (uint8_t)*p;
	default: return 0;
	}
}

void flow_field_set(struct flowrec *r, enum flow_field f, uint64_t v)
{
	char *p = (char *)r + place[f].off;
	uint32_t v32 = (uint32_t)v;
	uint16_t v16 = (uint16_t)v;

	switch (place[f].size) {
	case 8: memcpy(p, &v, 8); break;
	case 4: memcpy(p, &v32, 4); break;
	case 2: memcpy(p, &v16, 2); break;
	case 1: *p = (char)(uint8_t)v; break;
	default: break;
	}
}

uint64_t flow_field_max(enum flow_field f)
{
	if (f == FF_UNIX_NSECS)
		return 999999999;
	switch (place[f].size) {
	case 8: return UINT64_MAX;
	case 4: return UINT32_MAX;
	case 2: return UINT16_MAX;
	case 1: return UINT8_MAX;
	default: return 0;
	}
}
