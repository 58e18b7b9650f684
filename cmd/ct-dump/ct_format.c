/* The conntrack -E -o timestamp,extended,id line (see ct_format.h). */
#include <stdio.h>
#include <string.h>

#include "ct_format.h"

size_t ct_format_event(char *buf, size_t size, const struct timeval *tv,
    const struct nf_conntrack *ct, enum nf_conntrack_msg_type type, uint32_t portid,
    struct ct_progname_cache *names)
{
	char text[CT_LINE_MAX];
	const char *prog;
	int n;

	/* labels are printed only with a label map, which conntrack loads for -o labels alone */
	nfct_snprintf_labels(text, sizeof text, ct, type, NFCT_O_DEFAULT,
	    NFCT_OF_SHOW_LAYER3 | NFCT_OF_ID, NULL);
	/* conntrack's own format: seconds at least 8 digits, microseconds 6 */
	if (portid == 0)
		n = snprintf(buf, size, "[%-.8ld.%-.6ld]\t%s", (long)tv->tv_sec,
		    (long)tv->tv_usec, text);
	else if ((prog = ct_progname(names, portid)) != NULL)
		n = snprintf(buf, size, "[%-.8ld.%-.6ld]\t%s [USERSPACE] portid=%u progname=%s",
		    (long)tv->tv_sec, (long)tv->tv_usec, text, portid, prog);
	else
		n = snprintf(buf, size, "[%-.8ld.%-.6ld]\t%s [USERSPACE] portid=%u",
		    (long)tv->tv_sec, (long)tv->tv_usec, text, portid);
	if (n < 0)
		return 0;
	return (size_t)n < size ? (size_t)n : size - 1;
}
