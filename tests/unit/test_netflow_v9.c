/*
 * NetFlow v9 codec: every record field through encoder and decoder for
 * IPv4 and IPv6, template refresh, templates kept per exporter and
 * source id in a bounded cache, hostile datagrams, and public datagrams
 * of softflowd, Cisco ASR 9000, H3C and Palo Alto (values checked by
 * hand against the hex dumps).
 */
#include <unistd.h>

#include "base/bytecursor.h"
#include "netflow/netflow_v9.h"
#include "netflow_testaid.h"
#include "tap.h"

static struct nft_enc_options opts = { .refresh_packets = 3 };

static int decode_from(struct nft_cache *cache, const uint8_t *p, size_t len, const char *exporter,
    uint16_t port,
    struct collect *c, struct nf_result *res)
{
	struct flow_addr ex;

	addr_text(&ex, exporter);
	nf_result_clear(res);
	return nf9_decode(cache, p, len, &ex, port, collect_fn, c, res);
}

static int decode(struct nft_cache *cache, const uint8_t *p, size_t len, const char *exporter,
    struct collect *c, struct nf_result *res)
{
	return decode_from(cache, p, len, exporter, 0, c, res);
}

static void test_round_trip(void)
{
	static struct dgrams d;
	static struct collect c;
	struct nft_cache cache;
	struct nft_encoder e;
	struct flowrec in[6];
	struct nf_result res;
	bool ok = true;

	nft_cache_init(&cache, 0);
	for (unsigned i = 0; i < 6; i++) {
		in[i] = sample(i, i >= 3);
		flow_set_clock(&in[i], 1700000000000ull, 3600000);
	}
	nf9_encoder_init(&e, &opts, dgrams_fn, &d);
	for (unsigned i = 0; i < 6; i++)
		nft_encoder_add(&e, &in[i]);
	nft_encoder_flush(&e);
	IS_U(d.n, 1, "v9: IPv4 and IPv6 records share one datagram");
	IS_U(decode(&cache, d.buf[0], d.len[0], "127.0.0.1", &c, &res), 6, "v9: 6 records back");
	IS_U(res.templates, 2, "v9: the first datagram carries both templates");
	for (unsigned i = 0; i < c.n && i < 6; i++)
		ok = same_record(&c.rec[i], &in[i], true) && ok;
	OK(ok, "v9: every field of every record round-trips exactly (one export moment)");

	/* records of different export moments */
	memset(&d, 0, sizeof d);
	memset(&c, 0, sizeof c);
	nf9_encoder_init(&e, &opts, dgrams_fn, &d);
	for (unsigned i = 0; i < 6; i++) {
		in[i] = sample(i, i % 2);
		nft_encoder_add(&e, &in[i]);
	}
	nft_encoder_flush(&e);
	decode(&cache, d.buf[0], d.len[0], "127.0.0.1", &c, &res);
	ok = c.n == 6;
	for (unsigned i = 0; i < c.n && i < 6; i++) {
		/* IPv4 set, then IPv6 set */
		static const unsigned order[6] = { 0, 2, 4, 1, 3, 5 };

		ok = same_record(&c.rec[i], &in[order[i]], false) && ok;
	}
	OK(ok, "v9: absolute first/last survive the rebased header clock");
	nft_cache_free(&cache);
}

