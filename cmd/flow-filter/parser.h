/*
 * The filter expression grammar (flow-filter(1)), nfdump's syntax where
 * it fits, compiled to an ftree:
 *	expr    := and { ("or" | "||") and }
 *	and     := unary { ("and" | "&&") unary }
 *	unary   := ("not" | "!") unary | "(" expr ")" | primitive
 * Primitives are table-driven (parser.c): keyword, optional src/dst, an
 * argument of the keyword's kind. Any field of the line format also
 * works by name: FIELD OP VALUE, FIELD in [ ... ].
 */
#ifndef FLOWFILTER_PARSER_H
#define FLOWFILTER_PARSER_H

#include <stddef.h>

#include "ftree.h"

struct parse_error {
	size_t pos;		/* byte offset of the fault in the text */
	char text[160];
};

/* Compiles text[0..len) into t (zeroed first). 0, or -1 with err. */
int filter_compile(const char *text, size_t len, struct ftree *t, struct parse_error *err);

#endif
