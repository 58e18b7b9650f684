/* Literal words of a filter expression (values.h). */
#include <string.h>
#include <time.h>

#include "base/decnum.h"
#include "flow/flowaddr.h"
#include "flow/protoname.h"
#include "values.h"

int value_uint(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	return dec_parse_u64(s, n, max, out);
}

/* digits times mult, at most max */
static int scaled(const char *s, size_t n, uint64_t mult, uint64_t max, uint64_t *out)
{
	uint64_t v;

	if (dec_parse_u64(s, n, UINT64_MAX, &v) < 0 || v > max / mult)
		return -1;
	*out = v * mult;
	return 0;
}

int value_scaled(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	static const struct { char c; uint64_t mult; } suffix[] = {
		{ 'k', 1000u }, { 'K', 1000u }, { 'm', 1000000u }, { 'M', 1000000u },
		{ 'g', 1000000000u }, { 'G', 1000000000u },
	};

	for (size_t i = 0; n > 1 && i < sizeof suffix / sizeof suffix[0]; i++)
		if (s[n - 1] == suffix[i].c)
			return scaled(s, n - 1, suffix[i].mult, max, out);
	return scaled(s, n, 1, max, out);
}

int value_duration(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	if (n > 2 && memcmp(s + n - 2, "ms", 2) == 0)
		return scaled(s, n - 2, 1, max, out);
	if (n > 1 && s[n - 1] == 's')
		return scaled(s, n - 1, 1000, max, out);
	return scaled(s, n, 1, max, out);
}

/* exactly w digits at s[*i], advancing *i */
static int digits(const char *s, size_t n, size_t *i, int w, int *out)
{
	int v = 0;

	for (int k = 0; k < w; k++, (*i)++) {
		if (*i >= n || s[*i] < '0' || s[*i] > '9')
			return -1;
		v = v * 10 + (s[*i] - '0');
	}
	*out = v;
	return 0;
}

/* the separator c at s[*i], advancing *i */
static int sep(const char *s, size_t n, size_t *i, char c)
{
	if (*i >= n || s[*i] != c)
		return -1;
	(*i)++;
	return 0;
}

/* a fraction of a second, 1 to 9 digits, at s[*i]: into ms, the rest cut off */
static int fraction(const char *s, size_t n, size_t *i, int *ms)
{
	int nd = 0, v = 0;

	for (; *i < n && s[*i] >= '0' && s[*i] <= '9'; (*i)++, nd++)
		if (nd < 3)
			v = v * 10 + (s[*i] - '0');
	if (nd == 0 || nd > 9)
		return -1;
	for (; nd < 3; nd++)
		v *= 10;
	*ms = v;
	return 0;
}

/* "Thh:mm[:ss[.fff]]" at s[*i]; 0 when there is none */
static int clock_part(const char *s, size_t n, size_t *i, struct tm *tm, int *ms)
{
	if (*i >= n || (s[*i] != 'T' && s[*i] != 't'))
		return 0;
	(*i)++;
	if (digits(s, n, i, 2, &tm->tm_hour) < 0 || sep(s, n, i, ':') < 0 ||
	    digits(s, n, i, 2, &tm->tm_min) < 0)
		return -1;
	if (*i < n && s[*i] == ':' && (++*i, digits(s, n, i, 2, &tm->tm_sec) < 0))
		return -1;
	if (*i < n && s[*i] == '.' && (++*i, fraction(s, n, i, ms) < 0))
		return -1;
	return 0;
}

