/*
 * Capture sources for packet tools: saved captures (pcap or pcapng; several
 * files read in order as one capture, "-" for standard input) or one live
 * interface, with a BPF filter, promiscuous mode, snapshot length and a
 * drop of root (-Z) once everything is open. Packets leave by one callback,
 * in input order; a live capture also ticks with the wall clock so its
 * caller can expire state while no packets come.
 *
 * SIGINT, SIGTERM and SIGUSR1 (base/runsignals.h) get in at every read
 * of a pipe or standard input, also while it waits (packet/sigfile.h),
 * between runs of 4096 packets of a regular file, and in the wait of a
 * live capture: a stop ends the input within 4096 packets (a live
 * capture first reads the packets the kernel already holds, for at most
 * a second), and SIGUSR1 reaches the report callback (from within the
 * wait, when a pipe has gone quiet). The module names
 * its inputs, so it prints its own faults (base/diag.h): an input that
 * cannot be opened, a bad filter, a link type pkt_decode does not know,
 * a read error (counted, and the run goes on with the next file).
 * Built on libpcap: a tool that uses it puts -lpcap in cmd/<tool>/LIBS.
 * A named classic pcap file is opened by libpcap and its records are read
 * by pcap_records.h (the same packets, without two stdio calls each).
 */
#ifndef FLOWPIPES_CAPTURE_H
#define FLOWPIPES_CAPTURE_H

#include <stdbool.h>
#include <stdint.h>

#define CAPTURE_SNAPLEN_MAX 262144	/* -s 0 and the default, as tcpdump */
#define CAPTURE_TICK_MS 500		/* live: the longest wait between ticks */

struct capture_opts {
	const char *const *files;	/* in order; none: standard input */
	int nfiles;
	const char *iface;		/* live capture instead of files */
	bool promisc;
	int snaplen;			/* live; 0 is CAPTURE_SNAPLEN_MAX */
	const char *filter;		/* BPF expression, or NULL */
	const char *user;		/* drop root to this user once open, or NULL */
	bool stop_on_error;		/* a read error ends the run (--strict) */
};

/* One packet as its source gave it. */
struct capture_pkt {
	const char *source;		/* file name, "stdin" or the interface */
	unsigned long long num;		/* packet number in its source, from 1 */
	int linktype;			/* LINKTYPE_/DLT_ value, as pkt_decode takes it */
	uint32_t ifindex;		/* live: the interface's index; files: 0 */
	uint64_t ts_us;			/* microseconds since 1970 (classic pcap: to 2106) */
	uint32_t caplen, wirelen;
	const uint8_t *bytes;		/* caplen bytes, valid during the callback */
};

struct capture_calls {
	void (*on_packet)(void *ctx, const struct capture_pkt *p);
	/* live: before the first packet, at least every CAPTURE_TICK_MS, and at the end */
	void (*on_tick)(void *ctx, uint64_t wall_us);
	/* SIGUSR1 (may be NULL); capture_stats() is fresh */
	void (*on_report)(void *ctx);
	void *ctx;
};

struct capture_stats {
	unsigned long long packets;	/* handed to on_packet */
	unsigned long long read_errors;	/* inputs whose reading failed */
	unsigned long long kernel_drops; /* live: dropped by the kernel or the interface */
	bool live;
};

struct capture;

/* Opens every input, then drops root. NULL after a message. */
struct capture *capture_open(const struct capture_opts *o);
/*
 * Reads every input to its end, a stop signal or capture_stop().
 * 0, or -1 after a message when a live capture fails.
 */
int capture_run(struct capture *c, const struct capture_calls *calls);
/* From a callback: no packet after this one. */
void capture_stop(struct capture *c);
void capture_get_stats(struct capture *c, struct capture_stats *st);
bool capture_is_live(const struct capture *c);
void capture_close(struct capture *c);
/*
 * Whether the libpcap this runs with reads a classic pcap time's fraction
 * in the host's byte order as a signed number (up to 1.10.4; 1.10.5 on:
 * unsigned), which pcap_records then does too (struct pcap_format).
 */
bool capture_signed_fraction(void);

#endif
