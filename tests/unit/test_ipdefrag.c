/*
 * packet/ipdefrag: fragments built here by hand from a known datagram, in
 * every order and with the faults a capture can hold, must give back that
 * datagram byte for byte (bar the IP header's fragment field and checksum).
 */
#include <stdint.h>
#include <string.h>

#include "packet/ipdefrag.h"
#include "packet/pktdecode.h"
#include "tap.h"

#define PAYLOAD 3000		/* UDP payload of the test datagram */

static uint8_t dgram[8 + PAYLOAD];	/* UDP header and payload */

static void make_datagram(uint8_t seed)
{
	memset(dgram, 0, sizeof dgram);
	dgram[0] = 0x08; dgram[1] = 0x07;		/* source port 2055 */
	dgram[2] = 0x12; dgram[3] = 0x34;		/* destination port 4660 */
	dgram[4] = (uint8_t)(sizeof dgram >> 8); dgram[5] = (uint8_t)sizeof dgram;
	for (size_t i = 8; i < sizeof dgram; i++)
		dgram[i] = (uint8_t)(i * 7 + seed);
}

/* IPv4 fragment of dgram: data bytes [off, off+len), MF when more; returns the frame length. */
static size_t v4_frag(uint8_t *f, uint8_t src_last, uint16_t id, size_t off, size_t len, int more)
{
	uint16_t field = (uint16_t)((more ? 0x2000 : 0) | off / 8);

	memset(f, 0, 20);
	f[0] = 0x45;
	f[2] = (uint8_t)((20 + len) >> 8); f[3] = (uint8_t)(20 + len);
	f[4] = (uint8_t)(id >> 8); f[5] = (uint8_t)id;
	f[6] = (uint8_t)(field >> 8); f[7] = (uint8_t)field;
	f[8] = 64; f[9] = 17;
	f[12] = 192; f[13] = 0; f[14] = 2; f[15] = src_last;
	f[16] = 198; f[17] = 51; f[18] = 100; f[19] = 7;
	if (off + len <= sizeof dgram)
		memcpy(f + 20, dgram + off, len);
	else
		memset(f + 20, 0, len);	/* beyond the test datagram: what matters is the length */
	return 20 + len;
}

/* IPv6 with a fragment header (next header UDP) carrying dgram bytes [off, off+len). */
static size_t v6_frag(uint8_t *f, uint32_t id, size_t off, size_t len, int more)
{
	uint16_t offmf = (uint16_t)(off | (more ? 1 : 0));

	memset(f, 0, 48);
	f[0] = 0x60;
	f[4] = (uint8_t)((8 + len) >> 8); f[5] = (uint8_t)(8 + len);
	f[6] = 44; f[7] = 64;
	f[8] = 0x20; f[9] = 0x01; f[10] = 0x0d; f[11] = 0xb8; f[23] = 1;
	f[24] = 0x20; f[25] = 0x01; f[26] = 0x0d; f[27] = 0xb8; f[39] = 2;
	f[40] = 17;
	f[42] = (uint8_t)(offmf >> 8); f[43] = (uint8_t)offmf;
	f[44] = (uint8_t)(id >> 24); f[45] = (uint8_t)(id >> 16); f[46] = (uint8_t)(id >> 8);
	f[47] = (uint8_t)id;
	memcpy(f + 48, dgram + off, len);
	return 48 + len;
}

struct feed {
	enum ipdefrag_result rc;
	const uint8_t *out;
	size_t outlen;
	const char *why;
};

static struct feed add(struct ipdefrag *d, const uint8_t *f, size_t caplen, size_t wirelen,
    uint64_t now_ms)
{
	struct pkt_info pi;
	struct feed r = { IPDEFRAG_REFUSED, NULL, 0, NULL };

	pkt_decode(PKT_LINK_RAW, f, caplen, wirelen, &pi);
	if (!pi.is_frag) {
		r.why = "not a fragment";
		return r;
	}
	r.rc = ipdefrag_add(d, f, caplen, &pi, now_ms, &r.out, &r.outlen, &r.why);
	return r;
}

/* The whole datagram decodes as the UDP datagram dgram is. */
static int same_datagram(const struct feed *r, size_t iphdr)
{
	struct pkt_info pi;
	enum pkt_status st;

	if (r->rc != IPDEFRAG_WHOLE || r->outlen != iphdr + sizeof dgram)
		return 0;
	st = pkt_decode(PKT_LINK_RAW, r->out, r->outlen, r->outlen, &pi);
	return st == PKT_OK && !pi.is_frag && pi.proto == 17 && pi.sport == 2055 &&
	    pi.dport == 4660 && pi.l3_len == r->outlen &&
	    memcmp(r->out + iphdr, dgram, sizeof dgram) == 0;
}

/* The three fragments of dgram (1480 + 1480 + 48 bytes) in the order given. */
static struct feed three(struct ipdefrag *d, const int order[3], uint16_t id)
{
	static const size_t off[3] = { 0, 1480, 2960 }, len[3] = { 1480, 1480, 48 };
	uint8_t f[1600];
	struct feed r = { IPDEFRAG_REFUSED, NULL, 0, NULL };

