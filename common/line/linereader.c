/* Buffered line reader over a file descriptor (see linereader.h). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "line/linereader.h"
#include "base/runsignals.h"

int line_reader_fdopen(struct line_reader *lr, int fd, const char *name, size_t max_line)
{
	memset(lr, 0, sizeof *lr);
	if (max_line < 64)
		max_line = 64;
	/* room for a whole line, its newline and a NUL, plus read slack */
	lr->cap = max_line + 2 + 65536;
	lr->buf = malloc(lr->cap);
	lr->piece = malloc(max_line + 1);
	if (lr->buf == NULL || lr->piece == NULL) {
		free(lr->buf);
		free(lr->piece);
		return -1;
	}
	/* a copy, so a caller's temporary path buffer can go away */
	lr->name = strdup(name);
	if (lr->name == NULL) {
		free(lr->buf);
		free(lr->piece);
		return -1;
	}
	lr->maxlen = max_line;
	lr->fd = fd;
	return 0;
}

int line_reader_open(struct line_reader *lr, const char *path, size_t max_line)
{
	int fd = 0;

	if (path != NULL && strcmp(path, "-") != 0) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -1;
	}
	if (line_reader_fdopen(lr, fd, fd == 0 ? "stdin" : path, max_line) < 0) {
		int e = errno;
		if (fd != 0)
			close(fd);
		errno = e;
		return -1;
	}
	return 0;
}

void line_reader_close(struct line_reader *lr)
{
	if (lr->fd > 0)
		close(lr->fd);
	free(lr->buf);
	free(lr->piece);
	free(lr->name);
	lr->buf = lr->piece = lr->name = NULL;
}

bool line_reader_ready(const struct line_reader *lr)
{
	size_t avail = lr->end - lr->start;

	if (lr->eof)
		return true;
	if (avail > lr->maxlen + 1 ||
	    (avail == lr->maxlen + 1 && lr->buf[lr->start + lr->maxlen] != '\r'))
		return true;
	return memchr(lr->buf + lr->start, '\n', lr->end - lr->start) != NULL;
}

int line_reader_wait(struct line_reader *lr, int timeout_ms)
{
	struct pollfd pfd = { .fd = lr->fd, .events = POLLIN };
	int n;

	if (line_reader_ready(lr))
		return 1;
	n = run_poll(&pfd, 1, timeout_ms);
	if (n < 0)
		return -1;
	return n > 0 ? 1 : 0;
}

/*
 * Where a piece of at most n bytes of s ends so that it does not split a
 * UTF-8 character: back over up to 3 continuation bytes (10xxxxxx) that
 * would open the next piece. Text that is no UTF-8 is cut at n.
 */
static size_t utf8_piece(const char *s, size_t n)
{
	size_t k = n;

	while (k > 0 && n - k < 3 && ((unsigned char)s[k] & 0xc0) == 0x80)
		k--;
	/* s[k] now starts a character; one whose lead byte is inside the piece moves out */
	return k > 0 && ((unsigned char)s[k] & 0xc0) != 0x80 ? k : n;
}

/*
 * Hands out buf[start, start+n) as the current line, NUL-terminated in
 * place (the byte after it, the newline, is consumed). A piece of a long
 * line is copied out instead, since the byte after it is still unread.
 */
static void emit(struct line_reader *lr, size_t n, size_t skip, bool partial)
{
	char *s = lr->buf + lr->start;
	bool newline = !partial && skip > n;

	if (!lr->continued_next)
		lr->lineno++;
	lr->continued = lr->continued_next;
	lr->eol = newline ? "\n" : "";
	if (partial) {
		memcpy(lr->piece, s, n);
		s = lr->piece;
	} else if (n > 0 && s[n - 1] == '\r') {
		n--;	/* CRLF */
		lr->eol = newline ? "\r\n" : "\r";
	}
	s[n] = '\0';
	lr->line = s;
	lr->len = n;
	lr->has_nul = memchr(s, '\0', n) != NULL;
	lr->partial = partial;
	lr->continued_next = partial;
	lr->cut = false;
	lr->start += skip;
}

void line_reader_stop(struct line_reader *lr)
{
	lr->stopped = lr->stopped || !lr->eof;	/* not when the input had ended anyway */
	lr->eof = true;
}

enum line_status line_reader_next(struct line_reader *lr)
{
	for (;;) {
		size_t avail = lr->end - lr->start;
		char *nl = memchr(lr->buf + lr->start, '\n', avail);
		struct pollfd pfd = { .fd = lr->fd, .events = POLLIN };
		ssize_t got;

		/* a CRLF line may be one byte longer: the \r is not text */
		if (nl != NULL) {
			size_t n = (size_t)(nl - (lr->buf + lr->start));
			if (n <= lr->maxlen || (n == lr->maxlen + 1 && nl[-1] == '\r')) {
				emit(lr, n, n + 1, false);
				return LINE_OK;
			}
		}
		if (avail > lr->maxlen + 1 ||
		    (avail == lr->maxlen + 1 && lr->buf[lr->start + lr->maxlen] != '\r')) {
			size_t n = lr->maxlen;

			if (lr->utf8_pieces)
				n = utf8_piece(lr->buf + lr->start, n);
			emit(lr, n, n, true);
			return LINE_OK;
		}
		if (lr->eof) {
			if (avail == 0)
				return LINE_EOF;
			emit(lr, avail, avail, false);
			lr->cut = lr->stopped;
			return LINE_OK;
		}
		/* make room: move the unread tail to the front */
		if (lr->start > 0) {
			memmove(lr->buf, lr->buf + lr->start, avail);
			lr->start = 0;
			lr->end = avail;
		}
		/* wait with the stop signals let in, so one ends the wait */
		if (run_poll(&pfd, 1, -1) < 0)
			return errno == EINTR ? LINE_INTR : LINE_IOERR;
		got = read(lr->fd, lr->buf + lr->end, lr->cap - 1 - lr->end);
		if (got < 0) {
			if (errno == EINTR)
				return LINE_INTR;
			return LINE_IOERR;
		}
		if (got == 0)
			lr->eof = true;
		lr->end += (size_t)got;
	}
}
