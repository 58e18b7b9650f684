/* Flow records from a finished connection (see ctviews.h). */
#include <string.h>

#include "ctviews.h"
#include "flow/flowclock.h"
#include "flow/flowproto.h"

int ct_views_parse(const char *list, unsigned *views)
{
	unsigned v = 0;
	const char *p = list;

	if (strcmp(list, "auto") == 0) {
		*views = CT_VIEW_AUTO;
		return 0;
	}
	if (strcmp(list, "all") == 0) {
		*views = CT_VIEW_PRIVATE | CT_VIEW_PUBLIC | CT_VIEW_REPLY;
		return 0;
	}
	while (*p) {
		size_t n = strcspn(p, ",");
		if (n == 7 && memcmp(p, "private", 7) == 0)
			v |= CT_VIEW_PRIVATE;
		else if (n == 6 && memcmp(p, "public", 6) == 0)
			v |= CT_VIEW_PUBLIC;
		else if (n == 5 && memcmp(p, "reply", 5) == 0)
			v |= CT_VIEW_REPLY;
		else
			return -1;
		p += n;
		if (*p == ',')
			p++;
	}
	if (v == 0)
		return -1;
	*views = v;
	return 0;
}

/* Source and destination ports of a tuple; ICMP type/code go in dstport. */
static void set_ports(struct flowrec *r, uint8_t proto, const struct ct_tuple *t, bool reversed)
{
	if (flow_is_icmp(proto)) {
		r->srcport = 0;
		r->dstport = flow_icmp_port(t->icmp_type, t->icmp_code);
	} else if (reversed) {
		r->srcport = t->dport;
		r->dstport = t->sport;
	} else {
		r->srcport = t->sport;
		r->dstport = t->dport;
	}
}

static void set_common(struct flowrec *r, const struct ct_event *ev, const struct ct_clock *clk,
    const struct ct_tuple *counters)
{
	uint64_t export_ms = clk->export_us / 1000u;

	flowrec_clear(r);
	r->prot = ev->proto;
	r->dpkts = counters->packets;
	r->doctets = counters->bytes;
	r->exaddr = clk->exaddr;
	r->nexthop.family = ev->orig.src.family;	/* none: 0.0.0.0, or :: for IPv6 */
	flow_set_clock(r, export_ms, (uint32_t)(export_ms - clk->boot_ms));
	flow_set_first_last(r, clk->first_ms, clk->last_ms);
	/* keep the microseconds */
	r->unix_nsecs = (uint32_t)(clk->export_us % 1000000u) * 1000u;
}

int ct_views_build(const struct ct_event *ev, unsigned views, const struct ct_clock *clk,
    struct flowrec out[3], unsigned *empty)
{
	/* a direction that carried nothing makes no flow (only known when counted) */
	bool orig_empty = ev->orig.has_counters && ev->orig.packets == 0;
	bool reply_empty = ev->reply.has_counters && ev->reply.packets == 0;
	int n = 0;

	if (views == CT_VIEW_AUTO)
		views = CT_VIEW_PRIVATE | CT_VIEW_REPLY |
		    (ct_event_natted(ev) ? CT_VIEW_PUBLIC : 0);

	if (views & CT_VIEW_PRIVATE) {
		if (orig_empty) {
			++*empty;
		} else {
			struct flowrec *r = &out[n++];
			set_common(r, ev, clk, &ev->orig);
			r->srcaddr = ev->orig.src;
			r->dstaddr = ev->orig.dst;
			set_ports(r, ev->proto, &ev->orig, false);
		}
	}
	if (views & CT_VIEW_PUBLIC) {
		if (orig_empty) {
			++*empty;
		} else {
			struct flowrec *r = &out[n++];
			set_common(r, ev, clk, &ev->orig);
			r->srcaddr = ev->reply.dst;
			r->dstaddr = ev->reply.src;
			/* the original direction's ICMP type, the reply tuple's ports reversed */
			if (flow_is_icmp(ev->proto))
				set_ports(r, ev->proto, &ev->orig, false);
			else
				set_ports(r, ev->proto, &ev->reply, true);
		}
	}
	if (views & CT_VIEW_REPLY) {
		if (reply_empty) {
			++*empty;
		} else {
			struct flowrec *r = &out[n++];
			set_common(r, ev, clk, &ev->reply);
			r->srcaddr = ev->reply.src;
			r->dstaddr = ev->reply.dst;
			set_ports(r, ev->proto, &ev->reply, false);
		}
	}
	return n;
}
