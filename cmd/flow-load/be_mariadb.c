/*
 * MySQL/MariaDB backend (Debian's libmariadb): per batch one InnoDB
 * transaction holding a LOAD DATA LOCAL INFILE of the rows, fed from
 * memory by a local-infile handler (no file is written), the exporters
 * upsert and the load_batches row. Times are DATETIME(3) in UTC,
 * addresses their text, counters BIGINT UNSIGNED (the whole 64-bit
 * range). LOAD DATA skips a row a CHECK constraint refuses with only a
 * warning that names no row: when fewer rows went in than were sent, the
 * batch is rolled back and the first refused row found by bisection over
 * prefixes of the batch (each tried and rolled back), then dropped.
 */
#ifdef HAVE_MARIADB
#include <errmsg.h>
#include <mysql.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bytebuf.h"
#include "flow/flowaddr.h"
#include "schema.h"
#include "target.h"
#include "targeturl.h"

#define ER_SERVER_SHUTDOWN_ 1053
#define ER_CONNECTION_KILLED_ 1927
#define ER_LOCK_WAIT_TIMEOUT_ 1205
#define ER_LOCK_DEADLOCK_ 1213

static const char *const create_sql[] = {
	"SET SESSION time_zone = '+00:00', SESSION sql_mode = 'STRICT_ALL_TABLES'",
	"CREATE TABLE IF NOT EXISTS flows (start_time DATETIME(3) NOT NULL, "
	"end_time DATETIME(3) NOT NULL, exaddr VARCHAR(45) NOT NULL, srcaddr VARCHAR(45) NOT NULL, "
	"dstaddr VARCHAR(45) NOT NULL, nexthop VARCHAR(45) NOT NULL, "
	"srcport SMALLINT UNSIGNED NOT NULL, dstport SMALLINT UNSIGNED NOT NULL, "
	"prot TINYINT UNSIGNED NOT NULL, tos TINYINT UNSIGNED NOT NULL, "
	"tcp_flags TINYINT UNSIGNED NOT NULL, src_mask TINYINT UNSIGNED NOT NULL, "
	"dst_mask TINYINT UNSIGNED NOT NULL, input INT UNSIGNED NOT NULL, "
	"output INT UNSIGNED NOT NULL, src_as INT UNSIGNED NOT NULL, dst_as INT UNSIGNED NOT NULL, "
	"engine_type TINYINT UNSIGNED NOT NULL, engine_id TINYINT UNSIGNED NOT NULL, "
	"dpkts BIGINT UNSIGNED NOT NULL, doctets BIGINT UNSIGNED NOT NULL, "
	"rdpkts BIGINT UNSIGNED NOT NULL, rdoctets BIGINT UNSIGNED NOT NULL, "
	"rtcp_flags TINYINT UNSIGNED NOT NULL, rstart_time DATETIME(3), rend_time DATETIME(3)) "
	"ENGINE = InnoDB",
	"CREATE TABLE IF NOT EXISTS exporters (exaddr VARCHAR(45) PRIMARY KEY, "
	"first_seen DATETIME(3) NOT NULL, last_seen DATETIME(3) NOT NULL, "
	"records BIGINT UNSIGNED NOT NULL) ENGINE = InnoDB",
	"CREATE TABLE IF NOT EXISTS load_batches (source VARCHAR(512) NOT NULL, "
	"first_line BIGINT UNSIGNED NOT NULL, last_line BIGINT UNSIGNED NOT NULL, "
	"records BIGINT UNSIGNED NOT NULL, loaded_at DATETIME(3) NOT NULL DEFAULT "
	"CURRENT_TIMESTAMP(3), PRIMARY KEY (source, first_line, last_line)) ENGINE = InnoDB",
};
/* after the check: an index on a column a foreign table lacks would fail first */
static const char *const index_sql[] = {
	"CREATE INDEX IF NOT EXISTS flows_start_time ON flows (start_time)",
	"CREATE INDEX IF NOT EXISTS flows_srcaddr ON flows (srcaddr)",
	"CREATE INDEX IF NOT EXISTS flows_dstaddr ON flows (dstaddr)",
};


struct my {
	MYSQL *db;
	struct bytebuf buf;	/* the batch as tab-separated lines */
	size_t sent, end;	/* the infile serves buf.data[sent, end) */
};

/*
 * Worth a reconnect and a retry: every client-side error (2000-2999: the
 * connection is gone, the socket is not there yet), a server shutting
 * down or killing us, and a lock timeout or deadlock.
 */
static bool conn_lost(unsigned e)
{
	return (e >= 2000 && e < 3000) || e == ER_SERVER_SHUTDOWN_ || e == ER_CONNECTION_KILLED_ ||
	    e == ER_LOCK_WAIT_TIMEOUT_ || e == ER_LOCK_DEADLOCK_;
}

