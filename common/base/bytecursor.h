/*
 * Bounds-checked big-endian access to a byte buffer, for datagrams and
 * packets from the wire. A read past the end returns 0 and sets a
 * sticky `bad` flag, so a decoder reads a whole structure and checks
 * once; nothing ever touches memory outside [p, p + len).
 * The writer side does the same for encoders filling a fixed buffer.
 */
#ifndef FLOWPIPES_BYTECURSOR_H
#define FLOWPIPES_BYTECURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

struct bytecursor {
	const uint8_t *p;
	size_t len, pos;
	bool bad;		/* a read went past the end */
};

static inline struct bytecursor bc_make(const void *p, size_t len)
{
	struct bytecursor c = { (const uint8_t *)p, len, 0, false };
	return c;
}

static inline size_t bc_left(const struct bytecursor *c)
{
	return c->len - c->pos;
}

/* True when n more bytes are there; otherwise marks the cursor bad. */
static inline bool bc_need(struct bytecursor *c, size_t n)
{
	if (c->bad || n > c->len - c->pos) {
		c->bad = true;
		return false;
	}
	return true;
}

/* Unsigned big-endian integer of n bytes (1..8); 0 when out of range. */
static inline uint64_t bc_uint(struct bytecursor *c, size_t n)
{
	uint64_t v = 0;

	if (n > 8 || !bc_need(c, n)) {
		c->bad = true;
		return 0;
	}
	for (size_t i = 0; i < n; i++)
		v = v << 8 | c->p[c->pos + i];
	c->pos += n;
	return v;
}

static inline uint8_t bc_u8(struct bytecursor *c) { return (uint8_t)bc_uint(c, 1); }
static inline uint16_t bc_u16(struct bytecursor *c) { return (uint16_t)bc_uint(c, 2); }
static inline uint32_t bc_u32(struct bytecursor *c) { return (uint32_t)bc_uint(c, 4); }
static inline uint64_t bc_u64(struct bytecursor *c) { return bc_uint(c, 8); }

/* Pointer to the next n bytes (and skips them), or NULL when short. */
static inline const uint8_t *bc_bytes(struct bytecursor *c, size_t n)
{
	const uint8_t *q;

	if (!bc_need(c, n))
		return NULL;
	q = c->p + c->pos;
	c->pos += n;
	return q;
}

static inline void bc_skip(struct bytecursor *c, size_t n)
{
	(void)bc_bytes(c, n);
}

/*
 * Big-endian values inside a block that bc_bytes handed out, so inside
 * what was checked: a fixed header is fetched whole with one check, then
 * taken apart field by field at their offsets.
 */
static inline uint16_t bc_be16(const uint8_t *q)
{
	return (uint16_t)(q[0] << 8 | q[1]);
}

static inline uint32_t bc_be32(const uint8_t *q)
{
	return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
}

/* True when every byte from the position to the end is zero (padding). */
static inline bool bc_rest_zero(const struct bytecursor *c)
{
	for (size_t i = c->pos; i < c->len; i++)
		if (c->p[i] != 0)
			return false;
	return true;
}

/*
 * The next n bytes as a cursor of their own (the parent skips them).
 * When fewer are left the parent is marked bad and the child is empty
 * and bad too.
 */
static inline struct bytecursor bc_sub(struct bytecursor *c, size_t n)
{
	const uint8_t *q = bc_bytes(c, n);
	struct bytecursor s = bc_make(q, q ? n : 0);

	s.bad = q == NULL;
	return s;
}

/* ---- writing ---- */

struct bytewriter {
	uint8_t *p;
	size_t cap, pos;
	bool full;		/* a write did not fit and was dropped */
};

static inline struct bytewriter bw_make(void *p, size_t cap)
{
	struct bytewriter w = { (uint8_t *)p, cap, 0, false };
	return w;
}

static inline void bw_uint(struct bytewriter *w, uint64_t v, size_t n)
{
	if (w->full || n > 8 || n > w->cap - w->pos) {
		w->full = true;
		return;
	}
	for (size_t i = n; i-- > 0; v >>= 8)
		w->p[w->pos + i] = (uint8_t)v;
	w->pos += n;
}

static inline void bw_u8(struct bytewriter *w, uint8_t v) { bw_uint(w, v, 1); }
static inline void bw_u16(struct bytewriter *w, uint16_t v) { bw_uint(w, v, 2); }
static inline void bw_u32(struct bytewriter *w, uint32_t v) { bw_uint(w, v, 4); }
static inline void bw_u64(struct bytewriter *w, uint64_t v) { bw_uint(w, v, 8); }

static inline void bw_bytes(struct bytewriter *w, const void *src, size_t n)
{
	if (w->full || n > w->cap - w->pos) {
		w->full = true;
		return;
	}
	memcpy(w->p + w->pos, src, n);
	w->pos += n;
}

/* Overwrites a 16-bit value written earlier at offset at (a length field). */
static inline void bw_patch_u16(struct bytewriter *w, size_t at, uint16_t v)
{
	if (at + 2 > w->pos) {
		w->full = true;
		return;
	}
	w->p[at] = (uint8_t)(v >> 8);
	w->p[at + 1] = (uint8_t)v;
}

#endif
