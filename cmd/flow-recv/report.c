/* Counters on stderr: totals, per stream, sampling rates, kernel drops. */
#include <inttypes.h>
#include <stdio.h>

#include "base/diag.h"
#include "report.h"

static void stream_line(void *ctx, const struct stream *st)
{
	const struct seq_counts *l = &st->loss;
	const char *unit = st->key.version == 5 ? "flows" : st->key.version == 9 ? "datagrams"
	    : "records";
	char name[128];

	(void)ctx;
	stream_name(&st->key, name, sizeof name);
	diag_warn("exporter %s: %llu datagrams, %llu records, %llu %s missing, %llu reordered, "
	    "%llu restarts, %llu resyncs, %llu no template, %llu rejected, %llu bad times",
	    name, (unsigned long long)st->datagrams, (unsigned long long)st->records,
	    (unsigned long long)l->missing, unit, (unsigned long long)l->reordered,
	    (unsigned long long)l->restarts, (unsigned long long)l->resyncs,
	    (unsigned long long)st->no_template, (unsigned long long)st->rejected,
	    (unsigned long long)st->bad_times);
}

static void sampler_line(void *ctx, const struct sampler *sm)
{
	char name[128];

	(void)ctx;
	stream_name(&sm->stream, name, sizeof name);
	diag_warn("sampling: exporter %s sampler %" PRIu64 ": 1 in %" PRIu32 " packets "
	    "(algorithm %" PRIu32 "), %" PRIu64 " records", name, sm->id, sm->rate, sm->algorithm,
	    sm->records);
}

void report_print(const struct collector *c, const struct report_extra *x)
{
	const struct collector_counts *n = &c->n;

	diag_warn("%llu datagrams, %llu records, %llu rejected, %llu no template, %llu held now, "
	    "%llu bad times, %llu templates, %llu withdrawn, %lu expired, %lu evicted, "
	    "%llu renormalized, %llu write errors",
	    n->datagrams, n->records, n->rejected, n->no_template,
	    (unsigned long long)c->held.sets, n->bad_times, n->templates, n->withdrawn,
	    c->dec.templates.expired, nf_decoder_evicted(&c->dec), n->renormalized,
	    x->write_errors);
	if (x->live)
		diag_warn("%llu datagrams dropped by the kernel before flow-recv read them "
		    "(the sockets' count), %llu from senders no listener takes", x->kernel_drops,
		    x->ignored);
	streams_each(&c->streams, stream_line, NULL);
	sampling_each(&c->sampling, sampler_line, NULL);
}
