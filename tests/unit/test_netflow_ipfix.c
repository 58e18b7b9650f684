/*
 * IPFIX codec: every record field through encoder and decoder for IPv4
 * and IPv6, sequence numbers, enterprise and variable-length fields,
 * template withdrawal, options templates, hostile messages, and public
 * messages of ipt_NETFLOW, YAF, Citrix NetScaler and VMware (values
 * checked by hand against the hex dumps).
 */
#include "base/bytecursor.h"
#include "netflow/ipfix.h"
#include "netflow_testaid.h"
#include "tap.h"

static struct nft_enc_options opts = { .domain = 42, .refresh_packets = 20 };

static int decode_from(struct nft_cache *cache, const uint8_t *p, size_t len, uint16_t port,
    struct collect *c, struct nf_result *res)
{
	struct flow_addr ex;

	addr_text(&ex, "127.0.0.1");
	nf_result_clear(res);
	return ipfix_decode(cache, p, len, &ex, port, collect_fn, c, res);
}

static int decode(struct nft_cache *cache, const uint8_t *p, size_t len, struct collect *c,
    struct nf_result *res)
{
	return decode_from(cache, p, len, 0, c, res);
}

static void test_round_trip(void)
{
	static struct dgrams d;
	static struct collect c;
	struct nft_cache cache;
	struct nft_encoder e;
	struct flowrec in[8];
	struct nf_result res;
	struct bytecursor bc;
	bool ok = true;

	nft_cache_init(&cache, 0);
	ipfix_encoder_init(&e, &opts, dgrams_fn, &d);
	for (unsigned i = 0; i < 8; i++) {
		in[i] = sample(i, i >= 4);	/* four export moments each */
		nft_encoder_add(&e, &in[i]);
	}
	nft_encoder_flush(&e);
	for (unsigned i = 0; i < 3; i++)
		nft_encoder_add(&e, &in[i]);
	nft_encoder_flush(&e);
	IS_U(d.n, 2, "ipfix: two messages");
	bc = bc_make(d.buf[0], d.len[0]);
	OK(bc_u16(&bc) == 10 && bc_u16(&bc) == d.len[0],
	    "ipfix: version 10, length field = message length");
	bc_skip(&bc, 4);
	IS_U(bc_u32(&bc), 0, "ipfix: first sequence 0");
	IS_U(bc_u32(&bc), 42, "ipfix: observation domain from -d");
	bc = bc_make(d.buf[1], d.len[1]);
	bc_skip(&bc, 8);
	IS_U(bc_u32(&bc), 8, "ipfix: sequence counts data records sent before");
	IS_U(decode(&cache, d.buf[0], d.len[0], &c, &res), 8, "ipfix: 8 records back");
	for (unsigned i = 0; i < c.n && i < 8; i++)
		ok = same_record(&c.rec[i], &in[i], false) && ok;
	OK(ok, "ipfix: every field of every record round-trips, first/last as absolute ms");
	IS_U(decode(&cache, d.buf[1], d.len[1], &c, &res), 3,
	    "ipfix: a message without templates uses the learnt ones");
	nft_cache_free(&cache);
}

/* A message with a template (enterprise and variable-length fields) and data. */
static size_t build(uint8_t *buf, bool cut_var)
{
	struct bytewriter w = bw_make(buf, 4096);
	static const uint8_t src[4] = { 198, 51, 100, 7 };
	uint8_t name[300];

	memset(name, 'x', sizeof name);
	bw_u16(&w, 10);
	bw_u16(&w, 0);
	bw_u32(&w, 1700000000);
	bw_u32(&w, 0);
	bw_u32(&w, 1);
	/*
	 * template 300: sourceIPv4Address, enterprise 9 field 5 (4 bytes),
	 * interfaceName varlen, packetDeltaCount 4
	 */
	bw_u16(&w, 2);
	bw_u16(&w, 4 + 4 + 4 + 8 + 4 + 4);
	bw_u16(&w, 300);
	bw_u16(&w, 4);
	bw_u16(&w, 8); bw_u16(&w, 4);
	bw_u16(&w, 0x8000 | 5); bw_u16(&w, 4); bw_u32(&w, 9);
	bw_u16(&w, 82); bw_u16(&w, 65535);
	bw_u16(&w, 2); bw_u16(&w, 4);
	/* data: a short name (1-byte length) and a long one (255 + 2-byte length) */
	bw_u16(&w, 300);
	bw_u16(&w, (uint16_t)(4 + (4 + 4 + 1 + 3 + 4) + (4 + 4 + 3 + 300 + 4)));
	bw_bytes(&w, src, 4); bw_u32(&w, 0xdeadbeef); bw_u8(&w, 3); bw_bytes(&w, "eth", 3);
	bw_u32(&w, 17);
	bw_bytes(&w, src, 4); bw_u32(&w, 0xdeadbeef); bw_u8(&w, 255);
	bw_u16(&w, cut_var ? 400 : 300);
	bw_bytes(&w, name, 300); bw_u32(&w, 25);
	bw_patch_u16(&w, 2, (uint16_t)w.pos);
	return w.pos;
}

