/*
 * dec_scan_u64 (eight digits a load) against a digit-by-digit reading of
 * the same text: every run length 0..20, each position of the run within
 * an 8-byte word, every kind of byte after it, and texts cut short.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/decnum.h"
#include "tap.h"

/* What a run of at most 19 digits from p reads as, one digit at a time. */
static size_t slow_scan(const char *p, size_t len, uint64_t *v)
{
	size_t i = 0;

	*v = 0;
	for (; i < len && i < 19 && p[i] >= '0' && p[i] <= '9'; i++)
		*v = *v * 10 + (uint64_t)(p[i] - '0');
	return i;
}

/* One text: both readings agree on the value and on where they stop. */
static int agrees(const char *p, size_t len)
{
	uint64_t fast, slow;
	size_t n = slow_scan(p, len, &slow);
	const char *q = dec_scan_u64(p, p + len, &fast);

	return (size_t)(q - p) == n && fast == slow;
}

/* Runs of every length and offset, followed by each byte value. */
static void runs(void)
{
	char buf[64];
	int bad = 0;

	for (size_t off = 0; off < 8; off++)
		for (size_t digits = 0; digits <= 20; digits++)
			for (int after = 0; after < 256; after++) {
				size_t len = off + digits + 1;

				memset(buf, 'x', sizeof buf);
				for (size_t i = 0; i < digits; i++)
					buf[off + i] = (char)('0' + (i * 7 + digits) % 10);
				buf[off + digits] = (char)after;
				bad += !agrees(buf + off, len - off);
				bad += !agrees(buf + off, digits);	/* cut right after the digits */
			}
	OK(bad == 0, "every run length, offset and next byte: %d disagree", bad);
}

/* Random texts of digits and a few other bytes (0xfa..0xff carry on +6). */
static void random_texts(void)
{
	static const char pick[] = "0123456789012345678901234567890123456789,./:\xfa\xff\x2f\x3a";
	char buf[48];
	int bad = 0;

	srand(15);
	for (int t = 0; t < 200000; t++) {
		size_t len = (size_t)rand() % sizeof buf;

		for (size_t i = 0; i < len; i++)
			buf[i] = pick[rand() % (int)(sizeof pick - 1)];
		bad += !agrees(buf, len);
	}
	OK(bad == 0, "200000 random texts: %d disagree", bad);
}

static void values(void)
{
	uint64_t v;
	const char *s = "18446744073709551615";

	IS_U((uint64_t)(dec_scan_u64(s, s + 20, &v) - s), 19, "stops before a 20th digit");
	IS_U(v, 1844674407370955161ull, "19 digits read whole");
	s = "4294967295,";
	dec_scan_u64(s, s + strlen(s), &v);
	IS_U(v, 4294967295ull, "a 32-bit maximum");
	s = "00000000000000001,";
	dec_scan_u64(s, s + strlen(s), &v);
	IS_U(v, 1, "leading zeros across two words");
}

int main(void)
{
	runs();
	random_texts();
	values();
	return tap_done();
}
