/* ISO 8601 times with milliseconds (see timefmt.h). */
#include <string.h>
#include <time.h>

#include "timefmt.h"

void timefmt_init(struct timefmt *t, bool utc)
{
	*t = (struct timefmt){ .utc = utc };
	for (int i = 0; i < TIMEFMT_HOURS; i++)
		t->cache[i].hour = -1;
	t->minute = -1;
	if (!utc)
		tzset();
}

static long offset_at(int64_t secs)
{
	time_t tt = (time_t)secs;
	struct tm tm;

	if (localtime_r(&tt, &tm) == NULL)
		return 0;
	return tm.tm_gmtoff;
}

/* The UTC offset (seconds east) in force at secs. */
static long local_offset(struct timefmt *t, int64_t secs)
{
	int64_t hour = secs / 3600;
	__typeof__(t->cache[0]) *c = &t->cache[hour % TIMEFMT_HOURS];

	if (c->hour != hour) {
		c->hour = hour;
		c->off_start = offset_at(hour * 3600);
		c->off_end = offset_at(hour * 3600 + 3599);
	}
	if (c->off_start == c->off_end)
		return c->off_start;
	return offset_at(secs);	/* the hour of a change: ask for each second */
}

/* Days since 1970-01-01 to a civil date (proleptic Gregorian, days >= 0 here). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = z / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;

	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

static char *put2(char *p, unsigned v)
{
	p[0] = (char)('0' + v / 10 % 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* +HH:MM east of UTC, -HH:MM west (+00:00 for a local time that is UTC) */
static char *put_offset(char *p, long off)
{
	*p++ = off < 0 ? '-' : '+';
	unsigned long a = (unsigned long)(off < 0 ? -off : off);
	p = put2(p, (unsigned)(a / 3600));
	*p++ = ':';
	p = put2(p, (unsigned)(a / 60 % 60));
	return p;
}

/* The date, hour and minute of a local minute: "YYYY-MM-DDTHH:MM:". */
static void write_prefix(char *p, int64_t minute)
{
	int64_t y;
	unsigned mo, d, mod = (unsigned)(minute % 1440);

	civil_from_days(minute / 1440, &y, &mo, &d);
	p = put2(p, (unsigned)(y / 100));
	p = put2(p, (unsigned)(y % 100));
	*p++ = '-';
	p = put2(p, mo);
	*p++ = '-';
	p = put2(p, d);
	*p++ = 'T';
	p = put2(p, mod / 60);
	*p++ = ':';
	p = put2(p, mod % 60);
	*p = ':';
}

size_t timefmt_write(struct timefmt *t, char *p, uint64_t ms)
{
	int64_t secs = (int64_t)(ms / 1000);
	long off = t->utc ? 0 : local_offset(t, secs);
	int64_t local = secs + off;
	unsigned frac = (unsigned)(ms % 1000);
	char *s = p;

	if (local < 0)
		local = 0;	/* only west of UTC in the first hours of 1970 */
	if (local / 60 != t->minute) {
		t->minute = local / 60;
		write_prefix(t->prefix, t->minute);
	}
	memcpy(p, t->prefix, sizeof t->prefix);
	p += sizeof t->prefix;
	p = put2(p, (unsigned)(local % 60));
	*p++ = '.';
	*p++ = (char)('0' + frac / 100);
	p = put2(p, frac % 100);
	if (t->utc)
		*p++ = 'Z';
	else
		p = put_offset(p, off);
	return (size_t)(p - s);
}
