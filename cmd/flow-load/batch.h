/*
 * The batch being read: rows kept in memory until the database has them,
 * so a batch can be loaded again after a lost connection or a refused row.
 */
#ifndef FLOWLOAD_BATCH_H
#define FLOWLOAD_BATCH_H

#include "target.h"

struct batch {
	struct load_row *rows;
	size_t n, cap;
	struct exporter_sum *ex;	/* exporters of the rows not refused */
	size_t nex, excap;
};

/* Room for cap rows. 0, or -1 when out of memory. */
int batch_init(struct batch *b, size_t cap);
void batch_free(struct batch *b);
static inline bool batch_full(const struct batch *b) { return b->n == b->cap; }
/*
 * Adds a record read at input line `line` (the batch must not be full);
 * has_reverse: the input has paired-flow fields (rfirst, rlast...).
 */
void batch_add(struct batch *b, const struct flowrec *r, uint64_t line, bool has_reverse);
/* Sums the exporters of the rows not refused. 0, or -1 when out of memory. */
int batch_sum_exporters(struct batch *b);
/* Rows not refused. */
size_t batch_live_rows(const struct batch *b);
void batch_clear(struct batch *b);

#endif
