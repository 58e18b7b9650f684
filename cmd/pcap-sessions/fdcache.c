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
	f->created = 0;
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

static void shut(struct fdcache *c, struct fc_file *f)
{
	if (f->fd < 0)
		return;
	close(f->fd);
	f->fd = -1;
	unlink_lru(c, f);
}

/* Closes the least recently written file; false when none is open. */
static bool shut_oldest(struct fdcache *c)
{
	if (c->lru.newer == &c->lru)
		return false;
	shut(c, c->lru.newer);
	return true;
}

static int ensure_open(struct fdcache *c, struct fc_file *f, struct why *w)
{
	int flags = O_WRONLY | O_CREAT | O_CLOEXEC | (f->created ? 0 : O_TRUNC);

	if (f->fd >= 0) {
		make_newest(c, f);
		return 0;
	}
	while (c->open >= c->max_open && shut_oldest(c))
		;
	for (;;) {
		f->fd = open(f->path, flags, 0644);
		if (f->fd >= 0)
			break;
		if ((errno != EMFILE && errno != ENFILE) || !shut_oldest(c))
			return why_set(w, "%s: %s", f->path, strerror(errno));
	}
	if (f->created)
		c->reopens++;
	c->opens++;
	f->created = 1;
	make_newest(c, f);
	return 0;
}

int fc_write(struct fdcache *c, struct fc_file *f, uint64_t off, const void *p, size_t len,
    struct why *w)
{
	const char *b = p;

	if (ensure_open(c, f, w) < 0)
		return -1;
	while (len > 0) {
		ssize_t n = pwrite(f->fd, b, len, (off_t)off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return why_set(w, "%s: %s", f->path, n < 0 ? strerror(errno) : "short write");
		b += n;
		off += (uint64_t)n;
		len -= (size_t)n;
	}
	if (off > f->size)
		f->size = off;
	return 0;
}

int fc_extend(struct fdcache *c, struct fc_file *f, uint64_t size, struct why *w)
{
	if (size <= f->size && f->created)
		return 0;
	if (ensure_open(c, f, w) < 0)
		return -1;
	if (ftruncate(f->fd, (off_t)size) < 0)
		return why_set(w, "%s: %s", f->path, strerror(errno));
	f->size = size;
	return 0;
}

void fc_file_close(struct fdcache *c, struct fc_file *f)
{
	if (f == NULL)
		return;
	shut(c, f);
	free(f);
}

void fdcache_close_all(struct fdcache *c)
{
	while (shut_oldest(c))
		;
}