int value_time(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	struct tm tm = { 0 }, back;
	size_t i = 0;
	int ms = 0;
	time_t t;

	if (digits(s, n, &i, 4, &tm.tm_year) < 0 || sep(s, n, &i, '-') < 0 ||
	    digits(s, n, &i, 2, &tm.tm_mon) < 0 || sep(s, n, &i, '-') < 0 ||
	    digits(s, n, &i, 2, &tm.tm_mday) < 0 || clock_part(s, n, &i, &tm, &ms) < 0)
		return -1;
	if (i < n && (s[i] == 'Z' || s[i] == 'z'))
		i++;
	if (i != n || tm.tm_year < 1970 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 59)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	back = tm;
	t = timegm(&tm);
	/* timegm normalises 02-30 to 03-02: a date that moved did not exist */
	if (t < 0 || tm.tm_mday != back.tm_mday || tm.tm_mon != back.tm_mon)
		return -1;
	if ((uint64_t)t > (max - (uint64_t)ms) / 1000u)
		return -1;
	*out = (uint64_t)t * 1000u + (uint64_t)ms;
	return 0;
}

int value_proto(const char *s, size_t n, uint64_t max, uint64_t *out)
{
	char name[32];
	int p;

	if (n == 0 || n >= sizeof name)
		return -1;
	if (s[0] >= '0' && s[0] <= '9')
		return dec_parse_u64(s, n, max < 255 ? max : 255, out);
	memcpy(name, s, n);
	name[n] = '\0';
	if ((p = proto_number(name)) < 0 || (uint64_t)p > max)
		return -1;
	*out = (uint64_t)p;
	return 0;
}

int value_flags(const char *s, size_t n, uint8_t *set, uint8_t *clear)
{
	static const char letters[] = "FSRPAUEC";	/* bit 0 .. bit 7 of tcp_flags */
	uint8_t on = 0, off = 0;
	int negate = 0;

	if (n == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char c = (char)(s[i] >= 'a' && s[i] <= 'z' ? s[i] - 'a' + 'A' : s[i]);
		const char *l = c ? strchr(letters, c) : NULL;
		uint8_t bit;

		if (c == '~') {
			if (negate || i + 1 == n)
				return -1;
			negate = 1;
			continue;
		}
		if (c == 'X')
			bit = 0x3f;
		else if (l != NULL)
			bit = (uint8_t)(1u << (l - letters));
		else
			return -1;
		if (negate)
			off |= bit;
		else
			on |= bit;
	}
	if (on & off)
		return -1;	/* a flag both set and clear selects nothing: say so */
	*set = on;
	*clear = off;
	return 0;
}

/* Fills the IPv4 octets missing from a shortened network ("10" -> "10.0.0.0"). */
static size_t pad_v4(const char *s, size_t n, char *buf, size_t cap)
{
	int dots = 0;

	for (size_t i = 0; i < n; i++)
		dots += s[i] == '.';
	if (n + 6 >= cap || dots >= 3)
		return 0;
	memcpy(buf, s, n);
	for (; dots < 3; dots++) {
		memcpy(buf + n, ".0", 2);
		n += 2;
	}
	return n;
}

static void mask(struct flow_addr *a, unsigned len)
{
	for (unsigned i = 0; i < 16; i++) {
		unsigned keep = len >= 8 * (i + 1) ? 8 : len > 8 * i ? len - 8 * i : 0;
		a->bytes[i] &= (uint8_t)(0xff00u >> keep);
	}
}

int value_net(const char *s, size_t n, int with_len, struct flow_addr *a, uint8_t *len)
{
	const char *slash = memchr(s, '/', n);
	size_t an = slash ? (size_t)(slash - s) : n;
	char buf[FLOW_ADDR_STRLEN];
	uint64_t l;
	unsigned max;

	if ((slash && with_len == 0) || (!slash && with_len == 2))
		return -1;
	if (flow_addr_parse(a, s, an) < 0) {
		size_t pn = slash && !memchr(s, ':', an) ? pad_v4(s, an, buf, sizeof buf) : 0;
		if (pn == 0 || flow_addr_parse(a, buf, pn) < 0)
			return -1;
	}
	max = a->family == FLOW_AF_INET ? 32 : 128;
	l = max;
	if (slash && dec_parse_u64(slash + 1, n - an - 1, max, &l) < 0)
		return -1;
	mask(a, (unsigned)l);
	*len = (uint8_t)l;
	return 0;
}
