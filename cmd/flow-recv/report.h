/*
 * The counters a collector prints at exit and on SIGUSR1, on stderr:
 * one line of totals, one line per export stream (received, missing,
 * reordered, restarts, no template, rejected, bad times), the sampling
 * rates seen, and the drops before flow-recv saw anything: the kernel's
 * count for its sockets (SO_RXQ_OVFL) when live.
 */
#ifndef FLOWRECV_REPORT_H
#define FLOWRECV_REPORT_H

#include <stdbool.h>

#include "collector.h"

struct report_extra {
	bool live;
	unsigned long long kernel_drops;	/* live: datagrams the kernel dropped for want of
						   buffer */
	unsigned long long ignored;		/* live: datagrams from senders no listener
						   takes */
	unsigned long long write_errors;
};

void report_print(const struct collector *c, const struct report_extra *x);

#endif
