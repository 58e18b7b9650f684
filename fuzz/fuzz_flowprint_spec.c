/*
 * libFuzzer target: flow-print's two argument parsers, the -s key spec
 * and the -f fmt: template, and what each writes for a record when it
 * accepts. Input: a mode byte (even: -s, odd: fmt:), then the text.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../cmd/flow-print/cells.h"
#include "../cmd/flow-print/fmtspec.h"
#include "../cmd/flow-print/statkey.h"
#include "flow/flowaddr.h"

static struct flowrec sample(void)
{
	struct flowrec r;

	memset(&r, 0, sizeof r);
	flow_addr_parse(&r.srcaddr, "2001:db8::1", 11);
	flow_addr_parse(&r.dstaddr, "192.0.2.1", 9);
	r.prot = 58;
	r.dstport = 0x8000;
	r.dpkts = UINT64_MAX;
	r.doctets = UINT64_MAX;
	r.rdpkts = 1;
	r.unix_secs = 1767225600u;
	r.sysuptime = 100000;
	r.first = 40000;
	r.last = 100001;	/* after the export moment: clamped */
	return r;
}

static void spec(const char *text)
{
	struct statkey k;
	struct why why;
	uint8_t key[STATKEY_BYTES_MAX];
	char cell[CELL_MAX + 1];
	struct flowrec r = sample();

	if (statkey_parse(&k, text, &why) < 0) {
		if (why.text[0] == '\0')
			abort();	/* every rejection says why */
		return;
	}
	if (k.nparts == 0 || k.len > STATKEY_BYTES_MAX)
		abort();
	statkey_make(&k, &r, true, key);
	for (unsigned i = 0; i < k.nparts; i++) {
		if (statkey_cell(&k, i, key, cell) > CELL_MAX ||
		    statkey_title(&k, i, cell) > CELL_MAX)
			abort();
	}
}

static void tmpl(const char *text)
{
	struct fmtspec f;
	struct why why;
	struct timefmt t;
	struct flowview v;
	struct flowrec r = sample();
	FILE *null = fopen("/dev/null", "w");

	if (null == NULL)
		return;
	if (fmtspec_parse(&f, text, true, &why) == 0) {
		timefmt_init(&t, true);
		flowview_make(&v, &r);
		fmtspec_write(&f, null, &v, &t);
	} else if (why.text[0] == '\0') {
		abort();
	}
	fclose(null);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text;

	if (size == 0)
		return 0;
	/* an exact-size copy with its NUL, so reading past the end is caught */
	if ((text = malloc(size)) == NULL)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	if (data[0] & 1)
		tmpl(text);
	else
		spec(text);
	free(text);
	return 0;
}
