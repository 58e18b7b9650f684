/* Batch rows, their absolute times and the per-exporter sums. */
#include <stdlib.h>
#include <string.h>

#include "batch.h"
#include "flow/flowaddr.h"
#include "flow/flowclock.h"

int batch_init(struct batch *b, size_t cap)
{
	memset(b, 0, sizeof *b);
	b->rows = malloc(cap * sizeof *b->rows);
	b->cap = cap;
	return b->rows == NULL ? -1 : 0;
}

void batch_free(struct batch *b)
{
	free(b->rows);
	free(b->ex);
	memset(b, 0, sizeof *b);
}

void batch_add(struct batch *b, const struct flowrec *r, uint64_t line, bool has_reverse)
{
	struct load_row *row = &b->rows[b->n++];

	row->rec = *r;
	row->start_ms = flow_first_ms(r);
	row->end_ms = flow_last_ms(r);
	row->rstart_ms = flow_uptime_abs_ms(r, r->rfirst);
	row->rend_ms = flow_uptime_abs_ms(r, r->rlast);
	row->line = line;
	row->has_reverse = has_reverse;
	row->refused = false;
}

static struct exporter_sum *exporter(struct batch *b, const struct flow_addr *a, size_t *hint)
{
	if (*hint < b->nex && flow_addr_equal(&b->ex[*hint].addr, a))
		return &b->ex[*hint];
	for (size_t i = 0; i < b->nex; i++)
		if (flow_addr_equal(&b->ex[i].addr, a))
			return &b->ex[*hint = i];
	if (b->nex == b->excap) {
		size_t cap = b->excap ? b->excap * 2 : 16;
		struct exporter_sum *n = realloc(b->ex, cap * sizeof *n);
		if (n == NULL)
			return NULL;
		b->ex = n;
		b->excap = cap;
	}
	struct exporter_sum *e = &b->ex[*hint = b->nex++];
	*e = (struct exporter_sum){ .addr = *a, .first_ms = UINT64_MAX };
	return e;
}

int batch_sum_exporters(struct batch *b)
{
	size_t hint = 0;

	b->nex = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct load_row *row = &b->rows[i];
		if (row->refused)
			continue;
		struct exporter_sum *e = exporter(b, &row->rec.exaddr, &hint);
		if (e == NULL)
			return -1;
		uint64_t t = flow_export_ms(&row->rec);
		if (t < e->first_ms)
			e->first_ms = t;
		if (t > e->last_ms)
			e->last_ms = t;
		e->records++;
	}
	return 0;
}

size_t batch_live_rows(const struct batch *b)
{
	size_t n = 0;

	for (size_t i = 0; i < b->n; i++)
		n += !b->rows[i].refused;
	return n;
}

void batch_clear(struct batch *b)
{
	b->n = 0;
	b->nex = 0;
}
