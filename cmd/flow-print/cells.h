/*
 * The text of one flow's values as a person reads them, shared by the
 * table, JSON and fmt: templates. Each writer puts its text at p (room
 * for CELL_MAX bytes, no NUL) and returns its length.
 */
#ifndef FLOWPRINT_CELLS_H
#define FLOWPRINT_CELLS_H

#include <stddef.h>
#include <stdint.h>

#include "flow/flowrec.h"

#define CELL_MAX 64	/* the widest: a bracketed IPv6 address with ICMP type/code */

/* The IANA keyword (tcp, udp, ipv6-icmp...), or the number when it has none. */
size_t cell_proto(char *p, uint8_t prot);
/* TCP flags as nfdump prints them: CEUAPRSF, '.' for a flag not set. */
size_t cell_flags(char *p, uint8_t flags);
size_t cell_addr(char *p, const struct flow_addr *a);
/*
 * An address and port: 192.0.2.1:80, [2001:db8::1]:80. ICMP: the
 * source without a port, the destination with type/code (192.0.2.2:8/0).
 */
size_t cell_src(char *p, const struct flowrec *r);
size_t cell_dst(char *p, const struct flowrec *r);
/* An address with its mask length: 192.0.2.0/24 (the /N only when bits < full). */
size_t cell_prefix(char *p, const struct flow_addr *a, unsigned bits);

#endif
