/*
 * libFuzzer target for the classic pcap record reader: the input is a
 * capture file (a valid header is put in front when it has none), read
 * through a memory file as capture.c reads a regular file. Every record
 * handed back must lie inside the reader's buffer, at most the snapshot
 * length long; reading ends (the end or an error), it never loops.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "packet/pcap_records.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t classic_le[PCAP_FILE_HEADER] = {
	0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0, 0, 101, 0, 0, 0
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcap_format f;
	struct pcap_reader r;
	struct pcap_record rec;
	unsigned long long n = 0;
	volatile uint8_t sink = 0;	/* every byte read for real, so ASan sees it */
	int fd = memfd_create("fuzz-pcap", 0), k;

	if (fd < 0)
		return 0;
	if (!pcap_format_parse(data, size, &f) &&
	    write(fd, classic_le, sizeof classic_le) != (ssize_t)sizeof classic_le)
		abort();
	if (write(fd, data, size) != (ssize_t)size)
		abort();
	if (pcap_reader_open(&r, fd) < 0)
		abort();		/* the file starts with a header it takes */
	while ((k = pcap_reader_next(&r, &rec)) == 1) {
		if (rec.caplen > r.f.snapshot || rec.bytes < r.buf || rec.bytes + rec.caplen > r.buf + r.size)
			abort();
		for (uint32_t i = 0; i < rec.caplen; i++)
			sink ^= rec.bytes[i];
		if (++n > size)
			abort();		/* a record is at least 16 bytes */
	}
	if (k < 0 && r.error.text[0] == '\0')
		abort();
	pcap_reader_free(&r);
	close(fd);
	return 0;
}
