/*
 * NetFlow v5 codec: every record field through encoder and decoder,
 * datagram filling, IPv6 skip, counter split, hostile datagrams, and
 * softflowd's and Juniper's public datagrams (values checked by hand
 * against the hex dump of the files).
 */
#include "base/bytecursor.h"
#include "netflow/netflow_v5.h"
#include "netflow_testaid.h"
#include "tap.h"

static struct nf5_options no_opts;

static unsigned decode_all(const struct dgrams *d, struct collect *c)
{
	struct flow_addr ex;
	unsigned bad = 0;

	addr_text(&ex, "127.0.0.1");
	for (unsigned i = 0; i < d->n; i++) {
		struct nf_result res;

		nf_result_clear(&res);
		if (nf5_decode(d->buf[i], d->len[i], &ex, collect_fn, c, &res) < 0)
			bad++;
	}
	return bad;
}

static void test_round_trip(void)
{
	static struct dgrams d;
	static struct collect c;
	struct nf5_encoder e;
	struct flowrec in[5];
	bool ok = true;

	/* one export moment: every field comes back as it was */
	for (unsigned i = 0; i < 5; i++) {
		in[i] = sample(i, false);
		flow_set_clock(&in[i], 1700000000250ull, 3600000);
	}
	nf5_encoder_init(&e, &no_opts, dgrams_fn, &d);
	for (unsigned i = 0; i < 5; i++)
		nf5_add(&e, &in[i]);
	IS_U(d.n, 0, "v5: a partial datagram waits for flush");
	nf5_flush(&e);
	IS_U(d.n, 1, "v5: one datagram");
	IS_U(d.len[0], 24 + 5 * 48, "v5: 24 + 48 * 5 bytes");
	IS_U(decode_all(&d, &c), 0, "v5: decodes");
	IS_U(c.n, 5, "v5: 5 records back");
	for (unsigned i = 0; i < c.n && i < 5; i++)
		ok = same_record(&c.rec[i], &in[i], true) && ok;
	OK(ok, "v5: every field of every record round-trips exactly");

	/* records of five export moments share the datagram; times survive */
	memset(&d, 0, sizeof d);
	memset(&c, 0, sizeof c);
	nf5_encoder_init(&e, &no_opts, dgrams_fn, &d);
	for (unsigned i = 0; i < 5; i++) {
		in[i] = sample(i, false);
		nf5_add(&e, &in[i]);
	}
	nf5_flush(&e);
	IS_U(d.n, 1, "v5: different export moments share one datagram");
	decode_all(&d, &c);
	ok = c.n == 5;
	for (unsigned i = 0; i < c.n && i < 5; i++)
		ok = same_record(&c.rec[i], &in[i], false) && ok;
	OK(ok, "v5: absolute first/last survive the rebased header clock");
	IS_U(c.rec[0].unix_secs, 1700000004u, "v5: header clock is the latest export moment");
}

