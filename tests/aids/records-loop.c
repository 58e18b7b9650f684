/*
 * records-loop: the floor of pcap-flows' own reader, for its benchmark
 * beside pcap-loop: a bare loop over a classic pcap file's records
 * through pcap_records.h (what capture.c does for a named file), that
 * only counts packets and captured bytes.
 *
 * With -t MB it also adds each packet to a counter in a table of MB
 * megabytes on huge pages, as pcap-flows' tables are: one 64-byte line a
 * packet, picked by a hash of the 12 bytes that hold an untagged IPv4
 * frame's addresses and ports, and prefetched TOUCH_AHEAD packets before
 * it is written, as pcap-flows' queue does. That is the least memory
 * traffic a flow table of that size can make, so the time it adds is
 * what the table's memory costs at the least. It checks itself: the
 * table must hold every packet read, or the exit status is 1.
 * usage: records-loop [-t MB] FILE
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/htab.h"
#include "base/hugemem.h"
#include "base/optnum.h"
#include "packet/pcap_records.h"

#define TOUCH_AHEAD 8
#define FLOW_BYTES_AT 26	/* Ethernet 14 + the IPv4 header's first 12 */
#define FLOW_BYTES 12
#define MAX_MB 65536u	/* 64 GB, more than a flow table needs */

struct line {
	uint64_t packets, bytes, pad[6];
};

struct touch {
	struct line *lines;
	uint64_t count;
	uint64_t ahead[TOUCH_AHEAD];	/* lines fetched, not yet written */
	unsigned long long seen;
};

static int touch_init(struct touch *t, uint64_t mb)
{
	size_t huge = (size_t)2 << 20, bytes = (((size_t)mb << 20) + huge - 1) / huge * huge;

	memset(t, 0, sizeof *t);
	t->count = bytes / sizeof *t->lines;
	t->lines = huge_alloc(bytes);
	if (t->lines == NULL)
		return -1;
	memset(t->lines, 0, bytes);	/* touched once, as a table's memory is */
	return 0;
}

/* The line of this record (the frame's first bytes, zero-padded). */
static uint64_t touch_line(const struct touch *t, const struct pcap_record *rec)
{
	unsigned char flow[FLOW_BYTES] = { 0 };
	uint64_t h;

	if (rec->caplen >= FLOW_BYTES_AT + FLOW_BYTES)
		memcpy(flow, rec->bytes + FLOW_BYTES_AT, FLOW_BYTES);
	h = hash_bytes(flow, sizeof flow, 0);
	return (uint64_t)(((__uint128_t)h * t->count) >> 64);
}

static void touch_add(struct touch *t, const struct pcap_record *rec)
{
	uint64_t *slot = &t->ahead[t->seen % TOUCH_AHEAD];
	uint64_t line = touch_line(t, rec);

	__builtin_prefetch(&t->lines[line], 1);
	if (t->seen >= TOUCH_AHEAD) {
		t->lines[*slot].packets++;
		t->lines[*slot].bytes += rec->wirelen;
	}
	*slot = line;
	t->seen++;
}

/* The lines still waiting for their write get it (end of input). */
static void touch_flush(struct touch *t)
{
	for (unsigned long long k = t->seen > TOUCH_AHEAD ? t->seen - TOUCH_AHEAD : 0;
	    k < t->seen; k++)
		t->lines[t->ahead[k % TOUCH_AHEAD]].packets++;
}

static unsigned long long touch_total(const struct touch *t)
{
	unsigned long long total = 0;

	for (uint64_t i = 0; i < t->count; i++)
		total += t->lines[i].packets;
	return total;
}

int main(int argc, char **argv)
{
	unsigned long long packets = 0, bytes = 0;
	uint64_t mb = 0;
	unsigned long long held = 0;
	struct pcap_reader r;
	struct pcap_record rec;
	struct touch t;
	int fd, k, opt;

	while ((opt = getopt(argc, argv, "t:")) != -1) {
		if (opt != 't' || optnum_count(optarg, MAX_MB, &mb) < 0)
			goto usage;
	}
	if (optind != argc - 1)
		goto usage;
	if (mb && touch_init(&t, mb) < 0) {
		fprintf(stderr, "records-loop: out of memory for %llu MB\n", (unsigned long long)mb);
		return 2;
	}
	fd = open(argv[optind], O_RDONLY);
	if (fd < 0) {
		perror(argv[optind]);
		return 2;
	}
	if (pcap_reader_open(&r, fd) < 0) {
		fprintf(stderr, "records-loop: %s: %s\n", argv[optind], r.error.text);
		return 2;
	}
	while ((k = pcap_reader_next(&r, &rec)) > 0) {
		packets++;
		bytes += rec.caplen;
		if (mb)
			touch_add(&t, &rec);
	}
	if (k < 0)
		fprintf(stderr, "records-loop: %s: %s\n", argv[optind], r.error.text);
	pcap_reader_free(&r);
	close(fd);
	printf("%llu packets, %llu bytes captured", packets, bytes);
	if (mb) {
		touch_flush(&t);
		held = touch_total(&t);
		printf(", %llu counted in a table of %llu MB", held, (unsigned long long)mb);
		free(t.lines);
	}
	putchar('\n');
	if (mb && held != packets) {
		fprintf(stderr, "records-loop: the table holds %llu of %llu packets\n", held, packets);
		return 1;
	}
	return k < 0 ? 1 : 0;
usage:
	fprintf(stderr, "usage: records-loop [-t MB] FILE\n");
	return 2;
}
