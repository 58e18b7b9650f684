/*
 * pcap_records: classic pcap files written byte by byte below (both byte
 * orders, micro- and nanosecond times, records longer than the snapshot
 * length, longer than the read buffer, longer than any link type allows,
 * cut at every byte), each read by pcap_reader and by libpcap itself
 * (pcap_next_ex, microsecond precision): the two must give the same
 * packets, bytes and times, and end the same way (the end of the file or
 * an error after the same packet). Then the values by hand.
 */
#include <arpa/inet.h>
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <unistd.h>

#include "packet/capture.h"
#include "packet/pcap_records.h"
#include "tap.h"

static char path[256];

/* A file being written: its bytes, in the byte order it declares. */
struct out {
	uint8_t *b;
	size_t len, cap;
	bool big;			/* big-endian fields */
};

static void put(struct out *o, const void *p, size_t n)
{
	if (o->len + n > o->cap) {
		o->cap = (o->len + n) * 2;
		o->b = realloc(o->b, o->cap);
		if (o->b == NULL)
			abort();
	}
	memcpy(o->b + o->len, p, n);
	o->len += n;
}

static void put32(struct out *o, uint32_t v)
{
	uint8_t b[4];

	for (int i = 0; i < 4; i++)
		b[o->big ? 3 - i : i] = (uint8_t)(v >> (8 * i));
	put(o, b, 4);
}

static void put16(struct out *o, uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(o->big ? v >> 8 : v), (uint8_t)(o->big ? v : v >> 8) };

	put(o, b, 2);
}

static void header(struct out *o, bool big, bool ns, uint32_t snaplen)
{
	o->len = 0;
	o->big = big;
	put32(o, ns ? 0xa1b23c4du : 0xa1b2c3d4u);
	put16(o, 2);
	put16(o, 4);
	put32(o, 0);
	put32(o, 0);
	put32(o, snaplen);
	put32(o, 101);			/* LINKTYPE_RAW */
}

/* A record of caplen bytes, byte i being (seed + i) & 0xff. */
static void record(struct out *o, uint32_t sec, uint32_t frac, uint32_t caplen, uint32_t wirelen,
    uint8_t seed)
{
	put32(o, sec);
	put32(o, frac);
	put32(o, caplen);
	put32(o, wirelen);
	for (uint32_t i = 0; i < caplen; i++) {
		uint8_t c = (uint8_t)(seed + i);
		put(o, &c, 1);
	}
}

static void save(const struct out *o, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (f == NULL || fwrite(o->b, 1, len, f) != len || fclose(f) != 0)
		abort();
}

/*
 * Reads path with both readers and compares: true when every packet and
 * the ending agree. *n gets the packets, *failed whether the end was an
 * error.
 */
static bool same_as_libpcap(unsigned long long *n, bool *failed)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_MICRO,
	    errbuf);
	int fd = open(path, O_RDONLY);
	struct pcap_reader r;
	bool same = true;
	int a, b;

	*n = 0;
	if (p == NULL || fd < 0 || pcap_reader_open(&r, fd) < 0)
		abort();
	r.f.signed_fraction = capture_signed_fraction();	/* as capture.c sets it */
	/* capture.c takes a file when these agree (a snapshot past the max cuts nothing) */
	same = r.f.snapshot == ((uint32_t)pcap_snapshot(p) < PCAP_RECORD_MAX ?
	    (uint32_t)pcap_snapshot(p) : PCAP_RECORD_MAX);
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		struct pcap_record rec;

		a = pcap_next_ex(p, &h, &data);
		b = pcap_reader_next(&r, &rec);
		if (a != 1 || b != 1)
			break;
		++*n;
		if ((uint64_t)(uint32_t)h->ts.tv_sec * 1000000u + (uint64_t)h->ts.tv_usec !=
		    rec.ts_us || h->caplen != rec.caplen || h->len != rec.wirelen ||
		    memcmp(data, rec.bytes, rec.caplen) != 0) {
			printf("#   packet %llu differs\n", *n);
			same = false;
		}
	}
	/* libpcap: -2 at the end, -1 on an error; pcap_reader_next: 0 and -1 */
	*failed = b < 0;
	if (!((a == PCAP_ERROR_BREAK && b == 0) || (a == PCAP_ERROR && b < 0))) {
		printf("#   after %llu packets libpcap gave %d (%s), pcap_reader %d (%s)\n", *n, a,
		    pcap_geterr(p), b, r.error.text);
		same = false;
	}
	pcap_reader_free(&r);
	pcap_close(p);
	close(fd);
	return same;
}

