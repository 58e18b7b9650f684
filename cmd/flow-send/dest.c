/* UDP destinations of flow-send: parse, open, send with retries. */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dest.h"
#include "net/udpsock.h"

#define SNDBUF_BYTES (4 << 20)
#define RETRY_WAIT_MS 10
#define RETRY_MAX 100		/* about a second of ENOBUFS/EAGAIN */

int dest_parse(struct dest *d, const char *spec, struct why *w)
{
	memset(d, 0, sizeof *d);
	d->spec = spec;
	d->fd = -1;
	return net_endpoint_parse(&d->ep, spec, NET_SPEC_SEND, w);
}

int dest_open(struct dest *d, struct why *w)
{
	/* a deeper queue rides out a collector that reads in bursts */
	struct net_bufsize buf = { SNDBUF_BYTES, false, 0 };

	d->fd = net_udp_connect(&d->ep, &buf, w);
	d->sndbuf = buf.granted;
	return d->fd < 0 ? -1 : 0;
}

/* After a failed send: true when it is worth trying the same datagram again. */
static bool again(struct dest *d, int *tries)
{
	if (errno == ECONNREFUSED) {
		/* the error belongs to an earlier datagram; this one was not sent yet */
		d->refused++;
		return ++*tries <= RETRY_MAX;
	}
	if ((errno == ENOBUFS || errno == EAGAIN || errno == EWOULDBLOCK) &&
	    ++*tries <= RETRY_MAX) {
		struct pollfd pfd = { d->fd, POLLOUT, 0 };

		d->retries++;
		poll(&pfd, 1, RETRY_WAIT_MS);
		return true;
	}
	return false;
}

int dest_send(struct dest *d, const uint8_t *buf, size_t len)
{
	int tries = 0;

	do {
		if (send(d->fd, buf, len, 0) == (ssize_t)len) {
			d->sent++;
			return 0;
		}
	} while (again(d, &tries));
	d->failed++;
	return -1;
}

unsigned dest_send_many(struct dest *d, const struct iovec *dgram, unsigned n)
{
	struct mmsghdr msg[DEST_BATCH_MAX];
	unsigned done = 0, lost = 0;
	int tries = 0;

	if (n > DEST_BATCH_MAX)
		n = DEST_BATCH_MAX;
	memset(msg, 0, n * sizeof msg[0]);
	for (unsigned i = 0; i < n; i++) {
		msg[i].msg_hdr.msg_iov = (struct iovec *)&dgram[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}
	while (done < n) {
		int k = sendmmsg(d->fd, msg + done, n - done, 0);

		if (k > 0) {
			d->sent += (unsigned)k;
			done += (unsigned)k;
			tries = 0;
			continue;
		}
		if (again(d, &tries))
			continue;
		d->failed++;	/* give up on this one, go on with the rest */
		lost++;
		done++;
		tries = 0;
	}
	return lost;
}

void dest_close(struct dest *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
}
