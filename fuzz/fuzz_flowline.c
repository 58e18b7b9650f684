/*
 * libFuzzer target for the line-format reader: any bytes go through
 * flow_read; every record it accepts must survive format -> parse
 * unchanged (the writer and reader agree on every value). Each line is
 * also read under the 24 default fields by the fixed-layout path and by
 * the general one: the same verdict, record and message.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "line/flowline.h"

static void check_roundtrip(const struct flowrec *rec)
{
	struct flow_reader r2;
	struct flowrec back;
	char line[FLOW_LINE_MAX];
	struct why why;
	flow_fieldset all = (1u << FF_COUNT) - 1;
	size_t n = flow_format(rec, all, line);
	char hdr[FLOW_LINE_MAX];
	size_t hn = flow_format_header(all, hdr);

	memset(&r2, 0, sizeof r2);
	if (flow_reader_set_header(&r2, hdr + 2, hn - 3, &why) != 0)
		abort();
	if (flow_parse_line(&r2, line, n - 1, &back, &why) != 0)
		abort();
	if (memcmp(&back, rec, sizeof back) != 0) {
		/* padding aside, compare the formatted text */
		char again[FLOW_LINE_MAX];
		flow_format(&back, all, again);
		if (strcmp(again, line) != 0)
			abort();
	}
}

/* One line, read by both paths of a reader that has the default 24-field map. */
static void check_paths(struct flow_reader *fast, const char *line, size_t len)
{
	struct flow_reader general = *fast;
	struct flowrec a, b;
	struct why wa, wb;
	int ra, rb;

	general.std_layout = false;
	ra = flow_parse_line(fast, line, len, &a, &wa);
	rb = flow_parse_line(&general, line, len, &b, &wb);
	if (ra != rb || (ra == 0 && memcmp(&a, &b, sizeof a) != 0) ||
	    (ra != 0 && strcmp(wa.text, wb.text) != 0))
		abort();
}

/* Every line of the input (split at newlines) through check_paths. */
static void check_each_line(const unsigned char *data, size_t size)
{
	static const char hdr[] = "unix_secs,unix_nsecs,sysuptime,exaddr,dpkts,doctets,first,"
	    "last,engine_type,engine_id,srcaddr,dstaddr,nexthop,input,output,srcport,dstport,"
	    "prot,tos,tcp_flags,src_mask,dst_mask,src_as,dst_as";
	struct flow_reader r;
	struct why why;
	const char *p = (const char *)data, *end = p + size;

	memset(&r, 0, sizeof r);
	if (flow_reader_set_header(&r, hdr, sizeof hdr - 1, &why) != 0 || !r.std_layout)
		abort();
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *le = nl ? nl : end;

		check_paths(&r, p, (size_t)(le - p));
		p = le + 1;
	}
}

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct flow_reader r;
	struct flowrec rec;
	char path[64];
	int fd = memfd_create("fuzz", 0);
	enum flow_read_status st;

	check_each_line(data, size);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		return 0;
	}
	snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
	diag_init("fuzz");
	if (flow_reader_open(&r, path, false) == 0) {
		while ((st = flow_read(&r, &rec)) == FLOW_READ_RECORD || st == FLOW_READ_COMMENT)
			if (st == FLOW_READ_RECORD)
				check_roundtrip(&rec);
		flow_reader_close(&r);
	}
	close(fd);
	return 0;
}
