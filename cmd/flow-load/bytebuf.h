/*
 * A growing byte buffer for a batch in a wire format (COPY binary,
 * RowBinary, LOAD DATA text). Out of memory is sticky: bytebuf_room
 * returns NULL from then on and `oom` stays set until bytebuf_reset.
 */
#ifndef FLOWLOAD_BYTEBUF_H
#define FLOWLOAD_BYTEBUF_H

#include <stdbool.h>
#include <stddef.h>

struct bytebuf {
	unsigned char *data;
	size_t len, cap;
	bool oom;
};

/* n more bytes at the end (len grows by n), or NULL. */
unsigned char *bytebuf_room(struct bytebuf *b, size_t n);
/* Ensures n bytes are free after the end without using them, or NULL. */
unsigned char *bytebuf_reserve(struct bytebuf *b, size_t n);
void bytebuf_reset(struct bytebuf *b);
void bytebuf_free(struct bytebuf *b);

#endif
