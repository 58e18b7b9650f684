/*
 * libFuzzer target: flow-filter's expression parser (lexer, grammar,
 * primitives, literals), and the compiled tree run on a few records.
 * Input: the expression text. Every rejection has a reason and a
 * position inside the text; every accepted tree is well formed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../cmd/flow-filter/eval.h"
#include "../cmd/flow-filter/parser.h"
#include "flow/flowaddr.h"

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

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
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
		ftree_free(&t);
	} else if (err.text[0] == '\0' || err.pos > size) {
		abort();	/* every rejection says why, and where */
	}
	free(text);
	return 0;
}
