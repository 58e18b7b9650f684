/* UDP destinations of flow-send: parse, open, send with retries. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "dest.h"
#include "flow/flowaddr.h"

#define SNDBUF_BYTES (4 << 20)
#define RETRY_WAIT_MS 10
#define RETRY_MAX 100		/* about a second of ENOBUFS/EAGAIN */

/* Parses a decimal number in [lo, hi] from s[0..len). */
static int parse_num(const char *s, size_t len, long lo, long hi, long *out)
{
	long v = 0;

	if (len == 0 || len > 10)
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	if (v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

int dest_parse(struct dest *d, const char *spec, char *err, size_t errlen)
{
	const char *part[4];
	size_t plen[4];
	int n = 0;
	const char *p = spec;
	long v;

	memset(d, 0, sizeof *d);
	d->spec = spec;
	d->fd = -1;
	while (n < 4) {
		const char *slash = strchr(p, '/');

		part[n] = p;
		plen[n] = slash ? (size_t)(slash - p) : strlen(p);
		n++;
		if (!slash)
			break;
		p = slash + 1;
	}
	if (n < 3 || strchr(p, '/') != NULL) {
		snprintf(err, errlen, "%s: want localip/remoteip/port[/ttl]", spec);
		return -1;
	}
	if (flow_addr_parse(&d->remote, part[1], plen[1]) != 0) {
		snprintf(err, errlen, "%s: remote address '%.*s' is not an IPv4 or IPv6 address", spec, (int)plen[1], part[1]);
		return -1;
	}
	if (plen[0] == 1 && part[0][0] == '0') {
		d->local.family = 0;	/* any */
	} else if (flow_addr_parse(&d->local, part[0], plen[0]) != 0 || d->local.family != d->remote.family) {
		snprintf(err, errlen, "%s: local address '%.*s' is not 0 or an address of the remote's family",
		    spec, (int)plen[0], part[0]);
		return -1;
	}
	if (parse_num(part[2], plen[2], 1, 65535, &v) != 0) {
		snprintf(err, errlen, "%s: port '%.*s' is not 1..65535", spec, (int)plen[2], part[2]);
		return -1;
	}
	d->port = (uint16_t)v;
	if (n == 4) {
		if (parse_num(part[3], plen[3], 1, 255, &v) != 0) {
			snprintf(err, errlen, "%s: ttl '%.*s' is not 1..255", spec, (int)plen[3], part[3]);
			return -1;
		}
		d->ttl = (int)v;
	}
	return 0;
}

static socklen_t sockaddr_of(const struct flow_addr *a, uint16_t port, struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof *ss);
	if (a->family == FLOW_AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->bytes, 16);
		return sizeof *s6;
	}
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	memcpy(&s4->sin_addr, a->bytes, 4);
	return sizeof *s4;
}

static int set_ttl(struct dest *d)
{
	bool v6 = d->remote.family == FLOW_AF_INET6;
	bool multicast = v6 ? d->remote.bytes[0] == 0xff : (d->remote.bytes[0] & 0xf0) == 0xe0;
	int level = v6 ? IPPROTO_IPV6 : IPPROTO_IP;
	int opt = v6 ? (multicast ? IPV6_MULTICAST_HOPS : IPV6_UNICAST_HOPS)
	    : (multicast ? IP_MULTICAST_TTL : IP_TTL);

	return setsockopt(d->fd, level, opt, &d->ttl, sizeof d->ttl);
}

int dest_open(struct dest *d, char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t sl;
	int sndbuf = SNDBUF_BYTES;

	d->fd = socket(d->remote.family == FLOW_AF_INET6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (d->fd < 0) {
		snprintf(err, errlen, "%s: socket: %s", d->spec, strerror(errno));
		return -1;
	}
	/* a deeper queue rides out a collector that reads in bursts */
	setsockopt(d->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	if (d->ttl && set_ttl(d) != 0) {
		snprintf(err, errlen, "%s: ttl %d: %s", d->spec, d->ttl, strerror(errno));
		goto fail;
	}
	if (d->local.family) {
		sl = sockaddr_of(&d->local, 0, &ss);
		if (bind(d->fd, (struct sockaddr *)&ss, sl) != 0) {
			snprintf(err, errlen, "%s: bind: %s", d->spec, strerror(errno));
			goto fail;
		}
	}
	sl = sockaddr_of(&d->remote, d->port, &ss);
	if (connect(d->fd, (struct sockaddr *)&ss, sl) != 0) {
		snprintf(err, errlen, "%s: connect: %s", d->spec, strerror(errno));
		goto fail;
	}
	return 0;
fail:
	close(d->fd);
	d->fd = -1;
	return -1;
}

/* After a failed send: true when it is worth trying the same datagram again. */
static bool again(struct dest *d, int *tries)
{
	if (errno == ECONNREFUSED) {
		/* the error belongs to an earlier datagram; this one was not sent yet */
		d->refused++;
		return ++*tries <= RETRY_MAX;
	}
	if ((errno == ENOBUFS || errno == EAGAIN || errno == EWOULDBLOCK) && ++*tries <= RETRY_MAX) {
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
