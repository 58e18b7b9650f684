/*
 * libFuzzer target for the line-format reader: any bytes go through
 * flow_read; every record it accepts must survive format -> parse
 * unchanged (the writer and reader agree on every value).
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

int LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct flow_reader r;
	struct flowrec rec;
	char path[64];
	int fd = memfd_create("fuzz", 0);
	enum flow_read_status st;

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
