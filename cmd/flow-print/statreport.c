/* The -s table (see statreport.h). */
#include <errno.h>
#include <stdlib.h>

#include "grid.h"
#include "numfmt.h"
#include "statreport.h"

enum { COL_FLOWS, COL_FLOWS_PC, COL_PKTS, COL_PKTS_PC, COL_BYTES, COL_BYTES_PC,
	COL_PPS, COL_BPS, COL_BPP, NUM_COLS };
static const char *const titles[NUM_COLS] = {
	"flows", "flows%", "packets", "packets%", "bytes", "bytes%", "pps", "bps", "bpp"
};

static void heading(const struct stats *s, size_t shown, size_t groups, FILE *fp)
{
	const struct statkey *k = &s->key;
	char title[CELL_MAX];

	fprintf(fp, "top %zu of %zu groups by ", shown, groups);
	for (unsigned i = 0; i < k->nparts; i++)
		fprintf(fp, "%s%.*s", i ? "," : "", (int)statkey_title(k, i, title), title);
	fprintf(fp, ", ordered by %s", stat_order_name(k->order));
	if (k->two_sided)
		fprintf(fp, " (each flow counted for its source and its destination: "
		    "percentages add up to 200%%)");
	fputc('\n', fp);
}

static void titles_row(struct grid *g, const struct statkey *k)
{
	for (unsigned i = 0; i < k->nparts; i++)
		grid_cell_done(g, statkey_title(k, i, grid_cell(g)));
	for (unsigned c = 0; c < NUM_COLS; c++)
		grid_text(g, titles[c]);
}

static void group_row(struct grid *g, const struct statkey *k, const struct statgroup *gr,
    const struct totals *t, bool human)
{
	uint64_t span = gr->last_ms - gr->first_ms;

	for (unsigned i = 0; i < k->nparts; i++)
		grid_cell_done(g, statkey_cell(k, i, gr->key, grid_cell(g)));
	grid_cell_done(g, num_count(grid_cell(g), gr->flows, human));
	grid_cell_done(g, num_percent(grid_cell(g), gr->flows, t->flows));
	grid_cell_done(g, num_count(grid_cell(g), gr->pkts, human));
	grid_cell_done(g, num_percent(grid_cell(g), gr->pkts, t->pkts));
	grid_cell_done(g, num_count(grid_cell(g), gr->bytes, human));
	grid_cell_done(g, num_percent(grid_cell(g), gr->bytes, t->bytes));
	grid_cell_done(g, num_rate(grid_cell(g), gr->pkts, 1, span, human));
	grid_cell_done(g, num_rate(grid_cell(g), gr->bytes, 8, span, human));
	grid_cell_done(g, num_ratio(grid_cell(g), gr->bytes, gr->pkts, human));
}

int statreport_print(const struct stats *s, const struct totals *t, FILE *fp,
    const struct statreport_opts *o)
{
	const struct statkey *k = &s->key;
	bool right[GRID_COLS_MAX] = { false };
	struct grid g;
	size_t shown;
	struct statgroup **v = stats_sorted(s, o->top, &shown);
	int rc = 0;

	if (v == NULL && stats_groups(s) > 0)
		return -1;
	for (unsigned c = k->nparts; c < k->nparts + NUM_COLS; c++)
		right[c] = true;
	if (grid_init(&g, fp, k->nparts + NUM_COLS, right) < 0) {
		free(v);
		errno = ENOMEM;
		return -1;
	}
	if (o->header) {
		heading(s, shown, stats_groups(s), fp);
		titles_row(&g, k);
		rc = grid_row_done(&g);
	}
	for (size_t i = 0; i < shown && rc == 0; i++) {
		group_row(&g, k, v[i], t, o->human);
		rc = grid_row_done(&g);
	}
	if (rc == 0)
		rc = grid_flush(&g);
	grid_free(&g);
	free(v);
	return rc;
}
