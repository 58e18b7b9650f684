/* Reader of the line format: header-driven column map, strict fields. */
#include <stddef.h>
#include <string.h>

#include "base/bytescan.h"
#include "base/decnum.h"
#include "base/diag.h"
#include "flow/flowaddr.h"
#include "line/flowline.h"

#define MAX_COLS ((int)(sizeof ((struct flow_reader *)0)->col))

int flow_reader_open(struct flow_reader *r, const char *path, bool strict)
{
	memset(r, 0, sizeof *r);
	r->strict = strict;
	return line_reader_open(&r->lr, path, FLOW_READ_LINE_MAX);
}

void flow_reader_close(struct flow_reader *r)
{
	line_reader_close(&r->lr);
}

/* Whether the map is the 24 default fields in order: the fixed-layout path reads it. */
static bool is_std_layout(const struct flow_reader *r)
{
	if (r->ncols != 24 || r->fields != FLOW_FIELDS_DEFAULT)
		return false;
	for (int i = 0; i < r->ncols; i++)
		if (r->col[i] != i)
			return false;
	return true;
}

static void set_map(struct flow_reader *r, flow_fieldset set)
{
	r->ncols = 0;
	for (int f = 0; f < FF_COUNT; f++)
		if (set & (1u << f))
			r->col[r->ncols++] = (signed char)f;
	r->fields = set;
	r->std_layout = is_std_layout(r);
}

int flow_reader_set_header(struct flow_reader *r, const char *names, size_t len, struct why *w)
{
	signed char col[sizeof r->col];
	flow_fieldset set = 0;
	int n = 0;
	const char *p = names, *end = names + len;

	for (;;) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		const char *fe = c ? c : end;
		int f = flow_field_lookup(p, (size_t)(fe - p));

		if (n == MAX_COLS)
			return why_set(w, "header has more than %d fields", MAX_COLS);
		if (f < 0)
			return why_set(w, "header: unknown field '%.*s'",
			    (int)(fe - p > 32 ? 32 : fe - p), p);
		if (set & (1u << f))
			return why_set(w, "header: field '%s' twice",
			    flow_field_name((enum flow_field)f));
		set |= 1u << f;
		col[n++] = (signed char)f;
		if (c == NULL)
			break;
		p = c + 1;
	}
	memcpy(r->col, col, (size_t)n);
	r->ncols = n;
	r->fields = set;
	r->std_layout = is_std_layout(r);
	r->have_header = true;
	r->sub_ready = false;	/* a new column map for flow_reader_want */
	return 0;
}

/*
 * Where each field lives in struct flowrec, its width (0: an address) and
 * the largest value it holds on the line: one lookup per field instead of
 * a switch per question.
 */
#define NUM(f, m, max) [f] = { offsetof(struct flowrec, m), sizeof ((struct flowrec *)0)->m, max }
#define ADDR(f, m) [f] = { offsetof(struct flowrec, m), 0, 0 }
static const struct field_slot {
	unsigned short off;
	unsigned char size;
	uint64_t max;
} slots[FF_COUNT] = {
	NUM(FF_UNIX_SECS, unix_secs, UINT32_MAX), NUM(FF_UNIX_NSECS, unix_nsecs, 999999999),
	NUM(FF_SYSUPTIME, sysuptime, UINT32_MAX), ADDR(FF_EXADDR, exaddr),
	NUM(FF_DPKTS, dpkts, UINT64_MAX), NUM(FF_DOCTETS, doctets, UINT64_MAX),
	NUM(FF_FIRST, first, UINT32_MAX), NUM(FF_LAST, last, UINT32_MAX),
	NUM(FF_ENGINE_TYPE, engine_type, UINT8_MAX), NUM(FF_ENGINE_ID, engine_id, UINT8_MAX),
	ADDR(FF_SRCADDR, srcaddr), ADDR(FF_DSTADDR, dstaddr), ADDR(FF_NEXTHOP, nexthop),
	NUM(FF_INPUT, input, UINT32_MAX), NUM(FF_OUTPUT, output, UINT32_MAX),
	NUM(FF_SRCPORT, srcport, UINT16_MAX), NUM(FF_DSTPORT, dstport, UINT16_MAX),
	NUM(FF_PROT, prot, UINT8_MAX), NUM(FF_TOS, tos, UINT8_MAX),
	NUM(FF_TCP_FLAGS, tcp_flags, UINT8_MAX), NUM(FF_SRC_MASK, src_mask, UINT8_MAX),
	NUM(FF_DST_MASK, dst_mask, UINT8_MAX), NUM(FF_SRC_AS, src_as, UINT32_MAX),
	NUM(FF_DST_AS, dst_as, UINT32_MAX), NUM(FF_RDPKTS, rdpkts, UINT64_MAX),
	NUM(FF_RDOCTETS, rdoctets, UINT64_MAX), NUM(FF_RTCP_FLAGS, rtcp_flags, UINT8_MAX),
	NUM(FF_RFIRST, rfirst, UINT32_MAX), NUM(FF_RLAST, rlast, UINT32_MAX),
	NUM(FF_TUNNEL_ID, tunnel_id, UINT32_MAX),
};

