/*
 * The flow table (-f line, -f long): one flow a line in aligned columns.
 * line: start, duration, protocol, source -> destination, packets,
 * bytes, TCP flags, tos, exporter; a paired input (flow-stitch -b, with
 * the reverse fields) adds the reply's packets, bytes and flags, and
 * its arrow reads <-> for a connection that had replies. long adds
 * interfaces, AS numbers, masks, next hop and engine before the exporter.
 */
#ifndef FLOWPRINT_LAYOUT_H
#define FLOWPRINT_LAYOUT_H

#include "flowview.h"
#include "grid.h"
#include "timefmt.h"

struct layout_opts {
	bool long_form;		/* -f long */
	bool paired;		/* the input has the reverse fields */
	bool header;		/* column titles */
	bool human;		/* -h */
};

struct layout {
	struct layout_opts o;
	struct timefmt *tf;
	unsigned ncols;
	unsigned char col[GRID_COLS_MAX];	/* enum column of each grid column */
	struct grid grid;
	bool titled;
	/* the exporter last written: a collector's flows come from a few */
	struct flow_addr exporter;
	char exporter_text[CELL_MAX];
	size_t exporter_len;
};

/* 0, or -1 when out of memory. */
int layout_init(struct layout *l, FILE *fp, const struct layout_opts *o, struct timefmt *tf);
/* Adds the title row, unless there is one or -n. 0, or -1 when writing failed. */
int layout_titles(struct layout *l);
/* Adds a flow (the titles first). 0, or -1 when writing failed. */
int layout_row(struct layout *l, const struct flowview *v);
/* Writes what is held. 0, or -1. */
int layout_flush(struct layout *l);
void layout_free(struct layout *l);

#endif
