/*
 * A compiled filter: a small tree of nodes in one array, children by
 * index. Leaves compare one value of the record (a field, or a value
 * derived from fields: duration, rates, absolute times, ICMP type/code)
 * with constants fixed at compile time; inner nodes are and, or, not.
 * The tree also records which fields it reads, so a line is converted
 * only as far as those.
 */
#ifndef FLOWFILTER_FTREE_H
#define FLOWFILTER_FTREE_H

#include <stdint.h>

#include "flow/flowrec.h"

/* Values a leaf reads: field ids 0..FF_COUNT-1, then the derived ones. */
enum fvalue {
	FV_DURATION = FF_COUNT,	/* last - first, ms (32-bit wrap-safe) */
	FV_BPS,			/* 8000 * doctets / duration, 0 for duration 0 */
	FV_PPS,			/* 1000 * dpkts / duration, 0 for duration 0 */
	FV_BPP,			/* doctets / dpkts, 0 for no packets */
	FV_START,		/* absolute ms of first (v5 clock) */
	FV_END,			/* absolute ms of last */
	FV_ICMP_TYPE,		/* dstport / 256 */
	FV_ICMP_CODE,		/* dstport % 256 */
	FV_COUNT
};

enum fnode_kind {
	FN_AND, FN_OR, FN_NOT,	/* a, b: children (b unused for NOT) */
	FN_TRUE,		/* 'any' */
	FN_CMP,			/* value OP lo */
	FN_RANGE,		/* lo <= value <= hi */
	FN_SET,			/* value in set[a .. a+b) (sorted) */
	FN_NET,			/* address field in net (family, prefix) */
	FN_FLAGS		/* (value & lo) == lo && (value & hi) == 0 */
};

enum fop { OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };

struct fnode {
	uint8_t kind, op, value, plen;	/* plen: FN_NET prefix length */
	int32_t a, b;
	uint64_t lo, hi;
	struct flow_addr net;		/* FN_NET: family and masked prefix */
};

struct ftree {
	struct fnode *node;
	int count, cap;
	uint64_t *set;			/* the FN_SET members, all sets in one array */
	int nset, setcap;
	int root;
	flow_fieldset needs;		/* fields the leaves read */
};

/* Fields a value is computed from. */
flow_fieldset fvalue_needs(enum fvalue v);
/* Name of a value for messages and dumps ("srcport", "duration"). */
const char *fvalue_name(enum fvalue v);

/* Appends a node; its index, or -1 out of memory. */
int ftree_add(struct ftree *t, const struct fnode *n);
/* Appends n values as one sorted set; its start, or -1 out of memory. */
int ftree_add_set(struct ftree *t, const uint64_t *v, int n);
void ftree_free(struct ftree *t);

#endif
