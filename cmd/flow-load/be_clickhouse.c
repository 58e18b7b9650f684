/*
 * ClickHouse backend over the HTTP interface (libcurl): a batch is one
 * INSERT ... FORMAT RowBinary of all its rows, then its exporters and its
 * load_batches row. ClickHouse has no transactions, so the promise is
 * weaker and stated in flow-load(1): every table is a ReplacingMergeTree
 * whose sorting key holds the record's identity (source_id, line), so a
 * batch sent again after a lost connection replaces itself; each record
 * is there once after OPTIMIZE TABLE flows FINAL, or in SELECT ... FINAL.
 * Debian 12's ClickHouse (18.16) has no DateTime64 and no IPv6 type:
 * times are UInt64 ms since the epoch, addresses their text.
 */
#ifdef HAVE_CLICKHOUSE
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/htab.h"
#include "bytebuf.h"
#include "flow/flowaddr.h"
#include "schema.h"
#include "target.h"
#include "targeturl.h"

#define CH_PORT_DEFAULT 8123u
#define REPLY_MAX 4096

static const char *const create_sql[] = {
	"CREATE TABLE IF NOT EXISTS flows (start_time UInt64, end_time UInt64, exaddr String, "
	"srcaddr String, dstaddr String, nexthop String, srcport UInt16, dstport UInt16, "
	"prot UInt8, tos UInt8, tcp_flags UInt8, src_mask UInt8, dst_mask UInt8, input UInt32, "
	"output UInt32, src_as UInt32, dst_as UInt32, engine_type UInt8, engine_id UInt8, "
	"dpkts UInt64, doctets UInt64, rdpkts UInt64, rdoctets UInt64, rtcp_flags UInt8, "
	"rstart_time UInt64, rend_time UInt64, source_id UInt64, line UInt64) "
	"ENGINE = ReplacingMergeTree PARTITION BY toYYYYMM(toDateTime(intDiv(start_time, 1000))) "
	"ORDER BY (start_time, srcaddr, source_id, line)",
	"CREATE TABLE IF NOT EXISTS exporters (exaddr String, first_seen UInt64, last_seen UInt64, "
	"records UInt64, source_id UInt64, first_line UInt64) "
	"ENGINE = ReplacingMergeTree ORDER BY (exaddr, source_id, first_line)",
	"CREATE TABLE IF NOT EXISTS load_batches (source String, source_id UInt64, "
	"first_line UInt64, last_line UInt64, records UInt64, loaded_at DateTime DEFAULT now()) "
	"ENGINE = ReplacingMergeTree ORDER BY (source_id, first_line, last_line)",
};

static const char *const exporter_cols[] = { "exaddr", "first_seen", "last_seen", "records",
	"source_id", "first_line" };
static const char *const batch_cols[] = { "source", "source_id", "first_line", "last_line",
	"records", "loaded_at" };

struct ch {
	CURL *curl;
	char base[512];		/* http://host:port/?database=db */
	char userpwd[200];
	struct bytebuf buf;	/* the batch in RowBinary */
	char reply[REPLY_MAX];
	size_t reply_len;
	uint64_t source_id;
};

/* The batch source as the UInt64 stored with every row (fixed seed: stable across runs). */
static uint64_t source_hash(const char *source)
{
	return hash_bytes(source, strlen(source), 0x666c6f776c6f6164ull);
}

static size_t on_reply(char *data, size_t size, size_t n, void *arg)
{
	struct ch *c = arg;
	size_t len = size * n, keep = REPLY_MAX - 1 - c->reply_len;

	memcpy(c->reply + c->reply_len, data, len < keep ? len : keep);
	c->reply_len += len < keep ? len : keep;
	c->reply[c->reply_len] = '\0';
	return len;
}

/*
 * One request: the query in the URL, data (may be NULL) as the body. A
 * transport failure is a lost connection; an exception the server sends
 * back is fatal, unless it is shutting down.
 */
static enum load_rc request(struct ch *c, const char *query, const void *data, size_t len,
    struct why *w)
{
	char *q = curl_easy_escape(c->curl, query, 0);
	char url[sizeof c->base + 4096];
	long status = 0;

