/*
 * The export header of a NetFlow v5, v9 or IPFIX datagram, read on its
 * own: what a collector tracks per exporter beside the records (the
 * sequence number and what it counts, the source id / observation
 * domain, the exporter's clock). IPFIX messages may lie back to back in
 * one datagram: each has its header, and `length` says where the next
 * one starts.
 */
#ifndef FLOWPIPES_NF_HEADER_H
#define FLOWPIPES_NF_HEADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"

struct nf_header {
	unsigned version;	/* 5, 9 or 10 */
	unsigned count;		/* v5 records, v9 records of all kinds (not trusted);
				   IPFIX 0 */
	size_t length;		/* bytes: v5 24 + 48 * count, IPFIX the message length, v9
				   all */
	bool has_uptime;	/* v5 and v9 carry sysUptime */
	uint32_t sysuptime;	/* ms */
	uint32_t export_secs;	/* unix seconds */
	uint32_t sequence;	/* v5 flows, v9 datagrams, IPFIX data records before this
				   message */
	uint32_t domain;	/* v5 engine type << 8 | engine id, v9 source id, IPFIX domain */
	uint16_t sampling;	/* v5 sampling_interval as sent: mode << 14 | interval */
};

/*
 * Reads the header at p (len bytes left). 0, or -1 with the reason in w
 * (too short, unknown version, a length past len).
 */
int nf_header_read(const uint8_t *p, size_t len, struct nf_header *h, struct why *w);

#endif