/* Both byte orders, both time units: four packets each, one cut to the snapshot. */
static void test_formats(struct out *o)
{
	for (int big = 0; big < 2; big++) {
		for (int ns = 0; ns < 2; ns++) {
			unsigned long long n;
			bool failed;

			header(o, big, ns, 100);
			record(o, 1700000000u, ns ? 123456789u : 123456u, 60, 60, 1);
			record(o, 4294967295u, ns ? 999999999u : 999999u, 100, 1500, 2);
			record(o, 2147483649u, 7, 150, 150, 3);	/* past the snapshot */
			record(o, 0, 0, 0, 0, 4);
			/* broken fractions: past a second, past 2^31 */
			record(o, 1700000001u, ns ? 1000000000u : 1000000u, 20, 20, 5);
			record(o, 1700000002u, 2147483648u, 20, 20, 6);
			record(o, 1700000003u, 4294967295u, 20, 20, 7);
			save(o, o->len);
			OK(same_as_libpcap(&n, &failed) && n == 7 && !failed,
			    "%s-endian, %s: the packets libpcap gives", big ? "big" : "little",
			    ns ? "nanoseconds" : "microseconds");
		}
	}
}

/* Cut at every byte: both readers stop after the same packet, and both say it is cut. */
static void test_cut_everywhere(struct out *o)
{
	size_t whole, agreed = 0, cuts = 0;

	header(o, false, false, 65535);
	record(o, 1, 2, 30, 30, 5);
	record(o, 3, 4, 1, 1, 6);
	record(o, 5, 6, 17, 40, 7);
	whole = o->len;
	for (size_t len = PCAP_FILE_HEADER; len <= whole; len++) {
		unsigned long long n;
		bool failed;

		save(o, len);
		cuts++;
		if (same_as_libpcap(&n, &failed) && failed == (len != 24 && len != 24 + 46 &&
		    len != 24 + 46 + 17 && len != whole))
			agreed++;
		else
			printf("#   cut at byte %zu: %llu packets, %s\n", len, n,
			    failed ? "an error" : "no error");
	}
	IS_U(agreed, cuts, "cut at each of %zu bytes: the same packets as libpcap, an error "
	    "unless at a record's end", cuts);
}

/* Cuts past the first 64 kB read: after a refill, and inside a record that grows the buffer. */
static void test_cut_past_buffer(struct out *o)
{
	size_t whole, agreed = 0, cuts = 0;

	header(o, false, false, 0);
	for (int i = 0; i < 70; i++)
		record(o, 100u + (uint32_t)i, 0, 1000, 1000, (uint8_t)i);
	record(o, 200, 0, 70000, 70000, 1);
	record(o, 201, 0, 30, 30, 2);
	whole = o->len;
	for (size_t len = 60000; len <= whole; len += 97) {
		unsigned long long n;
		bool failed;

		save(o, len);
		cuts++;
		if (same_as_libpcap(&n, &failed))
			agreed++;
		else
			printf("#   cut at byte %zu: %llu packets\n", len, n);
	}
	IS_U(agreed, cuts, "cut at %zu places from byte 60000 on (refills, a 70000-byte record): "
	    "the same packets and ending as libpcap", cuts);
}

