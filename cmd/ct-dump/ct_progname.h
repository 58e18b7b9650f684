/*
 * The name of the process that owns a netfilter netlink socket, for the
 * [USERSPACE] portid=N progname=NAME suffix of events a process caused
 * (conntrack -D, conntrackd). Looked up in /proc; the answer for the
 * last socket is kept, since one process often causes many events (a
 * flush: one per connection).
 */
#ifndef CTDUMP_CT_PROGNAME_H
#define CTDUMP_CT_PROGNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ct_progname_cache {
	uint32_t portid;
	unsigned long inode;	/* of the socket; 0: nothing cached */
	bool found;
	char name[64];
};

/* The owner's name (its comm), or NULL when no owner was found. */
const char *ct_progname(struct ct_progname_cache *c, uint32_t portid);

#endif
