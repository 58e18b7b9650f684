/*
 * The flows table's columns, the same in every database (types differ,
 * each backend has its own list in this order): the line format's field
 * names, with first/last turned into absolute start_time/end_time (and
 * rfirst/rlast into rstart_time/rend_time). See flow-load(1).
 */
#ifndef FLOWLOAD_SCHEMA_H
#define FLOWLOAD_SCHEMA_H

#include <stddef.h>

#include "base/diag.h"

enum load_col {
	COL_START_TIME, COL_END_TIME, COL_EXADDR, COL_SRCADDR, COL_DSTADDR, COL_NEXTHOP,
	COL_SRCPORT, COL_DSTPORT, COL_PROT, COL_TOS, COL_TCP_FLAGS, COL_SRC_MASK,
	COL_DST_MASK, COL_INPUT, COL_OUTPUT, COL_SRC_AS, COL_DST_AS, COL_ENGINE_TYPE,
	COL_ENGINE_ID, COL_DPKTS, COL_DOCTETS, COL_RDPKTS, COL_RDOCTETS, COL_RTCP_FLAGS,
	COL_RSTART_TIME, COL_REND_TIME,
	COL_COUNT
};

const char *schema_col_name(enum load_col c);

/*
 * Compares a table's columns (names, any order) with the ones expected
 * (names, n). 0 when they are the same set; -1 with w naming the first
 * column missing and the first one not expected.
 */
int schema_compare(const char *table, const char *const *have, size_t nhave,
    const char *const *want, size_t nwant, struct why *w);

/* A backend's look at one table: its columns against want (schema_compare). */
typedef int (*schema_table_check)(void *ctx, const char *table, const char *const *want,
    size_t nwant, struct why *w);
/*
 * Checks the three tables as SQLite, PostgreSQL and MariaDB have them
 * (ClickHouse adds columns of its own). The first nonzero result of
 * check, or 0.
 */
int schema_check_tables(schema_table_check check, void *ctx, struct why *w);

#endif
