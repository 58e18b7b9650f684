/*
 * Classic pcap files (format 2.4, either byte order, micro- or nanosecond
 * times) read record by record straight out of a read() buffer: no stdio
 * call and no copy a packet. libpcap's file reader makes two fread calls
 * a packet, which are most of the time a bare libpcap read loop takes;
 * capture.c lets libpcap open a named regular file (header checks, link
 * type, snapshot length, BPF) and then reads its records here. pcapng,
 * pipes, the old 2.3 and the "modified" formats stay with libpcap.
 *
 * The records' rules are libpcap's, so both readers give the same packets:
 * a record longer than the snapshot length is cut to it (the rest of its
 * data skipped), one longer than PCAP_RECORD_MAX is a broken file, and a
 * file that ends inside a record is cut. Every fault names the packet and
 * the byte of the file where it is.
 */
#ifndef FLOWPIPES_PCAP_RECORDS_H
#define FLOWPIPES_PCAP_RECORDS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "base/diag.h"

#define PCAP_FILE_HEADER 24
#define PCAP_RECORD_HEADER 16
#define PCAP_RECORD_MAX 262144	/* libpcap's largest for the link types read here */

/* What the file header says about the records after it. */
struct pcap_format {
	bool swapped;			/* written in the other byte order */
	bool nanosecond;		/* times in ns (magic a1b23c4d), else us */
	/*
	 * A time's fraction in the host's byte order is a signed number, as
	 * libpcap up to 1.10.4 reads it (1.10.5 reads it unsigned); the
	 * caller sets it to match the libpcap it runs with. Only a broken
	 * fraction, past a second, tells the difference.
	 */
	bool signed_fraction;
	uint32_t snapshot;		/* records longer are cut to this */
};

/*
 * The file header (its first PCAP_FILE_HEADER bytes): true with *f set
 * (signed_fraction false) for a classic pcap 2.4 file, false for anything
 * else (libpcap's). The snapshot length is at most PCAP_RECORD_MAX: no
 * record may be longer, so a larger one cuts nothing; 0 is that max too,
 * as libpcap has it.
 */
bool pcap_format_parse(const uint8_t *hdr, size_t len, struct pcap_format *f);

struct pcap_record {
	uint64_t ts_us;			/* seconds are unsigned 32 bits: good to 2106 */
	uint32_t caplen;		/* bytes here, at most the snapshot length */
	uint32_t wirelen;
	const uint8_t *bytes;
};

enum pcap_take {
	PCAP_TAKE_RECORD,		/* *r set; the record took *used bytes */
	PCAP_TAKE_MORE,			/* the record needs *used bytes; buf holds fewer */
	PCAP_TAKE_BAD			/* *why says what is wrong with the header */
};

/* A 32-bit field in the file's byte order; the caller has checked the length. */
static inline uint32_t pcap_field32_(bool swapped, const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof v);
	return swapped ? __builtin_bswap32(v) : v;
}

/*
 * The record at the start of buf[0, len): ts_sec(4) ts_frac(4) caplen(4)
 * wirelen(4), then caplen bytes. Inline: it runs once a packet.
 */
static inline enum pcap_take pcap_record_take(const struct pcap_format *f, const uint8_t *buf,
    size_t len, struct pcap_record *r, size_t *used, const char **why)
{
	uint32_t sec, frac, caplen;
	int64_t us;

	*used = PCAP_RECORD_HEADER;
	if (len < PCAP_RECORD_HEADER)
		return PCAP_TAKE_MORE;
	caplen = pcap_field32_(f->swapped, buf + 8);
	if (caplen > PCAP_RECORD_MAX) {
		*why = "its captured length is past the largest a record may have";
		return PCAP_TAKE_BAD;
	}
	*used = PCAP_RECORD_HEADER + (size_t)caplen;
	if (len < *used)
		return PCAP_TAKE_MORE;
	sec = pcap_field32_(f->swapped, buf);
	frac = pcap_field32_(f->swapped, buf + 4);
	/*
	 * The fraction as libpcap takes it, so that a broken one (past a
	 * second) comes out as it does through libpcap from standard input:
	 * unsigned in the other byte order (its byte swap yields unsigned),
	 * signed in the host's where signed_fraction says so; ns cut to us
	 * toward zero.
	 */
	us = f->swapped || !f->signed_fraction ? (int64_t)frac : (int64_t)(int32_t)frac;
	if (f->nanosecond)
		us /= 1000;
	r->ts_us = (uint64_t)sec * 1000000u + (uint64_t)us;
	r->caplen = caplen < f->snapshot ? caplen : f->snapshot;
	r->wirelen = pcap_field32_(f->swapped, buf + 12);
	r->bytes = buf + PCAP_RECORD_HEADER;
	return PCAP_TAKE_RECORD;
}

/* A file's records through a buffer of its own, read with pread from offset 24. */
struct pcap_reader {
	int fd;				/* not owned */
	struct pcap_format f;
	uint8_t *buf;
	size_t size;			/* of buf: grows for a record longer than it */
	size_t start, end;		/* unread bytes of buf */
	uint64_t offset;		/* of buf[end] in the file */
	unsigned long long records;	/* taken so far */
	struct why error;		/* what pcap_reader_next's -1 means, naming the packet */
};

/*
 * Reads fd's file header (pread at 0) and readies its records: 0 (free r
 * with pcap_reader_free), or -1 with r->error, for a file that is not
 * classic pcap 2.4 (libpcap's) or out of memory; nothing to free then.
 * r->f may be changed before the first record (signed_fraction).
 */
int pcap_reader_open(struct pcap_reader *r, int fd);
void pcap_reader_free(struct pcap_reader *r);
/* pcap_reader_next when the buffer does not hold the next record whole. */
int pcap_reader_next_slow(struct pcap_reader *r, struct pcap_record *rec);

/*
 * The next record, valid until the next call: 1, 0 at the end of the
 * file, -1 with r->error (cut or broken file, read error); after -1 the
 * file is not read further. Inline for a record the buffer holds.
 */
static inline int pcap_reader_next(struct pcap_reader *r, struct pcap_record *rec)
{
	size_t used;
	const char *why;

	if (pcap_record_take(&r->f, r->buf + r->start, r->end - r->start, rec, &used, &why) !=
	    PCAP_TAKE_RECORD)
		return pcap_reader_next_slow(r, rec);
	r->start += used;
	r->records++;
	return 1;
}

#endif
