/* IPFIX message decoder (the encoder is nf_template_encode.c). */
#include <string.h>

#include "base/bytecursor.h"
#include "netflow/ipfix.h"

#define IPFIX_ENTERPRISE_BIT 0x8000u

/* Reads n field specifiers, with enterprise numbers; false when they do not fit. */
static bool read_fields(struct bytecursor *set, struct nft_field *f, unsigned n)
{
	for (unsigned i = 0; i < n && !set->bad; i++) {
		uint16_t id = bc_u16(set);

		f[i].len = bc_u16(set);
		f[i].id = id & (uint16_t)~IPFIX_ENTERPRISE_BIT;
		f[i].pen = id & IPFIX_ENTERPRISE_BIT ? bc_u32(set) : 0;
	}
	return !set->bad;
}

static void withdraw(struct nft_cache *cache, const struct nft_key *key, unsigned set_id,
    struct nf_result *res)
{
	bool options = set_id == 3;

	/*
	 * the set's own id as template id withdraws all of that kind, and
	 * only that kind (RFC 7011 8.1)
	 */
	if (key->id == set_id)
		res->withdrawn += nft_withdraw_all(cache, key, options);
	else
		res->withdrawn += nft_withdraw(cache, key, options);
}

/* Set 2 (templates) or 3 (options templates). */
static void templates(struct nft_cache *cache, struct nft_key key, unsigned set_id,
    struct bytecursor *set, size_t base, struct nf_result *res)
{
	struct nft_field f[NFT_MAX_FIELDS];
	const char *what = set_id == 3 ? "options template" : "template";

	while (bc_left(set) >= 4 && !bc_rest_zero(set)) {
		size_t at = base + set->pos;
		unsigned n, scope = 0;
		const char *why;

		key.id = bc_u16(set);
		n = bc_u16(set);
		if (n == 0) {
			withdraw(cache, &key, set_id, res);
			continue;
		}
		if (key.id < NFT_MIN_ID) {
			nf_result_error(res, at, "%s id %u is below 256", what, key.id);
			return;
		}
		if (set_id == 3) {
			scope = bc_u16(set);
			if (scope == 0 || scope > n) {
				nf_result_error(res, at,
				    "options template %u: scope field count %u of %u fields",
				    key.id, scope, n);
				return;
			}
		}
		if (n > NFT_MAX_FIELDS || !read_fields(set, f, n)) {
			nf_result_error(res, at, "%s %u: %u fields run past the end of the set",
			    what, key.id, n);
			return;
		}
		why = nft_check(f, n);
		if (why) {
			nf_result_error(res, at, "%s %u: %s", what, key.id, why);
			return;
		}
		if (nft_store(cache, &key, set_id == 3, f, n) != 0) {
			nf_result_error(res, at, "%s %u: out of memory", what, key.id);
			return;
		}
		res->templates++;
	}
}

/* One message of mlen bytes at p (header checked by the caller). */
static void message(struct nft_cache *cache, const uint8_t *p, size_t mlen, size_t base,
    const struct flow_addr *exporter, uint16_t port, nf_record_fn fn, void *ctx,
    struct nf_result *res)
{
	struct bytecursor c = bc_make(p, mlen);
	struct nft_key key;
	struct nft_export x;

	memset(&key, 0, sizeof key);
	memset(&x, 0, sizeof x);
	bc_skip(&c, 4);			/* version, length */
	x.export_ms = (uint64_t)bc_u32(&c) * 1000u;
	bc_skip(&c, 4);			/* sequence */
	key.domain = bc_u32(&c);
	if (exporter)
		key.exporter = *exporter;
	key.port = port;
	key.version = 10;
	x.exporter = exporter;

	while (bc_left(&c) >= 4) {
		size_t at = c.pos;
		unsigned id = bc_u16(&c), slen = bc_u16(&c);
		struct bytecursor set;

		if (slen < 4 || slen - 4 > bc_left(&c)) {
			nf_result_error(res, base + at,
			    "set %u has length %u, but %zu bytes are left",
			    id, slen, bc_left(&c) + 4);
			return;
		}
		set = bc_sub(&c, slen - 4);
		if (id == 2 || id == 3) {
			templates(cache, key, id, &set, base + at + 4, res);
		} else if (id >= NFT_MIN_ID) {
			key.id = (uint16_t)id;
			nft_decode_set(cache, &key, &set, base + at + 4, &x, fn, ctx, res);
		} else {
			res->skipped_sets++;
		}
	}
	if (bc_left(&c) > 0)
		nf_result_error(res, base + c.pos, "%zu bytes after the last set", bc_left(&c));
}

int ipfix_decode(struct nft_cache *cache, const uint8_t *p, size_t len,
    const struct flow_addr *exporter, uint16_t port, nf_record_fn fn, void *ctx,
    struct nf_result *res)
{
	unsigned records = res->records, errors = res->errors;
	size_t off = 0;

	if (len == 0)
		nf_result_error(res, 0, "an empty datagram");
	while (off < len) {
		struct bytecursor h = bc_make(p + off, len - off);
		unsigned version = bc_u16(&h), mlen = bc_u16(&h);

		bc_skip(&h, IPFIX_HEADER_LEN - 4);
		if (h.bad) {
			nf_result_error(res, off, "%zu bytes, too few for an IPFIX message header",
			    len - off);
			break;
		}
		if (version != 10) {
			nf_result_error(res, off, "version %u, not 10", version);
			break;
		}
		if (mlen < IPFIX_HEADER_LEN || mlen > len - off) {
			nf_result_error(res, off + 2, "message length %u, but %zu bytes are there",
			    mlen, len - off);
			break;
		}
		message(cache, p + off, mlen, off, exporter, port, fn, ctx, res);
		off += mlen;
	}
	return res->errors != errors ? -1 : (int)(res->records - records);
}