static void test_fields(void)
{
	static struct collect c;
	struct nft_cache cache;
	struct nf_result res;
	uint8_t buf[4096];
	size_t len = build(buf, false);
	char s[FLOW_ADDR_STRLEN];
	struct bytewriter w;

	nft_cache_init(&cache, 0);
	IS_U(decode(&cache, buf, len, &c, &res), 2,
	    "ipfix: enterprise and variable-length fields: 2 records");
	flow_addr_format(&c.rec[0].srcaddr, s);
	IS_STR(s, "198.51.100.7", "ipfix: the field after an enterprise field");
	OK(c.rec[0].dpkts == 17 && c.rec[1].dpkts == 25,
	    "ipfix: the fields after 1- and 3-byte variable lengths");

	len = build(buf, true);
	memset(&c, 0, sizeof c);
	OK(decode(&cache, buf, len, &c, &res) == -1 && c.n == 1 && strstr(res.err,
	    "runs past the end of its set"),
	    "ipfix: a variable length past the set is rejected: %s", res.err);

	/* withdrawal: template 300 with no fields */
	w = bw_make(buf, sizeof buf);
	bw_u16(&w, 10); bw_u16(&w, 24); bw_u32(&w, 1700000000); bw_u32(&w, 0); bw_u32(&w, 1);
	bw_u16(&w, 2); bw_u16(&w, 8); bw_u16(&w, 300); bw_u16(&w, 0);
	decode(&cache, buf, w.pos, &c, &res);
	IS_U(res.withdrawn, 1, "ipfix: a template record without fields withdraws the template");
	IS_U(cache.tab.count, 0, "ipfix: ... and it is gone from the cache");
	nft_cache_free(&cache);
}

static void expect_error(const uint8_t *p, size_t len, const char *what, const char *needle)
{
	struct nft_cache cache;
	struct collect c = { .n = 0 };
	struct nf_result res;
	int rc;

	nft_cache_init(&cache, 0);
	rc = decode(&cache, p, len, &c, &res);
	OK(rc == -1 && strstr(res.err, needle) != NULL, "ipfix rejects %s: %s (byte %zu)", what,
	    res.err, res.err_at);
	nft_cache_free(&cache);
}

static void test_hostile(void)
{
	uint8_t buf[256];
	struct bytewriter w = bw_make(buf, sizeof buf);
	static struct dgrams d;
	struct nft_encoder e;
	struct flowrec r = sample(0, true);
	unsigned clean = 0;

	bw_u16(&w, 10); bw_u16(&w, 30); bw_u32(&w, 1700000000); bw_u32(&w, 0); bw_u32(&w, 1);
	/* options template 400: 2 fields, scope count 0 */
	bw_u16(&w, 3); bw_u16(&w, 14); bw_u16(&w, 400); bw_u16(&w, 2); bw_u16(&w, 0);
	bw_u16(&w, 149); bw_u16(&w, 4);
	expect_error(buf, 12, "a short header", "too few for an IPFIX message header");
	expect_error(buf, 30, "an options template with scope count 0", "scope field count 0 of 2");
	buf[3] = 60;
	expect_error(buf, 30, "a length past the datagram",
	    "message length 60, but 30 bytes are there");
	buf[3] = 10;
	expect_error(buf, 30, "a length below 16", "message length 10");
	buf[3] = 30;
	buf[19] = 40;
	expect_error(buf, 30, "a set longer than the message", "set 3 has length 40");
	buf[19] = 14;
	buf[1] = 9;
	expect_error(buf, 30, "version 9", "version 9, not 10");

	ipfix_encoder_init(&e, &opts, dgrams_fn, &d);
	for (unsigned i = 0; i < 5; i++)
		nft_encoder_add(&e, &r);
	nft_encoder_flush(&e);
	for (size_t n = 0; n < d.len[0]; n++) {
		struct nft_cache cache;
		struct collect c = { .n = 0 };
		struct nf_result res;

		nft_cache_init(&cache, 0);
		clean += decode(&cache, d.buf[0], n, &c, &res) == -1 && c.n == 0;
		nft_cache_free(&cache);
	}
	IS_U(clean, d.len[0],
	    "ipfix: every truncation of a message is rejected whole (its length field)");
}