	for (int i = 0; i < 3; i++) {
		int k = order[i];
		size_t n = v4_frag(f, 1, id, off[k], len[k], k < 2);
		r = add(d, f, n, n, 1000);
		if (i < 2 && r.rc != IPDEFRAG_HELD)
			return r;
	}
	return r;
}

static void test_orders(void)
{
	static const int orders[6][3] = {
		{ 0, 1, 2 }, { 2, 1, 0 }, { 1, 0, 2 }, { 1, 2, 0 }, { 2, 0, 1 }, { 0, 2, 1 }
	};
	struct ipdefrag d;

	ipdefrag_init(&d, NULL);
	for (int i = 0; i < 6; i++) {
		struct feed r = three(&d, orders[i], (uint16_t)(100 + i));
		OK(same_datagram(&r, 20), "IPv4, fragments in order %d%d%d: the datagram, whole",
		    orders[i][0], orders[i][1], orders[i][2]);
	}
	IS_U(ipdefrag_get_stats(&d)->reassembled, 6, "six datagrams reassembled");
	IS_U(ipdefrag_get_stats(&d)->held, 0, "none held");
	ipdefrag_free(&d);
}

static void test_overlaps(void)
{
	struct ipdefrag d;
	uint8_t f[1600];
	size_t n;
	struct feed r;

	ipdefrag_init(&d, NULL);
	n = v4_frag(f, 1, 7, 0, 1480, 1);
	add(&d, f, n, n, 0);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_HELD, "a fragment seen twice is held once");
	n = v4_frag(f, 1, 7, 1472, 1536, 0);	/* overlaps the first by 8 bytes, ends the datagram */
	r = add(&d, f, n, n, 0);
	OK(same_datagram(&r, 20), "an overlapping last fragment with the same bytes completes it");
	IS_U(ipdefrag_get_stats(&d)->conflicts, 0, "no conflict");

	n = v4_frag(f, 1, 8, 0, 1480, 1);
	add(&d, f, n, n, 0);
	n = v4_frag(f, 1, 8, 1472, 1536, 0);
	f[20] ^= 0xff;				/* byte 1472 says otherwise */
	r = add(&d, f, n, n, 0);
	OK(same_datagram(&r, 20), "a conflicting overlap keeps the first copy");
	IS_U(ipdefrag_get_stats(&d)->conflicts, 1, "and is counted as a conflict");
	ipdefrag_free(&d);
}

static void test_bounds(void)
{
	const struct ipdefrag_limits lim = { 2, 1u << 20, 30000 };
	struct ipdefrag d;
	uint8_t f[1600];
	size_t n;
	struct feed r;

	ipdefrag_init(&d, &lim);
	for (uint16_t id = 1; id <= 3; id++) {
		n = v4_frag(f, 1, id, 0, 1480, 1);
		add(&d, f, n, n, 0);
	}
	IS_U(ipdefrag_get_stats(&d)->evicted, 1, "a third datagram beyond max 2 gives up the oldest");
	IS_U(ipdefrag_get_stats(&d)->held, 2, "two held");
	n = v4_frag(f, 1, 1, 1480, 1528, 0);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_HELD, "the rest of the evicted one starts anew, held");
	ipdefrag_expire(&d, 29999);
	IS_U(ipdefrag_get_stats(&d)->timed_out, 0, "nothing times out before 30 s");
	ipdefrag_expire(&d, 30000);
	IS_U(ipdefrag_get_stats(&d)->timed_out, 2, "at 30 s the first two time out");
	ipdefrag_free(&d);

	const struct ipdefrag_limits small = { 100, 3000, 30000 };
	ipdefrag_init(&d, &small);
	n = v4_frag(f, 1, 1, 0, 1480, 1);
	add(&d, f, n, n, 0);
	n = v4_frag(f, 2, 1, 0, 1480, 1);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_HELD && ipdefrag_get_stats(&d)->evicted == 1,
	    "max_bytes: a second datagram's data gives up the first");
	n = v4_frag(f, 2, 1, 1480, 1480, 1);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_REFUSED && strcmp(r.why, "no room within the reassembly limit") == 0,
	    "a datagram bigger than max_bytes alone is refused: %s", r.why);
	n = v4_frag(f, 3, 1, 0, 1480, 1);
	add(&d, f, n, n, 0);
	n = v4_frag(f, 4, 1, 1480, 1480, 1);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_REFUSED && ipdefrag_get_stats(&d)->held == 1 &&
	    ipdefrag_get_stats(&d)->evicted == 3,
	    "and gives up no other datagram for room it could never have");
	ipdefrag_free(&d);
}

