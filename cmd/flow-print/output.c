/* Flows out in the -f format (see output.h). */
#include "json.h"
#include "output.h"

void output_init(struct output *out, const struct options *o, FILE *fp, struct timefmt *tf)
{
	*out = (struct output){ .opt = o, .fp = fp, .tf = tf };
}

int output_start(struct output *out, bool paired)
{
	const struct options *o = out->opt;
	struct layout_opts lo = { o->format == OUT_LONG, paired, o->header, o->human };

	if (out->started)
		return 0;
	out->started = true;
	out->paired = paired;
	switch (o->format) {
	case OUT_LINE:
	case OUT_LONG:
		return layout_init(&out->layout, out->fp, &lo, out->tf);
	case OUT_CSV:
		flow_writer_init(&out->w, out->fp,
		    FLOW_FIELDS_DEFAULT | (paired ? FLOW_FIELDS_REVERSE : 0), o->header, false);
		return 0;
	case OUT_FMT:
		/* checked by options_parse already */
		return fmtspec_parse(&out->fmt, o->tmpl, o->human, NULL);
	case OUT_JSON:
		break;
	}
	return 0;
}

int output_row(struct output *out, const struct flowview *v)
{
	switch (out->opt->format) {
	case OUT_LINE:
	case OUT_LONG:
		return layout_row(&out->layout, v);
	case OUT_CSV:
		return flow_write(&out->w, v->r);
	case OUT_JSON:
		return json_write(out->fp, v, out->tf, out->paired);
	case OUT_FMT:
		return fmtspec_write(&out->fmt, out->fp, v, out->tf);
	}
	return 0;
}

static bool is_table(const struct output *out)
{
	return out->opt->format == OUT_LINE || out->opt->format == OUT_LONG;
}

int output_flush(struct output *out)
{
	if (out->started && is_table(out) && layout_flush(&out->layout) < 0)
		return -1;
	if (out->started && out->opt->format == OUT_CSV && !out->w.started &&
	    flow_writer_start(&out->w) < 0)
		return -1;
	return fflush(out->fp) == 0 ? 0 : -1;
}

int output_finish(struct output *out, const struct totals *t, unsigned long malformed)
{
	const struct options *o = out->opt;
	const char *prefix = o->format == OUT_CSV ? "# " : "";

	if (output_start(out, false) < 0)
		return -1;
	if (is_table(out) && layout_titles(&out->layout) < 0)
		return -1;
	if (output_flush(out) < 0)
		return -1;
	if (!o->header || o->format == OUT_JSON || o->format == OUT_FMT)
		return 0;
	if (totals_print(t, out->fp, prefix, out->tf, o->human, malformed) < 0)
		return -1;
	return fflush(out->fp) == 0 ? 0 : -1;
}

void output_free(struct output *out)
{
	if (out->started && is_table(out))
		layout_free(&out->layout);
}
