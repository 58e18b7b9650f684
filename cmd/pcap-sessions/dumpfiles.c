/* pcap-sessions' monologue and stream files (see dumpfiles.h). */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/htab.h"
#include "dumpfiles.h"

#define MAX_FILE_MESSAGES 10	/* then faults are only counted */

/* Whether dir holds nothing but . and .. (false when it cannot be read). */
static bool dir_is_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	bool empty = d != NULL;

	while (empty && (e = readdir(d)) != NULL)
		empty = strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0;
	if (d != NULL)
		closedir(d);
	return empty;
}

void dumpfiles_init(struct dumpfiles *df, const char *dump_dir, const char *stream_dir,
    uint64_t max_size, size_t max_open)
{
	df->max_size = max_size;
	df->dump_dir = dump_dir;
	df->stream_dir = stream_dir;
	fdcache_init(&df->fc, max_open);
	df->files = df->write_errors = 0;
	df->bytes = 0;
	df->keys_written = stream_dir && dir_is_empty(stream_dir) ?
	    calloc(DUMPFILES_KEY_BITS / 64, sizeof *df->keys_written) : NULL;
}

static void fault(struct dumpfiles *df, const struct why *w)
{
	if (df->write_errors++ < MAX_FILE_MESSAGES)
		diag_warn("%s", w->text);
}

static struct fc_file *file_new(struct dumpfiles *df, const char *dir, const char *name)
{
	struct fc_file *f = fc_file_new(dir, name);
	struct why w;

	if (f == NULL) {
		why_set(&w, "%s/%s: out of memory", dir, name);
		fault(df, &w);
		return NULL;
	}
	df->files++;
	return f;
}

/* A file that failed once is not tried again (one message, one count). */
static void put(struct dumpfiles *df, struct fc_file *f, uint64_t off, const void *p, size_t len)
{
	struct why w;

	if (f && !f->failed && fc_write(&df->fc, f, off, p, len, &w) < 0) {
		f->failed = 1;
		fault(df, &w);
	}
}

static const char *const dir_ext[2] = { "c", "s" };	/* file names and gap lines */

/* The direction's --stream file, DIR/<key>.<c|s>, made at its first use. */
static struct fc_file *stream_file(struct dumpfiles *df, struct session *s, int dir)
{
	char name[SESS_KEY_MAX + 32];

	if (s->d[dir].file == NULL) {
		snprintf(name, sizeof name, "%s.%s", s->key, dir_ext[dir]);
		s->d[dir].file = file_new(df, df->stream_dir, name);
	}
	return s->d[dir].file;
}

void dumpfiles_data(struct dumpfiles *df, struct session *s, int dir, uint64_t off,
    uint64_t mono_off, const uint8_t *p, size_t len)
{
	char name[SESS_KEY_MAX + 32];

	df->bytes += len;
	if (df->dump_dir) {
		if (s->mono_file == NULL) {
			snprintf(name, sizeof name, "%s.%u.%s", s->key, s->mono.n, dir_ext[dir]);
			s->mono_file = file_new(df, df->dump_dir, name);
		}
		put(df, s->mono_file, mono_off, p, len);
	}
	if (df->stream_dir)
		put(df, stream_file(df, s, dir), off, p, len);
}

/* The session's key, as a bit of keys_written. */
static void key_bit(const struct session *s, size_t *word, uint64_t *bit)
{
	uint64_t h = hash_bytes(s->key, strlen(s->key), 0) % DUMPFILES_KEY_BITS;

	*word = h / 64;
	*bit = UINT64_C(1) << (h % 64);
}

/* Whether a file of this key may be in the folder from before this session. */
static bool stale_possible(const struct dumpfiles *df, const struct session *s)
{
	size_t w;
	uint64_t b;

	if (df->keys_written == NULL)
		return true;
	key_bit(s, &w, &b);
	return (df->keys_written[w] & b) != 0;
}

static void note_key_written(struct dumpfiles *df, const struct session *s)
{
	size_t w;
	uint64_t b;

	if (df->keys_written == NULL)
		return;
	key_bit(s, &w, &b);
	df->keys_written[w] |= b;
}

/* A file of an earlier run or session of the same key that this one does not replace goes. */
static void remove_stale(struct dumpfiles *df, const struct session *s, const char *ext)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s.%s", df->stream_dir, s->key, ext);
	if (unlink(path) < 0 && errno != ENOENT) {
		struct why w;

		why_set(&w, "%s: cannot remove the file of an earlier session: %s", path,
		    strerror(errno));
		fault(df, &w);
	}
}

/* The gap index is appended to at once and closed: gaps are rare. */
void dumpfiles_gap(struct dumpfiles *df, struct session *s, int dir, uint64_t off, uint64_t len)
{
	char path[4096];
	bool first = s->d[0].r.gaps + s->d[1].r.gaps == 1;	/* a file of an earlier run
								   goes */
	FILE *fp;

	if (df->stream_dir == NULL)
		return;
	snprintf(path, sizeof path, "%s/%s.gaps", df->stream_dir, s->key);
	fp = fopen(path, first ? "w" : "a");
	if (fp == NULL || fprintf(fp, "%s,%" PRIu64 ",%" PRIu64 "\n", dir_ext[dir], off,
	    len) < 0 || fclose(fp) == EOF) {
		struct why w;

		why_set(&w, "%s: cannot write", path);
		fault(df, &w);
		return;
	}
	if (first)
		df->files++;
}

void dumpfiles_monologue_end(struct dumpfiles *df, struct session *s)
{
	struct why w;

	if (fc_file_close(&df->fc, s->mono_file, &w) < 0)
		fault(df, &w);
	s->mono_file = NULL;
}

/*
 * A direction's stream file gets the stream's length (a gap at its end, or
 * all of it, is a hole); a session without gaps, or a direction without
 * bytes, leaves no file of an earlier one behind.
 */
void dumpfiles_session_end(struct dumpfiles *df, struct session *s)
{
	bool stale = df->stream_dir && stale_possible(df, s);

	if (stale && s->d[0].r.gaps + s->d[1].r.gaps == 0)
		remove_stale(df, s, "gaps");
	for (int i = 0; i < 2; i++) {
		uint64_t end = s->d[i].r.next < df->max_size ? s->d[i].r.next : df->max_size;
		struct fc_file *f = df->stream_dir && end > 0 ? stream_file(df, s, i) : s->d[i].file;
		struct why w;

		if (f == NULL) {	/* no bytes this way */
			if (stale && end == 0)
				remove_stale(df, s, dir_ext[i]);
			continue;
		}
		if (end > f->size && fc_extend(&df->fc, f, end, &w) < 0)
			fault(df, &w);	/* the stream ends in a gap, or is all gap: the
					   file ends in a hole, or is one */
		if (fc_file_close(&df->fc, f, &w) < 0)
			fault(df, &w);
		s->d[i].file = NULL;
	}
	if (df->stream_dir)
		note_key_written(df, s);
}

void dumpfiles_close(struct dumpfiles *df)
{
	struct why w;

	if (fdcache_close_all(&df->fc, &w) < 0)
		fault(df, &w);
	free(df->keys_written);
	df->keys_written = NULL;
}