static void test_faults(void)
{
	struct ipdefrag d;
	uint8_t f[1600];
	size_t n;
	struct feed r;

	ipdefrag_init(&d, NULL);
	n = v4_frag(f, 1, 9, 0, 1476, 1);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_REFUSED && strstr(r.why, "multiple of 8"),
	    "a fragment with more to follow must be a multiple of 8 long: %s", r.why);
	n = v4_frag(f, 1, 9, 0, 1480, 1);
	r = add(&d, f, 100, n, 0);
	OK(r.rc == IPDEFRAG_REFUSED && ipdefrag_get_stats(&d)->cut == 1,
	    "a fragment cut by the snapshot length is refused and counted cut");
	n = v4_frag(f, 1, 12, 0, 1480, 1);
	f[2] = (uint8_t)((20 + 1488) >> 8);	/* the header claims 8 bytes the frame lacks */
	f[3] = (uint8_t)(20 + 1488);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_REFUSED && strstr(r.why, "IP length"),
	    "a fragment longer by its header than its frame is refused: %s", r.why);
	n = v4_frag(f, 1, 10, 65528, 16, 0);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_REFUSED && strstr(r.why, "65535"), "ends past 65535: %s", r.why);
	n = v4_frag(f, 1, 11, 1480, 100, 0);
	add(&d, f, n, n, 0);
	n = v4_frag(f, 1, 11, 1480, 200, 0);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_REFUSED && strstr(r.why, "second last fragment"),
	    "two last fragments of other lengths: %s", r.why);
	n = v4_frag(f, 1, 11, 1576, 8, 1);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_REFUSED && strstr(r.why, "past the datagram's end"),
	    "data past the last fragment's end: %s", r.why);
	IS_U(ipdefrag_get_stats(&d)->malformed, 5, "five malformed counted");
	ipdefrag_free(&d);
}

static void test_same_id_other_source(void)
{
	struct ipdefrag d;
	uint8_t f[1600];
	size_t n;
	struct feed r;

	ipdefrag_init(&d, NULL);
	n = v4_frag(f, 1, 5, 0, 1480, 1);
	add(&d, f, n, n, 0);
	n = v4_frag(f, 2, 5, 1480, 1528, 0);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_HELD, "the same id from another source is another datagram");
	ipdefrag_free(&d);
}

static void test_v6(void)
{
	struct ipdefrag d;
	uint8_t f[1600];
	size_t n;
	struct feed r;

	ipdefrag_init(&d, NULL);
	n = v6_frag(f, 0xdeadbeef, 1232, 1232, 1);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_HELD, "IPv6: a middle fragment is held");
	n = v6_frag(f, 0xdeadbeef, 2464, sizeof dgram - 2464, 0);
	add(&d, f, n, n, 0);
	n = v6_frag(f, 0xdeadbeef, 0, 1232, 1);
	r = add(&d, f, n, n, 0);
	OK(same_datagram(&r, 40), "IPv6: the datagram, whole, next header UDP");
	OK(r.outlen >= 40 && r.out[6] == 17 && (r.out[4] << 8 | r.out[5]) == (int)sizeof dgram,
	    "IPv6: next header and payload length set");
	ipdefrag_free(&d);
}

/*
 * Many separate pieces: 32 held apart, a 33rd refused, then one fragment
 * that bridges them all and the last one; the data held goes back to 0.
 */
static void test_pieces(void)
{
	struct ipdefrag d;
	uint8_t f[3100];
	size_t n;
	struct feed r;

	ipdefrag_init(&d, NULL);
	for (size_t k = 0; k < 32; k++) {
		n = v4_frag(f, 1, 20, k * 88, 8, 1);
		r = add(&d, f, n, n, 0);
		if (r.rc != IPDEFRAG_HELD)
			break;
	}
	OK(r.rc == IPDEFRAG_HELD, "32 separate pieces are held");
	n = v4_frag(f, 1, 20, 2904, 8, 1);
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_REFUSED && strstr(r.why, "too many separate pieces"),
	    "a 33rd separate piece is refused: %s", r.why);
	n = v4_frag(f, 1, 20, 8, 2952, 1);	/* [8, 2960): touches or covers every piece */
	r = add(&d, f, n, n, 0);
	OK(r.rc == IPDEFRAG_HELD, "a fragment over all the pieces is held");
	n = v4_frag(f, 1, 20, 2960, 48, 0);
	r = add(&d, f, n, n, 0);
	OK(same_datagram(&r, 20), "and the last one makes the datagram whole");
	IS_U(ipdefrag_get_stats(&d)->conflicts, 0, "no conflict among the pieces");
	IS_U(ipdefrag_get_stats(&d)->held, 0, "none held");
	OK(d.bytes == 0 && ipdefrag_get_stats(&d)->peak_bytes > 0,
	    "the data held goes back to 0 bytes (peak %zu)", ipdefrag_get_stats(&d)->peak_bytes);
	ipdefrag_free(&d);
}

int main(void)
{
	make_datagram(3);
	test_orders();
	test_overlaps();
	test_bounds();
	test_faults();
	test_same_id_other_source();
	test_v6();
	test_pieces();
	return tap_done();
}
