/*
 * A record waiting in flow-stitch's reorder buffer, kept in fewer bytes:
 * with -w 1800 half an hour of input waits, so its size is most of the
 * tool's memory. The common record (IPv4, no reverse or tunnel fields)
 * packs into WAITREC_PACKED_BYTES instead of a struct flowrec; any other
 * is kept whole. Unpacking gives back the record byte for byte, padding
 * included (records come zeroed from the reader, and go back zeroed), so
 * what is hashed or compared later cannot tell.
 */
#ifndef FLOWSTITCH_WAITREC_H
#define FLOWSTITCH_WAITREC_H

#include <stdbool.h>
#include <stdint.h>

#include "flow/flowrec.h"

struct waitrec_packed {
	uint64_t dpkts, doctets;
	uint32_t unix_secs, unix_nsecs, sysuptime, first, last;
	uint32_t input, output, src_as, dst_as;
	uint8_t exaddr[4], srcaddr[4], dstaddr[4], nexthop[4];
	uint16_t srcport, dstport;
	uint8_t engine_type, engine_id, prot, tos, tcp_flags, src_mask, dst_mask;
};

#define WAITREC_PACKED_BYTES sizeof(struct waitrec_packed)

/* Whether r packs without loss (every address IPv4, no extension field set). */
bool waitrec_packs(const struct flowrec *r);
/* Packs r (waitrec_packs(r) holds). */
void waitrec_pack(struct waitrec_packed *p, const struct flowrec *r);
/* The record p was packed from. */
void waitrec_unpack(struct flowrec *r, const struct waitrec_packed *p);

#endif
