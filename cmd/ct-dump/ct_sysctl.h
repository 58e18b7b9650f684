/*
 * The two conntrack switches flows need: nf_conntrack_acct (packet and
 * byte counters) and nf_conntrack_timestamp (start/stop, delta-time).
 * Both are per network namespace and apply to connections created after
 * they were turned on.
 */
#ifndef CTDUMP_CT_SYSCTL_H
#define CTDUMP_CT_SYSCTL_H

#include "base/diag.h"

#define CT_SYSCTL_COUNT 2

/*
 * Turns switch i (0 .. CT_SYSCTL_COUNT - 1) on where needed and possible.
 * 0: it was on; 1: turned on now; -1: could not (a warning). For 1 and -1
 * w says what happened, for the caller to print.
 */
int ct_sysctl_enable(unsigned i, struct why *w);

#endif
