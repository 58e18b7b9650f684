/* NetFlow v9 datagram decoder (the encoder is nf_template_encode.c). */
#include <string.h>

#include "base/bytecursor.h"
#include "netflow/netflow_v9.h"

/* Reads n (type, length) field specifiers; false when they do not fit. */
static bool read_fields(struct bytecursor *set, struct nft_field *f, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		f[i].id = bc_u16(set);
		f[i].len = bc_u16(set);
		f[i].pen = 0;
	}
	return !set->bad;
}

/*
 * RFC 3954 has no variable-length fields, but H3C NetStream sends strings
 * with length 65535 in v9 as IPFIX does (Wireshark's capture
 * netflow9_test_h3c_netstream_varstring), and a fixed field that long
 * could never fit a datagram: so 65535 is read as IPFIX's variable length.
 */
static void store(struct nft_cache *cache, const struct nft_key *key, bool options,
    const struct nft_field *f, unsigned n, size_t at, struct nf_result *res)
{
	const char *why = nft_check(f, n);

	if (why) {
		nf_result_error(res, at, "template %u: %s", key->id, why);
		return;
	}
	if (nft_store(cache, key, options, f, n) != 0) {
		nf_result_error(res, at, "template %u: out of memory", key->id);
		return;
	}
	res->templates++;
}

/* Flowset 0: template records until the padding. */
static void templates(struct nft_cache *cache, struct nft_key key, struct bytecursor *set,
    size_t base, struct nf_result *res)
{
	struct nft_field f[NFT_MAX_FIELDS];

	while (bc_left(set) >= 4 && !bc_rest_zero(set)) {
		size_t at = base + set->pos;
		unsigned n;

		key.id = bc_u16(set);
		n = bc_u16(set);
		if (key.id < NFT_MIN_ID) {
			nf_result_error(res, at, "template id %u is below 256", key.id);
			return;
		}
		if (n > NFT_MAX_FIELDS || !read_fields(set, f, n)) {
			nf_result_error(res, at,
			    "template %u: %u fields run past the end of the flowset", key.id, n);
			return;
		}
		store(cache, &key, false, f, n, at, res);
	}
}

/* Flowset 1: options templates; their data records are skipped, but need their length. */
static void options(struct nft_cache *cache, struct nft_key key, struct bytecursor *set,
    size_t base, struct nf_result *res)
{
	struct nft_field f[NFT_MAX_FIELDS];

	while (bc_left(set) >= 6 && !bc_rest_zero(set)) {
		size_t at = base + set->pos;
		unsigned scope_len, opt_len, n;

		key.id = bc_u16(set);
		scope_len = bc_u16(set);
		opt_len = bc_u16(set);
		if (key.id < NFT_MIN_ID) {
			nf_result_error(res, at, "options template id %u is below 256", key.id);
			return;
		}
		if (scope_len % 4 || opt_len % 4) {
			nf_result_error(res, at,
			    "options template %u: scope length %u / option length %u "
			    "not a multiple of 4",
			    key.id, scope_len, opt_len);
			return;
		}
		n = (scope_len + opt_len) / 4;
		if (n > NFT_MAX_FIELDS || !read_fields(set, f, n)) {
			nf_result_error(res, at,
			    "options template %u: %u fields run past the end of the flowset",
			    key.id, n);
			return;
		}
		store(cache, &key, true, f, n, at, res);
	}
}

int nf9_decode(struct nft_cache *cache, const uint8_t *p, size_t len,
    const struct flow_addr *exporter, uint16_t port, nf_record_fn fn, void *ctx,
    struct nf_result *res)
{
	struct bytecursor c = bc_make(p, len);
	struct nft_key key;
	struct nft_export x;
	unsigned version, records = res->records, errors = res->errors;
	uint32_t secs;

	memset(&key, 0, sizeof key);
	memset(&x, 0, sizeof x);
	version = bc_u16(&c);
	bc_skip(&c, 2);			/* count: not trusted, the flowsets say */
	x.sysuptime = bc_u32(&c);
	secs = bc_u32(&c);
	bc_skip(&c, 4);			/* sequence */
	key.domain = bc_u32(&c);
	if (c.bad) {
		nf_result_error(res, 0,
		    "v9 datagram of %zu bytes is shorter than its %d-byte header", len,
		    NF9_HEADER_LEN);
		return -1;
	}
	if (version != 9) {
		nf_result_error(res, 0, "version %u, not 9", version);
		return -1;
	}
	if (exporter)
		key.exporter = *exporter;
	key.port = port;
	key.version = 9;
	x.exporter = exporter;
	x.export_ms = (uint64_t)secs * 1000u;
	x.uptime_base = true;

	while (bc_left(&c) >= 4 && !bc_rest_zero(&c)) {
		size_t at = c.pos;
		unsigned id = bc_u16(&c), slen = bc_u16(&c);
		struct bytecursor set;

		if (slen < 4 || slen - 4 > bc_left(&c)) {
			nf_result_error(res, at, "flowset %u has length %u, but %zu bytes are left",
			    id, slen, bc_left(&c) + 4);
			break;
		}
		set = bc_sub(&c, slen - 4);
		if (id == 0) {
			templates(cache, key, &set, at + 4, res);
		} else if (id == 1) {
			options(cache, key, &set, at + 4, res);
		} else if (id >= NFT_MIN_ID) {
			key.id = (uint16_t)id;
			nft_decode_set(cache, &key, &set, at + 4, &x, fn, ctx, res);
		} else {
			res->skipped_sets++;
		}
	}
	return res->errors != errors ? -1 : (int)(res->records - records);
}
