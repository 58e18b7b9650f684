/* Flow values as text for people (see cells.h). */
#include <string.h>

#include "cells.h"
#include "flow/flowaddr.h"
#include "flow/flowproto.h"
#include "flow/protoname.h"
#include "numfmt.h"

size_t cell_proto(char *p, uint8_t prot)
{
	const char *name = proto_name(prot);
	size_t n;

	if (name == NULL)
		return num_u64(p, prot);
	n = strlen(name);
	memcpy(p, name, n);
	return n;
}

size_t cell_flags(char *p, uint8_t flags)
{
	static const char letters[8] = "CEUAPRSF";	/* bit 7 down to bit 0 */

	for (int i = 0; i < 8; i++)
		p[i] = flags & (0x80u >> i) ? letters[i] : '.';
	return 8;
}

_Static_assert(CELL_MAX > 2 + FLOW_ADDR_STRLEN + 8, "a cell holds [address]:255/255 and a NUL");

/* formatted in place: its NUL lands inside the cell's room (CELL_MAX > FLOW_ADDR_STRLEN) */
size_t cell_addr(char *p, const struct flow_addr *a)
{
	return flow_addr_format(a, p);
}

/* The address, bracketed when IPv6 and a port follows. */
static size_t endpoint_addr(char *p, const struct flow_addr *a, bool port_follows)
{
	size_t n = 0;
	bool br = port_follows && a->family == FLOW_AF_INET6;

	if (br)
		p[n++] = '[';
	n += cell_addr(p + n, a);
	if (br)
		p[n++] = ']';
	return n;
}

size_t cell_src(char *p, const struct flowrec *r)
{
	bool icmp = flow_is_icmp(r->prot);
	size_t n = endpoint_addr(p, &r->srcaddr, !icmp);

	if (icmp)
		return n;
	p[n++] = ':';
	return n + num_u64(p + n, r->srcport);
}

size_t cell_dst(char *p, const struct flowrec *r)
{
	size_t n = endpoint_addr(p, &r->dstaddr, true);

	p[n++] = ':';
	if (!flow_is_icmp(r->prot))
		return n + num_u64(p + n, r->dstport);
	n += num_u64(p + n, r->dstport >> 8);
	p[n++] = '/';
	return n + num_u64(p + n, r->dstport & 0xffu);
}

size_t cell_prefix(char *p, const struct flow_addr *a, unsigned bits)
{
	size_t n = cell_addr(p, a);
	unsigned full = a->family == FLOW_AF_INET6 ? 128 : 32;

	if (bits >= full)
		return n;
	p[n++] = '/';
	return n + num_u64(p + n, bits);
}
