/*
 * IPFIX codec: every record field through encoder and decoder for IPv4
 * and IPv6, sequence numbers, enterprise and variable-length fields,
 * template withdrawal, options templates, hostile messages, and public
 * messages of ipt_NETFLOW, YAF, Citrix NetScaler and VMware (values
 * checked by hand against the hex dumps).
 */
#include "bytecursor.h"
#include "ipfix.h"
#include "netflow_testaid.h"
#include "tap.h"

static struct nft_enc_options opts = { .domain = 42, .refresh_packets = 20 };

static int decode(struct nft_cache *cache, const uint8_t *p, size_t len, struct collect *c, struct nf_result *res)
{
	struct flow_addr ex;

	addr_text(&ex, "127.0.0.1");
	nf_result_clear(res);
	return ipfix_decode(cache, p, len, &ex, collect_fn, c, res);
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
	OK(bc_u16(&bc) == 10 && bc_u16(&bc) == d.len[0], "ipfix: version 10, length field = message length");
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
	IS_U(decode(&cache, d.buf[1], d.len[1], &c, &res), 3, "ipfix: a message without templates uses the learnt ones");
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
	/* template 300: sourceIPv4Address, enterprise 9 field 5 (4 bytes), interfaceName varlen, packetDeltaCount 4 */
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
	bw_bytes(&w, src, 4); bw_u32(&w, 0xdeadbeef); bw_u8(&w, 3); bw_bytes(&w, "eth", 3); bw_u32(&w, 17);
	bw_bytes(&w, src, 4); bw_u32(&w, 0xdeadbeef); bw_u8(&w, 255); bw_u16(&w, cut_var ? 400 : 300);
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
	IS_U(decode(&cache, buf, len, &c, &res), 2, "ipfix: enterprise and variable-length fields: 2 records");
	flow_addr_format(&c.rec[0].srcaddr, s);
	IS_STR(s, "198.51.100.7", "ipfix: the field after an enterprise field");
	OK(c.rec[0].dpkts == 17 && c.rec[1].dpkts == 25, "ipfix: the fields after 1- and 3-byte variable lengths");

	len = build(buf, true);
	memset(&c, 0, sizeof c);
	OK(decode(&cache, buf, len, &c, &res) == -1 && c.n == 1 && strstr(res.err, "runs past the end of its set"),
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
	OK(rc == -1 && strstr(res.err, needle) != NULL, "ipfix rejects %s: %s (byte %zu)", what, res.err, res.err_at);
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
	expect_error(buf, 30, "a length past the datagram", "message length 60, but 30 bytes are there");
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
	IS_U(clean, d.len[0], "ipfix: every truncation of a message is rejected whole (its length field)");
}

static void feed(struct nft_cache *cache, const char *name, struct collect *c, struct nf_result *res)
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
	OK(c.rec[0].dpkts == 5 && c.rec[0].doctets == 260 && c.rec[0].srcport == 60560 && c.rec[0].dstport == 22,
	    "ipfix.dat: counters and ports of record 1");
	/* flowEndSysUpTime 12726 ms after systemInitTimeMilliseconds from the options record */
	IS_U(flow_last_ms(&c.rec[0]) - flow_first_ms(&c.rec[0]), 12726, "ipfix.dat: uptimes counted from systemInitTime");

	memset(&c, 0, sizeof c);
	feed(&cache, "ipfix_test_yaf_tpls_option_tpl.dat", &c, &res);
	feed(&cache, "ipfix_test_yaf_tpl45841.dat", &c, &res);
	feed(&cache, "ipfix_test_yaf_data45841.dat", &c, &res);
	OK(c.n == 1 && res.errors == 0 && c.rec[0].dpkts == 2 && c.rec[0].doctets == 132 && c.rec[0].dstport == 53,
	    "yaf: options templates, then a DNS record");

	memset(&c, 0, sizeof c);
	feed(&cache, "ipfix_test_netscaler_tpl.dat", &c, &res);
	feed(&cache, "ipfix_test_netscaler_data.dat", &c, &res);
	OK(c.n == 3 && res.errors == 0 && res.no_template == 1, "netscaler: enterprise fields stepped over, 3 records");

	memset(&c, 0, sizeof c);
	feed(&cache, "ipfix_test_vmware_vds_tpl.dat", &c, &res);
	feed(&cache, "ipfix_test_vmware_vds_data266_267.dat", &c, &res);
	OK(c.n == 2 && res.errors == 0 && c.rec[1].srcaddr.family == FLOW_AF_INET6, "vmware: IPv4 and IPv6 records");

	memset(&c, 0, sizeof c);
	feed(&cache, "ipfix_test_procera_tpl52935.dat", &c, &res);
	feed(&cache, "ipfix_test_procera_data52935.dat", &c, &res);
	OK(c.n > 0 && res.errors == 0, "procera: %u records", c.n);
	nft_cache_free(&cache);
}

int main(void)
{
	test_round_trip();
	test_fields();
	test_hostile();
	test_public();
	return tap_done();
}
