/* IP reassembly (see ipdefrag.h). */
#include <stdlib.h>
#include <string.h>

#include "base/bytecursor.h"
#include "flow/flowrec.h"
#include "packet/ipdefrag.h"

#define MAX_PIECES 32		/* disjoint byte ranges one datagram may have held */
#define IPV4_HEADER_MAX 60
#define IPV6_HEADER 40

/* Memset before filling: the padding takes part in hashing and comparing. */
struct frag_key {
	struct flow_addr src, dst;
	uint8_t proto;			/* IPv4; 0 for IPv6, whose id alone names it */
	uint32_t id;
};

struct piece {
	uint32_t lo, hi;		/* bytes [lo, hi) of the data are there */
};

struct datagram {
	struct htab_node node;		/* oldest first: by the first fragment's arrival */
	struct frag_key key;
	uint64_t first_ms;
	uint8_t *data;			/* the data, as far as cap */
	uint32_t cap;
	uint32_t total;			/* data length, once the last fragment came */
	int npieces;
	struct piece pieces[MAX_PIECES];	/* sorted, never touching */
	uint8_t head[IPV4_HEADER_MAX];	/* the IP header the whole datagram gets */
	uint8_t head_len;		/* 0 until the fragment at offset 0 came */
	uint8_t has_total;
};

/* One fragment, read off the decoded packet. */
struct fragment {
	const uint8_t *data;
	uint32_t off, len;
	uint8_t more;
};

static bool key_eq(const struct htab_node *n, const void *key)
{
	const struct datagram *g = htab_entry(n, const struct datagram, node);

	return htab_key_equal(&g->key, key, sizeof g->key);
}

int ipdefrag_init(struct ipdefrag *d, const struct ipdefrag_limits *lim)
{
	const struct ipdefrag_limits def = { IPDEFRAG_DATAGRAMS, IPDEFRAG_BYTES, IPDEFRAG_TIMEOUT_MS };

	memset(d, 0, sizeof *d);
	d->lim = lim ? *lim : def;
	d->out = malloc(IPV4_HEADER_MAX + IPDEFRAG_MAX);
	if (d->out == NULL)
		return -1;
	return htab_init(&d->h, 64);
}

static void forget(struct ipdefrag *d, struct datagram *g)
{
	htab_remove(&d->h, &g->node);
	d->bytes -= g->cap;
	free(g->data);
	free(g);
}

void ipdefrag_free(struct ipdefrag *d)
{
	struct htab_node *n;

	while ((n = htab_oldest(&d->h)) != NULL)
		forget(d, htab_entry(n, struct datagram, node));
	htab_free(&d->h);
	free(d->out);
	d->out = NULL;
}

const struct ipdefrag_stats *ipdefrag_get_stats(struct ipdefrag *d)
{
	d->st.held = d->h.count;	/* the table knows */
	return &d->st;
}

void ipdefrag_expire(struct ipdefrag *d, uint64_t now_ms)
{
	struct htab_node *n;

	while ((n = htab_oldest(&d->h)) != NULL) {
		struct datagram *g = htab_entry(n, struct datagram, node);
		if (now_ms < g->first_ms || now_ms - g->first_ms < d->lim.timeout_ms)
			return;
		forget(d, g);
		d->st.timed_out++;
	}
}

/*
 * Where the datagram ends by its IP header's own length field, which
 * pkt_decode caps at the frame (l3_len): a fragment whose header claims
 * more than the frame holds has lost bytes no later fragment brings back.
 */
static size_t claimed_end(const uint8_t *frame, size_t caplen, const struct pkt_info *pi)
{
	struct bytecursor c = bc_make(frame, caplen);
	bool v4 = pi->src.family == FLOW_AF_INET;

	bc_skip(&c, (size_t)pi->l3_off + (v4 ? 2 : 4));
	return (size_t)pi->l3_off + (v4 ? 0 : 40) + bc_u16(&c);
}

/* Where the fragment's data is; NULL (and *why) when it was not all captured or cannot be. */
static const char *read_fragment(const uint8_t *frame, size_t caplen, const struct pkt_info *pi,
    struct fragment *f)
{
	size_t end = (size_t)pi->l3_off + pi->l3_len;

