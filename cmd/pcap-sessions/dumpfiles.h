/*
 * What pcap-sessions writes besides its events, all through one fdcache:
 *  --dump DIR: each monologue's bytes in DIR/<key>.<n>.<c|s> (n its number
 *    in the session), gaps skipped (the gap events say where);
 *  --stream DIR: each direction as one file DIR/<key>.<c|s>, every byte at
 *    its stream offset, so a gap is a hole of its length (sparse, never
 *    written as zeros) and DIR/<key>.gaps lists them, one "dir,offset,length"
 *    line each. A file shorter than its stream ends in a gap, listed too:
 *    the file is extended to the stream's length at the session's end.
 * Faults are counted and the first few shown; the run goes on.
 */
#ifndef PCAP_SESSIONS_DUMPFILES_H
#define PCAP_SESSIONS_DUMPFILES_H

#include <stdint.h>

#include "fdcache.h"
#include "session.h"

/*
 * A session's end removes the --stream files of an earlier one with its
 * key that it did not write itself. Such a file can only be there when
 * the folder held files at the start, or when a key this run wrote files
 * for comes again (a tuple's session after its tombstone went): one bit
 * per key hash says which keys did, so most sessions cost no unlink.
 */
#define DUMPFILES_KEY_BITS (1u << 20)

struct dumpfiles {
	const char *dump_dir, *stream_dir;	/* NULL: not asked */
	uint64_t max_size;			/* --max-session-size, UINT64_MAX none */
	struct fdcache fc;
	unsigned long long files, write_errors;
	uint64_t bytes;
	/* DUMPFILES_KEY_BITS bits; NULL: unknown (the folder was not empty) */
	uint64_t *keys_written;
};

void dumpfiles_init(struct dumpfiles *df, const char *dump_dir, const char *stream_dir,
    uint64_t max_size, size_t max_open);
void dumpfiles_data(struct dumpfiles *df, struct session *s, int dir, uint64_t off,
    uint64_t mono_off, const uint8_t *p, size_t len);
void dumpfiles_gap(struct dumpfiles *df, struct session *s, int dir, uint64_t off, uint64_t len);
/* The monologue s->mono has ended: its file is closed. */
void dumpfiles_monologue_end(struct dumpfiles *df, struct session *s);
/* The session has ended: its stream files get their length and are closed. */
void dumpfiles_session_end(struct dumpfiles *df, struct session *s);
void dumpfiles_close(struct dumpfiles *df);

#endif
