/* Binary COPY encoding (see pgcopy.h and PostgreSQL's COPY documentation). */
#include <string.h>

#include "pgcopy.h"

#define PG_EPOCH_MS 946684800000ull	/* 2000-01-01 00:00 UTC, PostgreSQL's zero */
#define PGSQL_AF_INET 2			/* PostgreSQL's own numbers, not the OS's */
#define PGSQL_AF_INET6 3

static unsigned char *room(struct pgcopy *c, size_t n)
{
	return bytebuf_room(&c->buf, n);
}

static void put_be(struct pgcopy *c, uint64_t v, size_t n)
{
	unsigned char *p = room(c, n);

	for (size_t i = 0; p != NULL && i < n; i++)
		p[i] = (unsigned char)(v >> (8 * (n - 1 - i)));
}

void pgcopy_header(struct pgcopy *c)
{
	static const unsigned char sig[11] = "PGCOPY\n\377\r\n";	/* and its NUL */
	unsigned char *p = room(c, sizeof sig);

	if (p != NULL)
		memcpy(p, sig, sizeof sig);
	put_be(c, 0, 4);	/* flags: no OIDs */
	put_be(c, 0, 4);	/* header extension length */
}

void pgcopy_trailer(struct pgcopy *c)
{
	put_be(c, 0xffff, 2);
}

void pgcopy_tuple(struct pgcopy *c, uint16_t ncols)
{
	put_be(c, ncols, 2);
}

void pgcopy_null(struct pgcopy *c)
{
	put_be(c, 0xffffffffu, 4);
}

void pgcopy_int2(struct pgcopy *c, int16_t v)
{
	put_be(c, 2, 4);
	put_be(c, (uint16_t)v, 2);
}

void pgcopy_int4(struct pgcopy *c, int32_t v)
{
	put_be(c, 4, 4);
	put_be(c, (uint32_t)v, 4);
}

void pgcopy_int8(struct pgcopy *c, int64_t v)
{
	put_be(c, 8, 4);
	put_be(c, (uint64_t)v, 8);
}

void pgcopy_numeric_u64(struct pgcopy *c, uint64_t v)
{
	uint16_t digit[5];	/* 2^64 < 10000^5 */
	int n = 0;

	for (; v > 0; v /= 10000)
		digit[n++] = (uint16_t)(v % 10000);
	put_be(c, 8 + 2u * (unsigned)n, 4);
	put_be(c, (uint16_t)n, 2);			/* ndigits */
	put_be(c, (uint16_t)(n > 0 ? n - 1 : 0), 2);	/* weight of the first digit */
	put_be(c, 0, 2);				/* sign: positive */
	put_be(c, 0, 2);				/* dscale: an integer */
	for (int i = n - 1; i >= 0; i--)
		put_be(c, digit[i], 2);
}

void pgcopy_inet(struct pgcopy *c, const struct flow_addr *a)
{
	bool v6 = a->family == FLOW_AF_INET6;
	size_t nb = v6 ? 16 : 4;
	unsigned char *p;

	put_be(c, 4 + nb, 4);
	put_be(c, v6 ? PGSQL_AF_INET6 : PGSQL_AF_INET, 1);
	put_be(c, nb * 8, 1);	/* prefix bits: a host */
	put_be(c, 0, 1);	/* inet, not cidr */
	put_be(c, nb, 1);
	if ((p = room(c, nb)) != NULL)
		memcpy(p, a->bytes, nb);
}

void pgcopy_timestamptz_ms(struct pgcopy *c, uint64_t ms)
{
	pgcopy_int8(c, ((int64_t)ms - (int64_t)PG_EPOCH_MS) * 1000);
}

void pgcopy_reset(struct pgcopy *c)
{
	bytebuf_reset(&c->buf);
}

void pgcopy_free(struct pgcopy *c)
{
	bytebuf_free(&c->buf);
}