	if (pi->frag_data_off > end)
		return "fragment shorter than its own header";
	if (end > caplen)
		return NULL;	/* cut: counted by the caller */
	if (claimed_end(frame, caplen, pi) != end)
		return "IP length other than what the frame holds";
	f->data = frame + pi->frag_data_off;
	f->off = pi->frag_off;
	f->len = (uint32_t)(end - pi->frag_data_off);
	f->more = pi->frag_more;
	if ((size_t)f->off + f->len > IPDEFRAG_MAX)
		return "fragment ends past 65535 bytes";
	if (f->more && f->len % 8 != 0)
		return "a fragment with more to follow is not a multiple of 8 bytes long";
	if (f->more && f->len == 0)
		return "an empty fragment with more to follow";
	return "";
}

static void make_key(const struct pkt_info *pi, struct frag_key *k)
{
	memset(k, 0, sizeof *k);
	k->src = pi->src;
	k->dst = pi->dst;
	k->id = pi->frag_id;
	if (pi->src.family == FLOW_AF_INET)
		k->proto = pi->proto;
}

/* The oldest datagram goes, counted; false when there is none. */
static bool evict_oldest(struct ipdefrag *d)
{
	struct htab_node *n = htab_oldest(&d->h);

	if (n == NULL)
		return false;
	forget(d, htab_entry(n, struct datagram, node));
	d->st.evicted++;
	return true;
}

static struct datagram *find_or_add(struct ipdefrag *d, const struct frag_key *k, uint64_t hash,
    uint64_t now_ms)
{
	struct htab_node *n = htab_find(&d->h, hash, key_eq, k);
	struct datagram *g;

	if (n)
		return htab_entry(n, struct datagram, node);
	while (d->h.count >= d->lim.max_datagrams && evict_oldest(d))
		;
	g = calloc(1, sizeof *g);
	if (g == NULL)
		return NULL;
	g->key = *k;
	g->first_ms = now_ms;
	htab_insert(&d->h, &g->node, hash);
	return g;
}

/* Room for data up to end; false when the byte limit or memory says no. */
static bool grow(struct ipdefrag *d, struct datagram *g, uint32_t end)
{
	uint32_t cap = g->cap ? g->cap : 2048;
	uint8_t *more;

	if (end <= g->cap)
		return true;
	while (cap < end)
		cap = cap * 2 < IPDEFRAG_MAX ? cap * 2 : IPDEFRAG_MAX;
	if (cap > d->lim.max_bytes)
		return false;	/* no eviction can make room: the others stay */
	while (d->bytes + (cap - g->cap) > d->lim.max_bytes && htab_oldest(&d->h) !=
	    &g->node && evict_oldest(d))
		;
	if (d->bytes + (cap - g->cap) > d->lim.max_bytes || (more = realloc(g->data, cap)) == NULL)
		return false;
	d->bytes += cap - g->cap;
	if (d->bytes > d->st.peak_bytes)
		d->st.peak_bytes = d->bytes;
	g->data = more;
	g->cap = cap;
	return true;
}

/*
 * Copies the fragment's bytes where no piece has them yet; where one has,
 * the first copy stays and a difference is reported. The pieces are then
 * merged with [lo, hi). False when that would make too many pieces.
 */
static bool place(struct datagram *g, const struct fragment *f, bool *conflict)
{
	uint32_t lo = f->off, hi = f->off + f->len, at = lo;
	int i = 0, j;

	*conflict = false;
	for (int k = 0; k < g->npieces && at < hi; k++) {
		const struct piece *p = &g->pieces[k];
		if (p->hi <= at)
			continue;
		if (p->lo > at) {
			uint32_t stop = p->lo < hi ? p->lo : hi;
			memcpy(g->data + at, f->data + (at - lo), stop - at);
			at = stop;
		}
		if (at < hi && p->lo <= at) {
			uint32_t stop = p->hi < hi ? p->hi : hi;
			*conflict = *conflict || memcmp(g->data + at, f->data + (at - lo), stop - at);
			at = stop;
		}
	}
	if (at < hi)
		memcpy(g->data + at, f->data + (at - lo), hi - at);
	/* merge: the pieces before, [lo, hi) with every piece it touches, the pieces after */
	while (i < g->npieces && g->pieces[i].hi < lo)
		i++;
	for (j = i; j < g->npieces && g->pieces[j].lo <= hi; j++) {
		lo = g->pieces[j].lo < lo ? g->pieces[j].lo : lo;
		hi = g->pieces[j].hi > hi ? g->pieces[j].hi : hi;
	}
	if (j == i && g->npieces == MAX_PIECES)
		return false;
	memmove(&g->pieces[i + 1], &g->pieces[j], (size_t)(g->npieces - j) * sizeof g->pieces[0]);
	g->npieces += 1 - (j - i);
	g->pieces[i].lo = lo;
	g->pieces[i].hi = hi;
	return true;
}

