/*
 * The flow records of one finished connection, as nfflowd wrote them:
 *   private  the original tuple as the client sent it, original counters
 *   public   the same traffic after NAT: reply dst/dport as source, reply
 *            src/sport as destination, original counters
 *   reply    the reply tuple, reply counters
 * By default three views for a NATed connection and two (private, reply)
 * otherwise; a view whose direction carried no packet is left out.
 */
#ifndef CT2FT_CTVIEWS_H
#define CT2FT_CTVIEWS_H

#include "ctline.h"
#include "flow/flowrec.h"

enum {
	CT_VIEW_PRIVATE = 1,
	CT_VIEW_PUBLIC = 2,
	CT_VIEW_REPLY = 4,
	CT_VIEW_AUTO = 0	/* all three when NATed, private and reply otherwise */
};

/* Parses "private,public,reply", "all" or "auto". 0, or -1. */
int ct_views_parse(const char *list, unsigned *views);

/* When and by whom: the export clock of the records of one connection. */
struct ct_clock {
	uint64_t export_us;	/* the DESTROY event time */
	uint64_t boot_ms;	/* exporter boot time: sysuptime = export - boot */
	uint64_t first_ms, last_ms;
	struct flow_addr exaddr;
};

/*
 * Fills out[0..2] for ev (a DESTROY) and returns how many; *empty counts
 * the views left out because their direction had zero packets.
 */
int ct_views_build(const struct ct_event *ev, unsigned views, const struct ct_clock *clk,
    struct flowrec out[3], unsigned *empty);

#endif
