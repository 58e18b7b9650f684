/* Column names and the check that an existing table has exactly them. */
#include <stdbool.h>
#include <string.h>

#include "schema.h"

static const char *const names[COL_COUNT] = {
	"start_time", "end_time", "exaddr", "srcaddr", "dstaddr", "nexthop",
	"srcport", "dstport", "prot", "tos", "tcp_flags", "src_mask",
	"dst_mask", "input", "output", "src_as", "dst_as", "engine_type",
	"engine_id", "dpkts", "doctets", "rdpkts", "rdoctets", "rtcp_flags",
	"rstart_time", "rend_time",
};

const char *schema_col_name(enum load_col c)
{
	return names[c];
}

static bool listed(const char *name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

static const char *first_not_in(const char *const *a, size_t na, const char *const *b, size_t nb)
{
	for (size_t i = 0; i < na; i++)
		if (!listed(a[i], b, nb))
			return a[i];
	return NULL;
}

int schema_compare(const char *table, const char *const *have, size_t nhave,
    const char *const *want, size_t nwant, struct why *w)
{
	const char *missing = first_not_in(want, nwant, have, nhave);
	const char *extra = first_not_in(have, nhave, want, nwant);

	if (missing == NULL && extra == NULL)
		return 0;
	if (missing != NULL && extra != NULL)
		return why_set(w, "table %s exists with other columns: it lacks %s and has %s, "
		    "which flow-load does not write", table, missing, extra);
	if (missing != NULL)
		return why_set(w, "table %s exists with other columns: it lacks %s", table,
		    missing);
	return why_set(w, "table %s exists with other columns: it has %s, which flow-load "
	    "does not write", table, extra);
}

static const char *const exporter_cols[] = { "exaddr", "first_seen", "last_seen", "records" };
static const char *const batch_cols[] = { "source", "first_line", "last_line", "records",
	"loaded_at" };

int schema_check_tables(schema_table_check check, void *ctx, struct why *w)
{
	int rc;

	if ((rc = check(ctx, "flows", names, COL_COUNT, w)) != 0 ||
	    (rc = check(ctx, "exporters", exporter_cols, 4, w)) != 0)
		return rc;
	return check(ctx, "load_batches", batch_cols, 5, w);
}
