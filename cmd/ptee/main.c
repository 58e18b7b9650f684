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

#include "base/diag.h"
#include "base/optnum.h"
#include "base/runsignals.h"
#include "line/linereader.h"
#include "line/toolopts.h"
#include "priority.h"
#include "syslog_sink.h"

#define PROG "ptee"
#define TAG_DEFAULT PROG		/* -t */
#define PRI_DEFAULT "local6.notice"	/* -p: as nfflowd logged */
#define SOCKET_DEFAULT "/dev/log"	/* -u */
#define SIZE_DEFAULT 4096		/* -S */
#define TAG_MAX 64
#define SIZE_MIN 64
#define SIZE_MAX_OPT 60000
/* markers around the pieces of a line logged in several messages */
#define MARK_MORE " [...]"
#define MARK_CONT "[...] "

struct options {
	const char *tag;
	const char *socket;
	const char *append;
	const char *input;
	int pri;
	bool to_stderr;
	size_t size;
};

struct ptee {
	const struct options *opt;
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
	    "usage: " PROG " [-s] [-t tag] [-p [facility.]level] [-u socket] [-a file] [-S size]"
	    " [-r file]\n"
	    "  copies each input line to stdout unchanged and logs it to syslog\n"
	    "  -t tag     syslog tag (default %s)\n"
	    "  -p pri     facility.level or level, names or numbers (default %s)\n"
	    "  -u socket  the syslog datagram socket (default %s)\n"
	    "  -s         also copy each line to stderr\n"
	    "  -a file    also append each line to file\n"
	    "  -S size    longest line logged in one message, in bytes (default %d);\n"
	    "             longer ones are logged in pieces marked \"" MARK_MORE "\" / \""
	    MARK_CONT "\"\n"
	    "  -r file    read file instead of stdin\n"
	    "  -h, --help this text; --version the version\n"
	    "exit: 0 all copied and logged, 1 some lines not logged or appended,"
	    " 2 usage or fatal error\n",
	    TAG_DEFAULT, PRI_DEFAULT, SOCKET_DEFAULT, SIZE_DEFAULT);
}

