/*
 * The parser's state, shared by the grammar (parser.c) and the
 * primitives (primitives.c): the current token, the one before it (for
 * "expected ... after 'port'"), the tree being built, the first error.
 */
#ifndef FLOWFILTER_PSTATE_H
#define FLOWFILTER_PSTATE_H

#include "lexer.h"
#include "parser.h"

#define PARSE_DEPTH_MAX 256	/* nested ( and not: bounds the recursion */
#define PARSE_LIST_MAX 1024	/* items in one [ ... ] list */

struct pstate {
	struct lexer lx;
	struct token tok, prev;
	struct ftree *t;
	struct parse_error *err;
	int depth;
};

void ps_next(struct pstate *p);
/* Records the first error, at the current token; returns -1. */
int ps_fail(struct pstate *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* "expected WHAT after 'PREV'" at the current token; returns -1. */
int ps_expected(struct pstate *p, const char *what);
/* Adds a node; its index, or -1 (error set) out of memory. */
int ps_node(struct pstate *p, const struct fnode *n);
/* An and/or/not node over a (and b); -1 passes through. */
int ps_join(struct pstate *p, enum fnode_kind kind, int a, int b);

/* A primitive at the current token (primitives.c): its node, or -1. */
int parse_primitive(struct pstate *p);

#endif
