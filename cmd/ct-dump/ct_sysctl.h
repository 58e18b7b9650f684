/*
 * The two conntrack switches flows need: nf_conntrack_acct (packet and
 * byte counters) and nf_conntrack_timestamp (start/stop, delta-time).
 * Both are per network namespace and apply to connections created after
 * they were turned on.
 */
#ifndef CTDUMP_CT_SYSCTL_H
#define CTDUMP_CT_SYSCTL_H

/* Turns both on where needed and possible; says on stderr what it did or could not do. */
void ct_sysctl_enable(const char *prog);

#endif
