/*
 * PostgreSQL's binary COPY format, the encoder side: the file header, one
 * tuple after another, the trailer. Each value is a 4-byte big-endian
 * length and the type's binary send form (int2/4/8, numeric, inet,
 * timestamptz), or length -1 for NULL.
 */
#ifndef FLOWLOAD_PGCOPY_H
#define FLOWLOAD_PGCOPY_H

#include <stddef.h>
#include <stdint.h>

#include "bytebuf.h"
#include "flow/flowrec.h"

/* the COPY data so far: buf.data[0..buf.len), buf.oom when memory ran out */
struct pgcopy {
	struct bytebuf buf;
};

void pgcopy_header(struct pgcopy *c);
void pgcopy_trailer(struct pgcopy *c);
void pgcopy_tuple(struct pgcopy *c, uint16_t ncols);
void pgcopy_null(struct pgcopy *c);
void pgcopy_int2(struct pgcopy *c, int16_t v);
void pgcopy_int4(struct pgcopy *c, int32_t v);
void pgcopy_int8(struct pgcopy *c, int64_t v);
/* numeric: the whole unsigned 64-bit range, in base-10000 digits */
void pgcopy_numeric_u64(struct pgcopy *c, uint64_t v);
void pgcopy_inet(struct pgcopy *c, const struct flow_addr *a);
/* timestamptz from ms since the Unix epoch */
void pgcopy_timestamptz_ms(struct pgcopy *c, uint64_t ms);
void pgcopy_reset(struct pgcopy *c);
void pgcopy_free(struct pgcopy *c);

#endif
