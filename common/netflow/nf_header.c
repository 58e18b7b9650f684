/* Export headers of v5, v9 and IPFIX, for sequence and clock tracking. */
#include <string.h>

#include "base/bytecursor.h"
#include "netflow/ipfix.h"
#include "netflow/netflow_v5.h"
#include "netflow/netflow_v9.h"
#include "netflow/nf_header.h"

static int read_v5(struct bytecursor *c, size_t len, struct nf_header *h, struct why *w)
{
	h->count = bc_u16(c);
	h->has_uptime = true;
	h->sysuptime = bc_u32(c);
	h->export_secs = bc_u32(c);
	bc_skip(c, 4);			/* unix_nsecs */
	h->sequence = bc_u32(c);
	h->domain = bc_u16(c);		/* engine_type, engine_id */
	h->sampling = bc_u16(c);
	if (c->bad)
		return why_set(w, "v5 datagram of %zu bytes is shorter than its %d-byte header",
		    len, NF5_HEADER_LEN);
	h->length = NF5_HEADER_LEN + (size_t)NF5_RECORD_LEN * h->count;
	return 0;
}

static int read_v9(struct bytecursor *c, size_t len, struct nf_header *h, struct why *w)
{
	h->count = bc_u16(c);
	h->has_uptime = true;
	h->sysuptime = bc_u32(c);
	h->export_secs = bc_u32(c);
	h->sequence = bc_u32(c);
	h->domain = bc_u32(c);
	if (c->bad)
		return why_set(w, "v9 datagram of %zu bytes is shorter than its %d-byte header",
		    len, NF9_HEADER_LEN);
	h->length = len;
	return 0;
}

static int read_ipfix(struct bytecursor *c, size_t len, struct nf_header *h, struct why *w)
{
	h->length = bc_u16(c);
	h->export_secs = bc_u32(c);
	h->sequence = bc_u32(c);
	h->domain = bc_u32(c);
	if (c->bad)
		return why_set(w, "%zu bytes, too few for an IPFIX message header", len);
	if (h->length < IPFIX_HEADER_LEN || h->length > len)
		return why_set(w, "IPFIX message length %zu, but %zu bytes are there", h->length,
		    len);
	return 0;
}

int nf_header_read(const uint8_t *p, size_t len, struct nf_header *h, struct why *w)
{
	struct bytecursor c = bc_make(p, len);

	memset(h, 0, sizeof *h);
	h->version = bc_u16(&c);
	if (c.bad)
		return why_set(w, "a datagram of %zu bytes has no version field", len);
	switch (h->version) {
	case 5:
		return read_v5(&c, len, h, w);
	case 9:
		return read_v9(&c, len, h, w);
	case 10:
		return read_ipfix(&c, len, h, w);
	default:
		return why_set(w, "version %u is not NetFlow v5, v9 or IPFIX (10)", h->version);
	}
}
