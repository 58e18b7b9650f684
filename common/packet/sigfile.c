/* A read-only stdio stream that waits in run_poll() (see sigfile.h). */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/runsignals.h"
#include "packet/sigfile.h"

struct sigfile {
	int fd;
	void (*on_usr1)(void *ctx);
	void *ctx;
};

static ssize_t sigfile_read(void *cookie, char *buf, size_t size)
{
	struct sigfile *sf = cookie;
	struct pollfd pfd = { .fd = sf->fd, .events = POLLIN };
	ssize_t n;

	for (;;) {
		if (run_stop)
			return 0;	/* stopping: the input ends here */
		if (run_usr1)
			sf->on_usr1(sf->ctx);
		if (run_poll(&pfd, 1, -1) < 0) {
			if (errno == EINTR)
				continue;	/* a signal came (or was pending): look at the flags */
			return -1;
		}
		n = read(sf->fd, buf, size);
		if (n >= 0 || errno != EINTR)
			return n;
	}
}

static int sigfile_close(void *cookie)
{
	struct sigfile *sf = cookie;
	int rc = sf->fd == 0 ? 0 : close(sf->fd);

	free(sf);
	return rc;
}

FILE *sigfile_open(int fd, void (*on_usr1)(void *ctx), void *ctx)
{
	cookie_io_functions_t io = { .read = sigfile_read, .close = sigfile_close };
	struct sigfile *sf = malloc(sizeof *sf);
	FILE *f;

	if (sf == NULL)
		return NULL;
	*sf = (struct sigfile){ fd, on_usr1, ctx };
	f = fopencookie(sf, "r", io);
	if (f == NULL)
		free(sf);
	return f;
}
