/* Placeholders for closed standard descriptors (see stdfds.h). */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "base/stdfds.h"

int stdfds_hold(void)
{
	for (int fd = 0; fd <= 2; fd++) {
		int got;

		if (fcntl(fd, F_GETFD) >= 0 || errno != EBADF)
			continue;
		/* the lowest free number: fd itself, the ones below are open */
		got = open("/dev/null", fd == 0 ? O_WRONLY : O_RDONLY);
		if (got < 0)
			return -1;
		if (got != fd) {
			close(got);
			errno = EBADF;
			return -1;
		}
	}
	return 0;
}
