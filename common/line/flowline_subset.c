/* Converting only the wanted fields of a record line (flowline_subset.h). */
#include <string.h>

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

static int convert(struct flowrec *rec, enum flow_field f, const char *p, size_t n, struct why *why)
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

#define ONES 0x0101010101010101ull
#define LOW7 0x7f7f7f7f7f7f7f7full

/* One bit (the top) per byte of x that is a comma, exactly (no borrow leaks). */
static inline uint64_t comma_bits(const char *p)
{
	uint64_t x;

	memcpy(&x, p, 8);
	x ^= ONES * ',';
	return ~(((x & LOW7) + LOW7) | x | LOW7);
}

/* The next comma at or after p, or end; eight bytes a step where they are there. */
static inline const char *next_comma(const char *p, const char *end)
{
	for (; end - p >= 8; p += 8) {
		uint64_t m = comma_bits(p);
		if (m != 0)
			return p + (__builtin_ctzll(m) >> 3);
	}
	while (p < end && *p != ',')
		p++;
	return p;
}

/* Columns in p..end: the commas counted, plus one. */
static int count_cols(const char *p, const char *end)
{
	int n = 1;

	for (; end - p >= 8; p += 8)
		n += __builtin_popcountll(comma_bits(p));
	for (; p < end; p++)
		n += *p == ',';
	return n;
}

int flow_subset_parse(const struct flow_subset *s, const char *line, size_t len,
    struct flowrec *rec, struct why *why)
{
	const char *p = line, *end = line + len;
	int col = 0, n;

	for (; col <= s->last; col++) {
		const char *fe = next_comma(p, end);

		int f = s->col[col];

		if (f >= 0 && convert(rec, (enum flow_field)f, p, (size_t)(fe - p), why) < 0)
			return -1;
		if (fe == end) {
			if (col + 1 != s->ncols)
				return why_set(why, "%d fields, want %d", col + 1, s->ncols);
			return 0;
		}
		p = fe + 1;
	}
	n = col + count_cols(p, end);
	if (n != s->ncols)
		return why_set(why, "%d fields, want %d", n, s->ncols);
	return 0;
}
