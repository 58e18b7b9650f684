/* Splitting a filter expression into tokens (lexer.h). */
#include <string.h>
#include <strings.h>

#include "lexer.h"

void lexer_init(struct lexer *lx, const char *text, size_t len)
{
	lx->text = text;
	lx->len = len;
	lx->pos = 0;
}

static int is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

static int is_word(char c)
{
	return (unsigned char)c > ' ' && c != 0x7f && strchr("()[],!=<>&|#", c) == NULL;
}

static void skip_space(struct lexer *lx)
{
	while (lx->pos < lx->len) {
		char c = lx->text[lx->pos];
		if (c == '#') {
			while (lx->pos < lx->len && lx->text[lx->pos] != '\n')
				lx->pos++;
		} else if (is_blank(c)) {
			lx->pos++;
		} else {
			break;
		}
	}
}

/* The punctuation tokens, longest first where one is a prefix of another. */
static const struct {
	const char *text;
	enum tok_kind kind;
	enum fop op;
} punct[] = {
	{ "&&", TK_AND, OP_EQ }, { "||", TK_OR, OP_EQ }, { "!=", TK_OP, OP_NE },
	{ "==", TK_OP, OP_EQ }, { "<=", TK_OP, OP_LE }, { ">=", TK_OP, OP_GE },
	{ "(", TK_LPAREN, OP_EQ }, { ")", TK_RPAREN, OP_EQ }, { "[", TK_LBRACK, OP_EQ },
	{ "]", TK_RBRACK, OP_EQ }, { ",", TK_COMMA, OP_EQ }, { "!", TK_NOT, OP_EQ },
	{ "=", TK_OP, OP_EQ }, { "<", TK_OP, OP_LT }, { ">", TK_OP, OP_GT },
};

struct token lexer_next(struct lexer *lx)
{
	struct token t = { TK_END, OP_EQ, NULL, 0, 0 };
	const char *p;
	size_t left;

	skip_space(lx);
	t.pos = lx->pos;
	t.s = lx->text + lx->pos;
	if (lx->pos >= lx->len)
		return t;
	p = t.s;
	left = lx->len - lx->pos;
	for (size_t i = 0; i < sizeof punct / sizeof punct[0]; i++) {
		size_t n = strlen(punct[i].text);
		if (n <= left && memcmp(p, punct[i].text, n) == 0) {
			t.kind = punct[i].kind;
			t.op = punct[i].op;
			t.len = n;
			lx->pos += n;
			return t;
		}
	}
	while (t.len < left && is_word(p[t.len]))
		t.len++;
	if (t.len == 0) {
		t.kind = TK_BAD;
		t.len = 1;
	} else {
		t.kind = TK_WORD;
	}
	lx->pos += t.len;
	return t;
}

int token_is(const struct token *t, const char *w)
{
	return t->kind == TK_WORD && strlen(w) == t->len && strncasecmp(t->s, w, t->len) == 0;
}
