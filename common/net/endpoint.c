/* localip/remoteip/port[/ttl] and addr/port specs. */
#include <string.h>

#include "base/decnum.h"
#include "flow/flowaddr.h"
#include "net/endpoint.h"

#define PARTS_MAX 4

struct parts {
	const char *s[PARTS_MAX];
	size_t len[PARTS_MAX];
	int n;
	bool more;		/* a slash after the last part taken */
};

/* Splits spec at '/' into at most PARTS_MAX parts. */
static void split(const char *spec, struct parts *p)
{
	const char *at = spec;

	memset(p, 0, sizeof *p);
	while (p->n < PARTS_MAX) {
		const char *slash = strchr(at, '/');

		p->s[p->n] = at;
		p->len[p->n] = slash ? (size_t)(slash - at) : strlen(at);
		p->n++;
		if (!slash)
			return;
		at = slash + 1;
	}
	p->more = true;
}

static bool is_any(const char *s, size_t len)
{
	return len == 1 && s[0] == '0';
}

static int number(const char *s, size_t len, uint64_t lo, uint64_t hi, uint64_t *out)
{
	return dec_parse_u64(s, len, hi, out) != 0 || *out < lo ? -1 : 0;
}

static int port_of(const char *s, size_t len, bool allow_zero, uint16_t *port, struct why *w)
{
	uint64_t v;

	if (number(s, len, allow_zero ? 0 : 1, 65535, &v) != 0)
		return why_set(w, "port '%.*s' is not %s..65535", (int)len, s,
		    allow_zero ? "0" : "1");
	*port = (uint16_t)v;
	return 0;
}

/* A v4-mapped IPv6 address (::ffff:a.b.c.d) as the IPv4 address it maps. */
static void unmap_v4(struct flow_addr *a)
{
	if (flow_addr_is_v4_mapped(a)) {
		uint8_t v4[4];

		memcpy(v4, a->bytes + 12, 4);
		flow_addr_set_v4(a, v4);
	}
}

/*
 * remoteip: an address, or for a receiver also 0 (any); a receiver's
 * v4-mapped one is the IPv4 exporter, as its datagrams arrive
 * (net_sockaddr_get).
 */
static int remote_of(struct net_endpoint *e, const struct parts *p, enum net_spec_form form,
    struct why *w)
{
	if (form == NET_SPEC_RECV && is_any(p->s[1], p->len[1]))
		return 0;
	if (flow_addr_parse(&e->remote, p->s[1], p->len[1]) == 0) {
		if (form == NET_SPEC_RECV)
			unmap_v4(&e->remote);
		return 0;
	}
	return why_set(w, "remote address '%.*s' is not %san IPv4 or IPv6 address",
	    (int)p->len[1], p->s[1], form == NET_SPEC_RECV ? "0 or " : "");
}

/*
 * localip: 0, or an address of the remote's family when that is known;
 * a receiver's v4-mapped one is the IPv4 address (an IPv6 socket cannot
 * take it: it is IPv6-only).
 */
static int local_of(struct net_endpoint *e, const struct parts *p, enum net_spec_form form,
    struct why *w)
{
	if (is_any(p->s[0], p->len[0]))
		return 0;
	if (flow_addr_parse(&e->local, p->s[0], p->len[0]) == 0) {
		if (form == NET_SPEC_RECV)
			unmap_v4(&e->local);
		if (e->remote.family == 0 || e->local.family == e->remote.family)
			return 0;
	}
	memset(&e->local, 0, sizeof e->local);
	return why_set(w, "local address '%.*s' is not 0 or an %s", (int)p->len[0], p->s[0],
	    e->remote.family ? "address of the remote's family" : "IPv4 or IPv6 address");
}

int net_endpoint_parse(struct net_endpoint *e, const char *spec, enum net_spec_form form,
    struct why *w)
{
	int max = form == NET_SPEC_SEND ? 4 : 3;
	struct parts p;
	uint64_t v;

	memset(e, 0, sizeof *e);
	split(spec, &p);
	if (p.n < 3 || p.n > max || p.more)
		return why_set(w, "want localip/remoteip/port%s",
		    form == NET_SPEC_SEND ? "[/ttl]" : "");
	if (remote_of(e, &p, form, w) != 0 || local_of(e, &p, form, w) != 0)
		return -1;
	if (port_of(p.s[2], p.len[2], false, &e->port, w) != 0)
		return -1;
	if (p.n == 4) {
		if (number(p.s[3], p.len[3], 1, 255, &v) != 0)
			return why_set(w, "ttl '%.*s' is not 1..255", (int)p.len[3], p.s[3]);
		e->ttl = (int)v;
	}
	return 0;
}

uint8_t net_endpoint_family(const struct net_endpoint *e)
{
	return e->local.family ? e->local.family : e->remote.family;
}

bool net_endpoint_accepts(const struct net_endpoint *e, const struct flow_addr *from)
{
	if (e->remote.family == 0)
		return true;
	if (flow_addr_is_zero(&e->remote))
		return from->family == e->remote.family;
	return flow_addr_equal(&e->remote, from);
}

bool net_endpoint_takes(const struct net_endpoint *e, const struct flow_addr *from)
{
	uint8_t family = net_endpoint_family(e);

	return (family == 0 || family == from->family) && net_endpoint_accepts(e, from);
}

bool net_endpoint_any_local(const struct net_endpoint *e)
{
	return e->local.family == 0 || flow_addr_is_zero(&e->local);
}

bool net_endpoint_reaches(const struct net_endpoint *e, const struct flow_addr *to)
{
	uint8_t family = net_endpoint_family(e);

	if (!net_endpoint_any_local(e))
		return flow_addr_equal(&e->local, to);
	return family == 0 || family == to->family;
}

int net_addrport_parse(const char *s, bool allow_zero, struct flow_addr *a, uint16_t *port,
    struct why *w)
{
	const char *slash = strrchr(s, '/');

	if (slash == NULL || strchr(s, '/') != slash)
		return why_set(w, "want addr/port");
	if (flow_addr_parse(a, s, (size_t)(slash - s)) != 0)
		return why_set(w, "address '%.*s' is not an IPv4 or IPv6 address",
		    (int)(slash - s), s);
	return port_of(slash + 1, strlen(slash + 1), allow_zero, port, w);
}
