/* Writer of the line format: #: header, canonical field order. */
#include <errno.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "line/flowline.h"

/* "00" to "99": two digits per division, the way fast integer printers do it. */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/*
 * The eight decimal digits of x < 10^8 (leading zeros kept) as ASCII in
 * one word, the first digit in its lowest byte: x is split into two
 * halves of four digits, each of those into two of two, each of those
 * into tens and units, every split done for all lanes by one multiply
 * (by 10486 / 2^20 for / 100, by 103 / 2^10 for / 10, exact at these
 * sizes) instead of a division per digit.
 */
static uint64_t eight_digits(uint32_t x)
{
	uint64_t m = x / 10000 | (uint64_t)(x % 10000) << 32;
	uint64_t hundreds = (m * 10486 >> 20) & 0x0000007f0000007fu;
	uint64_t pairs = hundreds | (m - 100 * hundreds) << 16;
	uint64_t tens = (pairs * 103 >> 10) & 0x000f000f000f000fu;

	return (tens | (pairs - 10 * tens) << 8) + 0x3030303030303030u;
}

static char *put_u64(char *p, uint64_t v);

/*
 * Three digits or more. Eight bytes are stored whatever the width, so
 * up to seven past the number are scratch: every buffer handed here has
 * that room (flow_format's FLOW_LINE_MAX is twice the longest line, about
 * 420 bytes with every field at its widest; flow_format_field copies).
 */
static char *put_long(char *p, uint64_t v)
{
	uint64_t w;

	/* ports, byte counts: a table pair or two is quicker than the lanes */
	if (v < 1000) {
		*p = (char)('0' + v / 100);
		memcpy(p + 1, digit_pairs + v % 100 * 2, 2);
		return p + 3;
	}
	if (v < 10000) {
		memcpy(p, digit_pairs + v / 100 * 2, 2);
		memcpy(p + 2, digit_pairs + v % 100 * 2, 2);
		return p + 4;
	}
	if (v >= 100000000) {
		p = put_u64(p, v / 100000000);
		w = eight_digits((uint32_t)(v % 100000000));
		memcpy(p, &w, 8);
		return p + 8;
	}
	/* the leading zeros off: the digit values' lowest nonzero byte is the first digit */
	w = eight_digits((uint32_t)v);
	unsigned lead = (unsigned)__builtin_ctzll(w ^ 0x3030303030303030u) & ~7u;
	w >>= lead;
	memcpy(p, &w, 8);
	return p + 8 - lead / 8;
}
#else
/* Digit count from the bit length: bits * log10(2) (1233 / 4096) is the count
 * or one less, and one compare with the power of ten settles which. */
static unsigned digits_of(uint64_t v)
{
	static const uint64_t pow10[20] = {
		0, 10, 100, 1000, 10000, 100000, 1000000, 10000000, 100000000,
		1000000000, 10000000000u, 100000000000u, 1000000000000u, 10000000000000u,
		100000000000000u, 1000000000000000u, 10000000000000000u,
		100000000000000000u, 1000000000000000000u, 10000000000000000000u,
	};
	unsigned t = (unsigned)(64 - __builtin_clzll(v | 1)) * 1233 >> 12;

	return t + (v >= pow10[t]);
}

/* Three digits or more, from the last digit back into exactly the width. */
static char *put_long(char *p, uint64_t v)
{
	char *end = p + digits_of(v), *q = end;

	while (v >= 100) {
		unsigned d = (unsigned)(v % 100) * 2;
		v /= 100;
		q -= 2;
		memcpy(q, digit_pairs + d, 2);
	}
	if (v >= 10)
		memcpy(q - 2, digit_pairs + v * 2, 2);
	else
		q[-1] = (char)('0' + v);
	return end;
}
#endif

/*
 * Decimal. Most fields (ports, protocol, flags, masks, the zeros) are one
 * or two digits: inlined at each field, those take no call, and each
 * field's own branch learns its usual width.
 */
