/*
 * The datagram decode dispatch (netflow/nf_datagram.h) and the encoder
 * operations table (netflow/nf_encoder.h): version by the first two
 * bytes, v5 files split into datagrams, v9 and IPFIX templates learnt
 * from one datagram serving the exporter's later ones and no other
 * exporter (address, UDP port, source id / observation domain), errors
 * with offset and reason, and every record of v5, v9 and IPFIX back
 * through one dispatch. Fixtures: tests/data/netflow (counts and values
 * as test_netflow_v5/v9/ipfix check them by hand).
 */
#include "base/bytecursor.h"
#include "netflow/nf_datagram.h"
#include "netflow/nf_encoder.h"
#include "netflow/nf_ie.h"
#include "netflow_testaid.h"
#include "tap.h"

static int decode_from(struct nf_decoder *d, const uint8_t *p, size_t len, const char *exporter,
    uint16_t port, struct collect *c, struct nf_result *res)
{
	struct flow_addr ex;

	addr_text(&ex, exporter);
	nf_result_clear(res);
	return nf_decode_datagram(d, p, len, &ex, port, collect_fn, c, res);
}

static void test_version(void)
{
	static const uint8_t v7[24] = { 0, 7 }, one[1] = { 0 };
	struct nf_decoder d;
	struct collect c = { .n = 0 };
	struct nf_result res;

	nf_decoder_init(&d, 0, 0);
	IS_U(nf_datagram_version(v7, sizeof v7), 7, "version: the first two bytes");
	IS_U(nf_datagram_version(one, 1) == -1, 1, "version: -1 for fewer than two bytes");
	IS_U(decode_from(&d, v7, sizeof v7, "192.0.2.1", 2055, &c, &res) == -1, 1,
	    "version 7: rejected");
	IS_STR(res.err, "version 7 is not NetFlow v5, v9 or IPFIX (10)", "version 7: the reason");
	IS_U(res.err_at, 0, "version 7: at byte 0");
	IS_U(decode_from(&d, one, 1, "192.0.2.1", 2055, &c, &res) == -1 && res.errors == 1, 1,
	    "1 byte: an error");
	IS_STR(res.err, "a datagram of 1 bytes has no version field", "1 byte: the reason");
	IS_U(c.n, 0, "no records from either");
	nf_decoder_free(&d);
}

static void test_v5_file(void)
{
	struct nf_decoder d;
	static struct collect c;
	struct nf_result res;
	size_t len, off = 0;
	uint8_t *f = fixture("netflow5.dat", &len);
	unsigned datagrams = 0, bad = 0;

	nf_decoder_init(&d, 0, 0);
	while (off < len) {
		size_t n = nf_datagram_len(&d, f + off, len - off);

		if (decode_from(&d, f + off, n, "192.0.2.9", 0, &c, &res) < 0 || res.version != 5)
			bad++;
		datagrams++;
		off += n;
	}
	IS_U(datagrams, 12, "netflow5.dat: 12 datagrams by their counts");
	IS_U(bad, 0, "netflow5.dat: all decode as v5");
	IS_U(c.n, 30, "netflow5.dat: 30 records");
	OK(c.rec[0].dpkts == 5 && c.rec[0].doctets == 230 && c.rec[0].srcport == 54435,
	    "netflow5.dat: first record's counters and port");
	IS_U(nf_datagram_len(&d, f, 10), 10, "v5: a cut header is all of what is there");
	IS_U(nf_datagram_len(NULL, f, len), 24 + 48 * 2, "no decoder: the datagram's own version");
	free(f);
	nf_decoder_free(&d);
}

/* The header field at off (4 bytes) set to v: another source id / domain. */
static void set_u32(uint8_t *p, size_t off, uint32_t v)
{
	struct bytewriter w = bw_make(p + off, 4);

	bw_u32(&w, v);
}

