/*
 * flow-load's exactly-once rule (loader.c), against a scripted backend
 * that keeps its "table" in memory: a commit that lands but whose answer
 * is lost must not be loaded twice; one that is lost before landing must
 * be loaded again; a batch already there is skipped; a refused row is
 * dropped and the rest loads. The real servers are in flow-load.bats;
 * this is the one window (the answer to COMMIT lost) a restart cannot
 * aim at.
 */
#include <string.h>

#include "../../cmd/flow-load/loader.h"
#include "tap.h"

struct fake {
	/* the "database": rows and batch ids that landed */
	uint64_t rows_landed, batches_landed;
	uint64_t landed_first[16], landed_last[16];
	/* in flight */
	uint64_t pending;
	/* the script */
	int lose_after_commit;		/* this many commits land, then the answer is lost */
	int lose_before_commit;		/* this many commits are lost before landing */
	uint64_t refuse_line;		/* the row of this input line is refused at commit */
	int opens, adds;
};

static struct fake F;

static enum load_rc f_open(void **state, const char *spec, struct why *w)
{
	(void)spec;
	(void)w;
	F.opens++;
	*state = &F;
	return LOAD_OK;
}

static enum load_rc f_begin(void *state, const struct load_batch *b, struct why *w)
{
	(void)state;
	(void)b;
	(void)w;
	F.pending = 0;
	return LOAD_OK;
}

static uint64_t refused_index;
static bool refusing;

static enum load_rc f_add(void *state, const struct load_row *row, struct why *w)
{
	(void)state;
	(void)w;
	if (row->line == F.refuse_line && !refusing) {
		refusing = true;
		refused_index = F.pending;
	}
	F.pending++;
	F.adds++;
	return LOAD_OK;
}

static enum load_rc f_commit(void *state, const struct load_batch *b, size_t *at, struct why *w)
{
	(void)state;
	if (refusing) {
		refusing = false;
		F.refuse_line = 0;
		*at = (size_t)refused_index;
		return why_set(w, "check constraint"), LOAD_REFUSED;
	}
	if (F.lose_before_commit > 0) {
		F.lose_before_commit--;
		return why_set(w, "server closed the connection"), LOAD_LOST;
	}
	F.rows_landed += F.pending;
	F.landed_first[F.batches_landed] = b->id.first_line;
	F.landed_last[F.batches_landed++] = b->id.last_line;
	if (F.lose_after_commit > 0) {
		F.lose_after_commit--;
		return why_set(w, "server closed the connection"), LOAD_LOST;
	}
	return LOAD_OK;
}

static int f_landed(void *state, const struct batch_id *id, struct why *w)
{
	(void)state;
	(void)w;
	for (uint64_t i = 0; i < F.batches_landed; i++)
		if (F.landed_first[i] == id->first_line && F.landed_last[i] == id->last_line)
			return 1;
	return 0;
}

static void f_close(void *state)
{
	(void)state;
}

static const struct target_ops fake_ops = {
	"Fake", f_open, f_begin, f_add, f_commit, f_landed, f_close,
};

static void fill(struct batch *b, uint64_t first_line, int n)
{
	struct flowrec r = { .unix_secs = 100, .sysuptime = 1000, .first = 900, .last = 950 };

	batch_clear(b);
	for (int i = 0; i < n; i++)
		batch_add(b, &r, first_line + (uint64_t)i, false);
}

int main(void)
{
	struct batch b;
	struct loader l = { .ops = &fake_ops, .spec = "fake:", .source = "src", .input_name = "in",
		.give_up_ms = 10000 };

	batch_init(&b, 8);
	OK(loader_open(&l) == 0, "open");

	fill(&b, 2, 5);
	F.lose_after_commit = 1;
	OK(loader_load(&l, &b) == 0, "a commit whose answer was lost");
	IS_U(F.rows_landed, 5, "it landed once: not loaded again after the reconnect");
	IS_U(l.n.loaded, 5, "counted as loaded");
	IS_U(l.n.retries, 1, "one retry");
	IS_U(F.opens, 2, "reconnected");

	fill(&b, 7, 5);
	F.lose_before_commit = 2;
	OK(loader_load(&l, &b) == 0, "a commit lost twice before landing");
	IS_U(F.rows_landed, 10, "loaded again until it landed, once");
	IS_U(F.batches_landed, 2, "one batch id each");
	IS_U(l.n.retries, 3, "two more retries");

	fill(&b, 7, 5);
	OK(loader_load(&l, &b) == 0, "the same batch id again");
	IS_U(F.rows_landed, 10, "already there: skipped");
	IS_U(l.n.skipped, 5, "counted as already loaded");

	fill(&b, 12, 6);
	F.refuse_line = 14;
	OK(loader_load(&l, &b) == 0, "a batch with a refused row");
	IS_U(F.rows_landed, 15, "the other five loaded");
	IS_U(l.n.refused, 1, "one refused");
	OK(b.rows[2].refused && !b.rows[1].refused && !b.rows[3].refused,
	    "the row of line 14 is the one left out");

	loader_close(&l);
	batch_free(&b);
	return tap_done();
}