/* The header the whole datagram gets, from the fragment at offset 0. */
static void keep_head(struct datagram *g, const uint8_t *frame, const struct pkt_info *pi)
{
	if (pi->src.family == FLOW_AF_INET) {
		g->head_len = (uint8_t)(pi->frag_data_off - pi->l3_off);
		memcpy(g->head, frame + pi->l3_off, g->head_len);
	} else {
		g->head_len = IPV6_HEADER;
		memcpy(g->head, frame + pi->l3_off, IPV6_HEADER);
		g->head[6] = pi->frag_next;
	}
}

static bool whole(const struct datagram *g)
{
	return g->has_total && g->head_len && g->npieces == 1 && g->pieces[0].lo == 0 &&
	    g->pieces[0].hi == g->total;
}

/* The datagram as one packet in d->out; its length. */
static size_t assemble(struct ipdefrag *d, const struct datagram *g)
{
	uint8_t *o = d->out;
	size_t n = g->head_len + (size_t)g->total;

	memcpy(o, g->head, g->head_len);
	memcpy(o + g->head_len, g->data, g->total);
	if ((o[0] >> 4) == 6) {
		o[4] = (uint8_t)(g->total >> 8);
		o[5] = (uint8_t)g->total;
	} else {
		o[2] = (uint8_t)(n >> 8);
		o[3] = (uint8_t)n;
		o[6] = o[7] = 0;	/* no fragment: flags and offset cleared */
	}
	return n;
}

/* The last fragment says how long the data is: once, and no data may lie past it. */
static const char *set_total(struct datagram *g, const struct fragment *f)
{
	uint32_t end = f->off + f->len;

	if (f->more)
		return g->has_total && end > g->total ? "fragment past the datagram's end" : "";
	if (g->has_total && end != g->total)
		return "a second last fragment with another length";
	if (g->npieces && g->pieces[g->npieces - 1].hi > end)
		return "last fragment before data already seen";
	g->total = end;
	g->has_total = 1;
	return "";
}

enum ipdefrag_result ipdefrag_add(struct ipdefrag *d, const uint8_t *frame, size_t caplen,
    const struct pkt_info *pi, uint64_t now_ms, const uint8_t **out, size_t *outlen,
    const char **why)
{
	struct fragment f;
	struct frag_key k;
	struct datagram *g;
	bool conflict;

	d->st.fragments++;
	ipdefrag_expire(d, now_ms);
	*why = read_fragment(frame, caplen, pi, &f);
	if (*why == NULL) {
		d->st.cut++;
		*why = "fragment cut by the snapshot length";
		return IPDEFRAG_REFUSED;
	}
	if (**why)
		goto malformed;
	make_key(pi, &k);
	g = find_or_add(d, &k, htab_hash(&d->h, &k, sizeof k), now_ms);
	if (g == NULL) {
		*why = "out of memory";
		goto malformed;
	}
	if (*(*why = set_total(g, &f)))
		goto malformed;
	if (!grow(d, g, f.off + f.len)) {
		*why = "no room within the reassembly limit";
		forget(d, g);
		d->st.evicted++;
		goto malformed;
	}
	if (!place(g, &f, &conflict)) {
		*why = "too many separate pieces";
		goto malformed;
	}
	if (conflict)
		d->st.conflicts++;
	if (f.off == 0 && g->head_len == 0)
		keep_head(g, frame, pi);
	if (!whole(g))
		return IPDEFRAG_HELD;
	if ((g->head[0] >> 4) == 4 && g->head_len + (size_t)g->total > IPDEFRAG_MAX) {
		*why = "reassembled IPv4 datagram longer than 65535 bytes";
		forget(d, g);
		goto malformed;
	}
	*outlen = assemble(d, g);
	*out = d->out;
	forget(d, g);
	d->st.reassembled++;
	return IPDEFRAG_WHOLE;
malformed:
	d->st.malformed++;
	return IPDEFRAG_REFUSED;
}
