/* -f json (see json.h). */
#include <string.h>

#include "cells.h"
#include "flow/flowproto.h"
#include "json.h"
#include "numfmt.h"

#define JSON_LINE_MAX 2048

static char *key(char *p, const char *k)
{
	size_t n = strlen(k);

	if (p[-1] != '{')
		*p++ = ',';
	*p++ = '"';
	memcpy(p, k, n);
	p += n;
	memcpy(p, "\":", 2);
	return p + 2;
}

static char *num(char *p, const char *k, uint64_t v)
{
	p = key(p, k);
	return p + num_u64(p, v);
}

/* A string that needs no escaping: addresses, names, times, flag letters. */
static char *str(char *p, const char *k, const char *s, size_t n)
{
	p = key(p, k);
	*p++ = '"';
	memcpy(p, s, n);
	p += n;
	*p++ = '"';
	return p;
}

static char *addr(char *p, const char *k, const struct flow_addr *a)
{
	char b[CELL_MAX];

	return str(p, k, b, cell_addr(b, a));
}

static char *times(char *p, const struct flowview *v, struct timefmt *tf)
{
	char b[TIMEFMT_MAX];

	p = str(p, "start", b, timefmt_write(tf, b, v->start_ms));
	p = str(p, "end", b, timefmt_write(tf, b, v->end_ms));
	p = key(p, "duration");
	return p + num_ms(p, flowview_duration(v));
}

static char *reverse(char *p, const struct flowrec *r)
{
	char b[CELL_MAX];

	p = num(p, "rdpkts", r->rdpkts);
	p = num(p, "rdoctets", r->rdoctets);
	p = num(p, "rtcp_flags", r->rtcp_flags);
	return str(p, "rflags", b, cell_flags(b, r->rtcp_flags));
}

int json_write(FILE *fp, const struct flowview *v, struct timefmt *tf, bool paired)
{
	const struct flowrec *r = v->r;
	char line[JSON_LINE_MAX], b[CELL_MAX], *p = line;

	*p++ = '{';
	p = times(p, v, tf);
	p = str(p, "proto", b, cell_proto(b, r->prot));
	p = num(p, "prot", r->prot);
	p = addr(p, "srcaddr", &r->srcaddr);
	p = num(p, "srcport", r->srcport);
	p = addr(p, "dstaddr", &r->dstaddr);
	p = num(p, "dstport", r->dstport);
	if (flow_is_icmp(r->prot)) {
		p = num(p, "icmp_type", r->dstport >> 8);
		p = num(p, "icmp_code", r->dstport & 0xffu);
	}
	p = num(p, "dpkts", r->dpkts);
	p = num(p, "doctets", r->doctets);
	p = num(p, "tcp_flags", r->tcp_flags);
	p = str(p, "flags", b, cell_flags(b, r->tcp_flags));
	if (paired)
		p = reverse(p, r);
	p = num(p, "tos", r->tos);
	p = num(p, "input", r->input);
	p = num(p, "output", r->output);
	p = num(p, "src_as", r->src_as);
	p = num(p, "dst_as", r->dst_as);
	p = num(p, "src_mask", r->src_mask);
	p = num(p, "dst_mask", r->dst_mask);
	p = addr(p, "nexthop", &r->nexthop);
	p = num(p, "engine_type", r->engine_type);
	p = num(p, "engine_id", r->engine_id);
	p = addr(p, "exaddr", &r->exaddr);
	*p++ = '}';
	*p++ = '\n';
	size_t n = (size_t)(p - line);
	return fwrite(line, 1, n, fp) == n ? 0 : -1;
}
