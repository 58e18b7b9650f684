/*
 * Buffered line reader over a file descriptor. It returns a line as soon
 * as its newline arrives (a live pipe never waits on a full buffer), knows
 * its line number, strips one \r before \n, and hands out lines longer than
 * its buffer in pieces instead of cutting them silently.
 */
#ifndef FLOWPIPES_LINEREADER_H
#define FLOWPIPES_LINEREADER_H

#include <stdbool.h>
#include <stddef.h>

#define LINE_MAX_DEFAULT 8192

enum line_status {
	LINE_OK,	/* a line or a piece of one: see line_reader.partial */
	LINE_EOF,
	LINE_INTR,	/* read() was interrupted by a signal: check flags, call again */
	LINE_IOERR	/* errno says why */
};

struct line_reader {
	int fd;
	char *name;		/* for messages: the path, or "stdin" */
	char *buf;
	size_t cap, start, end;
	unsigned long lineno;	/* of the line last returned (1-based) */
	/* the line last returned, NUL-terminated, without its newline: */
	char *line;
	size_t len;
	/* what ended it: "\n", "\r\n", "\r" or "" (a piece, or the last line without one) */
	const char *eol;
	bool partial;		/* more of this same line follows */
	bool continued;		/* this is not the first piece of its line */
	bool has_nul;		/* the line holds a NUL byte */
	/*
	 * The line had no newline yet when line_reader_stop came: the rest
	 * of it was never read. A tool that reads records leaves it out and
	 * says so (LINE_CUT_TEXT): what is left may still parse, as a wrong
	 * record (a writer's block can end in the middle of a line).
	 */
	bool cut;
	bool eof;
	bool utf8_pieces;	/* set by the caller: a piece never ends inside a UTF-8 character */
	/* private */
	size_t maxlen;
	char *piece;
	bool continued_next;
	bool stopped;		/* line_reader_stop came before the end of input */
};

#define LINE_CUT_TEXT "line cut short by the stop signal, left out"

/* Opens path ("-" or NULL: stdin). Returns 0, or -1 with errno set. */
int line_reader_open(struct line_reader *lr, const char *path, size_t max_line);
/* Reads from an already open descriptor, named name in messages. */
int line_reader_fdopen(struct line_reader *lr, int fd, const char *name, size_t max_line);
enum line_status line_reader_next(struct line_reader *lr);
/* True when a whole line (or EOF) can be returned without blocking. */
bool line_reader_ready(const struct line_reader *lr);
/*
 * Waits up to timeout_ms (-1: forever) for input. Returns 1 when
 * line_reader_next will not block, 0 on timeout, -1 when interrupted.
 */
int line_reader_wait(struct line_reader *lr, int timeout_ms);
/*
 * Reads nothing more from the descriptor: the next calls hand out what is
 * already buffered, the last line even without its newline (then marked
 * cut), then EOF. For a tool stopped by a signal that passes on what it
 * has read.
 */
void line_reader_stop(struct line_reader *lr);
void line_reader_close(struct line_reader *lr);

#endif