/* A record longer than the 64 kB buffer; one past 262144 bytes is broken. */
static void test_long_records(struct out *o)
{
	unsigned long long n;
	bool failed;

	header(o, false, false, 0);
	record(o, 9, 9, 40, 40, 8);
	record(o, 10, 0, 200000, 200000, 9);
	record(o, 11, 0, 262144, 300000, 10);
	record(o, 12, 0, 20, 20, 11);
	save(o, o->len);
	OK(same_as_libpcap(&n, &failed) && n == 4 && !failed,
	    "records of 200000 and 262144 bytes, past the read buffer, as libpcap reads them");

	header(o, true, false, 0);
	record(o, 9, 9, 40, 40, 8);
	record(o, 10, 0, 262145, 262145, 9);
	record(o, 11, 0, 20, 20, 11);
	save(o, o->len);
	OK(same_as_libpcap(&n, &failed) && n == 1 && failed,
	    "a record of 262145 bytes is broken, after packet 1, for both");
}

/* The values themselves, and what is not a classic pcap 2.4 header. */
static void test_by_hand(struct out *o)
{
	struct pcap_format f;
	struct pcap_record r;
	size_t used;
	const char *why = NULL;

	header(o, true, true, 100);
	OK(pcap_format_parse(o->b, o->len, &f) && f.swapped == (htonl(1) != 1) && f.nanosecond &&
	    f.snapshot == 100, "big-endian nanosecond header, snapshot 100");
	OK(!pcap_format_parse(o->b, 23, &f), "23 bytes are no header");
	o->b[5] = 3;		/* version 2.3 */
	OK(!pcap_format_parse(o->b, o->len, &f), "version 2.3 is left to libpcap");
	header(o, false, false, 0);
	o->b[0] = 0x34;		/* the modified format's a1b2cd34 */
	o->b[1] = 0xcd;
	OK(!pcap_format_parse(o->b, o->len, &f), "the modified pcap format is left to libpcap");
	header(o, false, false, 300000);
	OK(pcap_format_parse(o->b, o->len, &f) && f.snapshot == PCAP_RECORD_MAX,
	    "a snapshot length past 262144 is 262144: no record is longer");

	header(o, true, true, 100);
	pcap_format_parse(o->b, o->len, &f);
	o->len = 0;
	record(o, 1700000000u, 123456789u, 120, 1500, 0);
	IS_U(pcap_record_take(&f, o->b, 15, &r, &used, &why), PCAP_TAKE_MORE,
	    "15 bytes: more needed");
	IS_U(used, 16, "the record header first");
	IS_U(pcap_record_take(&f, o->b, 16 + 119, &r, &used, &why), PCAP_TAKE_MORE,
	    "one byte short of the record: more needed");
	IS_U(used, 136, "the whole record: 16 + 120 bytes");
	IS_U(pcap_record_take(&f, o->b, o->len, &r, &used, &why), PCAP_TAKE_RECORD, "whole: taken");
	IS_U(r.ts_us, 1700000000123456ull, "nanoseconds to microseconds, rounded down");
	OK(r.caplen == 100 && r.wirelen == 1500 && r.bytes == o->b + 16,
	    "cut to the snapshot of 100, wire length kept, bytes in place");
	o->len = 0;
	record(o, 0, 0, 0, 0, 0);
	o->b[8] = 0x01;		/* caplen 0x01000000, big-endian */
	IS_U(pcap_record_take(&f, o->b, o->len, &r, &used, &why), PCAP_TAKE_BAD,
	    "a captured length of 16 MB: broken");
	OK(why && strstr(why, "largest"), "and why: %s", why ? why : "(none)");
}

int main(void)
{
	struct out o = { 0 };

	snprintf(path, sizeof path, "%s/%ld-fp-records.pcap",
	    getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (long)getpid());
	test_formats(&o);
	test_cut_everywhere(&o);
	test_cut_past_buffer(&o);
	test_long_records(&o);
	test_by_hand(&o);
	unlink(path);
	free(o.b);
	return tap_done();
}
