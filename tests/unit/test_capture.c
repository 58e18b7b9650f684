/*
 * capture: saved captures written byte by byte below (classic pcap, raw
 * IP), read through the module: packet order and numbering per source,
 * times (also past 2038), lengths, a cut file counted as a read error,
 * --strict's stop, a stop from the packet callback, SIGUSR1 and SIGTERM
 * let in while a long regular file is read, and SIGUSR1 reported while a
 * pipe waits for data.
 */
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/diag.h"
#include "base/runsignals.h"
#include "packet/capture.h"
#include "packet/pktdecode.h"
#include "tap.h"

#define MAXP 8

struct seen {
	int n;
	char source[MAXP][64];
	unsigned long long num[MAXP];
	uint64_t ts_us[MAXP];
	uint32_t caplen[MAXP], wirelen[MAXP];
	int linktype[MAXP];
	uint8_t first[MAXP];
	int stop_after;			/* capture_stop after this many, 0: never */
	struct capture *cap;
};

static void put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);		/* little-endian host: the pcap magic says so */
}

static void pcap_header(FILE *f)
{
	put32(f, 0xa1b2c3d4);
	put32(f, 2 | 4u << 16);		/* version 2.4 */
	put32(f, 0);
	put32(f, 0);
	put32(f, 65535);
	put32(f, PKT_LINK_RAW);
}

/* A record of caplen bytes (0x45, then n) of a wirelen-byte packet. */
static void record(FILE *f, uint32_t sec, uint32_t usec, uint32_t caplen, uint32_t wirelen,
    uint8_t n)
{
	put32(f, sec);
	put32(f, usec);
	put32(f, caplen);
	put32(f, wirelen);
	for (uint32_t i = 0; i < caplen; i++)
		fputc(i == 0 ? 0x45 : n, f);
}

static char *file(const char *name)
{
	static char path[4][256];
	static int k;
	char *p = path[k++ % 4];

	snprintf(p, sizeof path[0], "%s/%ld-%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp",
	    (long)getpid(), name);
	return p;
}

static void on_packet(void *ctx, const struct capture_pkt *p)
{
	struct seen *s = ctx;

	if (s->n < MAXP) {
		snprintf(s->source[s->n], sizeof s->source[0], "%s", p->source);
		s->num[s->n] = p->num;
		s->ts_us[s->n] = p->ts_us;
		s->caplen[s->n] = p->caplen;
		s->wirelen[s->n] = p->wirelen;
		s->linktype[s->n] = p->linktype;
		s->first[s->n] = p->caplen > 1 ? p->bytes[1] : 0;
	}
	s->n++;
	if (s->stop_after && s->n == s->stop_after)
		capture_stop(s->cap);
}

/*
 * Signals raised from the packet callback, blocked as in a tool: SIGUSR1
 * at packet usr1_at, SIGTERM at term_at; when the report came.
 */
struct signalled {
	int n, usr1_at, term_at;
	int reported_at;		/* packets seen when on_report ran, 0: never */
};

static void raise_on_packet(void *ctx, const struct capture_pkt *p)
{
	struct signalled *s = ctx;

	(void)p;
	s->n++;
	if (s->n == s->usr1_at)
		raise(SIGUSR1);
	if (s->n == s->term_at)
		raise(SIGTERM);
}

static void count_report(void *ctx)
{
	struct signalled *s = ctx;

	if (s->reported_at == 0)
		s->reported_at = s->n;
}

/*
 * A capture of n 20-byte raw IP packets, all with TOS 2 but those whose
 * index (from 0) is in marked (TOS 1); cut: a record header cut short at
 * the end. Returns its path.
 */
static const char *long_file(const char *name, uint32_t n, const uint32_t *marked, int nmarked,
    bool cut)
{
	const char *path = file(name);
	FILE *f = fopen(path, "wb");
	int m = 0;

	if (f == NULL)
		return path;		/* the capture_open that follows fails and says so */
	pcap_header(f);
	for (uint32_t i = 0; i < n; i++) {
		bool mark = m < nmarked && marked[m] == i;

		m += mark;
		record(f, 1700000000u + i / 1000, i % 1000 * 1000, 20, 20, mark ? 1 : 2);
	}
	if (cut)
		put32(f, 1700000100u);
	fclose(f);
	return path;
}

/* Reads the capture (NULL: standard input) with the filter; st and *s filled. */
static bool read_signalled(const char *path, const char *filter, struct signalled *s,
    struct capture_stats *st)
{
	const char *files[] = { path };
	struct capture_opts o = { .files = files, .nfiles = path ? 1 : 0, .filter = filter };
	struct capture_calls calls = { .on_packet = raise_on_packet, .on_report = count_report,
		.ctx = s };
	struct capture *c = capture_open(&o);

