/* Classic pcap records read in place (see pcap_records.h). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "packet/pcap_records.h"

#define PCAP_MAGIC_US 0xa1b2c3d4u
#define PCAP_MAGIC_NS 0xa1b23c4du
#define READ_CHUNK (64u << 10)	/* stays in L2 beside the flow table, as capture.c's stdio buffer */

static uint16_t field16(bool swapped, const uint8_t *p)
{
	uint16_t v;

	memcpy(&v, p, sizeof v);
	return swapped ? __builtin_bswap16(v) : v;
}

/*
 * magic(4) version_major(2) version_minor(2) thiszone(4) sigfigs(4)
 * snaplen(4) linktype(4); the magic, read in host order, tells the rest.
 */
bool pcap_format_parse(const uint8_t *hdr, size_t len, struct pcap_format *f)
{
	uint32_t magic, snaplen;

	if (len < PCAP_FILE_HEADER)
		return false;
	magic = pcap_field32_(false, hdr);
	f->swapped = magic == __builtin_bswap32(PCAP_MAGIC_US) ||
	    magic == __builtin_bswap32(PCAP_MAGIC_NS);
	magic = pcap_field32_(f->swapped, hdr);
	if (magic != PCAP_MAGIC_US && magic != PCAP_MAGIC_NS)
		return false;
	f->nanosecond = magic == PCAP_MAGIC_NS;
	f->signed_fraction = false;
	if (field16(f->swapped, hdr + 4) != 2 || field16(f->swapped, hdr + 6) != 4)
		return false;
	snaplen = pcap_field32_(f->swapped, hdr + 16);
	f->snapshot = snaplen == 0 || snaplen > PCAP_RECORD_MAX ? PCAP_RECORD_MAX : snaplen;
	return true;
}

int pcap_reader_open(struct pcap_reader *r, int fd)
{
	uint8_t hdr[PCAP_FILE_HEADER];

	memset(r, 0, sizeof *r);
	if (pread(fd, hdr, sizeof hdr, 0) != (ssize_t)sizeof hdr ||
	    !pcap_format_parse(hdr, sizeof hdr, &r->f))
		return why_set(&r->error, "not a classic pcap 2.4 file");
	r->fd = fd;
	r->offset = PCAP_FILE_HEADER;
	r->size = READ_CHUNK;
	r->buf = malloc(r->size);
	return r->buf ? 0 : why_set(&r->error, "out of memory");
}

void pcap_reader_free(struct pcap_reader *r)
{
	free(r->buf);
	r->buf = NULL;
}

/* Ends the reading with the reason: nothing more is read. */
static void stop_reading(struct pcap_reader *r)
{
	r->start = r->end = 0;
	r->size = 0;
}

/* The file offset of the first unread byte. */
static unsigned long long unread_at(const struct pcap_reader *r)
{
	return (unsigned long long)(r->offset - (r->end - r->start));
}

/*
 * Makes room for a record of need bytes at the front of the buffer and
 * reads what fits after the unread bytes: >0 bytes read, 0 at the end of
 * the file, -1 on a fault.
 */
static ssize_t fill(struct pcap_reader *r, size_t need)
{
	ssize_t k;

	if (r->size == 0)
		return 0;
	if (r->start > 0) {
		memmove(r->buf, r->buf + r->start, r->end - r->start);
		r->end -= r->start;
		r->start = 0;
	}
	if (need > r->size) {
		uint8_t *bigger = realloc(r->buf, need);

		if (bigger == NULL) {
			why_set(&r->error, "out of memory for a record of %zu bytes", need);
			stop_reading(r);
			return -1;
		}
		r->buf = bigger;
		r->size = need;
	}
	do
		k = pread(r->fd, r->buf + r->end, r->size - r->end, (off_t)r->offset);
	while (k < 0 && errno == EINTR);
	if (k < 0) {
		why_set(&r->error, "read error at byte %llu: %s", (unsigned long long)r->offset,
		    strerror(errno));
		stop_reading(r);
		return -1;
	}
	r->end += (size_t)k;
	r->offset += (uint64_t)k;
	return k;
}

/* The file ended inside the next record, which needs need bytes. */
static int cut(struct pcap_reader *r, size_t need)
{
	size_t have = r->end - r->start;
	unsigned long long at = unread_at(r), num = r->records + 1;

	stop_reading(r);
	if (need == PCAP_RECORD_HEADER)
		return why_set(&r->error, "truncated: packet %llu's record header at byte %llu "
		    "is cut, the file has %zu of its 16 bytes", num, at, have);
	return why_set(&r->error, "truncated: packet %llu's %zu-byte record at byte %llu "
	    "is cut, the file has %zu bytes of it", num, need, at, have);
}

int pcap_reader_next_slow(struct pcap_reader *r, struct pcap_record *rec)
{
	for (;;) {
		size_t used;
		const char *why = "";
		ssize_t k;

		switch (pcap_record_take(&r->f, r->buf + r->start, r->end - r->start, rec, &used,
		    &why)) {
		case PCAP_TAKE_RECORD:
			r->start += used;
			r->records++;
			return 1;
		case PCAP_TAKE_BAD:
			why_set(&r->error, "packet %llu's record header at byte %llu: %s (%u bytes)",
			    r->records + 1, unread_at(r), why, PCAP_RECORD_MAX);
			stop_reading(r);
			return -1;
		case PCAP_TAKE_MORE:
			break;
		}
		k = fill(r, used);
		if (k < 0)
			return -1;
		if (k == 0)
			return r->start == r->end ? 0 : cut(r, used);
	}
}