static void feed(struct nft_cache *cache, const char *name, struct collect *c,
    struct nf_result *res)
{
	size_t len;
	uint8_t *f = fixture(name, &len);

	decode(cache, f, len, c, res);
	free(f);
}

static void test_public(void)
{
	static struct collect c;
	struct nft_cache cache;
	struct nf_result res;
	char s[FLOW_ADDR_STRLEN];

	nft_cache_init(&cache, 0);
	feed(&cache, "ipfix.dat", &c, &res);
	OK(c.n == 12 && res.errors == 0 && res.templates == 3 && res.option_records == 1,
	    "ipt_NETFLOW ipfix.dat: 3 messages, 3 templates, 1 options record, 12 records");
	flow_addr_format(&c.rec[0].srcaddr, s);
	IS_STR(s, "192.168.253.1", "ipfix.dat: srcaddr of record 1");
	OK(c.rec[0].dpkts == 5 && c.rec[0].doctets == 260 && c.rec[0].srcport == 60560 &&
	    c.rec[0].dstport == 22,
	    "ipfix.dat: counters and ports of record 1");
	/* flowEndSysUpTime 12726 ms after systemInitTimeMilliseconds from the options record */
	IS_U(flow_last_ms(&c.rec[0]) - flow_first_ms(&c.rec[0]), 12726,
	    "ipfix.dat: uptimes counted from systemInitTime");

	memset(&c, 0, sizeof c);
	feed(&cache, "ipfix_test_yaf_tpls_option_tpl.dat", &c, &res);
	feed(&cache, "ipfix_test_yaf_tpl45841.dat", &c, &res);
	feed(&cache, "ipfix_test_yaf_data45841.dat", &c, &res);
	OK(c.n == 1 && res.errors == 0 && c.rec[0].dpkts == 2 && c.rec[0].doctets == 132 &&
	    c.rec[0].dstport == 53,
	    "yaf: options templates, then a DNS record");

	memset(&c, 0, sizeof c);
	feed(&cache, "ipfix_test_netscaler_tpl.dat", &c, &res);
	feed(&cache, "ipfix_test_netscaler_data.dat", &c, &res);
	OK(c.n == 3 && res.errors == 0 && res.no_template == 1,
	    "netscaler: enterprise fields stepped over, 3 records");

	memset(&c, 0, sizeof c);
	feed(&cache, "ipfix_test_vmware_vds_tpl.dat", &c, &res);
	feed(&cache, "ipfix_test_vmware_vds_data266_267.dat", &c, &res);
	OK(c.n == 2 && res.errors == 0 && c.rec[1].srcaddr.family == FLOW_AF_INET6,
	    "vmware: IPv4 and IPv6 records");

	memset(&c, 0, sizeof c);
	feed(&cache, "ipfix_test_procera_tpl52935.dat", &c, &res);
	feed(&cache, "ipfix_test_procera_data52935.dat", &c, &res);
	OK(c.n > 0 && res.errors == 0, "procera: %u records", c.n);
	nft_cache_free(&cache);
}

/* Message header, export time 1700000000 s, domain 1; the length is patched by end_message. */
static struct bytewriter start_message(uint8_t *buf, size_t size)
{
	struct bytewriter w = bw_make(buf, size);

