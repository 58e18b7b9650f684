/* A read-only stdio stream that waits in run_poll() (see sigfile.h). */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <unistd.h>

#include "base/runsignals.h"
#include "packet/sigfile.h"

static ssize_t sigfile_read(void *cookie, char *buf, size_t size)
{
	int fd = (int)(intptr_t)cookie;
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		/* ppoll on a ready descriptor returns without letting a pending signal in */
		run_signals_deliver();
		if (run_stop)
			return 0;	/* stopping: the input ends here */
		if (run_poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;	/* a signal came: look at the flags */
			return -1;
		}
		n = read(fd, buf, size);
		if (n >= 0 || errno != EINTR)
			return n;
	}
}

static int sigfile_close(void *cookie)
{
	int fd = (int)(intptr_t)cookie;

	return fd == 0 ? 0 : close(fd);
}

FILE *sigfile_open(int fd)
{
	cookie_io_functions_t io = { .read = sigfile_read, .close = sigfile_close };

	return fopencookie((void *)(intptr_t)fd, "r", io);
}
