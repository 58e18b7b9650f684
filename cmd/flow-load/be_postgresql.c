/*
 * PostgreSQL backend: per batch one transaction holding a binary COPY of
 * the rows, the exporters upsert and the batch's load_batches row.
 * Addresses are inet, times timestamptz, 32-bit values bigint and the
 * 64-bit counters numeric(20) (the whole unsigned range). A row the
 * server refuses aborts the COPY; its error names the COPY line, which
 * is the row to drop before the batch is sent again.
 */
#ifdef HAVE_POSTGRESQL
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "pgcopy.h"
#include "schema.h"
#include "target.h"

#define FLUSH_BYTES (1u << 18)

static const char create_sql[] =
	"SET client_min_messages = warning;\n"
	"CREATE TABLE IF NOT EXISTS flows ("
	"start_time timestamptz NOT NULL, end_time timestamptz NOT NULL, exaddr inet NOT NULL, "
	"srcaddr inet NOT NULL, dstaddr inet NOT NULL, nexthop inet NOT NULL, "
	"srcport integer NOT NULL, dstport integer NOT NULL, prot smallint NOT NULL, "
	"tos smallint NOT NULL, tcp_flags smallint NOT NULL, src_mask smallint NOT NULL, "
	"dst_mask smallint NOT NULL, input bigint NOT NULL, output bigint NOT NULL, "
	"src_as bigint NOT NULL, dst_as bigint NOT NULL, engine_type smallint NOT NULL, "
	"engine_id smallint NOT NULL, dpkts numeric(20) NOT NULL, doctets numeric(20) NOT NULL, "
	"rdpkts numeric(20) NOT NULL, rdoctets numeric(20) NOT NULL, rtcp_flags smallint NOT NULL, "
	"rstart_time timestamptz, rend_time timestamptz);\n"
	"CREATE TABLE IF NOT EXISTS exporters (exaddr inet PRIMARY KEY, "
	"first_seen timestamptz NOT NULL, last_seen timestamptz NOT NULL, records bigint NOT "
	"NULL);\nCREATE TABLE IF NOT EXISTS load_batches (source text NOT NULL, "
	"first_line bigint NOT NULL, last_line bigint NOT NULL, records bigint NOT NULL, "
	"loaded_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (source, first_line, "
	"last_line));\n";

/* after the check: an index on a column a foreign table lacks would fail first */
static const char index_sql[] =
	"CREATE INDEX IF NOT EXISTS flows_start_time ON flows (start_time);\n"
	"CREATE INDEX IF NOT EXISTS flows_srcaddr ON flows (srcaddr);\n"
	"CREATE INDEX IF NOT EXISTS flows_dstaddr ON flows (dstaddr);\n";

static const char exporter_sql[] =
	"INSERT INTO exporters AS e VALUES ($1::inet, to_timestamp($2::bigint / 1000.0), "
	"to_timestamp($3::bigint / 1000.0), $4::bigint) ON CONFLICT (exaddr) DO UPDATE SET "
	"first_seen = least(e.first_seen, excluded.first_seen), "
	"last_seen = greatest(e.last_seen, excluded.last_seen), records = e.records + "
	"excluded.records";
static const char batch_sql[] =
	"INSERT INTO load_batches (source, first_line, last_line, records) "
	"VALUES ($1, $2::bigint, $3::bigint, $4::bigint)";
static const char landed_sql[] =
	"SELECT 1 FROM load_batches WHERE source = $1 AND first_line = $2::bigint "
	"AND last_line = $3::bigint";
static const char columns_sql[] =
	"SELECT column_name FROM information_schema.columns "
	"WHERE table_schema = current_schema() AND table_name = $1";


struct pg {
	PGconn *conn;
	struct pgcopy copy;
};

/* A failed call: the connection's fault (retry elsewhere) or the statement's. */
static enum load_rc failed(struct pg *p, PGresult *res, const char *what, struct why *w)
{
	const char *state = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	char msg[WHY_MAX];
	enum load_rc rc = LOAD_FATAL;

	snprintf(msg, sizeof msg, "%s", res ? PQresultErrorMessage(res) : PQerrorMessage(p->conn));
	msg[strcspn(msg, "\n")] = '\0';
	/* connection exception (08), operator intervention (57: shutdown, crash) */
	if (PQstatus(p->conn) == CONNECTION_BAD || (state != NULL &&
	    (strncmp(state, "08", 2) == 0 || strncmp(state, "57", 2) == 0)))
		rc = LOAD_LOST;
	why_set(w, "%s: %s", what, msg[0] ? msg : "connection lost");
	PQclear(res);
	return rc;
}

static enum load_rc exec(struct pg *p, const char *sql, ExecStatusType want, struct why *w)
{
	PGresult *res = PQexec(p->conn, sql);

	if (PQresultStatus(res) != want)
		return failed(p, res, sql, w);
	PQclear(res);
	return LOAD_OK;
}

