/* Bounded open output files (see fdcache.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fdcache.h"

void fdcache_init(struct fdcache *c, size_t max_open)
{
	memset(c, 0, sizeof *c);
	c->lru.older = c->lru.newer = &c->lru;
	c->max_open = max_open ? max_open : 1;
}

struct fc_file *fc_file_new(const char *dir, const char *name)
{
	size_t dl = strlen(dir), nl = strlen(name);
	struct fc_file *f = malloc(sizeof *f + dl + nl + 2);

	if (f == NULL)
		return NULL;
	f->older = f->newer = NULL;
	f->fd = -1;
	f->buf = NULL;
	f->buf_len = f->buf_cap = 0;
	f->buf_off = 0;
	f->created = 0;
	f->failed = 0;
	f->size = 0;
	memcpy(f->path, dir, dl);
	f->path[dl] = '/';
	memcpy(f->path + dl + 1, name, nl + 1);
	return f;
}

static void unlink_lru(struct fdcache *c, struct fc_file *f)
{
	f->older->newer = f->newer;
	f->newer->older = f->older;
	f->older = f->newer = NULL;
	c->open--;
}

static void make_newest(struct fdcache *c, struct fc_file *f)
{
	if (f->older) {
		f->older->newer = f->newer;
		f->newer->older = f->older;
	} else {
		c->open++;
	}
	f->newer = &c->lru;
	f->older = c->lru.older;
	c->lru.older->newer = f;
	c->lru.older = f;
}

static int put_all(struct fc_file *f, uint64_t off, const uint8_t *b, size_t len, struct why *w)
{
	while (len > 0) {
		ssize_t n = pwrite(f->fd, b, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return why_set(w, "%s: %s", f->path, n < 0 ? strerror(errno) :
			    "short write");
		b += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	return 0;
}

static int flush(struct fc_file *f, struct why *w)
{
	int rc = f->buf_len ? put_all(f, f->buf_off, f->buf, f->buf_len, w) : 0;

	f->buf_len = 0;
	return rc;
}

static int shut(struct fdcache *c, struct fc_file *f, struct why *w)
{
	int rc;

	if (f->fd < 0)
		return 0;
	rc = flush(f, w);
	free(f->buf);
	f->buf = NULL;
	f->buf_cap = 0;
	close(f->fd);
	f->fd = -1;
	unlink_lru(c, f);
	return rc;
}

/* Closes the least recently written file; 0 when none is open, 1, or -1 with w set. */
static int shut_oldest(struct fdcache *c, struct why *w)
{
	if (c->lru.newer == &c->lru)
		return 0;
	return shut(c, c->lru.newer, w) < 0 ? -1 : 1;
}

static int ensure_open(struct fdcache *c, struct fc_file *f, struct why *w)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (f->created ? 0 : O_TRUNC);

	if (f->fd >= 0) {
		make_newest(c, f);
		return 0;
	}
	while (c->open >= c->max_open) {
		int rc = shut_oldest(c, w);

		if (rc < 0)
			return -1;
		if (rc == 0)
			break;
	}
	for (;;) {
		int rc;

		f->fd = open(f->path, flags, 0644);
		if (f->fd >= 0)
			break;
		if (errno != EMFILE && errno != ENFILE)
			return why_set(w, "%s: %s", f->path, strerror(errno));
		rc = shut_oldest(c, w);
		if (rc < 0)
			return -1;
		if (rc == 0)
			return why_set(w, "%s: no file descriptor left", f->path);
	}
	if (f->created)
		c->reopens++;
	c->opens++;
	f->created = 1;
	make_newest(c, f);
	return 0;
}

/* Room for len more bytes in the buffer, which grows from FC_BUF_MIN to FC_BUF_BYTES. */
static bool buf_room(struct fc_file *f, size_t len)
{
	size_t cap = f->buf_cap ? f->buf_cap : FC_BUF_MIN;
	uint8_t *nb;

	while (cap < f->buf_len + len && cap < FC_BUF_BYTES)
		cap *= 2;
	if (cap < f->buf_len + len)
		return false;
	if (cap == f->buf_cap)
		return true;
	nb = realloc(f->buf, cap);
	if (nb == NULL)
		return false;	/* no memory: writes go straight out */
	f->buf = nb;
	f->buf_cap = cap;
	return true;
}

int fc_write(struct fdcache *c, struct fc_file *f, uint64_t off, const void *p, size_t len,
    struct why *w)
{
	if (ensure_open(c, f, w) < 0)
		return -1;
	if (off + len > f->size)
		f->size = off + len;
	if (f->buf_len && (off != f->buf_off + f->buf_len || f->buf_len + len > FC_BUF_BYTES) &&
	    flush(f, w) < 0)
		return -1;
	if (!buf_room(f, len))
		return flush(f, w) < 0 ? -1 : put_all(f, off, p, len, w);
	if (f->buf_len == 0)
		f->buf_off = off;
	memcpy(f->buf + f->buf_len, p, len);
	f->buf_len += len;
	return 0;
}

int fc_extend(struct fdcache *c, struct fc_file *f, uint64_t size, struct why *w)
{
	if (size <= f->size && f->created)
		return 0;
	if (ensure_open(c, f, w) < 0 || flush(f, w) < 0)
		return -1;
	if (ftruncate(f->fd, (off_t)size) < 0)
		return why_set(w, "%s: %s", f->path, strerror(errno));
	f->size = size;
	return 0;
}

int fc_file_close(struct fdcache *c, struct fc_file *f, struct why *w)
{
	int rc;

	if (f == NULL)
		return 0;
	rc = shut(c, f, w);
	free(f);
	return rc;
}

int fdcache_close_all(struct fdcache *c, struct why *w)
{
	int rc, bad = 0;

	while ((rc = shut_oldest(c, w)) != 0)
		bad |= rc < 0;
	return bad ? -1 : 0;
}
