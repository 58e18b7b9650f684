/* Unit tests of common/base/optnum: command-line seconds and counts. */
#include <string.h>

#include "base/optnum.h"
#include "tap.h"

static int secs(const char *s, uint64_t *ms)
{
	return optnum_secs(s, strlen(s), 4294967.0, ms);
}

int main(void)
{
	uint64_t v = 0;
	uint8_t et, ei;

	OK(secs("60", &v) == 0 && v == 60000, "secs: 60 -> 60000 ms");
	OK(secs("14.999", &v) == 0 && v == 14999, "secs: decimals to the ms");
	OK(secs("0", &v) == 0 && v == 0, "secs: 0");
	OK(secs("-1", &v) < 0, "secs: negative refused");
	OK(secs("nan", &v) < 0, "secs: NaN refused");
	OK(secs("5x", &v) < 0, "secs: trailing junk refused");
	OK(secs("", &v) < 0, "secs: empty refused");
	OK(secs("4294968", &v) < 0, "secs: above the maximum refused");
	OK(optnum_secs("15,active=1", 2, 100, &v) == 0 && v == 15000, "secs: a piece of a list");
	OK(optnum_count("1000", 1u << 20, &v) == 0 && v == 1000, "count: 1000");
	OK(optnum_count("2k", 1u << 20, &v) == 0 && v == 2000, "count: 2k");
	OK(optnum_count("1M", 1u << 20, &v) == 0 && v == 1000000, "count: 1M");
	OK(optnum_count("0", 10, &v) < 0, "count: 0 refused");
	OK(optnum_count("11", 10, &v) < 0, "count: above the maximum refused");
	OK(optnum_count("-3", 10, &v) < 0, "count: negative refused");
	OK(optnum_count("3m", 10, &v) < 0, "count: only M means million");
	OK(optnum_count("18446744073709552k", UINT64_MAX, &v) < 0,
	    "count: k that overflows refused");
	OK(optnum_count("18446744073710M", UINT64_MAX, &v) < 0, "count: M that overflows refused");
	OK(optnum_count(" 5", 10, &v) < 0, "count: leading blank refused");
	OK(secs("0x10", &v) < 0, "secs: hex refused");
	OK(secs("1e3", &v) < 0, "secs: exponent refused");
	OK(secs(" 5", &v) < 0, "secs: leading blank refused");
	OK(optnum_uint("65535", 10, 65535, &v) == 0 && v == 65535, "uint: the maximum");
	OK(optnum_uint("65536", 10, 65535, &v) < 0, "uint: above the maximum refused");
	OK(optnum_uint("0x10", 0, 255, &v) == 0 && v == 16, "uint: base 0 takes hex (conntrack "
	    "--mark)");
	OK(optnum_uint("0x10", 10, 255, &v) < 0, "uint: base 10 refuses hex");
	OK(optnum_uint("-1", 10, UINT64_MAX, &v) < 0 && optnum_uint("", 10, 9, &v) < 0,
	    "uint: sign and empty refused");
	OK(optnum_uint("18446744073709551616", 10, UINT64_MAX, &v) < 0, "uint: overflow refused");
	OK(optnum_engine("3/4", &et, &ei) == 0 && et == 3 && ei == 4, "engine: TYPE/ID");
	OK(optnum_engine("7", &et, &ei) == 0 && et == 0 && ei == 7, "engine: ID alone, type 0");
	OK(optnum_engine("256/1", &et, &ei) < 0 && optnum_engine("1/", &et, &ei) < 0 &&
	    optnum_engine("/1", &et, &ei) < 0, "engine: out of range and empty parts refused");
	return tap_done();
}
