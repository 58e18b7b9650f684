/*
 * The -x rate limit: a fixed gap between datagrams, given as flow-tools'
 * -x (microseconds between datagrams) or as a rate ("2000/s").
 */
#ifndef FLOW_SEND_PACE_H
#define FLOW_SEND_PACE_H

#include <stdint.h>

struct pace {
	uint64_t gap_ns;	/* 0: no limit */
	uint64_t next_ns;	/* monotonic time the next datagram may leave */
};

/* 0, or -1 when s is neither MICROSECONDS nor DATAGRAMS/s. */
int pace_parse(struct pace *p, const char *s);
/* Sleeps until the next datagram may leave (signals stay blocked: see runsignals.h). */
void pace_wait(struct pace *p);

#endif
