/* Stop and report signals as flags (see runsignals.h). */
#include <string.h>

#include "runsignals.h"

volatile sig_atomic_t run_stop, run_usr1;

static void on_signal(int sig)
{
	if (sig == SIGUSR1)
		run_usr1 = 1;
	else
		run_stop = 1;
}

void run_signals_install(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;	/* no SA_RESTART */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGUSR1, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}