static int check_table(void *ctx, const char *table, const char *const *want, size_t nwant,
    struct why *w)
{
	struct pg *p = ctx;
	const char *params[1] = { table }, *have[64];
	PGresult *res = PQexecParams(p->conn, columns_sql, 1, NULL, params, NULL, NULL, 0);
	size_t n = 0;

	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return failed(p, res, "information_schema.columns", w);
	for (int i = 0; i < PQntuples(res) && n < 64; i++)
		have[n++] = PQgetvalue(res, i, 0);
	int rc = schema_compare(table, have, n, want, nwant, w);
	PQclear(res);
	return rc < 0 ? LOAD_FATAL : LOAD_OK;
}

static void pg_close(void *state)
{
	struct pg *p = state;

	PQfinish(p->conn);
	pgcopy_free(&p->copy);
	free(p);
}

/* The server's notices and warnings, as our one-line messages. */
static void notice(void *arg, const char *msg)
{
	(void)arg;
	diag_warn("PostgreSQL: %.*s", (int)strcspn(msg, "\n"), msg);
}

static enum load_rc pg_open(void **state, const char *spec, struct why *w)
{
	struct pg *p = calloc(1, sizeof *p);
	enum load_rc rc;

	if (p == NULL)
		return why_set(w, "out of memory"), LOAD_FATAL;
	p->conn = PQconnectdb(spec);
	PQsetNoticeProcessor(p->conn, notice, NULL);
	if (PQstatus(p->conn) != CONNECTION_OK) {
		why_set(w, "%.*s", (int)strcspn(PQerrorMessage(p->conn), "\n"),
		    PQerrorMessage(p->conn));
		pg_close(p);
		return LOAD_LOST;
	}
	/* the timestamps go in as UTC microseconds whatever the session's zone */
	if ((rc = exec(p, create_sql, PGRES_COMMAND_OK, w)) != LOAD_OK ||
	    (rc = (enum load_rc)schema_check_tables(check_table, p, w)) != LOAD_OK ||
	    (rc = exec(p, index_sql, PGRES_COMMAND_OK, w)) != LOAD_OK) {
		pg_close(p);
		return rc;
	}
	*state = p;
	return LOAD_OK;
}

static enum load_rc pg_begin(void *state, const struct load_batch *b, struct why *w)
{
	struct pg *p = state;
	enum load_rc rc;

	(void)b;
	if ((rc = exec(p, "BEGIN", PGRES_COMMAND_OK, w)) != LOAD_OK ||
	    (rc = exec(p, "COPY flows FROM STDIN (FORMAT binary)", PGRES_COPY_IN, w)) != LOAD_OK)
		return rc;
	pgcopy_reset(&p->copy);
	pgcopy_header(&p->copy);
	return LOAD_OK;
}

static enum load_rc send_copy(struct pg *p, struct why *w)
{
	if (p->copy.buf.oom)
		return why_set(w, "out of memory"), LOAD_FATAL;
	if (p->copy.buf.len > 0 &&
	    PQputCopyData(p->conn, (const char *)p->copy.buf.data, (int)p->copy.buf.len) != 1)
		return failed(p, NULL, "COPY", w);
	pgcopy_reset(&p->copy);
	return LOAD_OK;
}

static void put_row(struct pgcopy *c, const struct load_row *row)
{
	const struct flowrec *r = &row->rec;

	pgcopy_tuple(c, COL_COUNT);
	pgcopy_timestamptz_ms(c, row->start_ms);
	pgcopy_timestamptz_ms(c, row->end_ms);
	pgcopy_inet(c, &r->exaddr);
	pgcopy_inet(c, &r->srcaddr);
	pgcopy_inet(c, &r->dstaddr);
	pgcopy_inet(c, &r->nexthop);
	pgcopy_int4(c, r->srcport);
	pgcopy_int4(c, r->dstport);
	pgcopy_int2(c, r->prot);
	pgcopy_int2(c, r->tos);
	pgcopy_int2(c, r->tcp_flags);
	pgcopy_int2(c, r->src_mask);
	pgcopy_int2(c, r->dst_mask);
	pgcopy_int8(c, r->input);
	pgcopy_int8(c, r->output);
	pgcopy_int8(c, r->src_as);
	pgcopy_int8(c, r->dst_as);
	pgcopy_int2(c, r->engine_type);
	pgcopy_int2(c, r->engine_id);
	pgcopy_numeric_u64(c, r->dpkts);
	pgcopy_numeric_u64(c, r->doctets);
	pgcopy_numeric_u64(c, r->rdpkts);
	pgcopy_numeric_u64(c, r->rdoctets);
	pgcopy_int2(c, r->rtcp_flags);
	if (row->has_reverse) {
		pgcopy_timestamptz_ms(c, row->rstart_ms);
		pgcopy_timestamptz_ms(c, row->rend_ms);
	} else {
		pgcopy_null(c);
		pgcopy_null(c);
	}
}

static enum load_rc pg_add(void *state, const struct load_row *row, struct why *w)
{
	struct pg *p = state;

