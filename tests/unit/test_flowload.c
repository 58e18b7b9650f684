/*
 * flow-load's pieces that need no database: the target URL parser, the
 * PostgreSQL binary encodings (numeric, inet, timestamptz: byte layouts
 * as PostgreSQL's numeric_send/inet_send/timestamp_send write them,
 * worked out by hand below), the schema comparison and the batch's
 * exporter sums.
 */
#include <string.h>

#include "../../cmd/flow-load/batch.h"
#include "../../cmd/flow-load/pgcopy.h"
#include "../../cmd/flow-load/schema.h"
#include "../../cmd/flow-load/targeturl.h"
#include "flow/flowaddr.h"
#include "tap.h"

static void test_url(void)
{
	struct target_url u;
	struct why w = { "" };

	OK(target_url_parse("bob:s3cret@db1:3307/flows?socket=/run/my.sock", &u, &w) == 0,
	    "full URL");
	IS_STR(u.user, "bob", "user");
	IS_STR(u.pass, "s3cret", "password");
	IS_STR(u.host, "db1", "host");
	IS_U(u.port, 3307, "port");
	IS_STR(u.db, "flows", "database");
	IS_STR(u.socket, "/run/my.sock", "socket");
	OK(target_url_parse("[::1]:8123/f", &u, &w) == 0, "bracketed IPv6 host");
	IS_STR(u.host, "::1", "IPv6 host without brackets");
	IS_U(u.port, 8123, "port after ]");
	OK(target_url_parse("h/db", &u, &w) == 0 && u.port == 0 && u.user[0] == '\0', "defaults");
	OK(target_url_parse("h:0/db", &u, &w) < 0 && strstr(w.text, "port") != NULL, "port 0");
	OK(target_url_parse("h:65536/db", &u, &w) < 0, "port too big");
	OK(target_url_parse("h:80x/db", &u, &w) < 0, "port with junk");
	OK(target_url_parse("h", &u, &w) < 0 && strstr(w.text, "/DATABASE") != NULL, "no database");
	OK(target_url_parse("h/", &u, &w) < 0, "empty database");
	OK(target_url_parse("/db", &u, &w) < 0 && strstr(w.text, "no host") != NULL, "no host");
	OK(target_url_parse("h/db?user=x", &u, &w) < 0, "unknown parameter");
	OK(target_url_parse("[::1/db", &u, &w) < 0, "unclosed bracket");
}

static void test_numeric(void)
{
	struct pgcopy c = { 0 };
	/* 2^64-1 = 1844 6744 0737 0955 1615 in base 10000: 5 digits, weight 4 */
	static const unsigned char max[] = { 0, 0, 0, 18, 0, 5, 0, 4, 0, 0, 0, 0,
		0x07, 0x34, 0x1a, 0x58, 0x02, 0xe1, 0x03, 0xbb, 0x06, 0x4f };
	static const unsigned char zero[] = { 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0 };
	static const unsigned char ten_k[] = { 0, 0, 0, 12, 0, 2, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0 };

	pgcopy_numeric_u64(&c, 18446744073709551615ull);
	OK(c.buf.len == sizeof max && memcmp(c.buf.data, max, sizeof max) == 0, "numeric 2^64-1");
	pgcopy_reset(&c);
	pgcopy_numeric_u64(&c, 0);
	OK(c.buf.len == sizeof zero && memcmp(c.buf.data, zero, sizeof zero) == 0,
	    "numeric 0: no digits");
	pgcopy_reset(&c);
	pgcopy_numeric_u64(&c, 10000);	/* digits 1, 0000: weight 1 */
	OK(c.buf.len == sizeof ten_k && memcmp(c.buf.data, ten_k, sizeof ten_k) == 0,
	    "numeric 10000");
	pgcopy_free(&c);
}

static void test_inet_time(void)
{
	struct pgcopy c = { 0 };
	struct flow_addr a;
	static const unsigned char v4[] = { 0, 0, 0, 8, 2, 32, 0, 4, 192, 0, 2, 1 };
	/* 2000-01-02 00:00:00.001 UTC: 86400001 ms after PostgreSQL's epoch, in us */
	static const unsigned char ts[] = { 0, 0, 0, 8, 0, 0, 0, 0x14, 0x1d, 0xd7, 0x63, 0xe8 };

	flow_addr_parse(&a, "192.0.2.1", 9);
	pgcopy_inet(&c, &a);
	OK(c.buf.len == sizeof v4 && memcmp(c.buf.data, v4, sizeof v4) == 0, "inet 192.0.2.1/32");
	pgcopy_reset(&c);
	flow_addr_parse(&a, "2001:db8::1", 11);
	pgcopy_inet(&c, &a);
	OK(c.buf.len == 24 && c.buf.data[4] == 3 && c.buf.data[5] == 128 && c.buf.data[7] == 16 &&
	    c.buf.data[8] == 0x20 && c.buf.data[23] == 1, "inet 2001:db8::1/128");
	pgcopy_reset(&c);
	pgcopy_timestamptz_ms(&c, 946684800000ull + 86400001ull);
	OK(c.buf.len == sizeof ts && memcmp(c.buf.data, ts, sizeof ts) == 0,
	    "timestamptz to the ms");
	pgcopy_free(&c);
}

static void test_schema(void)
{
	const char *want[] = { "a", "b", "c" };
	const char *same[] = { "c", "a", "b" }, *less[] = { "a", "c" };
	const char *extra[] = { "a", "b", "c", "vlan" };
	struct why w = { "" };

	OK(schema_compare("t", same, 3, want, 3, &w) == 0, "same columns in another order");
	OK(schema_compare("t", extra, 4, want, 3, &w) < 0 && strstr(w.text, "has vlan") != NULL,
	    "an extra column is named");
	OK(schema_compare("t", less, 2, want, 3, &w) < 0 && strstr(w.text, "lacks b") != NULL,
	    "a missing column is named");
}

static void test_exporters(void)
{
	struct batch b;
	struct flowrec r = { .unix_secs = 100, .sysuptime = 5000, .first = 4000, .last = 4500 };

	OK(batch_init(&b, 4) == 0, "batch");
	flow_addr_parse(&r.exaddr, "192.0.2.1", 9);
	batch_add(&b, &r, 2, false);
	r.unix_secs = 90;
	batch_add(&b, &r, 3, false);
	flow_addr_parse(&r.exaddr, "2001:db8::9", 11);
	batch_add(&b, &r, 4, false);
	b.rows[1].refused = true;
	OK(batch_sum_exporters(&b) == 0 && b.nex == 2, "two exporters");
	IS_U(b.ex[0].records, 1, "a refused row is not counted");
	IS_U(b.ex[0].first_ms, 100000, "first seen: export time");
	IS_U(b.rows[0].start_ms, 99000, "start = export - (sysuptime - first)");
	IS_U(b.rows[0].end_ms, 99500, "end = export - (sysuptime - last)");
	IS_U(batch_live_rows(&b), 2, "live rows");
	batch_free(&b);
}

int main(void)
{
	test_url();
	test_numeric();
	test_inet_time();
	test_schema();
	test_exporters();
	return tap_done();
}
