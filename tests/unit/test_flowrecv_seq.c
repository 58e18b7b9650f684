/* flow-recv's sequence tracking: each version's rule, wrap, reordering, restarts, softflowd. */
#include <string.h>

#include "../../cmd/flow-recv/seqtrack.h"
#include "tap.h"

struct run {
	struct seq_state s;
	struct seq_counts c;
};

static void feed(struct run *r, unsigned version, uint32_t seq, uint32_t n, uint32_t uptime)
{
	struct nf_header h;

	memset(&h, 0, sizeof h);
	h.version = version;
	h.sequence = seq;
	h.has_uptime = version != 10;
	h.sysuptime = uptime;
	seq_track(&r->s, &r->c, &h, n, true);
}

static void start(struct run *r)
{
	memset(r, 0, sizeof *r);
}

int main(void)
{
	struct run r;

	start(&r);	/* v5 counts flows: 30 a datagram */
	for (uint32_t i = 0; i < 10; i++)
		feed(&r, 5, 1000 + 30 * i, 30, 5000 + i);
	IS_U(r.c.missing, 0, "v5 lossless: 0 missing");
	feed(&r, 5, 1000 + 30 * 11, 30, 6000);	/* datagram 10 lost */
	IS_U(r.c.missing, 30, "v5: one datagram lost is 30 flows");
	feed(&r, 5, 1000 + 30 * 10, 30, 6001);	/* ... or only late */
	IS_U(r.c.missing, 0, "v5: the late one fills the gap");
	IS_U(r.c.reordered, 1, "v5: and is reordered");
	feed(&r, 5, 1000 + 30 * 12, 30, 6002);
	IS_U(r.c.missing + r.c.restarts + r.c.resyncs, 0, "v5: the stream goes on from the newest");
	feed(&r, 5, 0, 30, 10);			/* reboot: sequence and uptime start over */
	IS_U(r.c.restarts, 1, "v5: sequence back with uptime reset is a restart");
	IS_U(r.c.missing, 0, "v5: a restart is not 4 billion lost");
	feed(&r, 5, 30, 30, 20);
	IS_U(r.c.missing, 0, "v5: after a restart, 0 missing");
	feed(&r, 5, 5, 30, 30);
	IS_U(r.c.resyncs, 1, "v5: back, no gap, no reboot: a resync");

	start(&r);	/* wrap past 2^32 */
	feed(&r, 5, 4294967280u, 30, 100);
	feed(&r, 5, 14, 30, 200);
	IS_U(r.c.missing + r.c.restarts + r.c.resyncs, 0, "v5: the sequence wraps mod 2^32 "
	    "harmlessly");

	start(&r);	/* v9 counts datagrams, whatever they hold */
	feed(&r, 9, 7, 21, 100);
	feed(&r, 9, 8, 3, 200);
	feed(&r, 9, 10, 0, 300);
	IS_U(r.c.missing, 1, "v9: one datagram missing");
	feed(&r, 9, 9, 5, 301);
	IS_U(r.c.missing, 0, "v9: late, not lost");
	feed(&r, 9, 11, 5, 4294967000u);
	feed(&r, 9, 12, 5, 500);		/* uptime wraps past 2^32 ms: no reboot */
	IS_U(r.c.restarts, 0, "v9: an uptime wrap is no restart");

	start(&r);	/* IPFIX counts data records before the message (RFC 7011) */
	feed(&r, 10, 0, 5, 0);
	feed(&r, 10, 5, 3, 0);
	feed(&r, 10, 8, 7, 0);
	IS_U(r.c.missing, 0, "IPFIX lossless: 0 missing");
	OK(r.s.conv == SEQ_BEFORE, "IPFIX: RFC 7011's convention recognised");
	feed(&r, 10, 20, 4, 0);			/* 15..19 lost */
	IS_U(r.c.missing, 5, "IPFIX: 5 records missing");
	feed(&r, 10, 3, 4, 0);
	IS_U(r.c.restarts, 1, "IPFIX: far back with no gap to fill is a restart");

	start(&r);	/* softflowd 1.1.0: the count including the message's own records */
	feed(&r, 10, 5, 5, 0);
	feed(&r, 10, 8, 3, 0);
	feed(&r, 10, 15, 7, 0);
	feed(&r, 10, 17, 2, 0);
	IS_U(r.c.missing, 0, "softflowd's IPFIX numbering: 0 missing on a lossless stream");
	OK(r.s.conv == SEQ_INCLUDING, "softflowd's convention recognised");
	feed(&r, 10, 29, 6, 0);			/* a message of 6 lost (18..23), then
						   24..29 */
	IS_U(r.c.missing, 6, "softflowd's numbering: true loss still counts");
	return tap_done();
}
