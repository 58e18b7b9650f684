/*
 * pcap-sessions' output: one CSV line per event under a "#:" header that
 * names every field (pcap-sessions(1) documents them). Every line has all
 * the fields; one that does not apply to an event is left empty. Times
 * are seconds.microseconds of the capture's clock. A live run flushes
 * each line so a pipe never sits on an event.
 */
#ifndef PCAP_SESSIONS_EVENTS_H
#define PCAP_SESSIONS_EVENTS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "session.h"

struct ev_writer {
	FILE *fp;
	bool flush_each;
	bool failed;			/* a write failed (errno kept) */
	unsigned long long lines;
};

/* Writes the header line unless header is false. */
void ev_writer_init(struct ev_writer *w, FILE *fp, bool header, bool flush_each);
void ev_session_start(struct ev_writer *w, const struct session *s, enum sess_start how,
    uint64_t ts);
void ev_monologue(struct ev_writer *w, const struct session *s);
void ev_gap(struct ev_writer *w, const struct session *s, int dir, uint64_t off, uint64_t len,
    uint64_t ts);
void ev_conflict(struct ev_writer *w, const struct session *s, int dir, uint64_t off,
    uint64_t len, uint64_t ts);
void ev_session_end(struct ev_writer *w, const struct session *s, enum sess_end why,
    uint64_t ts);
/* 0, or -1 when a write failed. */
int ev_writer_flush(struct ev_writer *w);

#endif
