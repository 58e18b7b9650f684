/*
 * The one interface every database behind flow-load implements. A batch
 * is begun, its rows added, and committed together with its id in the
 * load_batches table, in one transaction where the database has them.
 * Every call says how it ended:
 *   LOAD_OK       done;
 *   LOAD_REFUSED  the database refused one row (add: this row; commit:
 *                 the refused_at-th row added since begin, counted from 0)
 *                 and the batch is not committed: the caller drops the
 *                 row and loads the batch again;
 *   LOAD_LOST     the connection failed: the caller reconnects (open
 *                 again), asks landed() and loads the batch again if not;
 *   LOAD_FATAL    nothing to retry (schema mismatch, bad target).
 * "Callee explains": the reason is in the struct why.
 */
#ifndef FLOWLOAD_TARGET_H
#define FLOWLOAD_TARGET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "flow/flowrec.h"

enum load_rc { LOAD_OK, LOAD_REFUSED, LOAD_LOST, LOAD_FATAL };

/* A batch's id: where its records came from, the input lines it spans. */
struct batch_id {
	const char *source;
	uint64_t first_line, last_line;
};

/* One record as stored: the record, its absolute times and its input line. */
struct load_row {
	struct flowrec rec;
	uint64_t start_ms, end_ms;	/* first/last packet, ms since the epoch */
	uint64_t rstart_ms, rend_ms;	/* the reverse direction's, when has_reverse */
	uint64_t line;
	bool has_reverse;		/* its input line had paired-flow fields */
	bool refused;			/* the database refused it: not loaded again */
};

/* What the batch tells the exporters table: one entry per exporter seen. */
struct exporter_sum {
	struct flow_addr addr;
	uint64_t first_ms, last_ms;	/* export times of its first and last record */
	uint64_t records;
};

struct load_batch {
	struct batch_id id;
	const struct exporter_sum *exporters;
	size_t nexporters;
	size_t rows;			/* rows added since begin */
};

struct target_ops {
	const char *name;		/* for messages: "PostgreSQL" */
	/* Connects and creates the tables when missing (or checks them). */
	enum load_rc (*open)(void **state, const char *spec, struct why *w);
	enum load_rc (*begin)(void *state, const struct load_batch *b, struct why *w);
	enum load_rc (*add)(void *state, const struct load_row *row, struct why *w);
	enum load_rc (*commit)(void *state, const struct load_batch *b, size_t *refused_at,
	    struct why *w);
	/* Did this batch commit? 1 yes, 0 no, -1 the connection failed (w says why). */
	int (*landed)(void *state, const struct batch_id *id, struct why *w);
	void (*close)(void *state);
};

/*
 * The backend for a target spec ("sqlite:PATH", "postgresql://...",
 * "clickhouse://...", "mysql://..."), or NULL with the reason: an unknown
 * scheme, or a backend this binary was built without.
 */
const struct target_ops *target_lookup(const char *spec, struct why *w);

extern const struct target_ops target_sqlite, target_postgresql, target_clickhouse,
    target_mariadb;

#endif