static struct flow_addr *addr_field(struct flowrec *rec, int f)
{
	return slots[f].size == 0 ? (struct flow_addr *)((char *)rec + slots[f].off) : NULL;
}

/* Largest value each numeric field holds on the line. */
static uint64_t field_max(int f)
{
	return slots[f].max;
}

/* v (at most field_max(f)) into numeric field f. */
static void store_uint(struct flowrec *rec, int f, uint64_t v)
{
	char *at = (char *)rec + slots[f].off;
	uint32_t v32 = (uint32_t)v;
	uint16_t v16 = (uint16_t)v;
	uint8_t v8 = (uint8_t)v;

	if (slots[f].size == 8)
		memcpy(at, &v, 8);
	else if (slots[f].size == 4)
		memcpy(at, &v32, 4);
	else if (slots[f].size == 2)
		memcpy(at, &v16, 2);
	else
		memcpy(at, &v8, 1);
}

static void clear_record(struct flowrec *rec)
{
	flowrec_clear(rec);
	rec->exaddr.family = rec->srcaddr.family = FLOW_AF_INET;
	rec->dstaddr.family = rec->nexthop.family = FLOW_AF_INET;
}

/* No header: the field count says which headerless set this is. */
static int headerless_map(struct flow_reader *r, const char *line, size_t len, struct why *w)
{
	int n = 1;
	flow_fieldset set;

	for (size_t i = 0; i < len; i++)
		n += line[i] == ',';
	set = flow_subset_headerless(n);
	if (set == 0)
		return why_set(w, "%d fields and no #: header (want 24 or 18)", n);
	set_map(r, set);
	return 0;
}

/*
 * One record is of one address family (flowpipes(1)): srcaddr and dstaddr
 * of different families are malformed (no v4-mapped guessing); a nexthop
 * of the other family is malformed too, unless it is the unspecified
 * address (0.0.0.0 or ::, no next hop), which takes the record's family;
 * an absent srcaddr, dstaddr or nexthop is the zero of the family the
 * present ones have. exaddr, the exporter's own address, is free.
 */
static int one_family(const struct flow_reader *r, struct flowrec *rec, struct why *w)
{
	bool has_src = r->fields & (1u << FF_SRCADDR), has_dst = r->fields & (1u << FF_DSTADDR);
	uint8_t fam = has_src ? rec->srcaddr.family : has_dst ? rec->dstaddr.family :
	    rec->nexthop.family;

	if (has_src && has_dst && rec->srcaddr.family != rec->dstaddr.family)
		return why_set(w, "srcaddr and dstaddr of different address families");
	rec->srcaddr.family = rec->dstaddr.family = fam;	/* the absent ones: zero */
	if (rec->nexthop.family != fam) {
		if (!flow_addr_is_zero(&rec->nexthop))
			return why_set(w, "nexthop of another address family than the flow's");
		rec->nexthop.family = fam;
	}
	return 0;
}

/* Where the field that starts at p ends: its ',' or the end of the line. */
static const char *field_end(const char *p, const char *end)
{
	return bytescan_find(p, end, ',');
}

/*
 * Field f from p on; *fe is set to where it ends. A number is read while
 * its end is found: a field of at most 19 digits that fits f is all the
 * common case needs; an address is parsed here too. Anything else goes
 * to flow_field_parse for the full rule and its message.
 */
