/*
 * libFuzzer target: the endpoint spec parser (net/endpoint.h), both forms,
 * and addr/port. Whatever it takes must be what the rule says (a port in
 * range, the two addresses of one family, a ttl only for a sender); a
 * rejection must say why.
 */
#include <stdlib.h>
#include <string.h>

#include "net/endpoint.h"

static void check(const char *s, enum net_spec_form form)
{
	struct net_endpoint e;
	struct why w;

	memset(&w, 0, sizeof w);
	if (net_endpoint_parse(&e, s, form, &w) != 0) {
		if (w.text[0] == '\0')
			abort();
		return;
	}
	if (e.port == 0 || e.ttl < 0 || e.ttl > 255 || (form == NET_SPEC_RECV && e.ttl != 0))
		abort();
	if (form == NET_SPEC_SEND && e.remote.family == 0)
		abort();
	if (e.local.family && e.remote.family && e.local.family != e.remote.family)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	struct flow_addr a;
	uint16_t port;
	struct why w;

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check(s, NET_SPEC_SEND);
	check(s, NET_SPEC_RECV);
	memset(&w, 0, sizeof w);
	if (net_addrport_parse(s, true, &a, &port, &w) != 0 && w.text[0] == '\0')
		abort();
	free(s);
	return 0;
}
