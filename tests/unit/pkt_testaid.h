/* What the packet decode unit tests share: an address as text, for IS_STR. */
#ifndef PKT_TESTAID_H
#define PKT_TESTAID_H

#include "flow/flowaddr.h"

/* Two buffers in turn, so one check can show two addresses. */
static inline const char *addr(const struct flow_addr *a)
{
	static char s[2][FLOW_ADDR_STRLEN];
	static int i;

	i ^= 1;
	flow_addr_format(a, s[i]);
	return s[i];
}

#endif