/* Templates of tpl serve data from the same exporter, port and domain only. */
static void test_templates_per_exporter(const char *what, const char *tpl, const char *data,
    size_t domain_at, unsigned want)
{
	struct nf_decoder d;
	static struct collect c;
	struct nf_result res;
	size_t tl, dl;
	uint8_t *t = fixture(tpl, &tl), *p = fixture(data, &dl);

	nf_decoder_init(&d, 0, 0);
	memset(&c, 0, sizeof c);
	decode_from(&d, p, dl, "192.0.2.1", 2055, &c, &res);
	OK(c.n == 0 && res.no_template == 1, "%s: data before its template is counted, skipped",
	    what);
	decode_from(&d, t, tl, "192.0.2.1", 2055, &c, &res);
	OK(res.templates >= 1 && res.errors == 0, "%s: the template datagram", what);
	decode_from(&d, p, dl, "192.0.2.1", 2055, &c, &res);
	OK(c.n == want && res.records == want && res.no_template == 0,
	    "%s: the next datagram's data decoded by it (%u records)", what, c.n);
	decode_from(&d, p, dl, "192.0.2.2", 2055, &c, &res);
	OK(c.n == want && res.no_template == 1, "%s: another exporter address does not see it",
	    what);
	decode_from(&d, p, dl, "192.0.2.1", 4739, &c, &res);
	OK(c.n == want && res.no_template == 1, "%s: nor another UDP port of the same host", what);
	set_u32(p, domain_at, 0x0badcafe);
	decode_from(&d, p, dl, "192.0.2.1", 2055, &c, &res);
	OK(c.n == want && res.no_template == 1, "%s: nor another source id / domain", what);
	free(t);
	free(p);
	nf_decoder_free(&d);
}

static void test_forced_version_and_errors(void)
{
	struct nf_decoder d;
	static struct collect c;
	struct nf_result res;
	size_t len;
	uint8_t *f = fixture("netflow5.dat", &len);
	uint8_t *t = fixture("ipfix_test_yaf_tpl45841.dat", &len);

	nf_decoder_init(&d, 0, 9);
	IS_U(decode_from(&d, f, 72, "192.0.2.1", 0, &c, &res) == -1, 1,
	    "-V 9 on a v5 datagram: rejected");
	IS_STR(res.err, "version 5, not 9", "-V 9: the v9 decoder's reason");
	nf_decoder_free(&d);
	nf_decoder_init(&d, 0, 0);
	/* the template set cut 10 bytes short: the reason and where */
	IS_U(decode_from(&d, t, len - 10, "192.0.2.1", 0, &c, &res) == -1, 1,
	    "a cut IPFIX message: rejected");
	OK(strstr(res.err, "message length") != NULL && res.err_at == 2,
	    "a cut IPFIX message: its length field, at byte 2 (%s at %zu)", res.err, res.err_at);
	IS_U(res.version, 10, "res.version says which decoder ran");
	free(f);
	free(t);
	nf_decoder_free(&d);
}

static int keep(void *ctx, const uint8_t *p, size_t len)
{
	return dgrams_fn(ctx, p, len);
}

/* The same records through each version's encoder (one table) and back through the dispatch. */
static void test_encoders(void)
{
	static const int versions[3] = { 5, 9, 10 };

	for (int v = 0; v < 3; v++) {
		static struct dgrams dg;
		static struct collect c;
		struct nf_export_options o = { .version = versions[v], .refresh_packets = 1 };
		struct nf_export_counters k;
		struct nf_encoder e;
		struct nf_decoder d;
		struct nf_result res;
		struct flowrec in[4];
		bool ok = true;

		memset(&dg, 0, sizeof dg);
		memset(&c, 0, sizeof c);
		OK(nf_encoder_init(&e, &o, keep, &dg) == 0, "v%d: encoder from the table",
		    versions[v]);
		for (unsigned i = 0; i < 4; i++) {
			in[i] = sample(i, versions[v] != 5 && i % 2);
			nf_encoder_add(&e, &in[i]);
		}
		OK(nf_encoder_pending(&e), "v%d: a partial datagram waits", versions[v]);
		nf_encoder_flush(&e);
		nf_encoder_counters(&e, &k);
		OK(k.records == 4 && k.sent == 4 && k.datagrams == dg.n && dg.n >= 1,
		    "v%d: counters (%lu records, %lu sent, %lu datagrams)", versions[v], k.records,
		    k.sent, k.datagrams);
		nf_decoder_init(&d, 0, 0);
		for (unsigned i = 0; i < dg.n; i++)
			decode_from(&d, dg.buf[i], dg.len[i], "127.0.0.1", 2055, &c, &res);
		ok = c.n == 4;
		for (unsigned i = 0; i < c.n && i < 4; i++) {
			/* v9/IPFIX: the IPv4 set, then the IPv6 one */
			static const unsigned order[4] = { 0, 2, 1, 3 };
			unsigned j = versions[v] == 5 ? i : order[i];

			ok = same_record(&c.rec[i], &in[j], false) && ok;
		}
		OK(ok, "v%d: every field back through the dispatch", versions[v]);
		nf_decoder_free(&d);
	}
	{
		struct nf_export_options o = { .version = 7 };
		struct nf_encoder e;

		OK(nf_encoder_init(&e, &o, keep, NULL) == -1, "version 7: no encoder");
	}
}

