/* Growing byte buffer (bytebuf.h). */
#include <stdlib.h>
#include <string.h>

#include "bytebuf.h"

#define BYTEBUF_FIRST (1u << 16)

unsigned char *bytebuf_reserve(struct bytebuf *b, size_t n)
{
	if (b->oom)
		return NULL;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap : BYTEBUF_FIRST;
		while (cap < b->len + n)
			cap *= 2;
		unsigned char *d = realloc(b->data, cap);
		if (d == NULL) {
			b->oom = true;
			return NULL;
		}
		b->data = d;
		b->cap = cap;
	}
	return b->data + b->len;
}

unsigned char *bytebuf_room(struct bytebuf *b, size_t n)
{
	unsigned char *p = bytebuf_reserve(b, n);

	if (p != NULL)
		b->len += n;
	return p;
}

void bytebuf_reset(struct bytebuf *b)
{
	b->len = 0;
	b->oom = false;
}

void bytebuf_free(struct bytebuf *b)
{
	free(b->data);
	memset(b, 0, sizeof *b);
}
