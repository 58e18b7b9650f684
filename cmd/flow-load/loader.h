/*
 * Exactly once into a database: a batch is loaded with its id; when the
 * connection fails the loader reconnects with backoff, asks whether the
 * batch landed and loads it again only if not. A batch whose id is
 * already there (a second run over the same input) is not loaded again.
 * Rows the database refuses are named by input line, counted and left
 * out, and the rest of the batch is loaded.
 */
#ifndef FLOWLOAD_LOADER_H
#define FLOWLOAD_LOADER_H

#include "batch.h"
#include "target.h"

struct loader_counters {
	uint64_t loaded, batches, retries, refused, skipped, skipped_batches;
};

struct loader {
	const struct target_ops *ops;
	const char *spec;
	const char *source;		/* batch ids: this name + input lines */
	const char *input_name;		/* for messages: FILE in FILE:LINE */
	unsigned give_up_ms;		/* stop retrying after this long without success */
	void *state;			/* NULL while not connected */
	struct loader_counters n;
};

/* Connects for the first time. 0, or -1 (message printed). */
int loader_open(struct loader *l);
/*
 * Loads the batch (its rows stay the caller's). 0 when it is in the
 * database (or was already), -1 when it could not be loaded (message
 * printed, naming the lines not loaded).
 */
int loader_load(struct loader *l, struct batch *b);
void loader_close(struct loader *l);
/* The monotonic clock, in ms, that batch ages and give-up times are measured on. */
uint64_t loader_now_ms(void);

#endif