static inline __attribute__((always_inline)) char *put_u64(char *p, uint64_t v)
{
	if (v < 10) {
		*p = (char)('0' + v);
		return p + 1;
	}
	if (v < 100) {
		memcpy(p, digit_pairs + v * 2, 2);
		return p + 2;
	}
	return put_long(p, v);
}

static char *put_addr(char *p, const struct flow_addr *a)
{
	return p + flow_addr_format(a, p);
}

/* Inlined into flow_format's loop: the call cost as much as a short field. */
static inline __attribute__((always_inline))
char *put_field(char *p, const struct flowrec *r, enum flow_field f)
{
	switch (f) {
	case FF_UNIX_SECS:	return put_u64(p, r->unix_secs);
	case FF_UNIX_NSECS:	return put_u64(p, r->unix_nsecs);
	case FF_SYSUPTIME:	return put_u64(p, r->sysuptime);
	case FF_EXADDR:		return put_addr(p, &r->exaddr);
	case FF_DPKTS:		return put_u64(p, r->dpkts);
	case FF_DOCTETS:	return put_u64(p, r->doctets);
	case FF_FIRST:		return put_u64(p, r->first);
	case FF_LAST:		return put_u64(p, r->last);
	case FF_ENGINE_TYPE:	return put_u64(p, r->engine_type);
	case FF_ENGINE_ID:	return put_u64(p, r->engine_id);
	case FF_SRCADDR:	return put_addr(p, &r->srcaddr);
	case FF_DSTADDR:	return put_addr(p, &r->dstaddr);
	case FF_NEXTHOP:	return put_addr(p, &r->nexthop);
	case FF_INPUT:		return put_u64(p, r->input);
	case FF_OUTPUT:		return put_u64(p, r->output);
	case FF_SRCPORT:	return put_u64(p, r->srcport);
	case FF_DSTPORT:	return put_u64(p, r->dstport);
	case FF_PROT:		return put_u64(p, r->prot);
	case FF_TOS:		return put_u64(p, r->tos);
	case FF_TCP_FLAGS:	return put_u64(p, r->tcp_flags);
	case FF_SRC_MASK:	return put_u64(p, r->src_mask);
	case FF_DST_MASK:	return put_u64(p, r->dst_mask);
	case FF_SRC_AS:		return put_u64(p, r->src_as);
	case FF_DST_AS:		return put_u64(p, r->dst_as);
	case FF_RDPKTS:		return put_u64(p, r->rdpkts);
	case FF_RDOCTETS:	return put_u64(p, r->rdoctets);
	case FF_RTCP_FLAGS:	return put_u64(p, r->rtcp_flags);
	case FF_RFIRST:		return put_u64(p, r->rfirst);
	case FF_RLAST:		return put_u64(p, r->rlast);
	case FF_TUNNEL_ID:	return put_u64(p, r->tunnel_id);
	case FF_COUNT:		break;
	}
	return p;
}

/* A field and the comma after it (the last comma becomes the newline). */
#define PUT(put, value) (p = put(p, value), *p++ = ',')

/*
 * The 24 default fields, the layout nearly every line has, as straight
 * code in canonical order: no per-field bit scan and no jump through the
 * switch. flow_format's loop writes the same text for any field set
 * (tests/unit/test_flowline_numfmt checks both against printf).
 */
static char *format_default(const struct flowrec *r, char *p)
{
	PUT(put_u64, r->unix_secs);
	PUT(put_u64, r->unix_nsecs);
	PUT(put_u64, r->sysuptime);
	PUT(put_addr, &r->exaddr);
	PUT(put_u64, r->dpkts);
	PUT(put_u64, r->doctets);
	PUT(put_u64, r->first);
	PUT(put_u64, r->last);
	PUT(put_u64, r->engine_type);
	PUT(put_u64, r->engine_id);
	PUT(put_addr, &r->srcaddr);
	PUT(put_addr, &r->dstaddr);
	PUT(put_addr, &r->nexthop);
	PUT(put_u64, r->input);
	PUT(put_u64, r->output);
	PUT(put_u64, r->srcport);
	PUT(put_u64, r->dstport);
	PUT(put_u64, r->prot);
	PUT(put_u64, r->tos);
	PUT(put_u64, r->tcp_flags);
	PUT(put_u64, r->src_mask);
	PUT(put_u64, r->dst_mask);
	PUT(put_u64, r->src_as);
	PUT(put_u64, r->dst_as);
	return p;
}

