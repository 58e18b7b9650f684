/*
 * pcap-loop: the floor for pcap-flows' benchmark. A bare libpcap read
 * loop over a capture file that only counts packets and captured bytes.
 * usage: pcap-loop FILE
 */
#include <pcap/pcap.h>
#include <stdio.h>

struct totals {
	unsigned long long packets, bytes;
};

static void on_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct totals *t = (struct totals *)(void *)user;

	(void)bytes;
	t->packets++;
	t->bytes += h->caplen;
}

int main(int argc, char **argv)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	struct totals t = { 0, 0 };
	pcap_t *p;

	if (argc != 2) {
		fprintf(stderr, "usage: pcap-loop FILE\n");
		return 2;
	}
	p = pcap_open_offline(argv[1], errbuf);
	if (p == NULL) {
		fprintf(stderr, "pcap-loop: %s: %s\n", argv[1], errbuf);
		return 2;
	}
	if (pcap_loop(p, -1, on_packet, (u_char *)(void *)&t) == PCAP_ERROR) {
		fprintf(stderr, "pcap-loop: %s: %s\n", argv[1], pcap_geterr(p));
		pcap_close(p);
		return 1;
	}
	pcap_close(p);
	printf("%llu packets, %llu bytes captured\n", t.packets, t.bytes);
	return 0;
}
