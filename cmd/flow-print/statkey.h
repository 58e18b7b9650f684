/*
 * What -s groups by: FIELD[,FIELD...][/ORDER], line-format fields
 * (srcaddr, dstport, prot, src_as...), addresses cut to a prefix
 * (srcaddr/24, dstaddr/64; one length cuts both families, IPv4 at 32 at
 * most; srcaddr/24/64 gives IPv6 its own), and the two-sided `ip` and `port`: a flow
 * counts once for its source side and once for its destination side
 * (ip,port groups endpoints). ORDER: flows (default), packets, bytes.
 * A key is a fixed number of bytes per spec, so groups hash and
 * compare as plain memory.
 */
#ifndef FLOWPRINT_STATKEY_H
#define FLOWPRINT_STATKEY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/diag.h"
#include "flow/flowrec.h"

#define STATKEY_FIELDS_MAX 8
#define STATKEY_BYTES_MAX (STATKEY_FIELDS_MAX * 17)

/* Field ids of the two-sided pseudo fields, after the line format's. */
enum { STATKEY_IP = FF_COUNT, STATKEY_PORT };

enum stat_order { STAT_BY_FLOWS, STAT_BY_PACKETS, STAT_BY_BYTES };

struct statkey_part {
	int field;		/* enum flow_field, STATKEY_IP or STATKEY_PORT */
	unsigned bits4, bits6;	/* address prefix lengths (32, 128: not cut) */
	bool addr;		/* 17 key bytes (family + address), else 4 */
};

struct statkey {
	struct statkey_part part[STATKEY_FIELDS_MAX];
	unsigned nparts;
	size_t len;		/* key bytes */
	bool two_sided;		/* ip or port: each flow counts for both sides */
	enum stat_order order;
};

/* Parses the -s argument. 0, or -1 with the reason in why. */
int statkey_parse(struct statkey *k, const char *spec, struct why *why);
/* Key bytes of r (the destination side when dst_side) at out (len bytes). */
void statkey_make(const struct statkey *k, const struct flowrec *r, bool dst_side, uint8_t *out);
/* The line-format fields the key reads. */
flow_fieldset statkey_fields(const struct statkey *k);
/* Column title of part i ("srcaddr/24", "ip"). */
size_t statkey_title(const struct statkey *k, unsigned i, char *p);
/* Text of part i of key bytes (an address, port, protocol name...) at p (CELL_MAX). */
size_t statkey_cell(const struct statkey *k, unsigned i, const uint8_t *key, char *p);
const char *stat_order_name(enum stat_order o);

#endif
