/* Batch retry with backoff and the "did it land?" question (loader.h). */
#include <stdio.h>
#include <time.h>

#include "base/runsignals.h"
#include "loader.h"

#define BACKOFF_FIRST_MS 100
#define BACKOFF_MAX_MS 5000

uint64_t loader_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void disconnect(struct loader *l)
{
	if (l->state != NULL)
		l->ops->close(l->state);
	l->state = NULL;
}

/* Sleeps, letting signals in (a stop is taken after this batch commits). */
static void backoff(unsigned *delay_ms)
{
	run_poll(NULL, 0, (int)*delay_ms);
	*delay_ms = *delay_ms * 2 > BACKOFF_MAX_MS ? BACKOFF_MAX_MS : *delay_ms * 2;
}

static enum load_rc connect(struct loader *l, struct why *w)
{
	if (l->state != NULL)
		return LOAD_OK;
	enum load_rc rc = l->ops->open(&l->state, l->spec, w);
	if (rc != LOAD_OK)
		l->state = NULL;
	return rc;
}

/* A database that is not up yet is waited for, as one that went away is. */
int loader_open(struct loader *l)
{
	struct why w = { "" };
	unsigned delay = BACKOFF_FIRST_MS;
	uint64_t since = loader_now_ms();
	enum load_rc rc;

	while ((rc = connect(l, &w)) == LOAD_LOST && !run_stop &&
	    loader_now_ms() - since <= l->give_up_ms) {
		if (delay == BACKOFF_FIRST_MS)
			diag_warn("%s: %s; waiting for it", l->spec, w.text);
		backoff(&delay);
	}
	if (rc == LOAD_OK)
		return 0;
	diag_warn("%s: %s", l->spec, w.text);
	return -1;
}

/* The row the commit named: the refused_at-th live row. */
static struct load_row *live_row(struct batch *b, size_t k)
{
	for (size_t i = 0; i < b->n; i++)
		if (!b->rows[i].refused && k-- == 0)
			return &b->rows[i];
	return NULL;
}

static void refuse(struct loader *l, struct load_row *row, const struct why *w)
{
	row->refused = true;
	l->n.refused++;
	diag_warn("%s:%llu: refused by %s, not loaded: %s", l->input_name,
	    (unsigned long long)row->line, l->ops->name, w->text);
}

/* One attempt over a live connection. */
static enum load_rc attempt(struct loader *l, struct batch *b, const struct load_batch *lb,
    struct why *w)
{
	enum load_rc rc = l->ops->begin(l->state, lb, w);
	struct load_batch done = *lb;

	for (size_t i = 0; i < b->n && rc == LOAD_OK; i++) {
		if (b->rows[i].refused)
			continue;
		rc = l->ops->add(l->state, &b->rows[i], w);
		if (rc == LOAD_REFUSED) {
			refuse(l, &b->rows[i], w);
			rc = LOAD_OK;
		} else if (rc == LOAD_OK) {
			done.rows++;
		}
	}
	if (rc != LOAD_OK)
		return rc;
	if (batch_sum_exporters(b) < 0)
		return why_set(w, "out of memory"), LOAD_FATAL;
	done.exporters = b->ex;
	done.nexporters = b->nex;
	size_t at = 0;
	rc = l->ops->commit(l->state, &done, &at, w);
	if (rc == LOAD_REFUSED) {
		struct load_row *row = live_row(b, at);
		if (row == NULL)
			return LOAD_FATAL;
		refuse(l, row, w);
	}
	return rc;
}

static int give_up(struct loader *l, const struct batch_id *id, const struct why *w)
{
	diag_warn("%s: %s", l->spec, w->text);
	diag_warn("%s: lines %llu to %llu not loaded", l->input_name,
	    (unsigned long long)id->first_line, (unsigned long long)id->last_line);
	return -1;
}

int loader_load(struct loader *l, struct batch *b)
{
	struct load_batch lb = { .rows = 0 };
	struct why w = { "" };
	unsigned delay = BACKOFF_FIRST_MS;
	uint64_t since = loader_now_ms();

	if (b->n == 0)
		return 0;
	lb.id = (struct batch_id){ l->source, b->rows[0].line, b->rows[b->n - 1].line };
	for (bool tried = false;; tried = true) {
		enum load_rc rc = connect(l, &w);
		int landed = rc == LOAD_OK ? l->ops->landed(l->state, &lb.id, &w) : 0;
		if (landed == 1 && !tried) {	/* a run before this one loaded it */
			l->n.skipped += batch_live_rows(b);
			l->n.skipped_batches++;
			return 0;
		}
		if (landed < 0)
			rc = LOAD_LOST;
		else if (rc == LOAD_OK && landed == 0)
			rc = attempt(l, b, &lb, &w);
		if (rc == LOAD_OK) {	/* committed now, or the lost commit had made it */
			l->n.loaded += batch_live_rows(b);
			l->n.batches++;
			return 0;
		}
		if (rc == LOAD_FATAL)
			return give_up(l, &lb.id, &w);
		if (rc == LOAD_REFUSED)
			continue;	/* the row is marked: the rest again, at once */
		/* lost: reconnect, then ask whether the commit made it */
		disconnect(l);
		if (loader_now_ms() - since > l->give_up_ms)
			return give_up(l, &lb.id, &w);
		if (l->n.retries++ == 0 || delay == BACKOFF_MAX_MS)
			diag_warn("%s: %s; reconnecting", l->spec, w.text);
		backoff(&delay);
	}
}

void loader_close(struct loader *l)
{
	disconnect(l);
}