static void test_filling(void)
{
	static struct dgrams d;
	static struct collect c;
	struct nf5_encoder e;
	struct flowrec r = sample(0, false), v6 = sample(1, true);
	struct bytecursor bc;

	nf5_encoder_init(&e, &no_opts, dgrams_fn, &d);
	for (unsigned i = 0; i < 31; i++)
		nf5_add(&e, &r);
	IS_U(d.n, 1, "v5: 30 records fill a datagram");
	nf5_flush(&e);
	IS_U(d.n, 2, "v5: the 31st goes in the next");
	bc = bc_make(d.buf[1], d.len[1]);
	bc_skip(&bc, 16);
	IS_U(bc_u32(&bc), 30, "v5: flow_sequence counts flows sent before");
	IS_U(nf5_add(&e, &v6), 0, "v5: an IPv6 record is not queued");
	IS_U(e.count.skipped_v6, 1, "v5: and counted");

	/* uptimes are 32-bit ms: records 50 days apart cannot share a boot time */
	memset(&d, 0, sizeof d);
	memset(&c, 0, sizeof c);
	nf5_encoder_init(&e, &no_opts, dgrams_fn, &d);
	{
		struct flowrec later = r;

		later.unix_secs += 50u * 86400u;
		nf5_add(&e, &r);
		nf5_add(&e, &later);
		nf5_flush(&e);
		IS_U(d.n, 2, "v5: records 50 days apart go in separate datagrams");
		decode_all(&d, &c);
		OK(c.n == 2 && same_record(&c.rec[0], &r, false) && same_record(&c.rec[1], &later,
		    false),
		    "v5: ... and both keep their absolute times");
	}
	memset(&c, 0, sizeof c);

	/* a record of another engine starts a datagram; -e overrides */
	memset(&d, 0, sizeof d);
	nf5_encoder_init(&e, &no_opts, dgrams_fn, &d);
	nf5_add(&e, &r);
	r.engine_id = 9;
	nf5_add(&e, &r);
	nf5_flush(&e);
	IS_U(d.n, 2, "v5: engine change starts a new datagram");
	decode_all(&d, &c);
	IS_U(c.n == 2 ? c.rec[1].engine_id : 0, 9, "v5: engine id from the records");
	{
		struct nf5_options o = { .engine_fixed = true, .engine_type = 4, .engine_id = 5,
		    .sampling = 0x4000 | 100 };

		memset(&d, 0, sizeof d);
		memset(&c, 0, sizeof c);
		nf5_encoder_init(&e, &o, dgrams_fn, &d);
		nf5_add(&e, &r);
		r.engine_id = 2;
		nf5_add(&e, &r);
		nf5_flush(&e);
		IS_U(d.n, 1, "v5 -e: one datagram");
		decode_all(&d, &c);
		OK(c.n == 2 && c.rec[0].engine_type == 4 && c.rec[1].engine_id == 5,
		    "v5 -e: header engine from -e");
		IS_U((unsigned)d.buf[0][22] << 8 | d.buf[0][23], 0x4000 | 100,
		    "v5 -S: sampling interval in the header");
	}
}

static void test_split(void)
{
	static struct dgrams d;
	static struct collect c;
	struct nf5_encoder e;
	struct flowrec r = sample(0, false);
	uint64_t p = 0, o = 0;

	r.dpkts = 10000000000ull;
	r.doctets = 1000000000000ull;
	nf5_encoder_init(&e, &no_opts, dgrams_fn, &d);
	IS_U(nf5_add(&e, &r), 233, "v5 split: 10^12 octets need 233 records");
	nf5_flush(&e);
	IS_U(e.count.split, 1, "v5 split: counted once");
	decode_all(&d, &c);
	for (unsigned i = 0; i < c.n; i++) {
		p += c.rec[i].dpkts;
		o += c.rec[i].doctets;
	}
	IS_U(c.n, 233, "v5 split: 233 records arrive");
	IS_U(p, 10000000000ull, "v5 split: packet total survives");
	IS_U(o, 1000000000000ull, "v5 split: octet total survives");
	r.doctets = UINT64_MAX;
	memset(&d, 0, sizeof d);
	nf5_add(&e, &r);
	IS_U(e.count.truncated, 1, "v5 split: beyond 1024 records it is truncated and counted");
}

/*
 * Issue 10 (minor): a split never makes a record without packets. 4
 * packets and 6 * 10^11 octets took 140 records, 136 of them with 0
 * packets and 4 GB each; a v5 record is a part of the flow and carries at
 * least one of its packets.
 */
static void test_issue10_split_zero_packets(void)
{
	static struct dgrams d;
	static struct collect c;
	struct nf5_encoder e;
	struct flowrec r = sample(0, false);
	unsigned zero = 0;
	uint64_t p = 0, o = 0;

	memset(&d, 0, sizeof d);
	memset(&c, 0, sizeof c);
	r.dpkts = 4;
	r.doctets = 600000000000ull;
	nf5_encoder_init(&e, &no_opts, dgrams_fn, &d);
	IS_U(nf5_add(&e, &r), 4, "split of 4 packets: at most 4 records");
	nf5_flush(&e);
	decode_all(&d, &c);
	for (unsigned i = 0; i < c.n; i++) {
		zero += c.rec[i].dpkts == 0;
		p += c.rec[i].dpkts;
		o += c.rec[i].doctets;
	}
	IS_U(zero, 0, "split of 4 packets: no record with 0 packets");
	IS_U(p, 4, "split of 4 packets: the packets survive");
	IS_U(o, 4ull * UINT32_MAX, "split of 4 packets: as many octets as 4 v5 records hold");
	OK(e.count.split == 1 && e.count.truncated == 1,
	    "split of 4 packets: counted as split and truncated");
}