static int scan_field(struct flowrec *rec, int f, const char *p, const char *end,
    const char **fe, struct why *w)
{
	struct flow_addr *a = addr_field(rec, f);
	const char *q = p;
	uint64_t v;

	if (a == NULL) {
		q = dec_scan_u64(p, end, &v);
		if (q > p && (q == end || *q == ',') && v <= field_max(f)) {
			*fe = q;
			store_uint(rec, f, v);
			return 0;
		}
	}
	*fe = field_end(q, end);
	if (a != NULL && flow_addr_parse(a, p, (size_t)(*fe - p)) == 0)
		return 0;
	return flow_field_parse(rec, (enum flow_field)f, p, (size_t)(*fe - p), w);
}

/*
 * The fixed-layout path: a cursor over the 24 default fields of one line,
 * read in order by straight code (no column map, no per-field lookup).
 * It only says yes or no: at the first field it cannot take on its fast
 * rule, bad is set and the general path reads the line again, to give
 * the same result or the same message.
 */
struct std_cursor {
	const char *p, *end;	/* p NULL: stopped, at the end of the line or bad */
	bool bad;
};

/* Stops the cursor at a field it cannot take. */
static void std_bad(struct std_cursor *c)
{
	c->p = NULL;
	c->bad = true;
}

/* Steps over the ',' that ends a field at q, or stops at the end of the line. */
static void std_next(struct std_cursor *c, const char *q)
{
	if (q == c->end)
		c->p = NULL;
	else if (*q == ',')
		c->p = q + 1;
	else
		std_bad(c);
}

/*
 * A number of at most 19 digits, at most max; 0 once the cursor is bad.
 * Inlined at each of its 20 calls: the call itself cost more than most
 * of the numbers, which are a digit or two.
 */
static inline __attribute__((always_inline)) uint64_t std_num(struct std_cursor *c, uint64_t max)
{
	uint64_t v;
	const char *q;

	if (c->p == NULL) {
		std_bad(c);	/* stopped already, or the line had fewer fields */
		return 0;
	}
	q = dec_scan_u64(c->p, c->end, &v);
	if (q == c->p || v > max) {
		std_bad(c);
		return 0;
	}
	std_next(c, q);
	return v;
}

/* A dotted quad; anything else (IPv6 too) is found to its end and parsed in full. */
static void std_addr(struct std_cursor *c, struct flow_addr *a)
{
	const char *q;

	if (c->p == NULL) {
		std_bad(c);
		return;
	}
	q = flow_addr_scan_v4(a, c->p, c->end);
	if (q == NULL || (q != c->end && *q != ',')) {
		q = field_end(c->p, c->end);
		if (flow_addr_parse(a, c->p, (size_t)(q - c->p)) < 0) {
			std_bad(c);
			return;
		}
	}
	std_next(c, q);
}

/* The 24 fields in canonical order, each to the largest value its slot allows. */
static void std_fields(struct std_cursor *c, struct flowrec *r)
{
	r->unix_secs = (uint32_t)std_num(c, field_max(FF_UNIX_SECS));
	r->unix_nsecs = (uint32_t)std_num(c, field_max(FF_UNIX_NSECS));
	r->sysuptime = (uint32_t)std_num(c, field_max(FF_SYSUPTIME));
	std_addr(c, &r->exaddr);
	r->dpkts = std_num(c, field_max(FF_DPKTS));
	r->doctets = std_num(c, field_max(FF_DOCTETS));
	r->first = (uint32_t)std_num(c, field_max(FF_FIRST));
	r->last = (uint32_t)std_num(c, field_max(FF_LAST));
	r->engine_type = (uint8_t)std_num(c, field_max(FF_ENGINE_TYPE));
	r->engine_id = (uint8_t)std_num(c, field_max(FF_ENGINE_ID));
	std_addr(c, &r->srcaddr);
	std_addr(c, &r->dstaddr);
	std_addr(c, &r->nexthop);
	r->input = (uint32_t)std_num(c, field_max(FF_INPUT));
	r->output = (uint32_t)std_num(c, field_max(FF_OUTPUT));
	r->srcport = (uint16_t)std_num(c, field_max(FF_SRCPORT));
	r->dstport = (uint16_t)std_num(c, field_max(FF_DSTPORT));
	r->prot = (uint8_t)std_num(c, field_max(FF_PROT));
	r->tos = (uint8_t)std_num(c, field_max(FF_TOS));
	r->tcp_flags = (uint8_t)std_num(c, field_max(FF_TCP_FLAGS));
	r->src_mask = (uint8_t)std_num(c, field_max(FF_SRC_MASK));
	r->dst_mask = (uint8_t)std_num(c, field_max(FF_DST_MASK));
	r->src_as = (uint32_t)std_num(c, field_max(FF_SRC_AS));
	r->dst_as = (uint32_t)std_num(c, field_max(FF_DST_AS));
}

