/*
 * A syslog client that never holds up the pipe: RFC 3164 messages the way
 * glibc's syslog() writes them to /dev/log ("<PRI>Mmm dd hh:mm:ss
 * TAG[PID]: MSG"), over an AF_UNIX datagram socket of our own, so that a
 * syslog daemon that is down or stuck costs log lines (counted), never
 * pipe throughput, and a daemon that comes back is reconnected to.
 * What the sink has to say (the daemon went down, came back, stopped
 * reading) it explains in notes; the caller prints them.
 */
#ifndef PTEE_SYSLOG_SINK_H
#define PTEE_SYSLOG_SINK_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>
#include <time.h>

#include "base/diag.h"

/* Failed connects are retried no more often than this. */
#define SYSLOG_RETRY_MS 1000
/* How long one message may wait for room in a busy daemon's queue. */
#define SYSLOG_WAIT_MS 500
/* Notes one call can leave (a reconnect and a failure of the same send). */
#define SYSLOG_NOTES 4

struct syslog_sink {
	const char *path;	/* the socket */
	const char *tag;
	int pri;
	pid_t pid;
	int fd;			/* -1 while disconnected */
	bool down;		/* the daemon is unreachable (said so on stderr) */
	bool told_size;		/* EMSGSIZE was reported */
	/* a wait for queue room timed out: do not wait again until a send succeeds */
	bool stalled;
	struct timespec next_try;	/* earliest next connect attempt */
	time_t hdr_time;	/* the second hdr was formatted for */
	char hdr[256];
	size_t hdr_len;
	unsigned long sent, lost, lost_since_down, reconnects;
	struct why note[SYSLOG_NOTES];	/* not yet taken by syslog_sink_note */
	unsigned notes, notes_taken;
};

/* Sets up and tries the first connect (a failure is reported, not fatal). */
void syslog_sink_open(struct syslog_sink *s, const char *path, const char *tag, int pri);
/*
 * Sends one message: pre, text[0..len), post (pre and post are the
 * continuation markers of a split line, or ""). Returns 0 when the daemon
 * took it, -1 when it was lost (counted in lost).
 */
int syslog_sink_send(struct syslog_sink *s, const char *pre, const char *text, size_t len,
    const char *post);
/* The next note the last calls left, oldest first, or NULL: for the caller to print. */
const char *syslog_sink_note(struct syslog_sink *s);
void syslog_sink_close(struct syslog_sink *s);

#endif
