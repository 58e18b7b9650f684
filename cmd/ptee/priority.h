/*
 * Syslog priorities as logger(1) spells them on its -p option:
 * [facility.]level, each a name or a number.
 */
#ifndef PTEE_PRIORITY_H
#define PTEE_PRIORITY_H

#include "base/diag.h"

#define SYSLOG_FACILITY_LOCAL6 22
#define SYSLOG_LEVEL_NOTICE 5

/* The <PRI> value: facility code * 8 + level. */
#define SYSLOG_PRI(facility, level) ((facility) * 8 + (level))

/*
 * Parses "facility.level" or a bare "level" (which keeps default_facility).
 * Names are matched without regard to case (local6, notice, warn, ...);
 * numbers are the codes of the <PRI> field: facility 0-23, level 0-7.
 * Returns 0 with *pri set, or -1 with the reason in w.
 */
int syslog_priority_parse(const char *s, int default_facility, int *pri, struct why *w);

#endif
