/* Stop and report signals as flags (see runsignals.h). */
#include <errno.h>
#include <string.h>
#include <time.h>

#include "base/runsignals.h"

volatile sig_atomic_t run_stop, run_usr1;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		run_usr1 = 1;
	else
		run_stop = 1;
}

static void our_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGUSR1);
}

void run_signals_install(void)
{
	struct sigaction sa;
	sigset_t set;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	our_signals(&set);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

int run_poll(struct pollfd *fds, nfds_t nfds, int timeout_ms)
{
	sigset_t waitmask;
	struct timespec ts, *tp = NULL;

	/*
	 * ppoll on a descriptor that is already ready returns at once and
	 * leaves a pending signal blocked: a reader whose input never runs
	 * dry (a file, a busy socket) would never see one.
	 */
	if (run_signals_deliver()) {
		errno = EINTR;
		return -1;
	}
	sigprocmask(SIG_BLOCK, NULL, &waitmask);
	sigdelset(&waitmask, SIGINT);
	sigdelset(&waitmask, SIGTERM);
	sigdelset(&waitmask, SIGUSR1);
	if (timeout_ms >= 0) {
		ts.tv_sec = timeout_ms / 1000;
		ts.tv_nsec = (long)(timeout_ms % 1000) * 1000000L;
		tp = &ts;
	}
	return ppoll(fds, nfds, tp, &waitmask);
}

bool run_signals_deliver(void)
{
	sigset_t pending, ours;

	if (sigpending(&pending) != 0)
		return false;
	if (!sigismember(&pending, SIGINT) && !sigismember(&pending, SIGTERM) &&
	    !sigismember(&pending, SIGUSR1))
		return false;
	our_signals(&ours);
	sigprocmask(SIG_UNBLOCK, &ours, NULL);	/* the handlers run here */
	sigprocmask(SIG_BLOCK, &ours, NULL);
	return true;
}