	if (c == NULL)
		return false;
	capture_run(c, &calls);
	capture_get_stats(c, st);
	capture_close(c);
	return true;
}

/* A regular file never waits for input: signals must still get in while it is read. */
static void test_signals_in_a_long_file(void)
{
	static const uint32_t two[] = { 0, 29999 };
	struct signalled s = { .usr1_at = 10, .term_at = 20000 };
	struct capture_stats st;
	const char *path = long_file("fp-capture-big.pcap", 40000, NULL, 0, false);
	int fd;

	run_signals_install();
	OK(read_signalled(path, NULL, &s, &st), "a 40000-packet file opens");
	OK(s.reported_at > s.usr1_at && s.reported_at <= s.usr1_at + 4096,
	    "SIGUSR1 at packet 10: the report comes within 4096 packets (at %d)", s.reported_at);
	OK(s.n >= s.term_at && s.n <= s.term_at + 4096,
	    "SIGTERM at packet 20000: reading stops within 4096 packets (at %d of 40000)", s.n);
	OK(run_stop, "the stop is seen");
	run_stop = 0;

	/* a filter that lets packets 1 and 30000 through: a stop at the first ends the read */
	path = long_file("fp-capture-big.pcap", 40000, two, 2, false);
	s = (struct signalled){ .term_at = 1 };
	OK(read_signalled(path, "ip[1] = 1", &s, &st), "a filtered 40000-packet file opens");
	IS_U(s.n, 1, "a filter: SIGTERM at the first packet it passes is seen before the second, "
	    "29999 packets on");
	run_stop = 0;

	/* a stop does not hide that the file is cut */
	path = long_file("fp-capture-big.pcap", 100, NULL, 0, true);
	s = (struct signalled){ .term_at = 1 };
	OK(read_signalled(path, NULL, &s, &st), "a cut 100-packet file opens");
	IS_U(st.read_errors, 1, "the cut is a read error though SIGTERM came at packet 1");
	run_stop = 0;

	/* standard input that is a regular file: always ready, never waits */
	path = long_file("fp-capture-big.pcap", 40000, NULL, 0, false);
	fd = open(path, O_RDONLY);
	OK(fd >= 0 && dup2(fd, 0) == 0, "the file is standard input");
	if (fd >= 0)
		close(fd);
	s = (struct signalled){ .term_at = 10 };
	OK(read_signalled(NULL, NULL, &s, &st), "standard input opens");
	OK(s.n >= 10 && s.n <= 10 + 4096,
	    "standard input: SIGTERM at packet 10 stops the read within 4096 packets (at %d)", s.n);
	run_stop = 0;
	unlink(path);
}

/* A pipe's writer that sends a few packets, then SIGUSR1, then goes quiet. */
struct quiet {
	pid_t writer;
	int n;
	int reported_at;		/* packets seen when on_report ran, -1: never */
};

static void quiet_packet(void *ctx, const struct capture_pkt *p)
{
	(void)p;
	((struct quiet *)ctx)->n++;
}

