/*
 * ptee: copies each input line unchanged to stdout and logs it to syslog,
 * the ptee of nfflowd. A line goes downstream the moment it arrives; a
 * syslog daemon that is down or stuck costs log lines (counted and
 * reported), never the pipe.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <unistd.h>

#include "line/linereader.h"
#include "base/optnum.h"
#include "priority.h"
#include "base/runsignals.h"
#include "syslog_sink.h"
#include "base/version.h"

#define PROG "ptee"
#define TAG_MAX 64
#define SIZE_MIN 64
#define SIZE_MAX_OPT 60000
/* markers around the pieces of a line logged in several messages */
#define MARK_MORE " [...]"
#define MARK_CONT "[...] "

static struct options {
	const char *tag;
	const char *socket;
	const char *append;
	const char *input;
	int pri;
	bool to_stderr;
	size_t size;
} opt = {
	.tag = PROG,
	.socket = "/dev/log",
	.pri = SYSLOG_PRI(SYSLOG_FACILITY_LOCAL6, SYSLOG_LEVEL_NOTICE),	/* as nfflowd logged */
	.size = 4096,
};

struct ptee {
	struct line_reader lr;
	struct syslog_sink log;
	int append_fd;		/* -1: no -a, or it failed */
	bool append_failed;
	bool in_line;		/* the last piece handled was not the end of its line */
	bool line_lost;		/* a piece of the current line was not logged */
	bool downstream_gone;	/* EPIPE on stdout */
	bool fatal;
	unsigned long lines, lost_lines, unappended_lines;
};

static void usage(FILE *fp)
{
	fprintf(fp,
		"usage: " PROG " [-s] [-t tag] [-p [facility.]level] [-u socket] [-a file] [-S size] [-r file]\n"
		"  copies each input line to stdout unchanged and logs it to syslog\n"
		"  -t tag     syslog tag (default ptee)\n"
		"  -p pri     facility.level or level, names or numbers (default local6.notice)\n"
		"  -u socket  the syslog datagram socket (default /dev/log)\n"
		"  -s         also copy each line to stderr\n"
		"  -a file    also append each line to file\n"
		"  -S size    longest line logged in one message, in bytes (default 4096);\n"
		"             longer ones are logged in pieces marked \"" MARK_MORE "\" / \"" MARK_CONT "\"\n"
		"  -r file    read file instead of stdin\n"
		"  -h, --help this text; --version the version\n"
		"exit: 0 all copied and logged, 1 some lines not logged or appended, 2 usage or fatal error\n");
}

/* Writes every byte of iov (short writes and EINTR retried). 0, or -1 with errno. */
static int writev_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		size_t done = (size_t)w;
		while (n > 0 && done >= iov->iov_len) {
			done -= iov->iov_len;
			iov++;
			n--;
		}
		if (n > 0) {
			iov->iov_base = (char *)iov->iov_base + done;
			iov->iov_len -= done;
		}
	}
	return 0;
}

/*
 * One piece of a line (a whole line, or a part of a long one when more is
 * true): downstream first, then the other copies, then syslog, so what is
 * logged has always gone down the pipe.
 */
static void pass(struct ptee *p, const char *text, size_t len, const char *term, bool more)
{
	struct iovec iov[2];

	iov[0] = (struct iovec){ (void *)text, len };
	iov[1] = (struct iovec){ (void *)term, strlen(term) };
	if (writev_all(STDOUT_FILENO, iov, 2) < 0) {
		if (errno == EPIPE) {
			p->downstream_gone = true;
		} else {
			fprintf(stderr, PROG ": stdout: %s\n", strerror(errno));
			p->fatal = true;
		}
		return;
	}
	if (opt.to_stderr) {
		iov[0] = (struct iovec){ (void *)text, len };
		iov[1] = (struct iovec){ (void *)term, strlen(term) };
		(void)writev_all(STDERR_FILENO, iov, 2);
	}
	if (p->append_fd >= 0) {
		iov[0] = (struct iovec){ (void *)text, len };
		iov[1] = (struct iovec){ (void *)term, strlen(term) };
		if (writev_all(p->append_fd, iov, 2) < 0) {
			fprintf(stderr, PROG ": %s: %s; no longer appending to it\n", opt.append, strerror(errno));
			close(p->append_fd);
			p->append_fd = -1;
			p->append_failed = true;
		}
	}
	if (syslog_sink_send(&p->log, p->in_line ? MARK_CONT : "", text, len, more ? MARK_MORE : "") < 0)
		p->line_lost = true;
	p->in_line = more;
	if (more)
		return;
	p->lines++;
	if (p->line_lost)
		p->lost_lines++;
	if (p->append_failed)
		p->unappended_lines++;
	p->line_lost = false;
}

static void report(const struct ptee *p)
{
	fprintf(stderr, PROG ": %lu lines, %lu log messages sent, %lu lines not logged, %lu reconnects; syslog %s %s\n",
		p->lines, p->log.sent, p->lost_lines, p->log.reconnects, opt.socket,
		p->log.fd < 0 ? "unreachable" : p->log.stalled ? "not reading" : "connected");
}

/* Stopping on a signal: pass on what was read, even a line still missing its newline. */
static void drain(struct ptee *p)
{
	line_reader_stop(&p->lr);
	while (!p->downstream_gone && !p->fatal && line_reader_next(&p->lr) == LINE_OK)
		pass(p, p->lr.line, p->lr.len, p->lr.eol, p->lr.partial);
}