static enum load_rc failed(struct my *m, const char *what, struct why *w)
{
	why_set(w, "%s: %s", what, mysql_error(m->db));
	return conn_lost(mysql_errno(m->db)) ? LOAD_LOST : LOAD_FATAL;
}

static enum load_rc query(struct my *m, const char *sql, struct why *w)
{
	if (mysql_query(m->db, sql) != 0)
		return failed(m, sql, w);
	MYSQL_RES *res = mysql_store_result(m->db);
	mysql_free_result(res);
	return LOAD_OK;
}

static int check_table(void *ctx, const char *table, const char *const *want, size_t nwant,
    struct why *w)
{
	struct my *m = ctx;
	char sql[256];
	const char *have[64];
	size_t n = 0;

	snprintf(sql, sizeof sql, "SELECT column_name FROM information_schema.columns "
	    "WHERE table_schema = DATABASE() AND table_name = '%s'", table);
	if (mysql_query(m->db, sql) != 0)
		return failed(m, "information_schema.columns", w);
	MYSQL_RES *res = mysql_store_result(m->db);
	MYSQL_ROW row;
	while (res != NULL && (row = mysql_fetch_row(res)) != NULL && n < 64)
		have[n++] = row[0] ? row[0] : "";
	int rc = schema_compare(table, have, n, want, nwant, w);
	mysql_free_result(res);
	return rc < 0 ? LOAD_FATAL : LOAD_OK;
}

/* ---- the batch, handed to the server as the LOCAL INFILE ---- */

static int infile_init(void **ptr, const char *name, void *arg)
{
	struct my *m = arg;

	(void)name;
	*ptr = m;
	return 0;
}

static int infile_read(void *ptr, char *buf, unsigned int len)
{
	struct my *m = ptr;
	size_t n = m->end - m->sent < len ? m->end - m->sent : len;

	memcpy(buf, m->buf.data + m->sent, n);
	m->sent += n;
	return (int)n;
}

static void infile_end(void *ptr)
{
	(void)ptr;
}

static int infile_error(void *ptr, char *msg, unsigned int len)
{
	(void)ptr;
	snprintf(msg, len, "flow-load: batch buffer");
	return CR_UNKNOWN_ERROR;
}

static void my_close(void *state)
{
	struct my *m = state;

	mysql_close(m->db);
	bytebuf_free(&m->buf);
	free(m);
}

/* LOAD_OK, LOAD_FATAL (bad URL, refused login) or LOAD_LOST (server away) */
static enum load_rc connect_url(struct my *m, const char *spec, struct why *w)
{
	struct target_url u;
	unsigned int on = 1;

	if (target_url_parse(spec + strlen("mysql://"), &u, w) < 0)
		return LOAD_FATAL;
	mysql_options(m->db, MYSQL_OPT_LOCAL_INFILE, &on);
	if (mysql_real_connect(m->db, u.host, u.user[0] ? u.user : NULL, u.pass[0] ? u.pass : NULL,
	    u.db, u.port, u.socket[0] ? u.socket : NULL, 0) == NULL)
		return failed(m, "connect", w);
	mysql_set_local_infile_handler(m->db, infile_init, infile_read, infile_end,
	    infile_error, m);
	return LOAD_OK;
}

static enum load_rc my_open(void **state, const char *spec, struct why *w)
{
	struct my *m = calloc(1, sizeof *m);
	enum load_rc rc;

	if (m == NULL || (m->db = mysql_init(NULL)) == NULL) {
		free(m);
		return why_set(w, "out of memory"), LOAD_FATAL;
	}
	rc = connect_url(m, spec, w);
	for (size_t i = 0; i < sizeof create_sql / sizeof create_sql[0] && rc == LOAD_OK; i++)
		rc = query(m, create_sql[i], w);
	if (rc == LOAD_OK)
		rc = (enum load_rc)schema_check_tables(check_table, m, w);
	for (size_t i = 0; i < sizeof index_sql / sizeof index_sql[0] && rc == LOAD_OK; i++)
		rc = query(m, index_sql[i], w);
	if (rc != LOAD_OK)
		my_close(m);
	else
		*state = m;
	return rc;
}

static enum load_rc my_begin(void *state, const struct load_batch *b, struct why *w)
{
	struct my *m = state;

	(void)b;
	bytebuf_reset(&m->buf);
	return query(m, "START TRANSACTION", w);
}

/*
 * Appends the text. A text longer than the first guess is formatted again
 * with room for it: a cut field would shift every column after it.
 */
