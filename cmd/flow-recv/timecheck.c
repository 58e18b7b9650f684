/* Flow times that cannot be right. */
#include <inttypes.h>
#include <stdio.h>

#include "flow/flowclock.h"
#include "timecheck.h"

#define HEADER_RESOLUTION_MS 1000	/* IPFIX and v9 headers count whole seconds */

const char *timecheck(const struct flowrec *r, uint64_t export_ms, char *buf, size_t len)
{
	int32_t span = (int32_t)(r->last - r->first);
	int32_t ahead = (int32_t)(r->last - r->sysuptime);
	uint64_t at = flow_export_ms(r);

	if (span < 0) {
		snprintf(buf, len, "flow ends %" PRIu32 " ms before it starts", r->first - r->last);
		return buf;
	}
	if (ahead > 0) {
		snprintf(buf, len, "flow ends %" PRId32 " ms after the datagram's export time",
		    ahead);
		return buf;
	}
	if (at > export_ms + HEADER_RESOLUTION_MS) {
		/* the decoder moved the export moment up to an absolute end time */
		snprintf(buf, len, "flow ends %" PRIu64 " ms after the datagram's export time",
		    at - export_ms);
		return buf;
	}
	return NULL;
}
