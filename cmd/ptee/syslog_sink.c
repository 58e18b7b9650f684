/* Syslog over an AF_UNIX datagram socket, with reconnects (see syslog_sink.h). */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "syslog_sink.h"

static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun",
	"Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};

static struct timespec now_mono(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t;
}

static long ms_until(struct timespec when)
{
	struct timespec t = now_mono();
	return (when.tv_sec - t.tv_sec) * 1000 + (when.tv_nsec - t.tv_nsec) / 1000000;
}

static struct timespec ms_from_now(long ms)
{
	struct timespec t = now_mono();
	t.tv_sec += ms / 1000;
	t.tv_nsec += (ms % 1000) * 1000000;
	if (t.tv_nsec >= 1000000000) {
		t.tv_sec++;
		t.tv_nsec -= 1000000000;
	}
	return t;
}

/* "<PRI>Mmm dd hh:mm:ss TAG[PID]: " in local time, as glibc's syslog() writes it. */
static void format_header(struct syslog_sink *s)
{
	time_t t = time(NULL);
	struct tm tm;
	int n;

	if (t == s->hdr_time && s->hdr_len > 0)
		return;
	localtime_r(&t, &tm);
	n = snprintf(s->hdr, sizeof s->hdr, "<%d>%s %2d %02d:%02d:%02d %s[%ld]: ",
		     s->pri, months[tm.tm_mon], tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
		     s->tag, (long)s->pid);
	/* the tag's length is limited by the option parser, so n fits */
	s->hdr_len = n < 0 ? 0 : (size_t)n;
	s->hdr_time = t;
}

/* Leaves a note for the caller (the oldest are kept when too many pile up). */
#define note(s, ...) ((s)->notes < SYSLOG_NOTES ? \
	(void)why_set(&(s)->note[(s)->notes++], __VA_ARGS__) : (void)0)

const char *syslog_sink_note(struct syslog_sink *s)
{
	if (s->notes_taken == s->notes) {
		s->notes = s->notes_taken = 0;
		return NULL;
	}
	return s->note[s->notes_taken++].text;
}

/* The daemon is unreachable: say so once, and count from here. */
static void went_down(struct syslog_sink *s, const char *what, int err)
{
	if (s->fd >= 0) {
		close(s->fd);
		s->fd = -1;
	}
	s->next_try = ms_from_now(SYSLOG_RETRY_MS);
	if (s->down)
		return;
	s->down = true;
	s->lost_since_down = 0;
	note(s, "syslog %s: %s: %s; lines go on downstream but are not logged until it is back",
	    s->path, what, strerror(err));
}

/* Connects s->fd. false with errno and *what set on failure. */
static bool connect_socket(struct syslog_sink *s, const char **what)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	*what = "connect";
	if (strlen(s->path) >= sizeof sa.sun_path) {
		errno = ENAMETOOLONG;
		return false;
	}
	strcpy(sa.sun_path, s->path);
	s->fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		*what = "socket";
		return false;
	}
	if (connect(s->fd, (struct sockaddr *)&sa, sizeof sa) < 0) {
		int e = errno;
		close(s->fd);
		s->fd = -1;
		errno = e;
		return false;
	}
	return true;
}

/* A connect after the first: count it, and end a reported outage. */
static void reconnected(struct syslog_sink *s)
{
	s->reconnects++;
	s->stalled = false;	/* a new socket, a new queue */
	if (!s->down)
		return;
	s->down = false;
	note(s, "syslog %s is back; %lu messages were not logged meanwhile",
	    s->path, s->lost_since_down);
}

void syslog_sink_open(struct syslog_sink *s, const char *path, const char *tag, int pri)
{
	const char *what;

	memset(s, 0, sizeof *s);
	s->path = path;
	s->tag = tag;
	s->pri = pri;
	s->pid = getpid();
	s->fd = -1;
	s->hdr_time = (time_t)-1;
	if (!connect_socket(s, &what))
		went_down(s, what, errno);
}

void syslog_sink_close(struct syslog_sink *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
}

/* Waits until the daemon's queue has room, up to SYSLOG_WAIT_MS. */
static bool wait_for_room(struct syslog_sink *s)
{
	struct timespec deadline = ms_from_now(SYSLOG_WAIT_MS);
	struct pollfd pfd = { .fd = s->fd, .events = POLLOUT };
	long left;

	while ((left = ms_until(deadline)) > 0) {
		int n = poll(&pfd, 1, (int)left);
		if (n > 0)
			return true;
		if (n < 0 && errno != EINTR)
			return false;
	}
	return false;
}

static int lose(struct syslog_sink *s)
{
	s->lost++;
	s->lost_since_down++;
	return -1;
}

int syslog_sink_send(struct syslog_sink *s, const char *pre, const char *text, size_t len,
    const char *post)
{
	struct iovec iov[4];
	struct msghdr mh = { .msg_iov = iov, .msg_iovlen = 4 };
	const char *what;
	bool retried = false;
	int err;

	if (s->fd < 0) {
		if (ms_until(s->next_try) > 0)
			return lose(s);
		if (!connect_socket(s, &what)) {
			went_down(s, what, errno);
			return lose(s);
		}
		reconnected(s);
	}
	format_header(s);
	iov[0] = (struct iovec){ s->hdr, s->hdr_len };
	iov[1] = (struct iovec){ (void *)pre, strlen(pre) };
	iov[2] = (struct iovec){ (void *)text, len };
	iov[3] = (struct iovec){ (void *)post, strlen(post) };
	for (;;) {
		if (sendmsg(s->fd, &mh, MSG_NOSIGNAL) >= 0) {
			s->sent++;
			if (s->stalled)
				note(s, "syslog %s reads again; %lu messages were not logged "
				    "meanwhile", s->path, s->lost_since_down);
			s->stalled = false;
			return 0;
		}
		err = errno;
		if (err == EINTR)
			continue;
		if (err == EAGAIN || err == EWOULDBLOCK) {
			/* the daemon is alive but behind: wait a little, not forever */
			if (!s->stalled && wait_for_room(s))
				continue;
			if (!s->stalled) {
				note(s, "syslog %s: not reading (queue full for %d ms); lines go"
				    " on downstream but are not logged until it reads again",
				    s->path, SYSLOG_WAIT_MS);
				s->lost_since_down = 0;
			}
			s->stalled = true;
			return lose(s);
		}
		if (err == EMSGSIZE || err == ENOBUFS) {
			if (!s->told_size)
				note(s, "syslog %s: message of %zu bytes: %s (lower -S)", s->path,
				    iov[0].iov_len + iov[1].iov_len + len + iov[3].iov_len,
				    strerror(err));
			s->told_size = true;
			return lose(s);
		}
		/* the daemon went away (ECONNREFUSED) or was restarted: reconnect at once, once */
		close(s->fd);
		s->fd = -1;
		if (retried || !connect_socket(s, &what)) {
			went_down(s, retried ? "send" : what, retried ? err : errno);
			return lose(s);
		}
		reconnected(s);
		retried = true;
	}
}
