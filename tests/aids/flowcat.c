/*
 * flowcat: reads flow lines and writes them back through the common
 * reader and writer. The format tests drive it, and make bench times the
 * reader with it. Usage: flowcat [-H] [-n] [-o fields] [--strict] [FILE...]
 *   -n  parse only, write nothing (reader speed)
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/diag.h"
#include "line/flowline.h"

int main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "strict", no_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 },
	};
	flow_fieldset fields = FLOW_FIELDS_DEFAULT;
	bool header = true, strict = false, quiet = false;
	struct flow_writer w;
	unsigned long bad = 0;
	struct why why;
	int c, rc = 0;

	diag_init("flowcat");

	while ((c = getopt_long(argc, argv, "Hno:", longopts, NULL)) != -1) {
		switch (c) {
		case 'H': header = false; break;
		case 'n': quiet = true; break;
		case 'S': strict = true; break;
		case 'o':
			if (flow_fieldset_parse(optarg, &fields, &why) < 0) {
				diag_warn("-o: %s", why.text);
				return 2;
			}
			break;
		default:
			return 2;
		}
	}
	flow_writer_init(&w, stdout, fields, header && !quiet, false);
	for (int i = optind; i == optind || i < argc; i++) {
		const char *path = i < argc ? argv[i] : "-";
		struct flow_reader r;
		struct flowrec rec;
		enum flow_read_status st;

		if (flow_reader_open(&r, path, strict) < 0) {
			perror(path);
			return 2;
		}
		while ((st = flow_read(&r, &rec)) == FLOW_READ_RECORD || st == FLOW_READ_COMMENT) {
			if (quiet)
				continue;
			if (st == FLOW_READ_RECORD)
				flow_write(&w, &rec);
			else
				flow_write_comment(&w, r.lr.line, r.lr.len);
		}
		bad += r.bad;
		if (st == FLOW_READ_STOP)
			rc = 1;
		flow_reader_close(&r);
		if (rc)
			break;
	}
	if (!quiet && flow_writer_flush(&w) < 0) {
		perror("flowcat: stdout");
		return 2;
	}
	if (bad)
		fprintf(stderr, "flowcat: %lu bad lines skipped\n", bad);
	return rc || bad ? 1 : 0;
}
