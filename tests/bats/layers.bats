#!/usr/bin/env bats
# The layer rule of common/ (scripts/check-layers): the tree passes, and
# a deliberate wrong-way include in a copy of it fails, naming the arrow.

load helper

setup() {
	copy="$BATS_TEST_TMPDIR/tree"
	mkdir -p "$copy"
	cp -r "$FP_ROOT/common" "$copy/"
}

@test "layers: the tree keeps the rule" {
	run "$FP_ROOT/scripts/check-layers" "$FP_ROOT"
	assert_success
	assert_output ''
}

@test "layers: base including line is refused" {
	sed -i '1i #include "line/flowline.h"' "$copy/common/base/htab.c"
	run "$FP_ROOT/scripts/check-layers" "$copy"
	assert_failure
	assert_output --partial 'common/base/htab.c:1: includes "line/flowline.h": base may not include line'
}

@test "layers: netflow including packet is refused (siblings)" {
	sed -i '1i #include "packet/pktdecode.h"' "$copy/common/netflow/ipfix.c"
	run "$FP_ROOT/scripts/check-layers" "$copy"
	assert_failure
	assert_output --partial 'netflow may not include packet'
}

@test "layers: flow including netflow is refused, base from flow is fine" {
	sed -i '1i #include "base/htab.h"' "$copy/common/flow/flowaddr.c"
	run "$FP_ROOT/scripts/check-layers" "$copy"
	assert_success
	sed -i '1i #include "netflow/nfcodec.h"' "$copy/common/flow/flowaddr.c"
	run "$FP_ROOT/scripts/check-layers" "$copy"
	assert_failure
	assert_output --partial 'flow may not include netflow'
}

@test "layers: an include without its layer, or into cmd/, is refused" {
	sed -i '1i #include "htab.h"' "$copy/common/base/optnum.c"
	sed -i '1i #include "../../cmd/ct2ft/ctline.h"' "$copy/common/line/toolopts.c"
	run "$FP_ROOT/scripts/check-layers" "$copy"
	assert_failure
	assert_output --partial 'common/base/optnum.c:1: includes "htab.h": name its layer ("base/htab.h")'
	assert_output --partial 'common/line/toolopts.c:1: includes "../../cmd/ct2ft/ctline.h"'
}
