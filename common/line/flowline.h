/*
 * The line format: writer and reader of flow records as flow-export -f2
 * text (see flowpipes(1) and DESIGN.md).
 */
#ifndef FLOWPIPES_FLOWLINE_H
#define FLOWPIPES_FLOWLINE_H

#include <stdio.h>

#include "flow/flowrec.h"
#include "line/flowline_subset.h"
#include "line/linereader.h"

/* Longest formatted record line, newline and NUL included. */
#define FLOW_LINE_MAX 1024
/* Longest input line the reader takes; longer ones are malformed. */
#define FLOW_READ_LINE_MAX 4096

/* ---- writer ---- */

struct flow_writer {
	FILE *fp;
	flow_fieldset fields;
	bool header;		/* write the #: header before the first line */
	bool live;		/* flush after every line */
	bool started;		/* the header (if any) is out: set by the first record or flush */
	unsigned long records;
};

/*
 * fields: which to write (always in canonical order). live: flush each
 * line as it is written, for tools that sit in a live pipe.
 */
void flow_writer_init(struct flow_writer *w, FILE *fp, flow_fieldset fields, bool header,
    bool live);
/* Writes the header now (done by the first record otherwise). */
int flow_writer_start(struct flow_writer *w);
int flow_write(struct flow_writer *w, const struct flowrec *r);
/*
 * Passes a comment line (without newline) through. Before the first
 * record it goes ahead of the header, which waits for that record: the
 * fields may not be known yet.
 */
int flow_write_comment(struct flow_writer *w, const char *line, size_t len);
/*
 * The fields of the records written from now on. Once the header is out,
 * a new #: line goes before the next record (a reader takes a header
 * anywhere); a writer without headers changes its columns unannounced,
 * so its caller must not.
 */
void flow_writer_set_fields(struct flow_writer *w, flow_fieldset fields);
/* Formats one record into buf (FLOW_LINE_MAX bytes) with its newline; the length. */
size_t flow_format(const struct flowrec *r, flow_fieldset fields, char *buf);
/* One field's text as the line carries it, at buf (no NUL); returns the length. */
size_t flow_format_field(const struct flowrec *r, enum flow_field f, char *buf);
/* Formats the #: header line for fields, with its newline. */
size_t flow_format_header(flow_fieldset fields, char *buf);
/* Flushes; 0, or -1 with errno (EPIPE etc.) from the stream. */
int flow_writer_flush(struct flow_writer *w);

/* ---- reader ---- */

enum flow_read_status {
	FLOW_READ_RECORD,	/* rec filled in */
	FLOW_READ_COMMENT,	/* a # line to pass through: r->lr.line / r->lr.len */
	FLOW_READ_EOF,
	FLOW_READ_INTR,		/* interrupted by a signal: check flags, call again */
	FLOW_READ_STOP		/* I/O error, or a bad line under --strict (already
				   reported) */
};

struct flow_reader {
	struct line_reader lr;
	bool strict;
	bool have_header;
	int ncols;
	int ncols_max;
	signed char col[64];		/* column -> field id, -1 ignored */
	flow_fieldset fields;		/* present in the input */
	bool std_layout;		/* the 24 default fields in canonical order */
	bool failed;			/* a read error stopped it (already reported) */
	unsigned long records, bad, comments;
	flow_fieldset want;		/* flow_reader_want: 0 converts every field */
	bool sub_ready;			/* sub matches the current column map */
	struct flow_subset sub;
};

/* Opens path ("-" or NULL: stdin). Returns 0, or -1 with errno. */
int flow_reader_open(struct flow_reader *r, const char *path, bool strict);
/*
 * Next record. Malformed lines are reported (diag) as "prog: FILE:LINE:
 * reason", counted in bad and skipped, unless strict, where the result is
 * STOP. The reader owns its input, so it prints these itself; a read
 * error is reported as "prog: FILE: read error: strerror", with errno kept.
 * Header lines (#:) set the column map and are not returned.
 */
enum flow_read_status flow_read(struct flow_reader *r, struct flowrec *rec);
/*
 * Parses one record line (no newline) with the reader's column map; a
 * reader with no map yet takes the headerless 24- or 18-field set.
 * 0, or -1 with the reason in w.
 */
int flow_parse_line(struct flow_reader *r, const char *line, size_t len, struct flowrec *rec,
    struct why *w);
/*
 * From now on flow_read converts only the fields in want (0: all, the
 * default), as flowline_subset.h does: the others are neither converted
 * nor checked and read 0; a line must still have its header's columns.
 * For a tool that reads a few fields of every record (flow-print -s).
 */
void flow_reader_want(struct flow_reader *r, flow_fieldset want);
/* Applies a #: header (the text after "#:"). 0, or -1 with the reason in w. */
int flow_reader_set_header(struct flow_reader *r, const char *names, size_t len, struct why *w);
void flow_reader_close(struct flow_reader *r);

#endif