	put_row(&p->copy, row);
	return p->copy.buf.len >= FLUSH_BYTES ? send_copy(p, w) : LOAD_OK;
}

/*
 * The COPY line an error names ("COPY flows, line 17[, column ...]"),
 * counted from 1, or 0. A data (22) or constraint (23) error is a row's.
 */
static size_t refused_line(PGresult *res)
{
	const char *state = PQresultErrorField(res, PG_DIAG_SQLSTATE);
	const char *ctx = PQresultErrorField(res, PG_DIAG_CONTEXT);
	const char *at = ctx ? strstr(ctx, "COPY flows, line ") : NULL;

	if (state == NULL || at == NULL || (strncmp(state, "22", 2) != 0 &&
	    strncmp(state, "23", 2) != 0))
		return 0;
	return (size_t)strtoull(at + strlen("COPY flows, line "), NULL, 10);
}

static enum load_rc end_copy(struct pg *p, size_t *refused_at, struct why *w)
{
	enum load_rc rc;

	pgcopy_trailer(&p->copy);
	if ((rc = send_copy(p, w)) != LOAD_OK)
		return rc;
	if (PQputCopyEnd(p->conn, NULL) != 1)
		return failed(p, NULL, "COPY end", w);
	PGresult *res = PQgetResult(p->conn);
	if (PQresultStatus(res) == PGRES_COMMAND_OK) {
		PQclear(res);
		while ((res = PQgetResult(p->conn)) != NULL)
			PQclear(res);
		return LOAD_OK;
	}
	size_t line = refused_line(res);
	rc = failed(p, res, "COPY", w);
	while ((res = PQgetResult(p->conn)) != NULL)
		PQclear(res);
	if (rc == LOAD_FATAL && line > 0) {
		*refused_at = line - 1;
		rc = LOAD_REFUSED;
	}
	return rc;
}

static enum load_rc params(struct pg *p, const char *sql, int n, const char *const *v,
    ExecStatusType want, struct why *w)
{
	PGresult *res = PQexecParams(p->conn, sql, n, NULL, v, NULL, NULL, 0);

	if (PQresultStatus(res) != want)
		return failed(p, res, sql, w);
	PQclear(res);
	return LOAD_OK;
}

static enum load_rc put_exporter(struct pg *p, const struct exporter_sum *e, struct why *w)
{
	char addr[FLOW_ADDR_STRLEN], first[24], last[24], n[24];
	const char *v[4] = { addr, first, last, n };

	flow_addr_format(&e->addr, addr);
	snprintf(first, sizeof first, "%llu", (unsigned long long)e->first_ms);
	snprintf(last, sizeof last, "%llu", (unsigned long long)e->last_ms);
	snprintf(n, sizeof n, "%llu", (unsigned long long)e->records);
	return params(p, exporter_sql, 4, v, PGRES_COMMAND_OK, w);
}

static enum load_rc put_batch(struct pg *p, const struct load_batch *b, struct why *w)
{
	char first[24], last[24], n[24];
	const char *v[4] = { b->id.source, first, last, n };

	snprintf(first, sizeof first, "%llu", (unsigned long long)b->id.first_line);
	snprintf(last, sizeof last, "%llu", (unsigned long long)b->id.last_line);
	snprintf(n, sizeof n, "%zu", b->rows);
	return params(p, batch_sql, 4, v, PGRES_COMMAND_OK, w);
}

static enum load_rc pg_commit(void *state, const struct load_batch *b, size_t *refused_at,
    struct why *w)
{
	struct pg *p = state;
	enum load_rc rc = end_copy(p, refused_at, w);

	for (size_t i = 0; i < b->nexporters && rc == LOAD_OK; i++)
		rc = put_exporter(p, &b->exporters[i], w);
	if (rc == LOAD_OK)
		rc = put_batch(p, b, w);
	if (rc == LOAD_OK)
		rc = exec(p, "COMMIT", PGRES_COMMAND_OK, w);
	if (rc != LOAD_OK && rc != LOAD_LOST) {
		struct why ignored;
		exec(p, "ROLLBACK", PGRES_COMMAND_OK, &ignored);
	}
	return rc;
}

static int pg_landed(void *state, const struct batch_id *id, struct why *w)
{
	struct pg *p = state;
	char first[24], last[24];
	const char *v[3] = { id->source, first, last };

	snprintf(first, sizeof first, "%llu", (unsigned long long)id->first_line);
	snprintf(last, sizeof last, "%llu", (unsigned long long)id->last_line);
	PGresult *res = PQexecParams(p->conn, landed_sql, 3, NULL, v, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK)
		return failed(p, res, "load_batches", w), -1;
	int n = PQntuples(res);
	PQclear(res);
	return n > 0;
}

const struct target_ops target_postgresql = {
	"PostgreSQL", pg_open, pg_begin, pg_add, pg_commit, pg_landed, pg_close,
};
#endif