/*
 * Issue 10 item 7: a record exported 500 ms into the last 32-bit second
 * (unix_secs 4294967295) must not round the v9/IPFIX header's export
 * second up to 2^32, which is 0 (1970). IPFIX keeps its absolute times;
 * v9 uptimes cannot lie after the header's whole second, so its last
 * moves back to it, counted.
 */
static void test_issue10_item7_end_of_time(void)
{
	static const int versions[2] = { 9, 10 };
	static const size_t secs_at[2] = { 8, 4 };	/* header unix_secs / export time */

	for (int v = 0; v < 2; v++) {
		static struct dgrams dg;
		static struct collect c;
		struct nf_export_options o = { .version = versions[v] };
		struct nf_export_counters k;
		struct nf_encoder e;
		struct nf_decoder d;
		struct nf_result res;
		struct flowrec r = sample(0, false);
		struct bytecursor h;
		uint64_t want_last;

		memset(&dg, 0, sizeof dg);
		memset(&c, 0, sizeof c);
		r.unix_secs = UINT32_MAX;
		r.unix_nsecs = 500000000u;
		r.sysuptime = 100000;
		r.first = 99000;
		r.last = 100000;
		nf_encoder_init(&e, &o, keep, &dg);
		nf_encoder_add(&e, &r);
		nf_encoder_flush(&e);
		nf_encoder_counters(&e, &k);
		h = bc_make(dg.buf[0], dg.len[0]);
		bc_skip(&h, secs_at[v]);
		IS_U(bc_u32(&h), UINT32_MAX,
		    "item 7: v%d header export second stays 4294967295, not 0",
		    versions[v]);
		nf_decoder_init(&d, 0, 0);
		decode_from(&d, dg.buf[0], dg.len[0], "127.0.0.1", 2055, &c, &res);
		want_last = versions[v] == 9 ? (uint64_t)UINT32_MAX * 1000u : flow_last_ms(&r);
		OK(c.n == 1 && flow_first_ms(&c.rec[0]) == flow_first_ms(&r) &&
		    flow_last_ms(&c.rec[0]) == want_last, "item 7: v%d first exact, last %s",
		    versions[v],
		    versions[v] == 9 ? "moved back to the header's second" : "exact");
		IS_U(k.clamped, versions[v] == 9, "item 7: v%d counts what it moved", versions[v]);
		nf_decoder_free(&d);
	}
}

/* One table: every element has a name and a role, ids are unique. */
static void test_ie_table(void)
{
	const struct nf_ie *ie = nf_ie_find(NF_IE_OCTET_DELTA_COUNT);
	bool ok = true;

	IS_STR(ie ? ie->name : NULL, "octetDeltaCount", "IE 1 is octetDeltaCount");
	IS_U(nf_ie_role(NF_IE_FLOW_START_MILLISECONDS), NF_ROLE_FIRST_MS,
	    "IE 152 is the first packet, ms");
	IS_U(nf_ie_role(NF_IE_ICMP_TYPE_CODE_IPV6), NF_ROLE_ICMP_TYPE_CODE,
	    "IE 139 carries ICMPv6 type/code");
	IS_U(nf_ie_role(3), NF_ROLE_NONE, "an id flowpipes has no use for: no role");
	for (unsigned id = 0; id < 65535; id++) {
		const struct nf_ie *e = nf_ie_find((uint16_t)id);

		if (e && (e->id != id || e->name == NULL || e->len == 0 || e->role == NF_ROLE_NONE))
			ok = false;
	}
	OK(ok, "every table entry is found by its own id, with a name, length and role");
}

int main(void)
{
	test_version();
	test_v5_file();
	/* v9 source id at header byte 16, IPFIX observation domain at 12 */
	test_templates_per_exporter("v9 asr9k", "netflow9_test_cisco_asr9k_tpl260.dat",
	    "netflow9_test_cisco_asr9k_data260.dat", 16, 21);
	test_templates_per_exporter("IPFIX yaf", "ipfix_test_yaf_tpl45841.dat",
	    "ipfix_test_yaf_data45841.dat", 12, 1);
	test_forced_version_and_errors();
	test_encoders();
	test_issue10_item7_end_of_time();
	test_ie_table();
	return tap_done();
}