	bw_u16(&w, 10); bw_u16(&w, 0); bw_u32(&w, 1700000000); bw_u32(&w, 0); bw_u32(&w, 1);
	return w;
}

static size_t end_message(struct bytewriter *w)
{
	bw_patch_u16(w, 2, (uint16_t)w->pos);
	return w->pos;
}

/*
 * Set 2: template 402 of sourceIPv4Address, destinationIPv4Address,
 * packetDeltaCount, octetDeltaCount (4 each).
 */
static void put_template_402(struct bytewriter *w)
{
	bw_u16(w, 2); bw_u16(w, 24); bw_u16(w, 402); bw_u16(w, 4);
	bw_u16(w, 8); bw_u16(w, 4); bw_u16(w, 12); bw_u16(w, 4); bw_u16(w, 2); bw_u16(w, 4);
	bw_u16(w, 1); bw_u16(w, 4);
}

static void put_data_402(struct bytewriter *w)
{
	bw_u16(w, 402); bw_u16(w, 20);
	bw_u32(w, 0x01010101); bw_u32(w, 0x02020202); bw_u32(w, 1); bw_u32(w, 100);
}

/*
 * Set 3: options template 403, scope observationDomainId (149), option
 * systemInitTimeMilliseconds (160), and its record.
 */
static void put_options_403(struct bytewriter *w, uint64_t sysinit)
{
	bw_u16(w, 3); bw_u16(w, 18); bw_u16(w, 403); bw_u16(w, 2); bw_u16(w, 1);
	bw_u16(w, 149); bw_u16(w, 4); bw_u16(w, 160); bw_u16(w, 8);
	bw_u16(w, 403); bw_u16(w, 16); bw_u32(w, 1); bw_u64(w, sysinit);
}

/*
 * RFC 7011 8.1: Set 2 / ID 2 withdraws all data templates, Set 3 / ID 3
 * all options templates; neither the other kind.
 */
static void test_withdraw_kinds(void)
{
	static struct collect c;
	struct nft_cache cache;
	struct nf_result res;
	uint8_t buf[512];
	struct bytewriter w;

	/*
	 * /tmp/rv/h4.ipfix from review: template 402, options withdrawal
	 * (set 3, id 3), data of 402
	 */
	nft_cache_init(&cache, 0);
	w = start_message(buf, sizeof buf);
	put_template_402(&w);
	bw_u16(&w, 3); bw_u16(&w, 8); bw_u16(&w, 3); bw_u16(&w, 0);
	put_data_402(&w);
	OK(decode(&cache, buf, end_message(&w), &c, &res) == 1 && res.no_template == 0,
	    "ipfix: withdrawing all options templates keeps the data template "
	    "(%u without template)",
	    res.no_template);

	/* options template 403 with systemInitTime, then all data templates withdrawn */
	w = start_message(buf, sizeof buf);
	put_options_403(&w, 1699990000000ull);
	bw_u16(&w, 2); bw_u16(&w, 8); bw_u16(&w, 2); bw_u16(&w, 0);
	decode(&cache, buf, end_message(&w), &c, &res);
	IS_U(res.withdrawn, 1, "ipfix: Set 2 / ID 2 withdraws the one data template");
	IS_U(cache.tab.count, 2,
	    "ipfix: ... and keeps the options template and the domain's systemInitTime");
	w = start_message(buf, sizeof buf);
	put_data_402(&w);
	decode(&cache, buf, end_message(&w), &c, &res);
	IS_U(res.no_template, 1, "ipfix: ... data template 402 is gone");
	w = start_message(buf, sizeof buf);
	bw_u16(&w, 3); bw_u16(&w, 8); bw_u16(&w, 3); bw_u16(&w, 0);
	decode(&cache, buf, end_message(&w), &c, &res);
	OK(res.withdrawn == 1 && cache.tab.count == 1,
	    "ipfix: Set 3 / ID 3 withdraws the options template, not systemInitTime (%u left)",
	    (unsigned)cache.tab.count);
	nft_cache_free(&cache);
}

