/*
 * Open connections: NEW events waiting for their DESTROY. Keyed by the
 * conntrack id (when the lines carry id=) together with the original
 * tuple, protocol and zone, so a reused id or a reused tuple never pairs
 * with the wrong connection. Bounded: past max entries the oldest is
 * evicted (and counted); entries older than the TTL are purged.
 */
#ifndef CT2FT_CTPAIR_H
#define CT2FT_CTPAIR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ctline.h"
#include "base/htab.h"
#include "base/pool.h"

struct ct_open {
	struct htab_node node;
	struct ct_key {
		struct flow_addr src, dst;
		uint32_t id, zone;
		uint16_t sport, dport, icmp_id;
		uint8_t proto, icmp_type, icmp_code, has_id;
	} key;
	bool has_time;
	uint64_t time_us;	/* of the NEW event */
};

struct ct_table {
	struct htab h;
	struct pool pool;	/* the entries, at most max */
	size_t max;
	unsigned long replaced;	/* NEW for a key already open: the older lost its DESTROY */
	unsigned long evicted;	/* dropped because the table was full */
	unsigned long purged;	/* older than the TTL */
};

int ct_table_init(struct ct_table *t, size_t max);
void ct_table_free(struct ct_table *t);
/* Records a NEW event. 0, or -1 when out of memory. */
int ct_table_add(struct ct_table *t, const struct ct_event *ev);
/*
 * Finds and removes the NEW that ev (a DESTROY) ends. Returns true and
 * its time (has_time false when the NEW line had none) when found.
 */
bool ct_table_take(struct ct_table *t, const struct ct_event *ev, bool *has_time,
    uint64_t *time_us);
/* Removes entries whose NEW time is before cutoff_us. */
void ct_table_purge(struct ct_table *t, uint64_t cutoff_us);

#endif
