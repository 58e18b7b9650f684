/* pcap-sessions' monologue and stream files (see dumpfiles.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "dumpfiles.h"

#define MAX_FILE_MESSAGES 10	/* then faults are only counted */

void dumpfiles_init(struct dumpfiles *df, const char *dump_dir, const char *stream_dir,
    uint64_t max_size, size_t max_open)
{
	df->max_size = max_size;
	df->dump_dir = dump_dir;
	df->stream_dir = stream_dir;
	fdcache_init(&df->fc, max_open);
	df->files = df->write_errors = 0;
	df->bytes = 0;
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

static const char dir_letter[2] = { 'c', 's' };

void dumpfiles_data(struct dumpfiles *df, struct session *s, int dir, uint64_t off,
    uint64_t mono_off, const uint8_t *p, size_t len)
{
	char name[SESS_KEY_MAX + 32];

	df->bytes += len;
	if (df->dump_dir) {
		if (s->mono_file == NULL) {
			snprintf(name, sizeof name, "%s.%u.%c", s->key, s->mono.n, dir_letter[dir]);
			s->mono_file = file_new(df, df->dump_dir, name);
		}
		put(df, s->mono_file, mono_off, p, len);
	}
	if (df->stream_dir) {
		if (s->d[dir].file == NULL) {
			snprintf(name, sizeof name, "%s.%c", s->key, dir_letter[dir]);
			s->d[dir].file = file_new(df, df->stream_dir, name);
		}
		put(df, s->d[dir].file, off, p, len);
	}
}

/* A file of an earlier run or session of the same key that this one does not replace goes. */
static void remove_stale(struct dumpfiles *df, const struct session *s, const char *suffix)
{
	char path[4096];

	snprintf(path, sizeof path, "%s/%s.%s", df->stream_dir, s->key, suffix);
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
	if (fp == NULL || fprintf(fp, "%c,%" PRIu64 ",%" PRIu64 "\n", dir_letter[dir], off,
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
	char name[SESS_KEY_MAX + 32];

	if (df->stream_dir && s->d[0].r.gaps + s->d[1].r.gaps == 0)
		remove_stale(df, s, "gaps");
	for (int i = 0; i < 2; i++) {
		struct fc_file *f = s->d[i].file;
		uint64_t end = s->d[i].r.next < df->max_size ? s->d[i].r.next : df->max_size;
		struct why w;

		if (f == NULL && df->stream_dir && end > 0) {	/* all of it a gap */
			snprintf(name, sizeof name, "%s.%c", s->key, dir_letter[i]);
			f = s->d[i].file = file_new(df, df->stream_dir, name);
		}
		if (f == NULL) {
			char suffix[2] = { dir_letter[i], '\0' };

			if (df->stream_dir && end == 0)
				remove_stale(df, s, suffix);
			continue;
		}
		if (end > f->size && fc_extend(&df->fc, f, end, &w) < 0)
			fault(df, &w);	/* the stream ends in a gap: the file ends in a
					   hole */
		if (fc_file_close(&df->fc, f, &w) < 0)
			fault(df, &w);
		s->d[i].file = NULL;
	}
}

void dumpfiles_close(struct dumpfiles *df)
{
	struct why w;

	if (fdcache_close_all(&df->fc, &w) < 0)
		fault(df, &w);
}
