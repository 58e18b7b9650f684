/*
 * The signals of a long-running filter: SIGINT and SIGTERM ask it to
 * flush and stop, SIGUSR1 to print its counters. The handlers only set
 * flags. The three signals stay blocked except while the tool waits for
 * input in run_poll() (or lets them in with run_signals_deliver()), so a
 * signal never interrupts a write half-way, and one that arrives just
 * before a wait ends that wait at once instead of being missed until
 * more input comes. SIGPIPE is ignored: a closed pipe is a write error.
 */
#ifndef FLOWPIPES_RUNSIGNALS_H
#define FLOWPIPES_RUNSIGNALS_H

#include <poll.h>
#include <stdbool.h>
#include <signal.h>

extern volatile sig_atomic_t run_stop;	/* SIGINT or SIGTERM seen */
extern volatile sig_atomic_t run_usr1;	/* SIGUSR1 seen; the loop clears it */

void run_signals_install(void);
/* True once for each SIGUSR1 seen, and the flag cleared: the caller reports now. */
static inline bool run_usr1_take(void)
{
	if (!run_usr1)
		return false;
	run_usr1 = 0;
	return true;
}
/*
 * poll(2) with the three signals let in: -1 with EINTR when one came,
 * also one that was pending while the descriptors were ready.
 */
int run_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms);
/*
 * Lets pending signals in now (a busy loop that never waits calls this);
 * true when there were any.
 */
bool run_signals_deliver(void);

#endif
