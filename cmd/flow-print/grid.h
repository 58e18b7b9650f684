/*
 * Aligned columns for a stream: rows are held in a batch, and a batch is
 * written with every column as wide as its widest cell so far, so rows
 * line up and widths only ever grow. The caller writes the batch out
 * whenever its input would block (a terminal sees what there is at
 * once); a full batch goes out by itself. A cell holds no newline; two
 * blanks separate columns.
 */
#ifndef FLOWPRINT_GRID_H
#define FLOWPRINT_GRID_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "cells.h"

#define GRID_COLS_MAX 24
#define GRID_BATCH 4096		/* rows held at most before they go out */

struct grid {
	FILE *fp;
	unsigned ncols;
	bool right[GRID_COLS_MAX];	/* right-aligned (numbers) */
	size_t width[GRID_COLS_MAX];
	char *text;			/* the batch's cells, back to back */
	uint8_t *lens;			/* rows x ncols cell lengths */
	char *chunk;			/* rendered lines on their way out */
	size_t used, rows;
	unsigned col;			/* next cell of the row being added */
};

/* 0, or -1 when out of memory. */
int grid_init(struct grid *g, FILE *fp, unsigned ncols, const bool *right);
void grid_free(struct grid *g);
/* Room for the next cell of the current row (CELL_MAX bytes). */
static inline char *grid_cell(struct grid *g)
{
	return g->text + g->used;
}
/* Ends the cell written at grid_cell(), len bytes (at most CELL_MAX). */
static inline void grid_cell_done(struct grid *g, size_t len)
{
	/* a batch is written as wide as its widest cell: widths grow as cells come */
	if (len > g->width[g->col])
		g->width[g->col] = len;
	g->lens[g->rows * g->ncols + g->col++] = (uint8_t)len;
	g->used += len;
}
/* Adds a cell from a string. */
void grid_text(struct grid *g, const char *s);
/* Ends the row (missing cells are empty). 0, or -1 when writing failed. */
int grid_row_done(struct grid *g);
/* Writes the rows held. 0, or -1 when writing failed. */
int grid_flush(struct grid *g);

#endif