/* The report: noted, and the writer ended, so the pipe closes and the read ends. */
static void quiet_report(void *ctx)
{
	struct quiet *q = ctx;

	if (q->reported_at < 0)
		q->reported_at = q->n;
	kill(q->writer, SIGKILL);
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/*
 * SIGUSR1 while standard input, a pipe, waits for more: the report comes
 * then, not when more data comes or the writer closes (5 s later here).
 */
static void test_usr1_on_a_quiet_pipe(void)
{
	struct capture_opts o = { .nfiles = 0 };
	struct capture_calls calls = { .on_packet = quiet_packet, .on_report = quiet_report };
	struct quiet q = { .reported_at = -1 };
	struct capture *c;
	struct timespec t0;
	double took;
	int p[2];

	if (pipe(p) < 0 || (q.writer = fork()) < 0) {
		OK(false, "a pipe and a writer");
		return;
	}
	if (q.writer == 0) {
		FILE *f = fdopen(p[1], "wb");

		close(p[0]);
		pcap_header(f);
		for (uint32_t i = 0; i < 3; i++)
			record(f, 1700000000u, i, 20, 20, 1);
		fflush(f);
		usleep(200000);
		kill(getppid(), SIGUSR1);
		sleep(5);
		_exit(0);
	}
	close(p[1]);
	dup2(p[0], 0);
	close(p[0]);
	run_signals_install();
	clock_gettime(CLOCK_MONOTONIC, &t0);
	calls.ctx = &q;
	c = capture_open(&o);
	OK(c != NULL, "a pipe as standard input opens");
	if (c != NULL) {
		capture_run(c, &calls);
		capture_close(c);
	}
	took = seconds_since(&t0);
	kill(q.writer, SIGKILL);
	waitpid(q.writer, NULL, 0);
	IS_U(q.reported_at, 3, "SIGUSR1 while the pipe waits: the report comes, after the 3 packets sent");
	OK(took < 2.5, "and at once, not when the writer closes 5 s later (the read took %.1f s)", took);
}

/* Reads the files; fills *seen and *st; -1 when they could not be opened. */
static int read_all(const char **files, int n, bool strict, int stop_after, struct seen *seen,
    struct capture_stats *st)
{
	struct capture_opts o = { .files = files, .nfiles = n, .stop_on_error = strict };
	struct capture_calls calls = { .on_packet = on_packet, .ctx = seen };
	struct capture *c = capture_open(&o);

	memset(seen, 0, sizeof *seen);
	seen->stop_after = stop_after;
	if (c == NULL)
		return -1;
	seen->cap = c;
	capture_run(c, &calls);
	capture_get_stats(c, st);
	capture_close(c);
	return 0;
}

int main(void)
{
	const char *a = file("fp-capture-a.pcap"), *b = file("fp-capture-b.pcap");
	const char *cut = file("fp-capture-cut.pcap");
	struct capture_stats st;
	struct seen s;
	FILE *f;

	diag_init("test_capture");
	f = fopen(a, "wb");
	pcap_header(f);
	record(f, 2147483649u, 5, 28, 40, 1);	/* 2038-01-19 03:14:09, past 2^31 s */
	record(f, 4294967295u, 999999, 20, 20, 2);	/* the last second of 2106-02-07 */
	fclose(f);
	f = fopen(b, "wb");
	pcap_header(f);
	record(f, 1700000000u, 250000, 24, 24, 3);
	fclose(f);
	f = fopen(cut, "wb");
	pcap_header(f);
	record(f, 1700000001u, 0, 24, 24, 4);
	put32(f, 1700000002u);		/* a record header cut in the middle */
	fclose(f);

	const char *ab[] = { a, b };
	OK(read_all(ab, 2, false, 0, &s, &st) == 0, "two files open");
	IS_U(s.n, 3, "three packets, in file order");
	IS_STR(s.source[0], a, "first packet names its file");
	IS_U(s.num[0], 1, "numbered from 1");
	IS_U(s.num[1], 2, "second packet of the first file");
	IS_STR(s.source[2], b, "then the second file");
	IS_U(s.num[2], 1, "numbered from 1 again in the second file");
	IS_U(s.ts_us[0], 2147483649000005ull, "issue 10.2: seconds past 2^31 stay unsigned");
	IS_U(s.ts_us[1], 4294967295999999ull, "issue 10.2: the last classic pcap second");
	IS_U(s.ts_us[2], 1700000000250000ull, "microseconds kept");
	OK(s.caplen[0] == 28 && s.wirelen[0] == 40, "captured and wire lengths");
	/* libpcap hands LINKTYPE_RAW (101) over as DLT_RAW (12 on Linux) */
	IS_STR(pkt_link_name(s.linktype[0]), "raw IP", "link type as libpcap gives it");
	OK(s.first[0] == 1 && s.first[1] == 2 && s.first[2] == 3, "each packet's own bytes");
	OK(st.packets == 3 && st.read_errors == 0 && !st.live, "counted: 3 packets, no read error");

	const char *cb[] = { cut, b };
	OK(read_all(cb, 2, false, 0, &s, &st) == 0, "a cut file opens");
	IS_U(st.read_errors, 1, "the cut is a read error");
	IS_U(s.n, 2, "its whole packet and the next file's are read");
	OK(read_all(cb, 2, true, 0, &s, &st) == 0, "again with stop_on_error");
	IS_U(s.n, 1, "stop_on_error: the next file is not read");

	OK(read_all(ab, 2, false, 1, &s, &st) == 0, "a stop from the callback");
	IS_U(s.n, 1, "no packet after capture_stop");

	const char *none[] = { file("fp-capture-none.pcap") };
	OK(read_all(none, 1, false, 0, &s, &st) < 0, "a missing file fails to open");
	test_signals_in_a_long_file();
	test_usr1_on_a_quiet_pipe();
	unlink(a);
	unlink(b);
	unlink(cut);
	return tap_done();
}
