/* The and/or/not grammar over primitives (parser.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "pstate.h"

void ps_next(struct pstate *p)
{
	p->prev = p->tok;
	p->tok = lexer_next(&p->lx);
}

int ps_fail(struct pstate *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err->text[0] != '\0')
		return -1;
	p->err->pos = p->tok.pos;
	va_start(ap, fmt);
	vsnprintf(p->err->text, sizeof p->err->text, fmt, ap);
	va_end(ap);
	return -1;
}

int ps_expected(struct pstate *p, const char *what)
{
	int n = (int)(p->prev.len > 32 ? 32 : p->prev.len);

	if (p->prev.s == NULL)
		return ps_fail(p, "expected %s", what);
	return ps_fail(p, "expected %s after '%.*s'", what, n, p->prev.s);
}

int ps_node(struct pstate *p, const struct fnode *n)
{
	int i = ftree_add(p->t, n);

	if (i < 0)
		return ps_fail(p, "out of memory");
	return i;
}

int ps_join(struct pstate *p, enum fnode_kind kind, int a, int b)
{
	struct fnode n = { .kind = (uint8_t)kind, .a = a, .b = b };

	if (a < 0 || (kind != FN_NOT && b < 0))
		return -1;
	return ps_node(p, &n);
}

static int parse_or(struct pstate *p);

static int is_or(const struct token *t) { return t->kind == TK_OR || token_is(t, "or"); }
static int is_and(const struct token *t) { return t->kind == TK_AND || token_is(t, "and"); }
static int is_not(const struct token *t) { return t->kind == TK_NOT || token_is(t, "not"); }

static int parse_group(struct pstate *p)
{
	size_t open = p->tok.pos;
	int e;

	ps_next(p);
	e = parse_or(p);
	if (e < 0)
		return -1;
	if (p->tok.kind != TK_RPAREN)
		return ps_fail(p, "expected ')' to close the '(' at %zu", open + 1);
	ps_next(p);
	return e;
}

static int parse_unary(struct pstate *p)
{
	int e;

	if (++p->depth > PARSE_DEPTH_MAX)
		return ps_fail(p, "nested deeper than %d", PARSE_DEPTH_MAX);
	if (is_not(&p->tok)) {
		ps_next(p);
		e = ps_join(p, FN_NOT, parse_unary(p), -1);
	} else if (p->tok.kind == TK_LPAREN) {
		e = parse_group(p);
	} else {
		e = parse_primitive(p);
	}
	p->depth--;
	return e;
}

static int parse_and(struct pstate *p)
{
	int e = parse_unary(p);

	while (e >= 0 && is_and(&p->tok)) {
		ps_next(p);
		e = ps_join(p, FN_AND, e, parse_unary(p));
	}
	return e;
}

static int parse_or(struct pstate *p)
{
	int e = parse_and(p);

	while (e >= 0 && is_or(&p->tok)) {
		ps_next(p);
		e = ps_join(p, FN_OR, e, parse_and(p));
	}
	return e;
}

int filter_compile(const char *text, size_t len, struct ftree *t, struct parse_error *err)
{
	struct pstate p = { .t = t, .err = err };

	memset(t, 0, sizeof *t);
	memset(err, 0, sizeof *err);
	lexer_init(&p.lx, text, len);
	p.tok = lexer_next(&p.lx);
	if (p.tok.kind == TK_END)
		return ps_fail(&p, "empty expression");
	t->root = parse_or(&p);
	if (t->root >= 0 && p.tok.kind != TK_END) {
		if (p.tok.kind == TK_RPAREN)
			ps_fail(&p, "')' without '('");
		else
			ps_fail(&p, "expected 'and', 'or' or the end of the expression");
	}
	if (err->text[0] != '\0') {
		ftree_free(t);
		return -1;
	}
	return 0;
}