static void run(struct ptee *p)
{
	while (!p->downstream_gone && !p->fatal) {
		if (run_usr1) {
			run_usr1 = 0;
			report(p);
		}
		if (run_stop) {
			drain(p);
			return;
		}
		/* poll with a timeout, so a signal that lands just before a blocking read is seen */
		if (!line_reader_ready(&p->lr)) {
			int w = line_reader_wait(&p->lr, 1000);
			if (w < 0 && errno != EINTR) {
				fprintf(stderr, PROG ": %s: %s\n", p->lr.name, strerror(errno));
				p->fatal = true;
			}
			if (w <= 0)
				continue;
		}
		switch (line_reader_next(&p->lr)) {
		case LINE_OK:
			pass(p, p->lr.line, p->lr.len, p->lr.eol, p->lr.partial);
			break;
		case LINE_INTR:
			break;
		case LINE_EOF:
			return;
		case LINE_IOERR:
			fprintf(stderr, PROG ": %s: read error: %s\n", p->lr.name, strerror(errno));
			p->fatal = true;
			return;
		}
	}
}

/* A tag goes into the message header: no blanks or characters that end it there. */
static bool valid_tag(const char *t)
{
	size_t n = strlen(t);

	if (n == 0 || n > TAG_MAX)
		return false;
	for (size_t i = 0; i < n; i++)
		if (t[i] <= ' ' || t[i] > '~' || t[i] == ':' || t[i] == '[' || t[i] == ']')
			return false;
	return true;
}

static int bad_usage(const char *fmt, const char *arg)
{
	fprintf(stderr, PROG ": ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	usage(stderr);
	return 2;
}

static int parse_options(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' },
		{ NULL, 0, NULL, 0 }
	};
	const char *why;
	uint64_t size;
	int c;

	opterr = 0;	/* messages start with the tool's name, not argv[0] */
	while ((c = getopt_long(argc, argv, ":t:p:u:sa:S:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!valid_tag(optarg))
				return bad_usage("-t %s: a tag is 1 to 64 printable characters without blanks, ':', '[' or ']'", optarg);
			opt.tag = optarg;
			break;
		case 'p':
			if (syslog_priority_parse(optarg, SYSLOG_FACILITY_LOCAL6, &opt.pri, &why) < 0) {
				fprintf(stderr, PROG ": -p %s: %s\n", optarg, why);
				return 2;
			}
			break;
		case 'u':
			if (optarg[0] == '\0' || strlen(optarg) >= sizeof(((struct sockaddr_un *)0)->sun_path))
				return bad_usage("-u %s: a socket path is 1 to 107 bytes", optarg);
			opt.socket = optarg;
			break;
		case 's':
			opt.to_stderr = true;
			break;
		case 'a':
			opt.append = optarg;
			break;
		case 'S':
			if (optnum_count(optarg, SIZE_MAX_OPT, &size) < 0 || size < SIZE_MIN)
				return bad_usage("-S %s: a size from 64 to 60000 bytes", optarg);
			opt.size = (size_t)size;
			break;
		case 'r':
			opt.input = optarg;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		case 'V':
			printf(PROG " flowpipes " FLOWPIPES_VERSION "\n");
			exit(0);
		case ':':
			return bad_usage("option -%s needs an argument", (char[]){ (char)optopt, '\0' });
		default:
			if (strncmp(argv[optind - 1], "--", 2) == 0 || optopt == 0)
				return bad_usage("bad option %s", argv[optind - 1]);
			return bad_usage("unknown option -%s", (char[]){ (char)optopt, '\0' });
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument %s", argv[optind]);
	return 0;
}

int main(int argc, char **argv)
{
	struct ptee p = { .append_fd = -1 };
	int rc = parse_options(argc, argv);

	if (rc != 0)
		return rc;
	if (opt.append != NULL) {
		p.append_fd = open(opt.append, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
		if (p.append_fd < 0) {
			fprintf(stderr, PROG ": %s: %s\n", opt.append, strerror(errno));
			return 2;
		}
	}
	if (line_reader_open(&p.lr, opt.input, opt.size) < 0) {
		fprintf(stderr, PROG ": %s: %s\n", opt.input ? opt.input : "stdin", strerror(errno));
		if (p.append_fd >= 0)
			close(p.append_fd);
		return 2;
	}
	run_signals_install();
	syslog_sink_open(&p.log, PROG, opt.socket, opt.tag, opt.pri);
	run(&p);

	if (p.lost_lines > 0)
		fprintf(stderr, PROG ": %lu of %lu lines not logged to syslog %s\n", p.lost_lines, p.lines, opt.socket);
	if (p.unappended_lines > 0)
		fprintf(stderr, PROG ": %lu of %lu lines not appended to %s\n", p.unappended_lines, p.lines, opt.append);
	syslog_sink_close(&p.log);
	line_reader_close(&p.lr);
	if (p.append_fd >= 0 && close(p.append_fd) < 0 && !p.append_failed) {
		fprintf(stderr, PROG ": %s: %s\n", opt.append, strerror(errno));
		p.unappended_lines++;
	}
	if (p.fatal)
		return 2;
	return p.lost_lines > 0 || p.unappended_lines > 0 ? 1 : 0;
}
