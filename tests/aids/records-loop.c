/*
 * records-loop: the floor of pcap-flows' own reader, for its benchmark
 * beside pcap-loop: a bare loop over a classic pcap file's records
 * through pcap_records.h (what capture.c does for a named file), that
 * only counts packets and captured bytes.
 * usage: records-loop FILE
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

#include "packet/pcap_records.h"

int main(int argc, char **argv)
{
	unsigned long long packets = 0, bytes = 0;
	struct pcap_reader r;
	struct pcap_record rec;
	int fd, k;

	if (argc != 2) {
		fprintf(stderr, "usage: records-loop FILE\n");
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0) {
		perror(argv[1]);
		return 2;
	}
	if (pcap_reader_open(&r, fd) < 0) {
		fprintf(stderr, "records-loop: %s: %s\n", argv[1], r.error.text);
		return 2;
	}
	while ((k = pcap_reader_next(&r, &rec)) > 0) {
		packets++;
		bytes += rec.caplen;
	}
	if (k < 0)
		fprintf(stderr, "records-loop: %s: %s\n", argv[1], r.error.text);
	pcap_reader_free(&r);
	close(fd);
	printf("%llu packets, %llu bytes captured\n", packets, bytes);
	return k < 0 ? 1 : 0;
}
