/* Datagram decode by version: v5, v9, IPFIX behind one call. */
#include "base/bytecursor.h"
#include "netflow/ipfix.h"
#include "netflow/netflow_v5.h"
#include "netflow/netflow_v9.h"
#include "netflow/nf_datagram.h"

int nf_decoder_init(struct nf_decoder *d, size_t max_templates, int version)
{
	d->version = version;
	return nft_cache_init(&d->templates, max_templates);
}

void nf_decoder_free(struct nf_decoder *d)
{
	nft_cache_free(&d->templates);
}

unsigned long nf_decoder_evicted(const struct nf_decoder *d)
{
	return d->templates.evicted;
}

int nf_datagram_version(const uint8_t *p, size_t len)
{
	struct bytecursor c = bc_make(p, len);
	uint16_t v = bc_u16(&c);

	return c.bad ? -1 : v;
}

static int version_of(const struct nf_decoder *d, const uint8_t *p, size_t len)
{
	return d != NULL && d->version ? d->version : nf_datagram_version(p, len);
}

size_t nf_datagram_len(const struct nf_decoder *d, const uint8_t *p, size_t len)
{
	size_t n;

	if (version_of(d, p, len) != 5)
		return len;
	n = nf5_datagram_len(p, len);
	/* a short or cut one: all of the rest, for the decoder to say what is wrong */
	return n == 0 || n > len ? len : n;
}

int nf_decode_datagram(struct nf_decoder *d, const uint8_t *p, size_t len,
    const struct flow_addr *exporter, uint16_t port, nf_record_fn fn, void *ctx,
    struct nf_result *res)
{
	int version = version_of(d, p, len);

	res->version = version < 0 ? 0 : (unsigned)version;
	switch (version) {
	case 5:
		return nf5_decode(p, len, exporter, fn, ctx, res);
	case 9:
		return nf9_decode(&d->templates, p, len, exporter, port, fn, ctx, res);
	case 10:
		return ipfix_decode(&d->templates, p, len, exporter, port, fn, ctx, res);
	case -1:
		nf_result_error(res, 0, "a datagram of %zu bytes has no version field", len);
		return -1;
	default:
		nf_result_error(res, 0, "version %d is not NetFlow v5, v9 or IPFIX (10)", version);
		return -1;
	}
}