	if (q == NULL)
		return why_set(w, "out of memory"), LOAD_FATAL;
	snprintf(url, sizeof url, "%s&query=%s", c->base, q);
	curl_free(q);
	c->reply_len = 0;
	c->reply[0] = '\0';
	curl_easy_setopt(c->curl, CURLOPT_URL, url);
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDS, data ? (const char *)data : "");
	curl_easy_setopt(c->curl, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(data ? len : 0));
	CURLcode rc = curl_easy_perform(c->curl);
	if (rc != CURLE_OK)
		return why_set(w, "%s", curl_easy_strerror(rc)), LOAD_LOST;
	curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &status);
	if (status == 200)
		return LOAD_OK;
	c->reply[strcspn(c->reply, "\n")] = '\0';
	why_set(w, "HTTP %ld: %s", status, c->reply);
	bool going = strstr(c->reply, "hutting down") || strstr(c->reply, "hutdown");
	return going ? LOAD_LOST : LOAD_FATAL;
}

static enum load_rc check_table(struct ch *c, const char *table, const char *const *want,
    size_t nwant, struct why *w)
{
	char sql[256];
	const char *have[64];
	size_t n = 0;
	enum load_rc rc;

	snprintf(sql, sizeof sql, "SELECT name FROM system.columns WHERE database = "
	    "currentDatabase() AND table = '%s' FORMAT TabSeparated", table);
	if ((rc = request(c, sql, NULL, 0, w)) != LOAD_OK)
		return rc;
	for (char *p = c->reply, *nl; *p != '\0' && n < 64; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			break;
		*nl = '\0';
		have[n++] = p;
	}
	return schema_compare(table, have, n, want, nwant, w) < 0 ? LOAD_FATAL : LOAD_OK;
}

static enum load_rc check_schema(struct ch *c, struct why *w)
{
	const char *flows[COL_COUNT + 2];
	enum load_rc rc;

	for (int i = 0; i < COL_COUNT; i++)
		flows[i] = schema_col_name((enum load_col)i);
	flows[COL_COUNT] = "source_id";
	flows[COL_COUNT + 1] = "line";
	if ((rc = check_table(c, "flows", flows, COL_COUNT + 2, w)) != LOAD_OK ||
	    (rc = check_table(c, "exporters", exporter_cols, 6, w)) != LOAD_OK)
		return rc;
	return check_table(c, "load_batches", batch_cols, 6, w);
}

static void ch_close(void *state)
{
	struct ch *c = state;

	curl_easy_cleanup(c->curl);
	bytebuf_free(&c->buf);
	free(c);
}

static int set_base(struct ch *c, const char *spec, struct why *w)
{
	struct target_url u;
	bool v6;

	if (target_url_parse(spec + strlen("clickhouse://"), &u, w) < 0)
		return -1;
	v6 = strchr(u.host, ':') != NULL;
	snprintf(c->base, sizeof c->base, "http://%s%s%s:%u/?database=%s", v6 ? "[" : "", u.host,
	    v6 ? "]" : "", u.port ? u.port : CH_PORT_DEFAULT, u.db);
	if (u.user[0] != '\0') {
		snprintf(c->userpwd, sizeof c->userpwd, "%s:%s", u.user, u.pass);
		curl_easy_setopt(c->curl, CURLOPT_USERPWD, c->userpwd);
	}
	return 0;
}

static enum load_rc ch_open(void **state, const char *spec, struct why *w)
{
	struct ch *c = calloc(1, sizeof *c);
	enum load_rc rc = LOAD_OK;

	if (c == NULL || (c->curl = curl_easy_init()) == NULL) {
		free(c);
		return why_set(w, "out of memory"), LOAD_FATAL;
	}
	curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, on_reply);
	curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, c);
	curl_easy_setopt(c->curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c->curl, CURLOPT_CONNECTTIMEOUT_MS, 5000L);
	if (set_base(c, spec, w) < 0)
		rc = LOAD_FATAL;
	for (size_t i = 0; i < sizeof create_sql / sizeof create_sql[0] && rc == LOAD_OK; i++)
		rc = request(c, create_sql[i], NULL, 0, w);
	if (rc == LOAD_OK)
		rc = check_schema(c, w);
	if (rc != LOAD_OK)
		ch_close(c);
	else
		*state = c;
	return rc;
}

static unsigned char *room(struct ch *c, size_t n)
{
	return bytebuf_room(&c->buf, n);
}

