/* Converting only the wanted fields of a record line (flowline_subset.h). */
#include <string.h>

#include "base/bytescan.h"
#include "base/decnum.h"
#include "flow/flowaddr.h"
#include "flow/flowfield_access.h"
#include "line/flowline_subset.h"

#define MAX_COLS ((int)sizeof ((struct flow_subset *)0)->col)

void flow_subset_init(struct flow_subset *s, const signed char *cols, int ncols, flow_fieldset want)
{
	s->ncols = ncols > MAX_COLS ? MAX_COLS : ncols;
	s->last = -1;
	for (int i = 0; i < s->ncols; i++) {
		bool take = cols[i] >= 0 && (want & (1u << cols[i]));
		s->col[i] = take ? cols[i] : -1;
		if (take)
			s->last = i;
	}
}

void flow_subset_init_set(struct flow_subset *s, flow_fieldset set, flow_fieldset want)
{
	signed char cols[FF_COUNT];
	int n = 0;

	for (int f = 0; f < FF_COUNT; f++)
		if (set & (1u << f))
			cols[n++] = (signed char)f;
	flow_subset_init(s, cols, n, want);
}

flow_fieldset flow_subset_headerless(int ncols)
{
	return ncols == 24 ? FLOW_FIELDS_DEFAULT : ncols == 18 ? FLOW_FIELDS_NFFLOWD : 0;
}

int flow_field_parse(struct flowrec *rec, enum flow_field f, const char *p, size_t n,
    struct why *why)
{
	uint64_t v, max;
	int shown = (int)(n > 40 ? 40 : n);

	if (flow_field_is_addr(f)) {
		if (flow_addr_parse(flow_field_addr(rec, f), p, n) == 0)
			return 0;
		return why_set(why, "%s: bad address '%.*s'", flow_field_name(f), shown, p);
	}
	max = flow_field_max(f);
	if (dec_parse_u64(p, n, max, &v) == 0) {
		flow_field_set(rec, f, v);
		return 0;
	}
	return why_set(why, "%s: '%.*s' is not a number from 0 to %llu",
	    flow_field_name(f), shown, p, (unsigned long long)max);
}

/* One bit (the top) per byte of the 8 at p that is a comma, exactly (no borrow leaks). */
static inline uint64_t comma_bits(const char *p)
{
	return bytescan_eq(bytescan_load(p), ',');
}

/*
 * The commas of p[0..n) (n <= 64) as bit i for byte i: eight bytes a
 * step, their top bits gathered into one byte by a multiply.
 */
static inline uint64_t comma_mask(const char *p, size_t n)
{
	uint64_t m = 0;
	size_t i = 0;

	for (; i + 8 <= n; i += 8)
		m |= ((comma_bits(p + i) >> 7) * 0x0102040810204080ull >> 56) << i;
	for (; i < n; i++)
		m |= (uint64_t)(p[i] == ',') << i;
	return m;
}

/*
 * One pass over the line in blocks of 64 bytes: the comma mask of a
 * block is walked bit by bit while wanted columns remain, then only
 * counted, so the columns are always checked and fields past the last
 * wanted one cost a popcount.
 */
int flow_subset_parse(const struct flow_subset *s, const char *line, size_t len,
    struct flowrec *rec, struct why *why)
{
	size_t start = 0;	/* of the current field */
	int col = 0;

	for (size_t base = 0; base < len; base += 64) {
		size_t n = len - base < 64 ? len - base : 64;
		uint64_t m = comma_mask(line + base, n);

		for (; m != 0 && col <= s->last; m &= m - 1) {
			size_t comma = base + (size_t)__builtin_ctzll(m);
			int f = s->col[col++];

			if (f >= 0 &&
			    flow_field_parse(rec, (enum flow_field)f, line + start, comma - start,
			    why) < 0)
				return -1;
			start = comma + 1;
		}
		col += __builtin_popcountll(m);
	}
	/* the last field, after the last comma */
	if (col <= s->last && s->col[col] >= 0 &&
	    flow_field_parse(rec, (enum flow_field)s->col[col], line + start, len - start,
	    why) < 0)
		return -1;
	if (col + 1 != s->ncols)
		return why_set(why, "%d fields, want %d", col + 1, s->ncols);
	return 0;
}
