/*
 * What the NetFlow codec unit tests share: records with every field set,
 * a record collector for decoders, a datagram collector for encoders,
 * field-by-field comparison and fixture loading.
 */
#ifndef NETFLOW_TESTAID_H
#define NETFLOW_TESTAID_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "flow/flowclock.h"
#include "line/flowline.h"
#include "netflow/nfcodec.h"

#define COLLECT_MAX 512
#define DGRAMS_MAX 64
#define DGRAM_BYTES 1500	/* a full v5 datagram (1464) or v9/IPFIX (NF_DGRAM_MAX) */

struct collect {
	struct flowrec rec[COLLECT_MAX];
	unsigned n;
};

static void collect_fn(void *ctx, const struct flowrec *r)
{
	struct collect *c = ctx;

	if (c->n < COLLECT_MAX)
		c->rec[c->n++] = *r;
}

struct dgrams {
	uint8_t buf[DGRAMS_MAX][DGRAM_BYTES];
	size_t len[DGRAMS_MAX];
	unsigned n;
};

static int dgrams_fn(void *ctx, const uint8_t *p, size_t len)
{
	struct dgrams *d = ctx;

	if (d->n >= DGRAMS_MAX || len > DGRAM_BYTES)
		return -1;
	memcpy(d->buf[d->n], p, len);
	d->len[d->n++] = len;
	return 0;
}

static void addr_text(struct flow_addr *a, const char *s)
{
	if (flow_addr_parse(a, s, strlen(s)) != 0)
		abort();
}

/*
 * Record i with every field set to a value of its own. IPv6 when v6.
 * Export moment 1700000000.250 + i s, uptime 3600000 + i*1000 (one boot).
 */
static struct flowrec sample(unsigned i, bool v6)
{
	struct flowrec r;
	char s[64];

	memset(&r, 0, sizeof r);
	r.unix_secs = 1700000000u + i;
	r.unix_nsecs = 250000000u;
	r.sysuptime = 3600000u + i * 1000u;
	r.first = 3500000u + i * 7u;
	r.last = 3599000u + i * 11u;
	r.dpkts = 10u + i;
	r.doctets = 1000u + i * 3u;
	r.engine_type = 1;
	r.engine_id = 2;
	r.input = 3 + i;
	r.output = 4 + i;
	r.srcport = (uint16_t)(1024 + i);
	r.dstport = 443;
	r.prot = 6;
	r.tos = (uint8_t)(8 + i);
	r.tcp_flags = 0x1b;
	r.src_mask = v6 ? 64 : 24;
	r.dst_mask = v6 ? 48 : 16;
	r.src_as = 64500 + i;
	r.dst_as = 64600 + i;
	addr_text(&r.exaddr, "127.0.0.1");
	snprintf(s, sizeof s, v6 ? "2001:db8::%x" : "10.0.%u.1", i + 1);
	addr_text(&r.srcaddr, s);
	snprintf(s, sizeof s, v6 ? "2001:db8:ffff::%x" : "192.0.2.%u", i + 1);
	addr_text(&r.dstaddr, s);
	addr_text(&r.nexthop, v6 ? "fe80::1" : "10.0.0.254");
	return r;
}

/*
 * Every field of got equals want; the clock fields as absolute first and
 * last ms (exact_clock: also unix_secs, unix_nsecs, sysuptime, first,
 * last as they are). Prints what differs.
 */
static bool same_record(const struct flowrec *got, const struct flowrec *want, bool exact_clock)
{
	char g[FLOW_LINE_MAX], w[FLOW_LINE_MAX];
	bool ok;

	ok = got->dpkts == want->dpkts && got->doctets == want->doctets &&
	    got->input == want->input && got->output == want->output &&
	    got->src_as == want->src_as && got->dst_as == want->dst_as &&
	    got->srcport == want->srcport && got->dstport == want->dstport &&
	    got->engine_type == want->engine_type && got->engine_id == want->engine_id &&
	    got->prot == want->prot && got->tos == want->tos && got->tcp_flags == want->tcp_flags &&
	    got->src_mask == want->src_mask && got->dst_mask == want->dst_mask &&
	    flow_addr_equal(&got->exaddr, &want->exaddr) &&
	    flow_addr_equal(&got->srcaddr, &want->srcaddr) &&
	    flow_addr_equal(&got->dstaddr, &want->dstaddr) &&
	    flow_addr_equal(&got->nexthop, &want->nexthop) &&
	    flow_first_ms(got) == flow_first_ms(want) && flow_last_ms(got) == flow_last_ms(want);
	if (exact_clock)
		ok = ok && got->unix_secs == want->unix_secs &&
		    got->unix_nsecs == want->unix_nsecs &&
		    got->sysuptime == want->sysuptime && got->first == want->first &&
		    got->last == want->last;
	if (!ok) {
		flow_format(got, FLOW_FIELDS_DEFAULT, g);
		flow_format(want, FLOW_FIELDS_DEFAULT, w);
		printf("#   got:  %s#   want: %s", g, w);
	}
	return ok;
}

/* A fixture from tests/data/netflow (FP_DATA when set). Caller frees. */
static uint8_t *fixture(const char *name, size_t *len)
{
	const char *dir = getenv("FP_DATA");
	char path[512];
	uint8_t *buf = malloc(65536);
	FILE *fp;

	snprintf(path, sizeof path, "%s/netflow/%s", dir ? dir : "tests/data", name);
	fp = fopen(path, "rb");
	*len = 0;
	if (fp && buf)
		*len = fread(buf, 1, 65536, fp);
	if (fp)
		fclose(fp);
	if (*len == 0)
		printf("# cannot read %s\n", path);
	return buf;
}

#endif
