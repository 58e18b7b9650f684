/*
 * A bounded set of open output files: thousands of sessions may each have
 * files being written, but at most max_open descriptors are open at once.
 * A file is opened at its first write (created, truncated), closed when
 * the limit needs its descriptor (least recently written first) and
 * reopened, without truncation, at its next write. Writes name their
 * offset (pwrite), so nothing depends on where a reopened file stands and
 * a hole in a stream stays a hole. The run never meets EMFILE: an open
 * that fails with it closes another file and tries again. An open file
 * gathers contiguous writes in a buffer that grows to FC_BUF_BYTES (one
 * system call for many segments); it is written out when a write does not
 * follow on, and when the file is closed.
 */
#ifndef PCAP_SESSIONS_FDCACHE_H
#define PCAP_SESSIONS_FDCACHE_H

#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

#define FC_BUF_BYTES 65536	/* the most one file gathers */
#define FC_BUF_MIN 2048		/* what it starts with: small streams cost little */

struct fc_file {
	struct fc_file *older, *newer;	/* among the open ones */
	int fd;				/* -1 while closed */
	uint8_t *buf;			/* while open: bytes not yet written */
	size_t buf_len, buf_cap;
	uint64_t buf_off;		/* file offset of buf[0] */
	unsigned char created;
	unsigned char failed;		/* a write failed: its caller gives up on the file */
	uint64_t size;			/* the largest end written or set */
	char path[];
};

struct fdcache {
	struct fc_file lru;		/* sentinel: lru.newer is the least recent */
	size_t max_open, open;
	unsigned long long opens, reopens;
};

void fdcache_init(struct fdcache *c, size_t max_open);
/* A file at path, not opened yet. NULL when out of memory. */
struct fc_file *fc_file_new(const char *dir, const char *name);
/* len bytes at offset off. 0, or -1 with errno and w set. */
int fc_write(struct fdcache *c, struct fc_file *f, uint64_t off, const void *p, size_t len,
    struct why *w);
/* Makes the file size bytes long (a hole at its end stays a hole). 0 or -1. */
int fc_extend(struct fdcache *c, struct fc_file *f, uint64_t size, struct why *w);
/* Closes (if open) and frees f. 0, or -1 with w set when its last bytes could not be written. */
int fc_file_close(struct fdcache *c, struct fc_file *f, struct why *w);
/* Closes every open file (the files stay known). 0, or -1 with w set. */
int fdcache_close_all(struct fdcache *c, struct why *w);

#endif
