/*
 * libFuzzer target: the NetFlow v9 decoder and its template cache,
 * round-tripped (template_roundtrip.h).
 */
#include "netflow/netflow_v9.h"

#define FUZZ_DECODE nf9_decode
#define FUZZ_ENCODER_INIT nf9_encoder_init
#include "template_roundtrip.h"
