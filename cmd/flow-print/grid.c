/* Streaming aligned columns (see grid.h). */
#include <stdlib.h>
#include <string.h>

#include "grid.h"

#define GAP 2
/*
 * Cells and padding are copied in fixed blocks of SLACK bytes (a fixed
 * size compiles to a few stores, a short variable memcpy is a call);
 * the arena and the line have SLACK bytes to spare for the overshoot.
 */
#define SLACK CELL_MAX
/* rows are rendered into one chunk and written together: one stdio call per chunk */
#define LINE_ROOM (GRID_COLS_MAX * (CELL_MAX + GAP) + 1 + SLACK + GAP)
#define CHUNK (1 << 18)

int grid_init(struct grid *g, FILE *fp, unsigned ncols, const bool *right)
{
	*g = (struct grid){ .fp = fp, .ncols = ncols };
	memcpy(g->right, right, ncols * sizeof *right);
	g->text = malloc((size_t)GRID_BATCH * ncols * CELL_MAX + SLACK);
	g->lens = calloc((size_t)GRID_BATCH * ncols, 1);
	g->chunk = malloc(CHUNK + LINE_ROOM);
	if (g->text == NULL || g->lens == NULL || g->chunk == NULL) {
		grid_free(g);
		return -1;
	}
	return 0;
}

void grid_free(struct grid *g)
{
	free(g->text);
	free(g->lens);
	free(g->chunk);
	g->text = NULL;
	g->lens = NULL;
	g->chunk = NULL;
}

void grid_text(struct grid *g, const char *s)
{
	size_t n = strnlen(s, CELL_MAX);

	memcpy(grid_cell(g), s, n);
	grid_cell_done(g, n);
}

int grid_row_done(struct grid *g)
{
	while (g->col < g->ncols)
		grid_cell_done(g, 0);
	g->col = 0;
	if (++g->rows == GRID_BATCH)
		return grid_flush(g);
	return 0;
}

static char *blanks(char *p, size_t n)
{
	memset(p, ' ', SLACK);	/* n <= CELL_MAX + GAP: at most SLACK + GAP */
	memset(p + SLACK, ' ', GAP);
	return p + n;
}

static char *copy(char *p, const char *s, size_t n)
{
	if (n <= 16)
		memcpy(p, s, 16);
	else
		memcpy(p, s, SLACK);
	return p + n;
}

/* One row from its cells at *text (moved past them); returns the line's length. */
static size_t render(const struct grid *g, const char **textp, const uint8_t *len, char *out)
{
	const char *text = *textp;
	char *p = out;
	unsigned last = g->ncols - 1;

	for (unsigned c = 0; c < g->ncols; c++) {
		size_t pad = g->width[c] - len[c] + (c > 0 ? GAP : 0);
		if (g->right[c]) {
			p = blanks(p, pad);
			pad = 0;
		} else if (c > 0) {
			p = blanks(p, GAP);
			pad -= GAP;
		}
		p = copy(p, text, len[c]);
		text += len[c];
		if (pad > 0 && c != last)
			p = blanks(p, pad);
	}
	*p++ = '\n';
	*textp = text;
	return (size_t)(p - out);
}


int grid_flush(struct grid *g)
{
	const char *text = g->text;
	size_t used = 0;
	int rc = 0;

	for (size_t r = 0; r < g->rows; r++) {
		used += render(g, &text, g->lens + r * g->ncols, g->chunk + used);
		if (used >= CHUNK || r + 1 == g->rows) {
			if (fwrite_unlocked(g->chunk, 1, used, g->fp) != used)
				rc = -1;
			used = 0;
		}
	}
	g->rows = 0;
	g->used = 0;
	return rc;
}
