/*
 * net/: localip/remoteip/port[/ttl] for a sender and a collector, addr/port,
 * socket addresses both ways (v4-mapped senders as IPv4), and a bound
 * receiver on loopback getting a datagram from a connected sender with
 * the buffer the kernel granted reported.
 */
#include <netinet/in.h>
#include <string.h>
#include <unistd.h>

#include "flow/flowaddr.h"
#include "net/endpoint.h"
#include "net/sockaddr.h"
#include "net/udpsock.h"
#include "tap.h"

static const char *why_of(const char *spec, enum net_spec_form form)
{
	static struct why w;
	struct net_endpoint e;

	memset(&w, 0, sizeof w);
	return net_endpoint_parse(&e, spec, form, &w) == 0 ? "" : w.text;
}

static void test_send_specs(void)
{
	struct net_endpoint e;
	struct why w;
	char text[FLOW_ADDR_STRLEN];

	OK(net_endpoint_parse(&e, "0/192.0.2.9/2055", NET_SPEC_SEND, &w) == 0 &&
	    e.local.family == 0 &&
	    e.remote.family == FLOW_AF_INET && e.port == 2055 && e.ttl == 0,
	    "send: 0/192.0.2.9/2055");
	OK(net_endpoint_parse(&e, "::1/2001:db8::9/4739/16", NET_SPEC_SEND, &w) == 0 &&
	    e.local.family == FLOW_AF_INET6 && e.ttl == 16,
	    "send: IPv6 with local address and ttl");
	flow_addr_format(&e.remote, text);
	IS_STR(text, "2001:db8::9", "send: the remote address");
	IS_STR(why_of("127.0.0.1/2055", NET_SPEC_SEND), "want localip/remoteip/port[/ttl]",
	    "send: 2 parts");
	IS_STR(why_of("0/1/2/3/4", NET_SPEC_SEND), "want localip/remoteip/port[/ttl]",
	    "send: 5 parts");
	IS_STR(why_of("0/example.org/2055", NET_SPEC_SEND),
	    "remote address 'example.org' is not an IPv4 or IPv6 address",
	    "send: a name is not an address");
	IS_STR(why_of("0/0/2055", NET_SPEC_SEND),
	    "remote address '0' is not an IPv4 or IPv6 address",
	    "send: remote 0 is no collector");
	IS_STR(why_of("::1/127.0.0.1/2055", NET_SPEC_SEND),
	    "local address '::1' is not 0 or an address of the remote's family",
	    "send: families differ");
	IS_STR(why_of("0/127.0.0.1/70000", NET_SPEC_SEND), "port '70000' is not 1..65535",
	    "send: port 70000");
	IS_STR(why_of("0/127.0.0.1/0", NET_SPEC_SEND), "port '0' is not 1..65535", "send: port 0");
	IS_STR(why_of("0/127.0.0.1/+55", NET_SPEC_SEND), "port '+55' is not 1..65535",
	    "send: no sign");
	IS_STR(why_of("0/127.0.0.1/2055/0", NET_SPEC_SEND), "ttl '0' is not 1..255", "send: ttl 0");
	IS_STR(why_of("0/127.0.0.1/2055/256", NET_SPEC_SEND), "ttl '256' is not 1..255",
	    "send: ttl 256");
}