/* Through a scratch copy: the caller's buf may end right after the text. */
size_t flow_format_field(const struct flowrec *r, enum flow_field f, char *buf)
{
	char text[FLOW_ADDR_STRLEN + 8];
	size_t n = (size_t)(put_field(text, r, f) - text);

	memcpy(buf, text, n);
	return n;
}

size_t flow_format(const struct flowrec *r, flow_fieldset fields, char *buf)
{
	char *p = buf;

	if (fields == FLOW_FIELDS_DEFAULT) {
		p = format_default(r, p);
	} else {
		/* the fields asked for, lowest bit (canonical order) first */
		for (flow_fieldset left = fields & ((1u << FF_COUNT) - 1); left;
		    left &= left - 1) {
			p = put_field(p, r, (enum flow_field)__builtin_ctz(left));
			*p++ = ',';
		}
	}
	if (p != buf)
		p--;	/* the last field's comma */
	*p++ = '\n';
	*p = '\0';
	return (size_t)(p - buf);
}

size_t flow_format_header(flow_fieldset fields, char *buf)
{
	char *p = buf;

	*p++ = '#';
	*p++ = ':';
	for (int f = 0; f < FF_COUNT; f++) {
		const char *name = flow_field_name((enum flow_field)f);
		size_t n = strlen(name);

		if (!(fields & (1u << f)))
			continue;
		if (p != buf + 2)
			*p++ = ',';
		memcpy(p, name, n);
		p += n;
	}
	*p++ = '\n';
	*p = '\0';
	return (size_t)(p - buf);
}

void flow_writer_init(struct flow_writer *w, FILE *fp, flow_fieldset fields, bool header, bool live)
{
	memset(w, 0, sizeof *w);
	w->fp = fp;
	w->fields = fields;
	w->header = header;
	w->live = live;
}

/* The tools write a stream from one thread, so the per-call stream lock
 * fwrite takes is pure cost. */
static int finish_line(struct flow_writer *w, const char *buf, size_t n)
{
	if (fwrite_unlocked(buf, 1, n, w->fp) != n)
		return -1;
	if (w->live && fflush(w->fp) != 0)
		return -1;
	return 0;
}

int flow_writer_start(struct flow_writer *w)
{
	char buf[FLOW_LINE_MAX];

	if (w->started)
		return 0;
	w->started = true;
	if (!w->header)
		return 0;
	return finish_line(w, buf, flow_format_header(w->fields, buf));
}

int flow_write(struct flow_writer *w, const struct flowrec *r)
{
	char buf[FLOW_LINE_MAX];

	if (!w->started && flow_writer_start(w) < 0)
		return -1;
	w->records++;
	return finish_line(w, buf, flow_format(r, w->fields, buf));
}

int flow_write_comment(struct flow_writer *w, const char *line, size_t len)
{
	if (fwrite(line, 1, len, w->fp) != len || putc('\n', w->fp) == EOF)
		return -1;
	if (w->live && fflush(w->fp) != 0)
		return -1;
	return 0;
}

void flow_writer_set_fields(struct flow_writer *w, flow_fieldset fields)
{
	if (fields == w->fields)
		return;
	w->fields = fields;
	if (w->header)
		w->started = false;	/* the next record writes the new header first */
}

int flow_writer_flush(struct flow_writer *w)
{
	if (!w->started && flow_writer_start(w) < 0)
		return -1;
	if (fflush(w->fp) != 0 || ferror(w->fp)) {
		if (errno == 0)
			errno = EIO;
		return -1;
	}
	return 0;
}
