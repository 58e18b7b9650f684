/*
 * Tokens of a filter expression. Words are runs of anything but blanks
 * and the punctuation ( ) [ ] , ! = < > & | (so addresses, nets, times and
 * 1024-65535 are one word each); '#' starts a comment to the end of the
 * line (for -f files). Positions are byte offsets into the text.
 */
#ifndef FLOWFILTER_LEXER_H
#define FLOWFILTER_LEXER_H

#include <stddef.h>

#include "ftree.h"

enum tok_kind {
	TK_END, TK_WORD, TK_LPAREN, TK_RPAREN, TK_LBRACK, TK_RBRACK, TK_COMMA,
	TK_NOT,		/* ! */
	TK_AND,		/* && */
	TK_OR,		/* || */
	TK_OP,		/* = == != < <= > >= (op says which) */
	TK_BAD		/* a lone & or |, or a control byte */
};

struct token {
	enum tok_kind kind;
	enum fop op;
	const char *s;
	size_t len, pos;
};

struct lexer {
	const char *text;
	size_t len, pos;
};

void lexer_init(struct lexer *lx, const char *text, size_t len);
struct token lexer_next(struct lexer *lx);
/* True when the token is the word w (any case). */
int token_is(const struct token *t, const char *w);

#endif