static void test_templates(void)
{
	static struct dgrams d;
	static struct collect c;
	struct nft_cache cache, small;
	struct nft_encoder e;
	struct flowrec r = sample(0, false);
	struct nf_result res;
	unsigned with = 0;
	struct bytecursor bc;

	nf9_encoder_init(&e, &opts, dgrams_fn, &d);
	for (unsigned i = 0; i < 7; i++) {
		nft_encoder_add(&e, &r);
		nft_encoder_flush(&e);
	}
	for (unsigned i = 0; i < d.n; i++) {
		bc = bc_make(d.buf[i], d.len[i]);
		bc_skip(&bc, 20);
		with += bc_u16(&bc) == 0;	/* first flowset is the template flowset */
	}
	IS_U(with, 3, "v9 -t 3: templates in datagrams 1, 4 and 7");
	bc = bc_make(d.buf[5], d.len[5]);
	bc_skip(&bc, 12);
	IS_U(bc_u32(&bc), 5, "v9: sequence counts datagrams");

	nft_cache_init(&cache, 0);
	IS_U(decode(&cache, d.buf[1], d.len[1], "127.0.0.1", &c, &res), 0,
	    "v9: data before its template: no records");
	OK(res.no_template == 1 && res.missing_template == 256 && res.errors == 0,
	    "v9: ... counted as a set without template, not as an error");
	decode(&cache, d.buf[0], d.len[0], "127.0.0.1", &c, &res);
	IS_U(decode(&cache, d.buf[1], d.len[1], "127.0.0.1", &c, &res), 1,
	    "v9: after it, the record decodes");
	IS_U(decode(&cache, d.buf[1], d.len[1], "127.0.0.2", &c, &res), 0,
	    "v9: another exporter does not share templates");
	d.buf[1][19] = 7;	/* source id 7 */
	IS_U(decode(&cache, d.buf[1], d.len[1], "127.0.0.1", &c, &res), 0,
	    "v9: nor does another source id");
	d.buf[1][19] = 0;
	IS_U(decode_from(&cache, d.buf[1], d.len[1], "127.0.0.1", 2055, &c, &res), 0,
	    "v9: nor another UDP port of the same host (another exporter)");
	decode_from(&cache, d.buf[0], d.len[0], "127.0.0.1", 2055, &c, &res);
	IS_U(decode_from(&cache, d.buf[1], d.len[1], "127.0.0.1", 2055, &c, &res), 1,
	    "v9: ... until it sends its own");
	nft_cache_free(&cache);

	{
		/* -T 1 alone: templates first, not again at once, again after a second */
		struct nft_enc_options timed = { .refresh_secs = 1 };
		static struct dgrams t;
		unsigned carried[3];

		nf9_encoder_init(&e, &timed, dgrams_fn, &t);
		for (unsigned i = 0; i < 3; i++) {
			if (i == 2)
				usleep(1100000);
			nft_encoder_add(&e, &r);
			nft_encoder_flush(&e);
			bc = bc_make(t.buf[i], t.len[i]);
			bc_skip(&bc, 20);
			carried[i] = bc_u16(&bc) == 0;
		}
		OK(carried[0] && !carried[1] && carried[2],
		    "v9 -T 1: templates at start and again after a second");
	}

	nft_cache_init(&small, 2);
	decode(&small, d.buf[0], d.len[0], "127.0.0.1", &c, &res);
	decode(&small, d.buf[0], d.len[0], "127.0.0.2", &c, &res);
	OK(small.evicted == 2 && small.tab.count == 2,
	    "v9: the cache holds at most its limit (evicted %lu)", small.evicted);
	nft_cache_free(&small);
}

static void expect_error(const uint8_t *p, size_t len, const char *what, const char *needle)
{
	struct nft_cache cache;
	struct collect c = { .n = 0 };
	struct nf_result res;
	int rc;

	nft_cache_init(&cache, 0);
	rc = decode(&cache, p, len, "127.0.0.1", &c, &res);
	OK(rc == -1 && strstr(res.err, needle) != NULL, "v9 rejects %s: %s (byte %zu)", what,
	    res.err, res.err_at);
	nft_cache_free(&cache);
}

/* header + one flowset of the given id and body */
static size_t build(uint8_t *buf, uint16_t id, const uint8_t *body, size_t n)
{
	struct bytewriter w = bw_make(buf, 2048);

	bw_u16(&w, 9);
	bw_u16(&w, 1);
	bw_u32(&w, 1000);
	bw_u32(&w, 1700000000);
	bw_u32(&w, 0);
	bw_u32(&w, 0);
	bw_u16(&w, id);
	bw_u16(&w, (uint16_t)(4 + n));
	bw_bytes(&w, body, n);
	return w.pos;
}