/* Issue 10 (minor): unix_nsecs is the nanosecond residual of unix_secs: the header keeps it. */
static void test_issue10_header_nsecs(void)
{
	static struct dgrams d;
	static struct collect c;
	struct nf5_encoder e;
	struct flowrec r = sample(0, false), older = sample(1, false);

	memset(&d, 0, sizeof d);
	memset(&c, 0, sizeof c);
	r.unix_nsecs = 123456789u;
	older.unix_secs = r.unix_secs;
	older.unix_nsecs = 123000001u;	/* the same ms, earlier within it */
	older.sysuptime = r.sysuptime;
	nf5_encoder_init(&e, &no_opts, dgrams_fn, &d);
	nf5_add(&e, &older);
	nf5_add(&e, &r);
	nf5_flush(&e);
	IS_U((uint32_t)d.buf[0][12] << 24 | d.buf[0][13] << 16 | d.buf[0][14] << 8 | d.buf[0][15],
	    123456789u,
	    "v5 header unix_nsecs: 123456789, not cut to 123000000");
	decode_all(&d, &c);
	OK(c.n == 2 && c.rec[1].unix_nsecs == 123456789u && same_record(&c.rec[1], &r, true),
	    "v5 header unix_nsecs: the record comes back with its export moment exact");
}

/*
 * 32-bit AS and ifindex (line format, v9/IPFIX) in v5's 16 bits: RFC 6793
 * AS_TRANS and 65535, counted.
 */
static void test_narrow(void)
{
	static struct dgrams d;
	static struct collect c;
	struct nf5_encoder e;
	struct flowrec r = sample(0, false), small = sample(1, false);

	r.src_as = 70000;
	r.dst_as = 4200000000u;
	r.input = 70000;
	r.output = 65536;
	small.src_as = 65535;
	small.input = 65535;
	nf5_encoder_init(&e, &no_opts, dgrams_fn, &d);
	nf5_add(&e, &r);
	nf5_add(&e, &small);
	nf5_flush(&e);
	decode_all(&d, &c);
	OK(c.n == 2 && c.rec[0].src_as == 23456 && c.rec[0].dst_as == 23456,
	    "v5: an AS above 65535 goes out as AS_TRANS 23456 (got %u, %u)",
	    c.n ? c.rec[0].src_as : 0,
	    c.n ? c.rec[0].dst_as : 0);
	OK(c.n == 2 && c.rec[0].input == 65535 && c.rec[0].output == 65535,
	    "v5: an interface above 65535 goes out as 65535 (got %u, %u)", c.n ? c.rec[0].input : 0,
	    c.n ? c.rec[0].output : 0);
	OK(c.n == 2 && c.rec[1].src_as == 65535 && c.rec[1].input == 65535,
	    "v5: 65535 itself is kept");
	IS_U(e.count.narrowed, 1, "v5: the record that did not fit 16 bits is counted once");
}

static void expect_reject(const uint8_t *p, size_t len, const char *what, const char *needle)
{
	struct collect c = { .n = 0 };
	struct nf_result res;
	int rc;

	nf_result_clear(&res);
	rc = nf5_decode(p, len, NULL, collect_fn, &c, &res);
	OK(rc == -1 && c.n == 0 && strstr(res.err, needle) != NULL, "v5 rejects %s: %s", what,
	    res.err);
}

