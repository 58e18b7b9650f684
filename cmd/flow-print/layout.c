/* The flow table's columns (see layout.h). */
#include <string.h>

#include "cells.h"
#include "flow/flowaddr.h"
#include "layout.h"
#include "numfmt.h"

enum column {
	C_START, C_DUR, C_PROTO, C_SRC, C_ARROW, C_DST, C_PKTS, C_BYTES, C_FLAGS,
	C_RPKTS, C_RBYTES, C_RFLAGS, C_TOS, C_IN, C_OUT, C_SRC_AS, C_DST_AS,
	C_SRC_MASK, C_DST_MASK, C_NEXTHOP, C_ENGINE, C_EXPORTER, C_COUNT
};

static const struct {
	const char *title;
	bool right;
	bool paired_only, long_only;
} columns[C_COUNT] = {
	[C_START] = { "start", false, false, false },
	[C_DUR] = { "duration", true, false, false },
	[C_PROTO] = { "proto", false, false, false },
	[C_SRC] = { "src:port", false, false, false },
	[C_ARROW] = { "", true, false, false },
	[C_DST] = { "dst:port", false, false, false },
	[C_PKTS] = { "packets", true, false, false },
	[C_BYTES] = { "bytes", true, false, false },
	[C_FLAGS] = { "flags", false, false, false },
	[C_RPKTS] = { "rpackets", true, true, false },
	[C_RBYTES] = { "rbytes", true, true, false },
	[C_RFLAGS] = { "rflags", false, true, false },
	[C_TOS] = { "tos", true, false, false },
	[C_IN] = { "in", true, false, true },
	[C_OUT] = { "out", true, false, true },
	[C_SRC_AS] = { "src_as", true, false, true },
	[C_DST_AS] = { "dst_as", true, false, true },
	[C_SRC_MASK] = { "smask", true, false, true },
	[C_DST_MASK] = { "dmask", true, false, true },
	[C_NEXTHOP] = { "nexthop", false, false, true },
	[C_ENGINE] = { "engine", false, false, true },
	[C_EXPORTER] = { "exporter", false, false, false },
};

int layout_init(struct layout *l, FILE *fp, const struct layout_opts *o, struct timefmt *tf)
{
	bool right[GRID_COLS_MAX];

	*l = (struct layout){ .o = *o, .tf = tf, .titled = !o->header };
	for (unsigned c = 0; c < C_COUNT; c++) {
		if ((columns[c].paired_only && !o->paired) ||
		    (columns[c].long_only && !o->long_form))
			continue;
		right[l->ncols] = columns[c].right;
		l->col[l->ncols++] = (unsigned char)c;
	}
	return grid_init(&l->grid, fp, l->ncols, right);
}

static size_t engine(char *p, const struct flowrec *r)
{
	size_t n = num_u64(p, r->engine_type);

	p[n++] = '/';
	return n + num_u64(p + n, r->engine_id);
}

static size_t arrow(char *p, const struct flowrec *r)
{
	if (r->rdpkts != 0) {
		memcpy(p, "<->", 3);
		return 3;
	}
	memcpy(p, "->", 2);
	return 2;
}

static size_t exporter(struct layout *l, const struct flow_addr *a, char *p)
{
	if (l->exporter_len == 0 || !flow_addr_equal(a, &l->exporter)) {
		l->exporter = *a;
		l->exporter_len = cell_addr(l->exporter_text, a);
	}
	memcpy(p, l->exporter_text, sizeof l->exporter_text);
	return l->exporter_len;
}

static size_t cell(struct layout *l, enum column c, const struct flowview *v, char *p)
{
	const struct flowrec *r = v->r;
	bool h = l->o.human;

	switch (c) {
	case C_START: return timefmt_write(l->tf, p, v->start_ms);
	case C_DUR: return num_ms(p, flowview_duration(v));
	case C_PROTO: return cell_proto(p, r->prot);
	case C_SRC: return cell_src(p, r);
	case C_ARROW: return arrow(p, r);
	case C_DST: return cell_dst(p, r);
	case C_PKTS: return h ? num_count(p, r->dpkts, h) : num_u64(p, r->dpkts);
	case C_BYTES: return h ? num_count(p, r->doctets, h) : num_u64(p, r->doctets);
	case C_FLAGS: return cell_flags(p, r->tcp_flags);
	case C_RPKTS: return num_count(p, r->rdpkts, h);
	case C_RBYTES: return num_count(p, r->rdoctets, h);
	case C_RFLAGS: return cell_flags(p, r->rtcp_flags);
	case C_TOS: return num_u64(p, r->tos);
	case C_IN: return num_u64(p, r->input);
	case C_OUT: return num_u64(p, r->output);
	case C_SRC_AS: return num_u64(p, r->src_as);
	case C_DST_AS: return num_u64(p, r->dst_as);
	case C_SRC_MASK: return num_u64(p, r->src_mask);
	case C_DST_MASK: return num_u64(p, r->dst_mask);
	case C_NEXTHOP: return cell_addr(p, &r->nexthop);
	case C_ENGINE: return engine(p, r);
	case C_EXPORTER: return exporter(l, &r->exaddr, p);
	case C_COUNT: break;
	}
	return 0;
}

int layout_titles(struct layout *l)
{
	if (l->titled)
		return 0;
	l->titled = true;
	for (unsigned i = 0; i < l->ncols; i++)
		grid_text(&l->grid, columns[l->col[i]].title);
	return grid_row_done(&l->grid);
}

int layout_row(struct layout *l, const struct flowview *v)
{
	if (layout_titles(l) < 0)
		return -1;
	for (unsigned i = 0; i < l->ncols; i++)
		grid_cell_done(&l->grid, cell(l, (enum column)l->col[i], v, grid_cell(&l->grid)));
	return grid_row_done(&l->grid);
}

int layout_flush(struct layout *l)
{
	return grid_flush(&l->grid);
}

void layout_free(struct layout *l)
{
	grid_free(&l->grid);
}
