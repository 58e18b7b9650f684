/* One datagram through decoding, sequence tracking, sampling and checks. */
#include <stdio.h>
#include <string.h>

#include "base/diag.h"
#include "collector.h"
#include "flow/flowaddr.h"
#include "netflow/nf_header.h"
#include "timecheck.h"

/* "where: exporter-stream: " prefix and the message, within the stream's budget. */
static void say(struct collector *c, struct stream *st, const char *text)
{
	char name[128];

	if (c->opt.quiet || !stream_may_say(st))
		return;
	stream_name(&st->key, name, sizeof name);
	diag_warn("%s%sexporter %s: %s%s", c->where ? c->where : "", c->where ? ": " : "", name,
	    text, st->messages == STREAM_MESSAGES ? " (further messages for it counted, not shown)"
	    : "");
}

static struct stream *stream_for(struct collector *c, const struct flow_addr *exporter,
    uint16_t port, unsigned version, uint32_t domain)
{
	struct stream_key sk;

	memset(&sk, 0, sizeof sk);
	sk.exporter = *exporter;
	sk.port = port;
	sk.version = (uint16_t)version;
	sk.domain = domain;
	return streams_get(&c->streams, &sk);
}

static struct stream *stream_of(struct collector *c, const struct nft_key *k)
{
	return stream_for(c, &k->exporter, k->port, k->version, k->domain);
}

/* Whether the decoder counted the record at hand among bad times (clamped or untimed). */
static bool decoder_counted(struct collector *c)
{
	unsigned n = c->res->clamped + c->res->untimed;
	bool counted = n != c->mended_seen;

	c->mended_seen = n;
	return counted;
}

/* The decode about to fill res, for decoder_counted. */
static void decode_into(struct collector *c, struct nf_result *res)
{
	nf_result_clear(res);
	c->res = res;
	c->mended_seen = 0;
}

static void on_record(void *ctx, const struct flowrec *r)
{
	struct collector *c = ctx;
	struct stream *st = c->cur;
	struct flowrec w = *r;
	char why[96], text[160];
	uint32_t rate;
	bool counted;

	rate = sampling_rate(&c->sampling, st, c->have_note ? &c->note : NULL);
	c->have_note = false;
	if (c->opt.renormalize && rate > 1) {
		w.dpkts *= rate;
		w.doctets *= rate;
		c->n.renormalized++;
	}
	st->records++;
	c->n.records++;
	counted = decoder_counted(c);
	if (timecheck(&w, c->export_ms, why, sizeof why)) {
		if (!counted) {
			st->bad_times++;
			c->n.bad_times++;
		}
		snprintf(text, sizeof text, "record %llu: times cannot be right: %s (written as "
		    "sent)", (unsigned long long)st->records, why);
		say(c, st, text);
	}
	c->out(c->out_ctx, &w);
}

/* nft_hooks: a record of a template with sampling fields, before on_record sees it. */
static void on_sampling(void *ctx, const struct nft_template *t, const uint8_t *rec, size_t len)
{
	struct collector *c = ctx;

	sampling_read(t, rec, len, &c->note);
	if (t->options) {
		sampling_define(&c->sampling, &c->cur->key, &c->note);
		return;
	}
	c->have_note = true;
}

/* nft_hooks: a data set without its template, held for later. */
static bool on_no_template(void *ctx, const struct nft_key *key, const uint8_t *set, size_t len,
    const struct nft_export *x)
{
	struct collector *c = ctx;

	return held_keep(&c->held, key, set, len, x);
}

/* held: a set whose template never came. */
static void on_held_drop(void *ctx, const struct held_set *h)
{
	struct collector *c = ctx;
	struct stream *st = stream_of(c, &h->key);
	const char *where = c->where;
	char text[200];

	if (st == NULL)
		return;
	c->where = NULL;	/* the set is from an earlier datagram than the one at hand */
	st->no_template++;
	c->n.no_template++;
	snprintf(text, sizeof text, "a data set of template %u was never decoded: no template %u "
	    "from this exporter (never sent, or expired by -T); %llu such sets so far "
	    "(up to %d sets / %u bytes wait for theirs)", h->key.id, h->key.id,
	    (unsigned long long)st->no_template, HELD_MAX_SETS, HELD_MAX_BYTES);
	say(c, st, text);
	c->where = where;
}

int collector_init(struct collector *c, const struct collector_opts *o, nf_record_fn out,
    void *ctx)
{
	memset(c, 0, sizeof *c);
	c->opt = *o;
	c->out = out;
	c->out_ctx = ctx;
	if (nf_decoder_init(&c->dec, 0, 0) != 0)
		return -1;
	if (streams_init(&c->streams) != 0 || sampling_init(&c->sampling) != 0)
		return -1;
	c->dec.templates.lifetime_s = o->template_lifetime_s;
	c->dec.templates.hooks.no_template = on_no_template;
	c->dec.templates.hooks.sampling = on_sampling;
	c->dec.templates.hooks.ctx = c;
	held_init(&c->held, on_held_drop, c);
	return 0;
}

static void reject(struct collector *c, struct stream *st, size_t at, const char *why)
{
	char text[240];

	st->rejected++;
	c->n.rejected++;
	snprintf(text, sizeof text, "datagram rejected at byte %zu: %s", at, why);
	say(c, st, text);
}