static void test_hostile(void)
{
	static struct dgrams d;
	struct nft_encoder e;
	struct flowrec r = sample(0, false);
	uint8_t buf[2048];
	size_t len;
	unsigned clean = 0;
	static const uint8_t low_id[] = { 0, 200, 0, 1, 0, 8, 0, 4 };
	static const uint8_t zero_len[] = { 1, 0, 0, 2, 0, 8, 0, 0, 0, 12, 0, 0 };
	static const uint8_t past_end[] = { 1, 0, 0, 9, 0, 8, 0, 4 };
	static const uint8_t odd_scope[] = { 1, 0, 0, 3, 0, 4, 0, 1, 0, 8, 0, 4 };

	expect_error(buf, 10, "a short header", "shorter than its 20-byte header");
	len = build(buf, 0, low_id, sizeof low_id);
	expect_error(buf, len, "template id 200", "template id 200 is below 256");
	len = build(buf, 0, zero_len, sizeof zero_len);
	expect_error(buf, len, "a template of 0-byte records", "0 bytes long");
	len = build(buf, 0, past_end, sizeof past_end);
	expect_error(buf, len, "fields past the flowset", "9 fields run past the end");
	len = build(buf, 1, odd_scope, sizeof odd_scope);
	expect_error(buf, len, "an options scope length of 3", "not a multiple of 4");
	len = build(buf, 0, low_id, sizeof low_id);
	buf[22] = 0;
	buf[23] = 2;
	expect_error(buf, len, "a flowset length of 2", "length 2");
	buf[23] = 200;
	expect_error(buf, len, "a flowset longer than the datagram",
	    "length 200, but 12 bytes are left");
	buf[1] = 5;
	expect_error(buf, len, "version 5", "version 5, not 9");

	nf9_encoder_init(&e, &opts, dgrams_fn, &d);
	for (unsigned i = 0; i < 5; i++)
		nft_encoder_add(&e, &r);
	nft_encoder_flush(&e);
	for (size_t n = 0; n < d.len[0]; n++) {
		struct nft_cache cache;
		struct collect c = { .n = 0 };
		struct nf_result res;

		nft_cache_init(&cache, 0);
		decode(&cache, d.buf[0], n, "127.0.0.1", &c, &res);
		clean += c.n < 5;
		nft_cache_free(&cache);
	}
	IS_U(clean, d.len[0], "v9: no truncation of a datagram yields all its records");
}

static void feed(struct nft_cache *cache, const char *name, struct collect *c,
    struct nf_result *res)
{
	size_t len;
	uint8_t *f = fixture(name, &len);

	decode(cache, f, len, "192.0.2.1", c, res);
	free(f);
}

static void test_public(void)
{
	static struct collect c;
	struct nft_cache cache;
	struct nf_result res;
	char s[FLOW_ADDR_STRLEN];

	nft_cache_init(&cache, 0);
	feed(&cache, "netflow9_test_softflowd_tpl_data.dat", &c, &res);
	OK(c.n == 7 && res.templates == 2 && res.errors == 0, "softflowd: 2 templates, 7 records");
	flow_addr_format(&c.rec[0].srcaddr, s);
	IS_STR(s, "172.16.32.100", "softflowd: srcaddr of record 1");
	OK(c.rec[0].dpkts == 1 && c.rec[0].doctets == 76 && c.rec[0].srcport == 123 &&
	    c.rec[0].dstport == 123 &&
	    c.rec[0].prot == 17 && c.rec[0].first == 1216 && c.rec[0].last == 1217 &&
	    c.rec[0].sysuptime == 45076,
	    "softflowd: NTP record 1: counters, ports, uptimes");
	flow_addr_format(&c.rec[6].srcaddr, s);
	IS_STR(s, "fe80::20c:29ff:fe83:3b6e", "softflowd: IPv6 record 7");
	IS_U(c.rec[6].dstport, 34304, "softflowd: ICMPv6 type 134 code 0 as dstport");

	memset(&c, 0, sizeof c);
	feed(&cache, "netflow9_test_invalid01.dat", &c, &res);
	OK(c.n == 2 && res.errors == 0 && res.option_records == 1,
	    "netflow9_test_invalid01: well-formed by RFC 3954: 2 records, "
	    "1 options record skipped");

	memset(&c, 0, sizeof c);
	feed(&cache, "netflow9_test_cisco_asr9k_opttpl256.dat", &c, &res);
	feed(&cache, "netflow9_test_cisco_asr9k_tpl260.dat", &c, &res);
	feed(&cache, "netflow9_test_cisco_asr9k_data260.dat", &c, &res);
	OK(c.n > 0 && res.errors == 0, "asr9k: options template, template, then %u records", c.n);
	flow_addr_format(&c.rec[0].nexthop, s);
	OK(c.rec[0].src_as != 0 || c.rec[0].dst_as != 0, "asr9k: AS numbers decoded");

	memset(&c, 0, sizeof c);
	feed(&cache, "netflow9_test_h3c_netstream_varstring_tpl3281.dat", &c, &res);
	feed(&cache, "netflow9_test_h3c_netstream_varstring_data3281.dat", &c, &res);
	OK(c.n == 1 && res.errors == 0 && c.rec[0].dpkts == 9 && c.rec[0].doctets == 702,
	    "h3c: a variable-length string field is stepped over");

	memset(&c, 0, sizeof c);
	feed(&cache, "netflow9_test_0length_fields_tpl_data.dat", &c, &res);
	OK(c.n == 10 && res.errors == 0, "zero-length fields: 10 records");

	memset(&c, 0, sizeof c);
	feed(&cache, "netflow9_test_paloalto_81_tpl256-263.dat", &c, &res);
	feed(&cache, "netflow9_test_paloalto_81_data257_1flowset_in_large_zerofilled_packet.dat",
	    &c, &res);
	OK(c.n == 1 && res.errors == 0, "palo alto: zeros after the last flowset are padding");

	memset(&c, 0, sizeof c);
	feed(&cache, "netflow9_test_valid01.dat", &c, &res);
	OK(c.n == 7 && res.errors == 0, "netflow9_test_valid01: 7 records");
	nft_cache_free(&cache);
}