static void put_text(struct my *m, const char *fmt, ...) DIAG_PRINTF(2, 3);
static void put_text(struct my *m, const char *fmt, ...)
{
	size_t room = 64;
	va_list ap;

	for (;;) {
		char *p = (char *)bytebuf_reserve(&m->buf, room);
		if (p == NULL)
			return;
		va_start(ap, fmt);
		int n = vsnprintf(p, room, fmt, ap);
		va_end(ap);
		if (n < 0) {
			m->buf.oom = true;	/* not with these formats: fail the row, never cut it */
			return;
		}
		if ((size_t)n < room) {
			m->buf.len += (size_t)n;
			return;
		}
		room = (size_t)n + 1;
	}
}

/* DATETIME(3) text in UTC: 2026-12-01 19:47:36.368 */
static void put_time(struct my *m, uint64_t ms)
{
	time_t s = (time_t)(ms / 1000);
	struct tm tm;

	gmtime_r(&s, &tm);
	put_text(m, "%04d-%02d-%02d %02d:%02d:%02d.%03u\t", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, (unsigned)(ms % 1000));
}

static void put_addr(struct my *m, const struct flow_addr *a)
{
	char text[FLOW_ADDR_STRLEN];

	flow_addr_format(a, text);
	put_text(m, "%s\t", text);
}

static enum load_rc my_add(void *state, const struct load_row *row, struct why *w)
{
	struct my *m = state;
	const struct flowrec *r = &row->rec;

	put_time(m, row->start_ms);
	put_time(m, row->end_ms);
	put_addr(m, &r->exaddr);
	put_addr(m, &r->srcaddr);
	put_addr(m, &r->dstaddr);
	put_addr(m, &r->nexthop);
	put_text(m, "%u\t%u\t%u\t%u\t%u\t%u\t%u\t", r->srcport, r->dstport, r->prot, r->tos,
	    r->tcp_flags, r->src_mask, r->dst_mask);
	put_text(m, "%u\t%u\t%u\t%u\t%u\t%u\t", r->input, r->output, r->src_as, r->dst_as,
	    r->engine_type, r->engine_id);
	put_text(m, "%llu\t%llu\t", (unsigned long long)r->dpkts, (unsigned long long)r->doctets);
	put_text(m, "%llu\t%llu\t%u\t", (unsigned long long)r->rdpkts,
	    (unsigned long long)r->rdoctets, r->rtcp_flags);
	if (row->has_reverse) {
		put_time(m, row->rstart_ms);
		put_time(m, row->rend_ms);
	} else {
		put_text(m, "\\N\t\\N\t");
	}
	if (m->buf.oom)
		return why_set(w, "out of memory"), LOAD_FATAL;
	m->buf.data[m->buf.len - 1] = '\n';
	return LOAD_OK;
}

/* "... at row N" in the server's message: the refused row, from 1; or 0 */
static size_t refused_row(struct my *m)
{
	const char *at = strstr(mysql_error(m->db), " at row ");

	return at ? (size_t)strtoull(at + strlen(" at row "), NULL, 10) : 0;
}

/* Loads the first `rows` lines of the batch; the rows that went in, or -1. */
static long long load_prefix(struct my *m, size_t rows)
{
	size_t end = 0;

	for (size_t i = 0; i < rows && end < m->buf.len; i++)
		end = (size_t)((unsigned char *)memchr(m->buf.data + end, '\n', m->buf.len - end) -
		    m->buf.data) + 1;
	m->sent = 0;
	m->end = end;
	if (mysql_query(m->db, "LOAD DATA LOCAL INFILE 'batch' INTO TABLE flows "
	    "FIELDS TERMINATED BY '\\t' LINES TERMINATED BY '\\n'") != 0)
		return -1;
	return (long long)mysql_affected_rows(m->db);
}

/* The server's first warning, for the message about a skipped row. */
static void first_warning(struct my *m, struct why *w)
{
	MYSQL_RES *res = mysql_query(m->db, "SHOW WARNINGS") == 0 ? mysql_store_result(m->db) :
	    NULL;
	MYSQL_ROW row = res ? mysql_fetch_row(res) : NULL;

	why_set(w, "LOAD DATA skipped it: %s", row && row[2] ? row[2] : "(no warning)");
	mysql_free_result(res);
}

/*
 * Fewer rows went in than were sent: the first prefix that comes up
 * short ends with the first refused row. Each try is rolled back.
 */
static enum load_rc find_refused(struct my *m, size_t rows, size_t *refused_at, struct why *w)
{
	size_t lo = 0, hi = rows;	/* prefix lo loads whole, prefix hi does not */
	enum load_rc rc = LOAD_OK;