static void test_hostile(void)
{
	static struct dgrams d;
	struct nf5_encoder e;
	struct flowrec r = sample(0, false);
	uint8_t buf[NF5_MAX_LEN];
	size_t len, n;
	uint8_t *f;
	unsigned survived = 0;

	nf5_encoder_init(&e, &no_opts, dgrams_fn, &d);
	nf5_add(&e, &r);
	nf5_add(&e, &r);
	nf5_flush(&e);
	memcpy(buf, d.buf[0], d.len[0]);
	len = d.len[0];
	expect_reject(buf, 10, "a short header", "shorter than its 24-byte header");
	expect_reject(buf, len - 1, "a cut record", "2 records need 120");
	buf[3] = 31;
	expect_reject(buf, len, "count 31", "count 31 is above 30");
	buf[3] = 2;
	buf[1] = 9;
	expect_reject(buf, len, "another version", "version 9, not 5");
	buf[1] = 5;
	buf[12] = 0xff;
	expect_reject(buf, len, "unix_nsecs above 10^9", "unix_nsecs");
	buf[12] = d.buf[0][12];
	for (n = 0; n < len; n++) {
		struct collect c = { .n = 0 };
		struct nf_result res;

		nf_result_clear(&res);
		survived += nf5_decode(buf, n, NULL, collect_fn, &c, &res) == -1 && c.n == 0;
	}
	IS_U(survived, len, "v5: every truncation is rejected");

	f = fixture("netflow5_test_invalid01.dat", &n);
	expect_reject(f, n, "netflow5_test_invalid01.dat", "count 55582 is above 30");
	free(f);
	f = fixture("netflow5_test_invalid02.dat", &n);
	expect_reject(f, n, "netflow5_test_invalid02.dat", "count 163 is above 30");
	free(f);
}

static void test_public(void)
{
	static struct collect c;
	struct flow_addr ex;
	size_t len, off = 0;
	unsigned datagrams = 0, bad = 0;
	uint8_t *f = fixture("netflow5.dat", &len);
	char s[FLOW_ADDR_STRLEN];

	addr_text(&ex, "10.0.2.15");
	while (off < len) {
		struct nf_result res;
		size_t n = nf5_datagram_len(f + off, len - off);

		if (n == 0 || n > len - off)
			break;
		nf_result_clear(&res);
		bad += nf5_decode(f + off, n, &ex, collect_fn, &c, &res) < 0;
		off += n;
		datagrams++;
	}
	IS_U(off, 1728, "netflow5.dat: splits into whole datagrams");
	IS_U(datagrams, 12, "netflow5.dat: 12 datagrams");
	IS_U(bad, 0, "netflow5.dat: all decode");
	IS_U(c.n, 30, "netflow5.dat: 30 records");
	/* bytes 24..71: 0a000202 0a00020f ... 00000005 000000e6 ... d4a3 0016 00 10 06 */
	flow_addr_format(&c.rec[0].srcaddr, s);
	IS_STR(s, "10.0.2.2", "netflow5.dat: srcaddr");
	flow_addr_format(&c.rec[0].dstaddr, s);
	IS_STR(s, "10.0.2.15", "netflow5.dat: dstaddr");
	OK(c.rec[0].dpkts == 5 && c.rec[0].doctets == 230 && c.rec[0].srcport == 54435 &&
	    c.rec[0].dstport == 22 && c.rec[0].prot == 6 && c.rec[0].tcp_flags == 0x10,
	    "netflow5.dat: counters, ports, protocol, flags of record 1");
	OK(c.rec[0].unix_secs == 1430591888 && c.rec[0].sysuptime == 3381 &&
	    c.rec[0].first == 0xffffffffu &&
	    c.rec[0].last == 2577, "netflow5.dat: header clock and first/last of record 1");
	flow_addr_format(&c.rec[0].exaddr, s);
	IS_STR(s, "10.0.2.15", "netflow5.dat: exporter address from the caller");
	free(f);

	memset(&c, 0, sizeof c);
	f = fixture("netflow5_test_juniper_mx80.dat", &len);
	{
		struct nf_result res;

		nf_result_clear(&res);
		IS_U(nf5_decode(f, len, &ex, collect_fn, &c, &res), 29, "juniper mx80: 29 records");
	}
	/* bytes 24..31: 0a000001 c0a80002 */
	flow_addr_format(&c.rec[0].srcaddr, s);
	IS_STR(s, "10.0.0.1", "juniper mx80: srcaddr of record 1");
	flow_addr_format(&c.rec[0].dstaddr, s);
	IS_STR(s, "192.168.0.2", "juniper mx80: dstaddr of record 1");
	free(f);
}

int main(void)
{
	test_round_trip();
	test_filling();
	test_split();
	test_issue10_split_zero_packets();
	test_issue10_header_nsecs();
	test_narrow();
	test_hostile();
	test_public();
	return tap_done();
}
