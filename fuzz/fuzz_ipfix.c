/*
 * libFuzzer target: the IPFIX decoder and its template cache,
 * round-tripped (template_roundtrip.h).
 */
#include "netflow/ipfix.h"

#define FUZZ_DECODE ipfix_decode
#define FUZZ_ENCODER_INIT ipfix_encoder_init
#include "template_roundtrip.h"
