/* The totals block (see totals.h). */
#include "numfmt.h"
#include "totals.h"

static void line(FILE *fp, const char *prefix, const char *name, const char *val, size_t n,
    const char *unit)
{
	fprintf(fp, "%s  %-10s %.*s%s\n", prefix, name, (int)n, val, unit);
}

int totals_print(const struct totals *t, FILE *fp, const char *prefix, struct timefmt *tf,
    bool human, unsigned long malformed)
{
	char b[NUMFMT_MAX + TIMEFMT_MAX];
	uint64_t span = t->flows ? t->last_ms - t->first_ms : 0;

	fprintf(fp, "%s\n%stotals\n", prefix, prefix);
	line(fp, prefix, "flows", b, num_count(b, t->flows, human), "");
	line(fp, prefix, "packets", b, num_count(b, t->pkts, human), "");
	line(fp, prefix, "bytes", b, num_count(b, t->bytes, human), "");
	if (t->flows > 0) {
		line(fp, prefix, "first", b, timefmt_write(tf, b, t->first_ms), "");
		line(fp, prefix, "last", b, timefmt_write(tf, b, t->last_ms), "");
	}
	line(fp, prefix, "span", b, num_ms(b, span), " s");
	line(fp, prefix, "pps", b, num_rate(b, t->pkts, 1, span, human), "");
	line(fp, prefix, "bps", b, num_rate(b, t->bytes, 8, span, human), "");
	line(fp, prefix, "malformed", b, num_u64(b, malformed), " lines");
	return ferror(fp) ? -1 : 0;
}
