/*
 * The name of the process that owns a netfilter netlink socket, for the
 * [USERSPACE] portid=N progname=NAME suffix of events a process caused
 * (conntrack -D, conntrackd). Looked up in /proc each time: such events
 * are rare.
 */
#ifndef CTDUMP_CT_PROGNAME_H
#define CTDUMP_CT_PROGNAME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Fills name (the process's comm); false when no owner was found. */
bool ct_progname(uint32_t portid, char *name, size_t size);

#endif
