/* Command-line numbers (see optnum.h). */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "base/optnum.h"

int optnum_secs(const char *s, size_t len, double max_s, uint64_t *ms)
{
	char buf[32], *end;
	double v;

	if (len == 0 || len >= sizeof buf)
		return -1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	/* plain decimal only: strtod would also take hex, exponents and blanks */
	if (strspn(buf, "0123456789.") != len || buf[0] == '.')
		return -1;
	errno = 0;
	v = strtod(buf, &end);
	if (errno != 0 || *end != '\0' || !(v >= 0) || v > max_s)
		return -1;
	*ms = (uint64_t)llround(v * 1000.0);
	return 0;
}

int optnum_count(const char *s, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	unsigned long long mult = 1;

	if (*s < '0' || *s > '9')	/* no sign, no blanks */
		return -1;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s)
		return -1;
	if (*end == 'k' || *end == 'K')
		mult = 1000, end++;
	else if (*end == 'M')
		mult = 1000000, end++;
	if (v > ULLONG_MAX / mult)
		return -1;
	v *= mult;
	if (*end != '\0' || v == 0 || v > max)
		return -1;
	*out = v;
	return 0;
}

int optnum_uint(const char *s, int base, uint64_t max, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')	/* no sign, no blanks, not empty */
		return -1;
	errno = 0;
	v = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0' || v > max)
		return -1;
	*out = v;
	return 0;
}

int optnum_engine(const char *s, uint8_t *type, uint8_t *id)
{
	char buf[8];
	const char *slash = strchr(s, '/');
	uint64_t t = 0, i;

	if (slash != NULL) {
		size_t n = (size_t)(slash - s);
		if (n >= sizeof buf)
			return -1;
		memcpy(buf, s, n);
		buf[n] = '\0';
		if (optnum_uint(buf, 10, 255, &t) < 0)
			return -1;
		s = slash + 1;
	}
	if (optnum_uint(s, 10, 255, &i) < 0)
		return -1;
	*type = (uint8_t)t;
	*id = (uint8_t)i;
	return 0;
}