static void count_result(struct collector *c, struct stream *st, const struct nf_result *res,
    size_t off)
{
	char text[200];

	c->n.templates += res->templates;
	c->n.withdrawn += res->withdrawn;
	c->n.clamped += res->clamped;
	if (res->clamped) {
		st->bad_times += res->clamped;
		c->n.bad_times += res->clamped;
		snprintf(text, sizeof text, "%u records with times more than 2^32 ms apart: the "
		    "earliest moved up", res->clamped);
		say(c, st, text);
	}
	if (res->untimed) {
		st->bad_times += res->untimed;
		c->n.bad_times += res->untimed;
		snprintf(text, sizeof text, "%u records without usable flow times (none, or "
		    "uptimes without systemInitTimeMilliseconds): written with the export moment "
		    "as first and last", res->untimed);
		say(c, st, text);
	}
	if (res->no_template) {	/* sets the held store could not take */
		st->no_template += res->no_template;
		c->n.no_template += res->no_template;
		snprintf(text, sizeof text, "%u data sets of template %u dropped: no such template "
		    "from this exporter", res->no_template, res->missing_template);
		say(c, st, text);
	}
	if (res->errors)
		reject(c, st, off + res->err_at, res->err);
}

/* The v5 header's sampling interval: mode in the top 2 bits, 1 in N in the low 14. */
static void note_v5_sampling(struct collector *c, struct stream *st, const struct nf_header *h)
{
	struct sample_note n;

	memset(&n, 0, sizeof n);
	n.rate = h->sampling & 0x3fffu;
	n.algorithm = h->sampling >> 14;
	n.has_rate = n.rate > 0;
	if (n.has_rate)
		sampling_define(&c->sampling, &st->key, &n);
}

/* A held set's records are checked against the clock of the datagram they came in. */
static void held_clock(void *ctx, const struct nft_export *x)
{
	((struct collector *)ctx)->export_ms = x->export_ms;
}

/*
 * The held sets of this exporter and domain whose template just came.
 * Their records belong to earlier messages: counted, but not in this
 * message's sequence units.
 */
static void retry_held(struct collector *c, struct stream *st, const struct nf_header *h,
    size_t off)
{
	uint64_t export_ms = c->export_ms;	/* this message's, back after the held ones */
	const char *where = c->where;
	char held_where[600];
	struct nf_result res;
	struct nft_key k;

	memset(&k, 0, sizeof k);
	k.exporter = st->key.exporter;
	k.port = st->key.port;
	k.version = (uint8_t)h->version;
	k.domain = h->domain;
	/* messages about them name the input that brought the template, and say so */
	snprintf(held_where, sizeof held_where, "%s%ssets held from earlier datagrams",
	    where ? where : "", where ? ", " : "");
	c->where = held_where;
	decode_into(c, &res);
	held_retry(&c->held, &c->dec.templates, &k, held_clock, on_record, c, &res);
	count_result(c, st, &res, off);
	c->export_ms = export_ms;
	c->where = where;
}

/* One v5/v9 datagram or IPFIX message of h->length bytes at p. */
static void message(struct collector *c, const uint8_t *p, const struct nf_header *h,
    const struct flow_addr *exporter, uint16_t port, size_t off)
{
	struct stream *st = stream_for(c, exporter, port, h->version, h->domain);
	unsigned long held = c->held.kept;
	struct nf_result res;

	if (st == NULL)
		return;
	c->cur = st;
	c->n.messages++;
	st->datagrams++;
	c->export_ms = (uint64_t)h->export_secs * 1000u;
	c->dec.templates.now_s = h->export_secs;
	c->have_note = false;
	if (h->version == 5)
		note_v5_sampling(c, st, h);
	decode_into(c, &res);
	nf_decode_datagram(&c->dec, p, h->length, exporter, port, on_record, c, &res);
	count_result(c, st, &res, off);
	if (res.templates && c->held.sets)
		retry_held(c, st, h, off);
	if (h->version == 5 && res.errors)
		return;		/* a v5 datagram that lies about its length says nothing
				   of its sequence */
	seq_track(&st->seq, &st->loss, h, res.records + res.option_records,
	    res.no_template == 0 && c->held.kept == held);
}

/* A header that cannot be read: rejected for the exporter (its version, when it had one). */
static void reject_header(struct collector *c, const struct flow_addr *exporter, uint16_t port,
    const struct nf_header *h, size_t off, const char *why)
{
	struct stream *st = stream_for(c, exporter, port, h->version, 0);

	if (st)
		reject(c, st, off, why);
}

void collector_datagram(struct collector *c, const uint8_t *p, size_t len,
    const struct flow_addr *exporter, uint16_t port, const char *where)
{
	static const uint8_t zero[4];
	struct flow_addr none;
	struct nf_header h;
	struct why w;
	size_t off = 0;

	if (exporter == NULL) {
		flow_addr_set_v4(&none, zero);
		exporter = &none;
	}
	c->where = where;
	c->n.datagrams++;
	do {
		if (nf_header_read(p + off, len - off, &h, &w) != 0) {
			reject_header(c, exporter, port, &h, off, w.text);
			return;
		}
		if (h.version == 5)
			h.length = len - off;	/* the decoder checks it against the count */
		message(c, p + off, &h, exporter, port, off);
		off += h.length;
	} while (h.version == 10 && off < len);
}

void collector_finish(struct collector *c)
{
	held_flush(&c->held);
}

void collector_free(struct collector *c)
{
	held_flush(&c->held);
	sampling_free(&c->sampling);
	streams_free(&c->streams);
	nf_decoder_free(&c->dec);
}
