/*
 * Ports of fragmented datagrams: the first fragment carries the
 * transport header; later fragments find its ports here by
 * (src, dst, proto, IP id). Entries live 30 s of capture time after
 * their last fragment (the Linux reassembly timeout) and the table
 * holds at most FRAG_MAX; the oldest is forgotten first and counted.
 */
#ifndef PCAP_FLOWS_FRAGPORTS_H
#define PCAP_FLOWS_FRAGPORTS_H

#include <stdint.h>

#include "flow/flowrec.h"
#include "base/htab.h"
#include "base/pool.h"

#define FRAG_MAX 65536
#define FRAG_TIMEOUT_MS 30000

struct frag_table {
	struct htab h;
	struct pool pool;		/* the entries, at most FRAG_MAX */
	unsigned long long forgotten;	/* pushed out by FRAG_MAX */
};

int frag_init(struct frag_table *t);
void frag_free(struct frag_table *t);
/* Remembers the ports of a first fragment. 0, or -1 out of memory. */
int frag_remember(struct frag_table *t, const struct flow_addr *src, const struct flow_addr *dst,
    uint8_t proto, uint32_t id, uint16_t sport, uint16_t dport, uint64_t now_ms);
/* Ports for a later fragment: 1 when its first fragment was seen, else 0. */
int frag_lookup(struct frag_table *t, const struct flow_addr *src, const struct flow_addr *dst,
    uint8_t proto, uint32_t id, uint16_t *sport, uint16_t *dport, uint64_t now_ms);
/* Forgets every datagram older than FRAG_TIMEOUT_MS (frag_expire's work). */
void frag_expire_stale(struct frag_table *t, uint64_t now_ms);
/*
 * Forgets datagrams whose last fragment is older than FRAG_TIMEOUT_MS.
 * Called as the capture clock moves, nearly once a packet: inline, so an
 * empty table (most captures) costs one look.
 */
static inline void frag_expire(struct frag_table *t, uint64_t now_ms)
{
	if (htab_oldest(&t->h) != NULL)
		frag_expire_stale(t, now_ms);
}

#endif