static void test_recv_specs(void)
{
	struct net_endpoint e;
	struct flow_addr a, b, c6;
	struct why w;

	flow_addr_parse(&a, "192.0.2.1", 9);
	flow_addr_parse(&b, "192.0.2.2", 9);
	flow_addr_parse(&c6, "2001:db8::1", 11);
	OK(net_endpoint_parse(&e, "0/0/2055", NET_SPEC_RECV, &w) == 0 &&
	    net_endpoint_family(&e) == 0 &&
	    net_endpoint_accepts(&e, &a) && net_endpoint_accepts(&e, &c6),
	    "recv: 0/0/2055 takes any exporter");
	OK(net_endpoint_parse(&e, "0/0.0.0.0/2055", NET_SPEC_RECV, &w) == 0 &&
	    net_endpoint_family(&e) == FLOW_AF_INET && net_endpoint_accepts(&e, &a) &&
	    !net_endpoint_accepts(&e, &c6),
	    "recv: 0/0.0.0.0/2055 takes any IPv4 exporter");
	OK(net_endpoint_parse(&e, "0/192.0.2.1/2055", NET_SPEC_RECV, &w) == 0 &&
	    net_endpoint_accepts(&e, &a) &&
	    !net_endpoint_accepts(&e, &b), "recv: remoteip names the one exporter taken");
	OK(net_endpoint_parse(&e, "::1/0/2055", NET_SPEC_RECV, &w) == 0 &&
	    net_endpoint_family(&e) == FLOW_AF_INET6,
	    "recv: the local address sets the family");
	OK(net_endpoint_parse(&e, "0/::ffff:192.0.2.1/2055", NET_SPEC_RECV, &w) == 0 &&
	    net_endpoint_family(&e) == FLOW_AF_INET && net_endpoint_accepts(&e, &a) &&
	    !net_endpoint_accepts(&e, &b),
	    "recv: a v4-mapped remoteip is that IPv4 exporter (senders arrive as IPv4)");
	IS_STR(why_of("::1/::ffff:192.0.2.1/2055", NET_SPEC_RECV),
	    "local address '::1' is not 0 or an address of the remote's family",
	    "recv: and an IPv6 localip cannot take it");
	OK(net_endpoint_parse(&e, "::ffff:192.0.2.2/::ffff:192.0.2.1/2055", NET_SPEC_RECV, &w) ==
	    0 && e.local.family == FLOW_AF_INET && flow_addr_equal(&e.local, &b),
	    "recv: a v4-mapped localip is that IPv4 address too");
	OK(net_endpoint_parse(&e, "0.0.0.0/0/2055", NET_SPEC_RECV, &w) == 0 &&
	    net_endpoint_takes(&e, &a) && !net_endpoint_takes(&e, &c6) &&
	    net_endpoint_reaches(&e, &b) && !net_endpoint_reaches(&e, &c6),
	    "recv: 0.0.0.0 takes and is reached by IPv4 alone");
	OK(net_endpoint_parse(&e, "192.0.2.2/0/2055", NET_SPEC_RECV, &w) == 0 &&
	    net_endpoint_reaches(&e, &b) && !net_endpoint_reaches(&e, &a),
	    "recv: a localip is reached at that address alone");
	OK(net_endpoint_parse(&e, "0/0/2055", NET_SPEC_RECV, &w) == 0 &&
	    net_endpoint_takes(&e, &a) && net_endpoint_takes(&e, &c6) &&
	    net_endpoint_reaches(&e, &a) && net_endpoint_reaches(&e, &c6),
	    "recv: 0/0 takes and is reached by both families");
	IS_STR(why_of("0/0/2055/5", NET_SPEC_RECV), "want localip/remoteip/port", "recv: no ttl");
	IS_STR(why_of("0/x/2055", NET_SPEC_RECV),
	    "remote address 'x' is not 0 or an IPv4 or IPv6 address",
	    "recv: remote neither 0 nor an address");
	IS_STR(why_of("y/0/2055", NET_SPEC_RECV),
	    "local address 'y' is not 0 or an IPv4 or IPv6 address",
	    "recv: local neither 0 nor an address");
	OK(net_addrport_parse("::1/9995", false, &a, &e.port, &w) == 0 &&
	    a.family == FLOW_AF_INET6 && e.port == 9995,
	    "addr/port: ::1/9995");
	OK(net_addrport_parse("127.0.0.1/0", true, &a, &e.port, &w) == 0 && e.port == 0,
	    "addr/port: port 0 allowed");
	OK(net_addrport_parse("127.0.0.1", false, &a, &e.port, &w) == -1 && strcmp(w.text,
	    "want addr/port") == 0,
	    "addr/port: no port");
}

