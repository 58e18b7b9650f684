/*
 * libFuzzer target: flow-filter's expression parser (lexer, grammar,
 * primitives, literals), and the compiled tree run on a few records and
 * on lines read by the field-subset parser (common/line).
 * Input: the expression text, then optionally a NUL byte and record
 * lines (default 24 columns) separated by newlines. Every rejection has
 * a reason and a position inside the text; every accepted tree is well
 * formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../cmd/flow-filter/eval.h"
#include "../cmd/flow-filter/parser.h"
#include "flow/flowaddr.h"
#include "line/flowline_subset.h"

static void check_tree(const struct ftree *t)
{
	if (t->root < 0 || t->root >= t->count)
		abort();
	for (int i = 0; i < t->count; i++) {
		const struct fnode *n = &t->node[i];
		bool inner = n->kind == FN_AND || n->kind == FN_OR || n->kind == FN_NOT;
		bool two = n->kind != FN_NOT;
		/* children come before their parent: no cycles */
		if (inner && (n->a < 0 || n->a >= i || (two && (n->b < 0 || n->b >= i))))
			abort();
		if (n->kind == FN_SET && (n->a < 0 || n->b < 1 || n->a + n->b > t->nset))
			abort();
		if (n->value >= FV_COUNT)
			abort();
	}
}

/* Each line of lines[0..n) through the subset parser and the tree. */
static void run_lines(const struct ftree *t, const char *lines, size_t n)
{
	struct flow_subset s;
	struct flowrec r;
	struct why why;

	memset(&r, 0, sizeof r);
	flow_subset_init_set(&s, FLOW_FIELDS_DEFAULT, t->needs);
	while (n > 0) {
		const char *nl = memchr(lines, '\n', n);
		size_t len = nl ? (size_t)(nl - lines) : n;
		char *line = malloc(len ? len : 1);	/* exact size again */

		if (line == NULL)
			return;
		memcpy(line, lines, len);
		if (flow_subset_parse(&s, line, len, &r, &why) == 0)
			(void)ftree_match(t, &r);
		else if (why.text[0] == '\0')
			abort();
		free(line);
		lines += len + (nl != NULL);
		n -= len + (nl != NULL);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t total)
{
	const uint8_t *nul = memchr(data, '\0', total);
	size_t size = nul ? (size_t)(nul - data) : total;	/* the expression */
	const char *lines = (const char *)data + size + (nul != NULL);
	struct ftree t;
	struct parse_error err;
	struct flowrec r[3];
	/* an exact-size copy, so reading past the end is caught */
	char *text = malloc(size ? size : 1);

	if (text == NULL)
		return 0;
	memcpy(text, data, size);
	if (filter_compile(text, size, &t, &err) == 0) {
		check_tree(&t);
		memset(r, 0, sizeof r);
		r[1].prot = 6;
		r[1].dstport = 443;
		r[1].dpkts = 3;
		r[1].doctets = 300;
		r[1].last = 5000;
		flow_addr_set_v6(&r[2].srcaddr, (const uint8_t[16]){ 0x20, 0x01, 0x0d, 0xb8 });
		r[2].first = 7;
		for (int i = 0; i < 3; i++)
			(void)ftree_match(&t, &r[i]);
		run_lines(&t, lines, total - (size_t)(lines - (const char *)data));
		ftree_free(&t);
	} else if (err.text[0] == '\0' || err.pos > size) {
		abort();	/* every rejection says why, and where */
	}
	free(text);
	return 0;
}