/* Writes every byte of iov (short writes and EINTR retried). 0, or -1 with errno. */
static int writev_all(int fd, struct iovec *iov, int n)
{
	while (n > 0) {
		ssize_t w = writev(fd, iov, n);
		size_t done;

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		done = (size_t)w;
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

/* What the syslog sink had to say since last asked. */
static void print_notes(struct ptee *p)
{
	const char *n;

	while ((n = syslog_sink_note(&p->log)) != NULL)
		diag_warn("%s", n);
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
			diag_warn_errno("stdout");
			p->fatal = true;
		}
		return;
	}
	if (p->opt->to_stderr) {
		iov[0] = (struct iovec){ (void *)text, len };
		iov[1] = (struct iovec){ (void *)term, strlen(term) };
		(void)writev_all(STDERR_FILENO, iov, 2);
	}
	if (p->append_fd >= 0) {
		iov[0] = (struct iovec){ (void *)text, len };
		iov[1] = (struct iovec){ (void *)term, strlen(term) };
		if (writev_all(p->append_fd, iov, 2) < 0) {
			diag_warn("%s: %s; no longer appending to it", p->opt->append,
			    strerror(errno));
			close(p->append_fd);
			p->append_fd = -1;
			p->append_failed = true;
		}
	}
	if (syslog_sink_send(&p->log, p->in_line ? MARK_CONT : "", text, len,
	    more ? MARK_MORE : "") < 0)
		p->line_lost = true;
	print_notes(p);
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
	diag_warn("%lu lines, %lu log messages sent, %lu lines not logged, %lu reconnects; "
	    "syslog %s %s", p->lines, p->log.sent, p->lost_lines, p->log.reconnects,
	    p->opt->socket,
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
		if (run_usr1_take())
			report(p);
		if (run_stop) {
			drain(p);
			return;
		}
		/* poll with a timeout: a signal that lands just before a blocking read is seen */
		if (!line_reader_ready(&p->lr)) {
			int w = line_reader_wait(&p->lr, 1000);
			if (w < 0 && errno != EINTR) {
				diag_warn_errno("%s", p->lr.name);
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
			diag_warn_errno("%s: read error", p->lr.name);
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
	char msg[512];

	snprintf(msg, sizeof msg, fmt, arg);
	diag_warn("%s", msg);
	usage(stderr);
	return 2;
}

/* getopt's own complaints, in the tool's name (opterr is 0). */
static int bad_option(int c, char **argv)
{
	char opt[2] = { (char)optopt, '\0' };

	if (c == ':')
		return bad_usage("option -%s needs an argument", opt);
	if (strncmp(argv[optind - 1], "--", 2) == 0 || optopt == 0)
		return bad_usage("bad option %s", argv[optind - 1]);
	return bad_usage("unknown option -%s", opt);
}

/* The defaults, named once above: usage prints the same constants. */
static void set_defaults(struct options *o)
{
	struct why w;

	*o = (struct options){ .tag = TAG_DEFAULT, .socket = SOCKET_DEFAULT, .size = SIZE_DEFAULT };
	if (syslog_priority_parse(PRI_DEFAULT, SYSLOG_FACILITY_LOCAL6, &o->pri, &w) < 0)
		abort();	/* PRI_DEFAULT is a valid priority */
}

/* 0 run, 1 exit 0 (help/version), 2 usage error */
static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, TOOLOPT_VERSION },
		{ NULL, 0, NULL, 0 }
	};
	const struct toolopts shared = { .usage = usage, .path = &o->input };
	struct why why;
	uint64_t size;
	int c, rc;

	set_defaults(o);
	opterr = 0;	/* messages start with the tool's name, not argv[0] */
	while ((c = getopt_long(argc, argv, ":t:p:u:sa:S:r:h", longopts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (!valid_tag(optarg))
				return bad_usage("-t %s: a tag is 1 to 64 printable characters "
				    "without blanks, ':', '[' or ']'", optarg);
			o->tag = optarg;
			break;
		case 'p':
			if (syslog_priority_parse(optarg, SYSLOG_FACILITY_LOCAL6, &o->pri,
			    &why) < 0) {
				diag_warn("-p %s: %s", optarg, why.text);
				return 2;
			}
			break;
		case 'u':
			if (optarg[0] == '\0' ||
			    strlen(optarg) >= sizeof(((struct sockaddr_un *)0)->sun_path))
				return bad_usage("-u %s: a socket path is 1 to 107 bytes", optarg);
			o->socket = optarg;
			break;
		case 's':
			o->to_stderr = true;
			break;
		case 'a':
			o->append = optarg;
			break;
		case 'S':
			if (optnum_count(optarg, SIZE_MAX_OPT, &size) < 0 || size < SIZE_MIN)
				return bad_usage("-S %s: a size from 64 to 60000 bytes", optarg);
			o->size = (size_t)size;
			break;
		case ':':
		case '?':
			return bad_option(c, argv);
		default:
			if ((rc = toolopt_take(&shared, c, optarg)) != 0)
				return rc;
		}
	}
	if (optind < argc)
		return bad_usage("unexpected argument %s", argv[optind]);
	return 0;
}

int main(int argc, char **argv)
{
	struct options opt;
	struct ptee p = { .opt = &opt, .append_fd = -1 };
	int rc;

	if (tool_start(PROG) < 0)
		return 2;
	rc = parse_options(argc, argv, &opt);
	if (rc != 0)
		return rc == 1 ? 0 : 2;
	if (opt.append != NULL) {
		p.append_fd = open(opt.append, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0666);
		if (p.append_fd < 0) {
			diag_warn_errno("%s", opt.append);
			return 2;
		}
	}
	if (line_reader_open(&p.lr, opt.input, opt.size) < 0) {
		diag_warn_errno("%s", opt.input ? opt.input : "stdin");
		if (p.append_fd >= 0)
			close(p.append_fd);
		return 2;
	}
	p.lr.utf8_pieces = true;	/* a log message never ends inside a character */
	run_signals_install();
	syslog_sink_open(&p.log, opt.socket, opt.tag, opt.pri);
	print_notes(&p);
	run(&p);

	if (p.lost_lines > 0)
		diag_warn("%lu of %lu lines not logged to syslog %s", p.lost_lines, p.lines,
		    opt.socket);
	if (p.unappended_lines > 0)
		diag_warn("%lu of %lu lines not appended to %s", p.unappended_lines, p.lines,
		    opt.append);
	syslog_sink_close(&p.log);
	line_reader_close(&p.lr);
	if (p.append_fd >= 0 && close(p.append_fd) < 0 && !p.append_failed) {
		diag_warn_errno("%s", opt.append);
		p.unappended_lines++;
	}
	if (p.fatal)
		return 2;
	return p.lost_lines > 0 || p.unappended_lines > 0 ? 1 : 0;
}