/* RowBinary: unsigned integers little-endian, strings a LEB128 length and the bytes */
static void put_le(struct ch *c, uint64_t v, size_t n)
{
	unsigned char *p = room(c, n);

	for (size_t i = 0; p != NULL && i < n; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

static void put_addr(struct ch *c, const struct flow_addr *a)
{
	char text[FLOW_ADDR_STRLEN];
	size_t n = flow_addr_format(a, text);	/* < 128: one length byte */
	unsigned char *p = room(c, 1 + n);

	if (p != NULL) {
		p[0] = (unsigned char)n;
		memcpy(p + 1, text, n);
	}
}

static enum load_rc ch_begin(void *state, const struct load_batch *b, struct why *w)
{
	struct ch *c = state;

	(void)w;
	bytebuf_reset(&c->buf);
	c->source_id = source_hash(b->id.source);
	return LOAD_OK;
}

static enum load_rc ch_add(void *state, const struct load_row *row, struct why *w)
{
	struct ch *c = state;
	const struct flowrec *r = &row->rec;

	put_le(c, row->start_ms, 8);
	put_le(c, row->end_ms, 8);
	put_addr(c, &r->exaddr);
	put_addr(c, &r->srcaddr);
	put_addr(c, &r->dstaddr);
	put_addr(c, &r->nexthop);
	put_le(c, r->srcport, 2);
	put_le(c, r->dstport, 2);
	put_le(c, r->prot, 1);
	put_le(c, r->tos, 1);
	put_le(c, r->tcp_flags, 1);
	put_le(c, r->src_mask, 1);
	put_le(c, r->dst_mask, 1);
	put_le(c, r->input, 4);
	put_le(c, r->output, 4);
	put_le(c, r->src_as, 4);
	put_le(c, r->dst_as, 4);
	put_le(c, r->engine_type, 1);
	put_le(c, r->engine_id, 1);
	put_le(c, r->dpkts, 8);
	put_le(c, r->doctets, 8);
	put_le(c, r->rdpkts, 8);
	put_le(c, r->rdoctets, 8);
	put_le(c, r->rtcp_flags, 1);
	put_le(c, row->has_reverse ? row->rstart_ms : 0, 8);
	put_le(c, row->has_reverse ? row->rend_ms : 0, 8);
	put_le(c, c->source_id, 8);
	put_le(c, row->line, 8);
	if (c->buf.oom)
		return why_set(w, "out of memory"), LOAD_FATAL;
	return LOAD_OK;
}

static enum load_rc put_exporters(struct ch *c, const struct load_batch *b, struct why *w)
{
	bytebuf_reset(&c->buf);
	for (size_t i = 0; i < b->nexporters; i++) {
		const struct exporter_sum *e = &b->exporters[i];
		put_addr(c, &e->addr);
		put_le(c, e->first_ms, 8);
		put_le(c, e->last_ms, 8);
		put_le(c, e->records, 8);
		put_le(c, c->source_id, 8);
		put_le(c, b->id.first_line, 8);
	}
	if (c->buf.oom)
		return why_set(w, "out of memory"), LOAD_FATAL;
	return request(c, "INSERT INTO exporters FORMAT RowBinary", c->buf.data, c->buf.len, w);
}

/* A source name as a single-quoted ClickHouse string literal. */
static void quote(char *dst, size_t cap, const char *s)
{
	size_t n = 0;

	dst[n++] = '\'';
	for (; *s != '\0' && n + 3 < cap; s++) {
		if (*s == '\'' || *s == '\\')
			dst[n++] = '\\';
		dst[n++] = *s;
	}
	dst[n++] = '\'';
	dst[n] = '\0';
}

static enum load_rc ch_commit(void *state, const struct load_batch *b, size_t *refused_at,
    struct why *w)
{
	struct ch *c = state;
	char sql[1536], src[1100];
	enum load_rc rc;

	*refused_at = 0;
	rc = request(c, "INSERT INTO flows FORMAT RowBinary", c->buf.data, c->buf.len, w);
	if (rc != LOAD_OK || (rc = put_exporters(c, b, w)) != LOAD_OK)
		return rc;
	quote(src, sizeof src, b->id.source);
	snprintf(sql, sizeof sql, "INSERT INTO load_batches (source, source_id, first_line, "
	    "last_line, records) VALUES (%s, %llu, %llu, %llu, %zu)", src,
	    (unsigned long long)c->source_id, (unsigned long long)b->id.first_line,
	    (unsigned long long)b->id.last_line, b->rows);
	return request(c, sql, NULL, 0, w);
}

static int ch_landed(void *state, const struct batch_id *id, struct why *w)
{
	struct ch *c = state;
	char sql[256];

	snprintf(sql, sizeof sql, "SELECT count() FROM load_batches WHERE source_id = %llu AND "
	    "first_line = %llu AND last_line = %llu FORMAT TabSeparated",
	    (unsigned long long)source_hash(id->source), (unsigned long long)id->first_line,
	    (unsigned long long)id->last_line);
	if (request(c, sql, NULL, 0, w) != LOAD_OK)
		return -1;
	return c->reply[0] != '0';
}

const struct target_ops target_clickhouse = {
	"ClickHouse", ch_open, ch_begin, ch_add, ch_commit, ch_landed, ch_close,
};
#endif