/* RFC 7011: templates belong to a transport session; two exporters on one host differ by port. */
static void test_port_session(void)
{
	static struct collect c;
	struct nft_cache cache;
	struct nf_result res;
	uint8_t buf[512];
	struct bytewriter w;
	size_t len;

	nft_cache_init(&cache, 0);
	w = start_message(buf, sizeof buf);
	put_template_402(&w);
	decode_from(&cache, buf, end_message(&w), 40001, &c, &res);
	/* the second exporter's template 402 has one 4-byte field */
	w = start_message(buf, sizeof buf);
	bw_u16(&w, 2); bw_u16(&w, 12); bw_u16(&w, 402); bw_u16(&w, 1); bw_u16(&w, 2); bw_u16(&w, 4);
	decode_from(&cache, buf, end_message(&w), 40002, &c, &res);
	w = start_message(buf, sizeof buf);
	put_data_402(&w);
	len = end_message(&w);
	memset(&c, 0, sizeof c);
	IS_U(decode_from(&cache, buf, len, 40001, &c, &res), 1,
	    "ipfix: port 40001's data by its own template");
	OK(c.n == 1 && c.rec[0].doctets == 100 && c.rec[0].dpkts == 1,
	    "ipfix: ... not by port 40002's (octets %llu)",
	    c.n ? (unsigned long long)c.rec[0].doctets : 0ull);
	IS_U(decode_from(&cache, buf, len, 40002, &c, &res), 4,
	    "ipfix: port 40002 reads the same set as 4 records of its own");
	IS_U(decode_from(&cache, buf, len, 40003, &c, &res), 0,
	    "ipfix: a third port knows no template");
	nft_cache_free(&cache);
}

/* Start and end more than 2^32 ms apart: the start is clamped and counted, never wrapped. */
static void test_clamp(void)
{
	static struct collect c;
	struct nft_cache cache;
	struct nf_result res;
	uint8_t buf[512];
	struct bytewriter w;
	uint64_t end = 1700000000000ull, start = end - (1ull << 32) - 5000;

	nft_cache_init(&cache, 0);
	w = start_message(buf, sizeof buf);
	bw_u16(&w, 2); bw_u16(&w, 16); bw_u16(&w, 500); bw_u16(&w, 2); bw_u16(&w, 152);
	bw_u16(&w, 8); bw_u16(&w, 153); bw_u16(&w, 8);
	bw_u16(&w, 500); bw_u16(&w, 20); bw_u64(&w, start); bw_u64(&w, end);
	IS_U(decode(&cache, buf, end_message(&w), &c, &res), 1,
	    "ipfix: a record 49.7 days and 5 s long");
	IS_U(res.clamped, 1, "ipfix: ... is counted as clamped");
	OK(c.n == 1 && flow_last_ms(&c.rec[0]) == end &&
	    flow_first_ms(&c.rec[0]) == end - UINT32_MAX,
	    "ipfix: ... its end kept, its start moved up to 2^32-1 ms before (got %llu, %llu)",
	    c.n ? (unsigned long long)flow_first_ms(&c.rec[0]) : 0ull,
	    c.n ? (unsigned long long)flow_last_ms(&c.rec[0]) : 0ull);
	nft_cache_free(&cache);
}

/* Issue 10 item 8: a first packet before 1970 has no IPFIX form. */
static void test_issue10_item8_before_1970(void)
{
	static struct dgrams d;
	struct nft_encoder e;
	struct flowrec r = sample(0, false);

	memset(&d, 0, sizeof d);
	flow_set_clock(&r, 10000, 100000);	/* 10 s after 1970, up 100 s */
	r.first = 0;
	r.last = 5000;
	ipfix_encoder_init(&e, &opts, dgrams_fn, &d);
	OK(!nft_encoder_add(&e, &r), "item 8: a record from 90 s before 1970 is refused");
	IS_U(e.count.before_epoch, 1, "item 8: and counted");
	r.first = 90000;
	r.last = 95000;
	OK(nft_encoder_add(&e, &r) && nft_encoder_flush(&e) == 0 && d.n == 1 && e.count.sent == 1,
	    "item 8: 1970-01-01 00:00:00 itself is sent");
}

int main(void)
{
	test_issue10_item8_before_1970();
	test_round_trip();
	test_fields();
	test_withdraw_kinds();
	test_port_session();
	test_clamp();
	test_hostile();
	test_public();
	return tap_done();
}