	while (hi - lo > 1 && rc == LOAD_OK) {
		size_t mid = lo + (hi - lo) / 2;
		long long got;
		if ((rc = query(m, "START TRANSACTION", w)) != LOAD_OK)
			break;
		got = load_prefix(m, mid);
		if (got < 0)
			rc = failed(m, "LOAD DATA", w);
		else if ((rc = query(m, "ROLLBACK", w)) == LOAD_OK)
			*(got < (long long)mid ? &hi : &lo) = mid;
	}
	*refused_at = hi - 1;
	return rc == LOAD_OK ? LOAD_REFUSED : rc;
}

static enum load_rc load_rows(struct my *m, size_t rows, size_t *refused_at, struct why *w)
{
	long long got = load_prefix(m, rows);

	if (got < 0) {
		size_t row = refused_row(m);
		enum load_rc rc = failed(m, "LOAD DATA", w);
		if (rc == LOAD_FATAL && row > 0) {
			*refused_at = row - 1;
			rc = LOAD_REFUSED;
		}
		return rc;
	}
	if (got >= (long long)rows)
		return LOAD_OK;
	struct why warning;
	first_warning(m, &warning);
	enum load_rc rc = query(m, "ROLLBACK", w);
	if (rc == LOAD_OK)
		rc = find_refused(m, rows, refused_at, w);
	if (rc == LOAD_REFUSED)
		*w = warning;
	return rc;
}

static enum load_rc put_exporter(struct my *m, const struct exporter_sum *e, struct why *w)
{
	char addr[FLOW_ADDR_STRLEN], sql[512];

	flow_addr_format(&e->addr, addr);
	snprintf(sql, sizeof sql, "INSERT INTO exporters VALUES ('%s', FROM_UNIXTIME(%llu / 1000), "
	    "FROM_UNIXTIME(%llu / 1000), %llu) ON DUPLICATE KEY UPDATE "
	    "first_seen = LEAST(first_seen, VALUES(first_seen)), "
	    "last_seen = GREATEST(last_seen, VALUES(last_seen)), "
	    "records = records + VALUES(records)", addr, (unsigned long long)e->first_ms,
	    (unsigned long long)e->last_ms, (unsigned long long)e->records);
	return query(m, sql, w);
}

static enum load_rc put_batch(struct my *m, const struct load_batch *b, struct why *w)
{
	size_t n = strlen(b->id.source);
	char *src = malloc(2 * n + 1), sql[2400];

	if (src == NULL || n > 512) {
		free(src);
		return why_set(w, "batch source longer than 512 bytes"), LOAD_FATAL;
	}
	mysql_real_escape_string(m->db, src, b->id.source, (unsigned long)n);
	snprintf(sql, sizeof sql, "INSERT INTO load_batches (source, first_line, last_line, "
	    "records) VALUES ('%s', %llu, %llu, %zu)", src, (unsigned long long)b->id.first_line,
	    (unsigned long long)b->id.last_line, b->rows);
	free(src);
	return query(m, sql, w);
}

static enum load_rc my_commit(void *state, const struct load_batch *b, size_t *refused_at,
    struct why *w)
{
	struct my *m = state;
	enum load_rc rc = LOAD_OK;

	if (b->rows > 0)
		rc = load_rows(m, b->rows, refused_at, w);
	for (size_t i = 0; i < b->nexporters && rc == LOAD_OK; i++)
		rc = put_exporter(m, &b->exporters[i], w);
	if (rc == LOAD_OK)
		rc = put_batch(m, b, w);
	if (rc == LOAD_OK)
		rc = query(m, "COMMIT", w);
	if (rc == LOAD_FATAL) {
		struct why ignored;
		query(m, "ROLLBACK", &ignored);
	}
	return rc;
}

static int my_landed(void *state, const struct batch_id *id, struct why *w)
{
	struct my *m = state;
	size_t n = strlen(id->source);
	char *src = malloc(2 * n + 1), sql[2400];

	if (src == NULL)
		return why_set(w, "out of memory");
	mysql_real_escape_string(m->db, src, id->source, (unsigned long)n);
	snprintf(sql, sizeof sql, "SELECT 1 FROM load_batches WHERE source = '%s' AND "
	    "first_line = %llu AND last_line = %llu", src, (unsigned long long)id->first_line,
	    (unsigned long long)id->last_line);
	free(src);
	if (mysql_query(m->db, sql) != 0)
		return failed(m, "load_batches", w), -1;
	MYSQL_RES *res = mysql_store_result(m->db);
	int found = res != NULL && mysql_num_rows(res) > 0;
	mysql_free_result(res);
	return found;
}

const struct target_ops target_mariadb = {
	"MariaDB", my_open, my_begin, my_add, my_commit, my_landed, my_close,
};
#endif
