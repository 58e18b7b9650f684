/* struct sockaddr_storage <-> struct flow_addr and port. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>

#include "flow/flowaddr.h"
#include "net/sockaddr.h"

socklen_t net_sockaddr_set(struct sockaddr_storage *ss, const struct flow_addr *a, uint16_t port)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *s4 = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof *ss);
	if (a->family == FLOW_AF_INET6) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		memcpy(&s6->sin6_addr, a->bytes, 16);
		return sizeof *s6;
	}
	s4->sin_family = AF_INET;
	s4->sin_port = htons(port);
	memcpy(&s4->sin_addr, a->bytes, 4);
	return sizeof *s4;
}

int net_sockaddr_get(const struct sockaddr_storage *ss, struct flow_addr *a, uint16_t *port)
{
	struct flow_addr tmp;
	uint16_t p;

	if (a == NULL)
		a = &tmp;
	if (ss->ss_family == AF_INET6) {
		const struct sockaddr_in6 *s6 = (const struct sockaddr_in6 *)ss;
		const uint8_t *b = s6->sin6_addr.s6_addr;

		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr))
			flow_addr_set_v4(a, b + 12);
		else
			flow_addr_set_v6(a, b);
		p = ntohs(s6->sin6_port);
	} else if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *s4 = (const struct sockaddr_in *)ss;

		flow_addr_set_v4(a, (const uint8_t *)&s4->sin_addr);
		p = ntohs(s4->sin_port);
	} else {
		return -1;
	}
	if (port)
		*port = p;
	return 0;
}