/*
 * A record alone whose times span within 1 s of 2^32 ms: the header's
 * whole-second export time cannot be 2^32 ms after the earliest, so that
 * time moves up (less than 1 s) and is counted; every other time stays
 * exact. Before, the header uptime was clamped and every time moved.
 */
static void test_wide_span(void)
{
	static struct dgrams d;
	static struct collect c;
	struct nft_cache cache;
	struct nft_encoder e;
	struct flowrec r = sample(0, false), boot = sample(1, false);
	struct nf_result res;
	uint64_t moved;

	/* /tmp/rv/wrap.csv line 5: last 1500 > sysuptime 1000 is 2^32-500 ms before the export */
	flow_set_clock(&r, 1700000050500ull, 1000);
	r.first = 900;
	r.last = 1500;
	/*
	 * an exporter up 49.7 days, a flow of the last 100 ms: its boot is
	 * given up, nothing moves
	 */
	flow_set_clock(&boot, 1700000050500ull, 4294967000u);
	boot.first = boot.last = 4294966900u;
	nft_cache_init(&cache, 0);
	nf9_encoder_init(&e, &opts, dgrams_fn, &d);
	nft_encoder_add(&e, &r);
	nft_encoder_flush(&e);
	nft_encoder_add(&e, &boot);
	nft_encoder_flush(&e);
	IS_U(e.count.clamped, 1, "v9: a record spanning 2^32-500 ms alone is counted as clamped");
	decode(&cache, d.buf[0], d.len[0], "127.0.0.1", &c, &res);
	decode(&cache, d.buf[1], d.len[1], "127.0.0.1", &c, &res);
	moved = c.n == 2 ? flow_last_ms(&c.rec[0]) - flow_last_ms(&r) : 9999;
	OK(c.n == 2 && flow_first_ms(&c.rec[0]) == flow_first_ms(&r) && moved < 1000,
	    "v9: ... its first stays exact, its earliest (last) moves up %llu ms",
	    (unsigned long long)moved);
	OK(c.n == 2 && flow_first_ms(&c.rec[1]) == flow_first_ms(&boot) &&
	    flow_last_ms(&c.rec[1]) == flow_last_ms(&boot),
	    "v9: a flow of an exporter up nearly 2^32 ms keeps its times exactly");
	nft_cache_free(&cache);
}

int main(void)
{
	test_wide_span();
	test_round_trip();
	test_templates();
	test_hostile();
	test_public();
	return tap_done();
}
