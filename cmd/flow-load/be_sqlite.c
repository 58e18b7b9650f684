/*
 * SQLite backend: WAL journal, one transaction per batch, one prepared
 * INSERT. Times are INTEGER ms since the epoch, addresses TEXT. SQLite
 * integers are signed 64-bit: a counter above 2^63-1 would turn negative,
 * so CHECK constraints make SQLite refuse that row instead.
 */
#ifdef HAVE_SQLITE
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "schema.h"
#include "target.h"

/* WAL: readers go on while a batch commits; NORMAL: fsync at checkpoints only */
static const char pragma_sql[] =
	"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-262144;";

static const char create_sql[] =
	"CREATE TABLE IF NOT EXISTS flows ("
	"start_time INTEGER NOT NULL, end_time INTEGER NOT NULL, exaddr TEXT NOT NULL, "
	"srcaddr TEXT NOT NULL, dstaddr TEXT NOT NULL, nexthop TEXT NOT NULL, "
	"srcport INTEGER NOT NULL, dstport INTEGER NOT NULL, prot INTEGER NOT NULL, "
	"tos INTEGER NOT NULL, tcp_flags INTEGER NOT NULL, src_mask INTEGER NOT NULL, "
	"dst_mask INTEGER NOT NULL, input INTEGER NOT NULL, output INTEGER NOT NULL, "
	"src_as INTEGER NOT NULL, dst_as INTEGER NOT NULL, engine_type INTEGER NOT NULL, "
	"engine_id INTEGER NOT NULL, dpkts INTEGER NOT NULL CHECK (dpkts >= 0), "
	"doctets INTEGER NOT NULL CHECK (doctets >= 0), "
	"rdpkts INTEGER NOT NULL CHECK (rdpkts >= 0), "
	"rdoctets INTEGER NOT NULL CHECK (rdoctets >= 0), rtcp_flags INTEGER NOT NULL, "
	"rstart_time INTEGER, rend_time INTEGER);\n"
	"CREATE TABLE IF NOT EXISTS exporters (exaddr TEXT PRIMARY KEY, "
	"first_seen INTEGER NOT NULL, last_seen INTEGER NOT NULL, records INTEGER NOT NULL);\n"
	"CREATE TABLE IF NOT EXISTS load_batches (source TEXT NOT NULL, "
	"first_line INTEGER NOT NULL, last_line INTEGER NOT NULL, records INTEGER NOT NULL, "
	"loaded_at INTEGER NOT NULL, PRIMARY KEY (source, first_line, last_line));\n";

/* after the check: an index on a column a foreign table lacks would fail first */
static const char index_sql[] =
	"CREATE INDEX IF NOT EXISTS flows_start_time ON flows (start_time);\n"
	"CREATE INDEX IF NOT EXISTS flows_srcaddr ON flows (srcaddr);\n"
	"CREATE INDEX IF NOT EXISTS flows_dstaddr ON flows (dstaddr);\n";

static const char insert_sql[] =
	"INSERT INTO flows VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
static const char exporter_sql[] =
	"INSERT INTO exporters VALUES (?1, ?2, ?3, ?4) ON CONFLICT (exaddr) DO UPDATE SET "
	"first_seen = min(first_seen, ?2), last_seen = max(last_seen, ?3), "
	"records = records + ?4";
static const char batch_sql[] =
	"INSERT INTO load_batches VALUES (?, ?, ?, ?, CAST(strftime('%s','now') AS INTEGER) * "
	    "1000)";
static const char landed_sql[] =
	"SELECT 1 FROM load_batches WHERE source = ? AND first_line = ? AND last_line = ?";


struct sq {
	sqlite3 *db;
	sqlite3_stmt *insert, *exporter, *batch, *landed;
};

static enum load_rc fail(struct sq *s, struct why *w, const char *what)
{
	why_set(w, "%s: %s", what, sqlite3_errmsg(s->db));
	return LOAD_FATAL;
}

/* The table's columns against the ones flow-load writes. */
static int check_table(void *ctx, const char *table, const char *const *want, size_t nwant,
    struct why *w)
{
	struct sq *s = ctx;
	char sql[96], *names[64];
	const char *have[64];
	size_t n = 0;
	sqlite3_stmt *st;
	int rc;

	snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", table);
	if (sqlite3_prepare_v2(s->db, sql, -1, &st, NULL) != SQLITE_OK)
		return why_set(w, "%s: %s", sql, sqlite3_errmsg(s->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && n < 64)
		names[n++] = strdup((const char *)sqlite3_column_text(st, 1));
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++)
		have[i] = names[i] ? names[i] : "";
	rc = schema_compare(table, have, n, want, nwant, w);
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return rc;
}

static void sq_close(void *state)
{
	struct sq *s = state;

	sqlite3_finalize(s->insert);
	sqlite3_finalize(s->exporter);
	sqlite3_finalize(s->batch);
	sqlite3_finalize(s->landed);
	sqlite3_close(s->db);
	free(s);
}

static enum load_rc sq_open(void **state, const char *spec, struct why *w)
{
	struct sq *s = calloc(1, sizeof *s);
	const char *path = spec + strlen("sqlite:");

	if (s == NULL)
		return why_set(w, "out of memory"), LOAD_FATAL;
	*state = s;
	if (sqlite3_open_v2(path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		enum load_rc rc = fail(s, w, path);
		return sq_close(s), rc;
	}
	sqlite3_busy_timeout(s->db, 10000);
	if (sqlite3_exec(s->db, pragma_sql, NULL, NULL, NULL) != SQLITE_OK ||
	    sqlite3_exec(s->db, create_sql, NULL, NULL, NULL) != SQLITE_OK) {
		enum load_rc rc = fail(s, w, path);
		return sq_close(s), rc;
	}
	if (schema_check_tables(check_table, s, w) != 0)
		return sq_close(s), LOAD_FATAL;
	if (sqlite3_exec(s->db, index_sql, NULL, NULL, NULL) != SQLITE_OK) {
		enum load_rc rc = fail(s, w, "CREATE INDEX");
		return sq_close(s), rc;
	}
	if (sqlite3_prepare_v2(s->db, insert_sql, -1, &s->insert, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, exporter_sql, -1, &s->exporter, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, batch_sql, -1, &s->batch, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(s->db, landed_sql, -1, &s->landed, NULL) != SQLITE_OK) {
		enum load_rc rc = fail(s, w, "prepare");
		return sq_close(s), rc;
	}
	return LOAD_OK;
}

static enum load_rc sq_begin(void *state, const struct load_batch *b, struct why *w)
{
	struct sq *s = state;

	(void)b;
	if (sqlite3_exec(s->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
		return fail(s, w, "BEGIN");
	return LOAD_OK;
}

static void bind_addr(sqlite3_stmt *st, int i, const struct flow_addr *a)
{
	char buf[FLOW_ADDR_STRLEN];
	size_t n = flow_addr_format(a, buf);

	sqlite3_bind_text(st, i, buf, (int)n, SQLITE_TRANSIENT);
}

/* A u64 as SQLite's signed integer: above 2^63-1 it turns negative, which the CHECKs refuse. */
static void bind_u64(sqlite3_stmt *st, int i, uint64_t v)
{
	sqlite3_bind_int64(st, i, (sqlite3_int64)v);
}

static void bind_row(sqlite3_stmt *st, const struct load_row *row)
{
	const struct flowrec *r = &row->rec;

	bind_u64(st, 1 + COL_START_TIME, row->start_ms);
	bind_u64(st, 1 + COL_END_TIME, row->end_ms);
	bind_addr(st, 1 + COL_EXADDR, &r->exaddr);
	bind_addr(st, 1 + COL_SRCADDR, &r->srcaddr);
	bind_addr(st, 1 + COL_DSTADDR, &r->dstaddr);
	bind_addr(st, 1 + COL_NEXTHOP, &r->nexthop);
	sqlite3_bind_int(st, 1 + COL_SRCPORT, r->srcport);
	sqlite3_bind_int(st, 1 + COL_DSTPORT, r->dstport);
	sqlite3_bind_int(st, 1 + COL_PROT, r->prot);
	sqlite3_bind_int(st, 1 + COL_TOS, r->tos);
	sqlite3_bind_int(st, 1 + COL_TCP_FLAGS, r->tcp_flags);
	sqlite3_bind_int(st, 1 + COL_SRC_MASK, r->src_mask);
	sqlite3_bind_int(st, 1 + COL_DST_MASK, r->dst_mask);
	bind_u64(st, 1 + COL_INPUT, r->input);
	bind_u64(st, 1 + COL_OUTPUT, r->output);
	bind_u64(st, 1 + COL_SRC_AS, r->src_as);
	bind_u64(st, 1 + COL_DST_AS, r->dst_as);
	sqlite3_bind_int(st, 1 + COL_ENGINE_TYPE, r->engine_type);
	sqlite3_bind_int(st, 1 + COL_ENGINE_ID, r->engine_id);
	bind_u64(st, 1 + COL_DPKTS, r->dpkts);
	bind_u64(st, 1 + COL_DOCTETS, r->doctets);
	bind_u64(st, 1 + COL_RDPKTS, r->rdpkts);
	bind_u64(st, 1 + COL_RDOCTETS, r->rdoctets);
	sqlite3_bind_int(st, 1 + COL_RTCP_FLAGS, r->rtcp_flags);
	if (row->has_reverse) {
		bind_u64(st, 1 + COL_RSTART_TIME, row->rstart_ms);
		bind_u64(st, 1 + COL_REND_TIME, row->rend_ms);
	} else {
		sqlite3_bind_null(st, 1 + COL_RSTART_TIME);
		sqlite3_bind_null(st, 1 + COL_REND_TIME);
	}
}

/* Steps a bound statement once; a constraint is the row's fault, the rest fatal. */
static enum load_rc step(struct sq *s, sqlite3_stmt *st, struct why *w)
{
	int rc = sqlite3_step(st);

	sqlite3_reset(st);
	if (rc == SQLITE_DONE)
		return LOAD_OK;
	why_set(w, "%s", sqlite3_errmsg(s->db));
	return (rc & 0xff) == SQLITE_CONSTRAINT || rc == SQLITE_MISMATCH ? LOAD_REFUSED :
	    LOAD_FATAL;
}

static enum load_rc sq_add(void *state, const struct load_row *row, struct why *w)
{
	struct sq *s = state;

	bind_row(s->insert, row);
	return step(s, s->insert, w);
}

static enum load_rc sq_commit(void *state, const struct load_batch *b, size_t *refused_at,
    struct why *w)
{
	struct sq *s = state;
	enum load_rc rc = LOAD_OK;

	*refused_at = 0;
	for (size_t i = 0; i < b->nexporters && rc == LOAD_OK; i++) {
		const struct exporter_sum *e = &b->exporters[i];
		bind_addr(s->exporter, 1, &e->addr);
		bind_u64(s->exporter, 2, e->first_ms);
		bind_u64(s->exporter, 3, e->last_ms);
		bind_u64(s->exporter, 4, e->records);
		rc = step(s, s->exporter, w);
	}
	if (rc == LOAD_OK) {
		sqlite3_bind_text(s->batch, 1, b->id.source, -1, SQLITE_STATIC);
		bind_u64(s->batch, 2, b->id.first_line);
		bind_u64(s->batch, 3, b->id.last_line);
		bind_u64(s->batch, 4, b->rows);
		rc = step(s, s->batch, w);
	}
	if (rc == LOAD_OK && sqlite3_exec(s->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
		rc = fail(s, w, "COMMIT");
	if (rc != LOAD_OK) {
		sqlite3_exec(s->db, "ROLLBACK", NULL, NULL, NULL);
		rc = LOAD_FATAL;	/* not a row's fault: nothing to drop and retry */
	}
	return rc;
}

static int sq_landed(void *state, const struct batch_id *id, struct why *w)
{
	struct sq *s = state;
	int rc;

	sqlite3_bind_text(s->landed, 1, id->source, -1, SQLITE_STATIC);
	bind_u64(s->landed, 2, id->first_line);
	bind_u64(s->landed, 3, id->last_line);
	rc = sqlite3_step(s->landed);
	sqlite3_reset(s->landed);
	if (rc == SQLITE_ROW)
		return 1;
	if (rc == SQLITE_DONE)
		return 0;
	return why_set(w, "load_batches: %s", sqlite3_errmsg(s->db));
}

const struct target_ops target_sqlite = {
	"SQLite", sq_open, sq_begin, sq_add, sq_commit, sq_landed, sq_close,
};
#endif