/* 0 when the fixed-layout path took the whole line; -1: the general path decides. */
static int parse_std(const struct flow_reader *r, const char *line, size_t len,
    struct flowrec *rec)
{
	struct std_cursor c = { .p = line, .end = line + len };
	struct why ignored;

	clear_record(rec);
	std_fields(&c, rec);
	if (c.bad || c.p != NULL)
		return -1;	/* a field it could not take, or more than 24 */
	return one_family(r, rec, &ignored);
}

int flow_parse_line(struct flow_reader *r, const char *line, size_t len, struct flowrec *rec,
    struct why *w)
{
	const char *p = line, *end = line + len;
	int col = 0;

	if (r->ncols == 0 && headerless_map(r, line, len, w) < 0)
		return -1;
	if (r->std_layout && parse_std(r, line, len, rec) == 0)
		return 0;
	clear_record(rec);
	for (;;) {
		const char *fe;

		if (col >= r->ncols)
			return why_set(w, "more than %d fields", r->ncols);
		if (r->col[col] < 0)
			fe = field_end(p, end);
		else if (scan_field(rec, r->col[col], p, end, &fe, w) < 0)
			return -1;
		col++;
		if (fe == end)
			break;
		p = fe + 1;
	}
	if (col != r->ncols)
		return why_set(w, "%d fields, want %d", col, r->ncols);
	return one_family(r, rec, w);
}

void flow_reader_want(struct flow_reader *r, flow_fieldset want)
{
	r->want = want;
	r->sub_ready = false;
}

/* A record line: every field, or only those flow_reader_want named. */
static int parse_record(struct flow_reader *r, const char *line, size_t len, struct flowrec *rec,
    struct why *w)
{
	if (r->want == 0)
		return flow_parse_line(r, line, len, rec, w);
	if (r->ncols == 0 && headerless_map(r, line, len, w) < 0)
		return -1;
	if (!r->sub_ready) {
		flow_subset_init(&r->sub, r->col, r->ncols, r->want);
		r->sub_ready = true;
	}
	clear_record(rec);
	return flow_subset_parse(&r->sub, line, len, rec, w);
}

/* Reports a bad line; returns true when the reader must stop (--strict). */
static bool bad_line(struct flow_reader *r, const struct why *w)
{
	r->bad++;
	diag_warn("%s:%lu: %s", r->lr.name, r->lr.lineno, w->text);
	return r->strict;
}

enum flow_read_status flow_read(struct flow_reader *r, struct flowrec *rec)
{
	struct why w;

	for (;;) {
		struct line_reader *lr = &r->lr;

		switch (line_reader_next(lr)) {
		case LINE_OK:
			break;
		case LINE_EOF:
			return FLOW_READ_EOF;
		case LINE_INTR:
			return FLOW_READ_INTR;
		case LINE_IOERR:
			diag_warn_errno("%s: read error", lr->name);
			r->failed = true;
			return FLOW_READ_STOP;
		}
		if (lr->partial || lr->continued) {
			if (lr->continued)
				continue;	/* the rest of a line already reported */
			why_set(&w, "line longer than %d bytes", FLOW_READ_LINE_MAX);
		} else if (lr->cut) {
			why_set(&w, LINE_CUT_TEXT);
		} else if (lr->has_nul) {
			why_set(&w, "NUL byte in line");
		} else if (lr->len == 0) {
			why_set(&w, "empty line");
		} else if (lr->line[0] == '#' && lr->len > 1 && lr->line[1] == ':') {
			if (flow_reader_set_header(r, lr->line + 2, lr->len - 2, &w) == 0)
				continue;
		} else if (lr->line[0] == '#') {
			r->comments++;
			return FLOW_READ_COMMENT;
		} else if (parse_record(r, lr->line, lr->len, rec, &w) == 0) {
			r->records++;
			return FLOW_READ_RECORD;
		}
		if (bad_line(r, &w))
			return FLOW_READ_STOP;
	}
}
