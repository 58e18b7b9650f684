/*
 * IP reassembly for the tools that read what a datagram carries (flow-recv
 * -r, pcap-sessions); a flow meter counts fragments as they are instead.
 *
 * The fragments of one datagram (IPv4: addresses, protocol and id; IPv6:
 * addresses and the fragment header's id) are gathered until it is whole,
 * then it is handed back as one unfragmented IP packet, which pkt_decode
 * reads with the raw IP link type: the first fragment's IPv4 header (with
 * its options) with the total length set and the fragment field cleared,
 * or the IPv6 fixed header with the fragment header's next header and the
 * payload length set (extension headers before the fragment header are
 * not kept). Bytes seen twice keep their first copy; a copy that differs
 * is counted as a conflict and the datagram is still delivered.
 *
 * Bounded: at most max_datagrams incomplete datagrams and max_bytes of
 * their data are held; to make room the oldest is given up, and one not
 * whole timeout_ms after its first fragment (capture clock) is given up
 * too. Each fragment's fate is counted, nothing is lost silently.
 */
#ifndef FLOWPIPES_IPDEFRAG_H
#define FLOWPIPES_IPDEFRAG_H

#include <stddef.h>
#include <stdint.h>

#include "base/htab.h"
#include "packet/pktdecode.h"

#define IPDEFRAG_DATAGRAMS 4096		/* default max_datagrams */
#define IPDEFRAG_BYTES (16u << 20)	/* default max_bytes */
#define IPDEFRAG_TIMEOUT_MS 30000	/* default timeout, Linux's ipfrag_time */
#define IPDEFRAG_MAX 65535		/* a datagram's data never goes past this */

struct ipdefrag_limits {
	size_t max_datagrams;
	size_t max_bytes;
	uint64_t timeout_ms;
};

struct ipdefrag_stats {
	unsigned long long fragments;	/* given to ipdefrag_add */
	unsigned long long reassembled;	/* datagrams made whole */
	unsigned long long cut;		/* fragments not all captured (snapshot length) */
	unsigned long long malformed;	/* fragments whose offsets or lengths cannot be right */
	unsigned long long conflicts;	/* fragments that disagreed with bytes seen before */
	unsigned long long timed_out;	/* datagrams given up after the timeout */
	unsigned long long evicted;	/* datagrams given up to make room */
	unsigned long long held;	/* datagrams incomplete now */
	size_t peak_bytes;		/* most data held at once */
};

struct ipdefrag {
	struct ipdefrag_limits lim;
	struct htab h;			/* the incomplete datagrams, oldest first */
	size_t bytes;			/* data held */
	uint8_t *out;			/* the last datagram made whole */
	struct ipdefrag_stats st;
};

enum ipdefrag_result {
	IPDEFRAG_HELD,			/* kept; the datagram is not whole yet */
	IPDEFRAG_WHOLE,			/* this fragment completed it: *out, *outlen */
	IPDEFRAG_REFUSED		/* cut or malformed (counted; *why says which) */
};

/* limits NULL: the defaults. 0, or -1 out of memory. */
int ipdefrag_init(struct ipdefrag *d, const struct ipdefrag_limits *lim);
void ipdefrag_free(struct ipdefrag *d);
/*
 * One fragment as pkt_decode decoded it (pi->is_frag), with the frame it
 * came in: caplen bytes captured. now_ms is the capture clock, which also
 * expires what is too old. On IPDEFRAG_WHOLE the datagram lies at *out
 * for *outlen bytes until the next call.
 */
enum ipdefrag_result ipdefrag_add(struct ipdefrag *d, const uint8_t *frame, size_t caplen,
    const struct pkt_info *pi, uint64_t now_ms, const uint8_t **out, size_t *outlen,
    const char **why);
/* Gives up the datagrams whose timeout has passed at now_ms. */
void ipdefrag_expire(struct ipdefrag *d, uint64_t now_ms);
const struct ipdefrag_stats *ipdefrag_get_stats(struct ipdefrag *d);

/* Fragments refused: cut by the snapshot length or malformed. */
static inline unsigned long long ipdefrag_refused(const struct ipdefrag_stats *s)
{
	return s->cut + s->malformed;
}

/* Datagrams never made whole: timed out, evicted, or still held. */
static inline unsigned long long ipdefrag_incomplete(const struct ipdefrag_stats *s)
{
	return s->timed_out + s->evicted + s->held;
}

#endif
