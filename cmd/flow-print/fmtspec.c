/* -f fmt: templates (see fmtspec.h). */
#include <string.h>

#include "cells.h"
#include "fmtspec.h"
#include "line/flowline.h"
#include "numfmt.h"

/* a line holds the whole template text and every item at its widest */
#define FMT_TEMPLATE_MAX 4096
#define FMT_LINE_MAX (FMT_TEMPLATE_MAX + FMTSPEC_ITEMS_MAX * CELL_MAX + 1)

enum extra {
	X_START = FF_COUNT, X_END, X_DURATION, X_PROTO, X_FLAGS, X_SRC, X_DST,
	X_PACKETS, X_BYTES, X_BPS, X_PPS, X_BPP, X_END_OF
};

static const char *const extra_names[X_END_OF - FF_COUNT] = {
	"start", "end", "duration", "proto", "flags", "src", "dst",
	"packets", "bytes", "bps", "pps", "bpp"
};

static const char *item_name(int what)
{
	return what < FF_COUNT ? flow_field_name((enum flow_field)what) :
	    extra_names[what - FF_COUNT];
}

/* The longest name at s, or -1; *len its length. */
static int longest_name(const char *s, size_t *len)
{
	int best = -1;

	*len = 0;
	for (int w = 0; w < X_END_OF; w++) {
		const char *name = item_name(w);
		size_t n = strlen(name);
		if (n > *len && strncmp(s, name, n) == 0) {
			best = w;
			*len = n;
		}
	}
	return best;
}

static int add(struct fmtspec *f, int what, const char *lit, size_t len, struct why *why)
{
	if (f->n == FMTSPEC_ITEMS_MAX)
		return why_set(why, "more than %d items", FMTSPEC_ITEMS_MAX);
	f->item[f->n++] = (struct fmtspec_item){ what, lit, len };
	return 0;
}

int fmtspec_parse(struct fmtspec *f, const char *tmpl, bool human, struct why *why)
{
	const char *p = tmpl;

	*f = (struct fmtspec){ .human = human };
	if (strlen(tmpl) > FMT_TEMPLATE_MAX)
		return why_set(why, "a template of at most %d bytes", FMT_TEMPLATE_MAX);
	while (*p != '\0') {
		size_t lit = strcspn(p, "%"), len;
		if (lit > 0 && add(f, -1, p, lit, why) < 0)
			return -1;
		p += lit;
		if (*p == '\0')
			break;
		if (p[1] == '%') {
			if (add(f, -1, p, 1, why) < 0)
				return -1;
			p += 2;
			continue;
		}
		int what = longest_name(p + 1, &len);
		if (what < 0)
			return why_set(why, "at offset %zu: unknown field '%%%.20s'",
			    (size_t)(p - tmpl), p + 1);
		if (add(f, what, NULL, 0, why) < 0)
			return -1;
		p += 1 + len;
	}
	return 0;
}

static size_t item(const struct fmtspec *f, int what, const struct flowview *v,
    struct timefmt *tf, char *p)
{
	const struct flowrec *r = v->r;
	uint64_t span = flowview_duration(v);

	switch (what) {
	case X_START: return timefmt_write(tf, p, v->start_ms);
	case X_END: return timefmt_write(tf, p, v->end_ms);
	case X_DURATION: return num_ms(p, span);
	case X_PROTO: return cell_proto(p, r->prot);
	case X_FLAGS: return cell_flags(p, r->tcp_flags);
	case X_SRC: return cell_src(p, r);
	case X_DST: return cell_dst(p, r);
	case X_PACKETS: return num_count(p, v->pkts, f->human);
	case X_BYTES: return num_count(p, v->bytes, f->human);
	case X_BPS: return num_rate(p, v->bytes, 8, span, f->human);
	case X_PPS: return num_rate(p, v->pkts, 1, span, f->human);
	case X_BPP: return num_ratio(p, v->bytes, v->pkts, f->human);
	default: return flow_format_field(r, (enum flow_field)what, p);
	}
}

int fmtspec_write(const struct fmtspec *f, FILE *fp, const struct flowview *v, struct timefmt *tf)
{
	char line[FMT_LINE_MAX], *p = line;

	for (unsigned i = 0; i < f->n; i++) {
		const struct fmtspec_item *it = &f->item[i];
		if (it->what >= 0) {
			p += item(f, it->what, v, tf, p);
			continue;
		}
		memcpy(p, it->lit, it->len);
		p += it->len;
	}
	*p++ = '\n';
	size_t n = (size_t)(p - line);
	return fwrite(line, 1, n, fp) == n ? 0 : -1;
}