static void test_sockaddr(void)
{
	struct sockaddr_storage ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;
	struct flow_addr a, back;
	uint16_t port = 0;
	char text[FLOW_ADDR_STRLEN];

	flow_addr_parse(&a, "2001:db8::7", 11);
	OK(net_sockaddr_set(&ss, &a, 4739) == sizeof(struct sockaddr_in6) &&
	    ss.ss_family == AF_INET6,
	    "sockaddr: IPv6");
	OK(net_sockaddr_get(&ss, &back, &port) == 0 && flow_addr_equal(&a, &back) && port == 4739,
	    "sockaddr: IPv6 back");
	memset(&ss, 0, sizeof ss);
	s6->sin6_family = AF_INET6;
	s6->sin6_addr.s6_addr[10] = s6->sin6_addr.s6_addr[11] = 0xff;
	s6->sin6_addr.s6_addr[12] = 192;
	s6->sin6_addr.s6_addr[15] = 9;
	net_sockaddr_get(&ss, &back, NULL);
	flow_addr_format(&back, text);
	OK(back.family == FLOW_AF_INET, "sockaddr: a v4-mapped sender is IPv4");
	IS_STR(text, "192.0.0.9", "sockaddr: its IPv4 address");
	ss.ss_family = AF_UNIX;
	OK(net_sockaddr_get(&ss, &back, NULL) == -1, "sockaddr: not an internet address");
}

/* A receiver on an ephemeral-looking port of 127.0.0.1, a sender to it. */
static void test_loopback(void)
{
	struct net_endpoint rx, tx;
	struct net_bufsize rb = { 1 << 20, false, 0 }, sb = { 1 << 16, false, 0 };
	struct why w;
	struct flow_addr from;
	uint16_t port = 0;
	char buf[16];
	int r = -1, s = -1;

	for (unsigned p = 39000; p < 39100 && r < 0; p++) {
		char spec[32];

		snprintf(spec, sizeof spec, "127.0.0.1/0/%u", p);
		net_endpoint_parse(&rx, spec, NET_SPEC_RECV, &w);
		r = net_udp_bind(&rx, &rb, &w);
	}
	OK(r >= 0, "loopback: receiver bound");
	OK(rb.granted > 0, "loopback: receive buffer granted reported (%d bytes)", rb.granted);
	{
		char spec[48];

		snprintf(spec, sizeof spec, "0/127.0.0.1/%u", rx.port);
		net_endpoint_parse(&tx, spec, NET_SPEC_SEND, &w);
	}
	s = net_udp_connect(&tx, &sb, &w);
	OK(s >= 0 && sb.granted >= 1 << 16, "loopback: sender connected, send buffer %d bytes",
	    sb.granted);
	OK(send(s, "nf", 2, 0) == 2 && net_udp_recv(r, buf, sizeof buf, &from, &port) == 2 &&
	    from.family == FLOW_AF_INET && from.bytes[0] == 127 && port != 0,
	    "loopback: the datagram with its sender's address and port");
	tx.port = rx.port;
	memset(&tx.local, 0, sizeof tx.local);
	flow_addr_parse(&tx.local, "192.0.2.77", 10);
	OK(net_udp_connect(&tx, &sb, &w) == -1 && strncmp(w.text, "bind: ", 6) == 0,
	    "loopback: a local address not ours fails in bind (%s)", w.text);
	close(s);
	close(r);
}

/* 0/0/port: one socket for IPv4 and IPv6 exporters; an IPv4 one is seen as IPv4. */
static void test_dual_stack(void)
{
	struct net_endpoint rx, tx;
	struct net_bufsize b = { 0, false, 0 };
	struct why w;
	struct flow_addr from;
	char buf[4], spec[48];
	int r = -1, s;

	for (unsigned p = 39100; p < 39200 && r < 0; p++) {
		snprintf(spec, sizeof spec, "0/0/%u", p);
		net_endpoint_parse(&rx, spec, NET_SPEC_RECV, &w);
		r = net_udp_bind(&rx, &b, &w);
	}
	snprintf(spec, sizeof spec, "0/127.0.0.1/%u", rx.port);
	net_endpoint_parse(&tx, spec, NET_SPEC_SEND, &w);
	s = net_udp_connect(&tx, &b, &w);
	OK(r >= 0 && s >= 0 && send(s, "v4", 2, 0) == 2 && net_udp_recv(r, buf, sizeof buf, &from,
	    NULL) == 2 &&
	    from.family == FLOW_AF_INET && from.bytes[0] == 127,
	    "dual stack: an IPv4 sender arrives as IPv4");
	if (s >= 0)
		close(s);
	if (r >= 0)
		close(r);
}

int main(void)
{
	test_send_specs();
	test_recv_specs();
	test_sockaddr();
	test_loopback();
	test_dual_stack();
	return tap_done();
}
