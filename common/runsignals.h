/*
 * The signals of a long-running filter: SIGINT and SIGTERM ask it to
 * flush and stop, SIGUSR1 to print its counters. The handlers only set
 * flags; they are installed without SA_RESTART, so a blocked read or poll
 * returns (EINTR) and the main loop looks at the flags. SIGPIPE is
 * ignored: a closed pipe shows up as a write error instead.
 */
#ifndef FLOWPIPES_RUNSIGNALS_H
#define FLOWPIPES_RUNSIGNALS_H

#include <signal.h>

extern volatile sig_atomic_t run_stop;	/* SIGINT or SIGTERM seen */
extern volatile sig_atomic_t run_usr1;	/* SIGUSR1 seen; the loop clears it */

void run_signals_install(void);

#endif
