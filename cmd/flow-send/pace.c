/* Datagram pacing for flow-send -x. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/runsignals.h"
#include "pace.h"

int pace_parse(struct pace *p, const char *s)
{
	char *end;
	unsigned long long v;

	memset(p, 0, sizeof *p);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || end == s || s[0] == '-')
		return -1;
	if (strcmp(end, "/s") == 0) {
		if (v == 0 || v > 1000000000ull)
			return -1;
		p->gap_ns = 1000000000ull / v;
		return 0;
	}
	if (*end != '\0' || v > 60000000ull)	/* at most a minute between datagrams */
		return -1;
	p->gap_ns = v * 1000u;
	return 0;
}

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void pace_wait(struct pace *p)
{
	uint64_t now;

	if (p->gap_ns == 0)
		return;
	now = now_ns();
	if (p->next_ns > now) {
		struct timespec ts = { (time_t)(p->next_ns / 1000000000u),
		    (long)(p->next_ns % 1000000000u) };

		clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL);
		/* a slow pace reads input seldom: the signals get in here too */
		run_signals_deliver();
	} else {
		p->next_ns = now;	/* no credit is saved up while idle */
	}
	p->next_ns += p->gap_ns;
}
