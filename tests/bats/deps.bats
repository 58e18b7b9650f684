#!/usr/bin/env bats
# scripts/check-minimal-deps: every command scripts/ and tests/ call comes
# from a minimal Debian install or a package scripts/packages lists.

load helper

setup() {
	need_cmd dpkg "needs a Debian system"
	tree="$BATS_TEST_TMPDIR/tree"
	mkdir -p "$tree/scripts" "$tree/tests/bats"
	printf '# test list\nbats\n' > "$tree/scripts/packages"
}

@test "make demo's column is in scripts/packages: the tree passes the minimal-install check" {
	run "$FP_ROOT/scripts/check-minimal-deps" "$FP_ROOT"
	assert_success
	refute_output --partial "column"
}

@test "deps: a command from an unlisted package is named, with the file that calls it" {
	need_cmd column "needs bsdextrautils to be installed"
	printf '#!/bin/sh\nprintf "a,b\\n" | column -t -s,\nsort -u x | wc -l\n' > "$tree/scripts/demo"
	run "$FP_ROOT/scripts/check-minimal-deps" "$tree"
	assert_failure
	assert_output --partial "column (bsdextrautils) is not in a minimal install nor in scripts/packages; used by scripts/demo"
	refute_output --partial "sort"
	echo bsdextrautils >> "$tree/scripts/packages"
	run "$FP_ROOT/scripts/check-minimal-deps" "$tree"
	assert_success
}

@test "deps: commands behind wrappers, in \$( ), after need_cmd and in bats run are found" {
	need_cmd column "needs bsdextrautils to be installed"
	printf '%s "x" {\n\tneed_cmd column\n}\n' '@test' > "$tree/tests/bats/x.bats"
	run "$FP_ROOT/scripts/check-minimal-deps" "$tree"
	assert_failure
	assert_output --partial "column (bsdextrautils)"
	printf '%s "y" {\n\tn=$(nice -n 5 timeout 3 column -t < f)\n}\n' '@test' > "$tree/tests/bats/x.bats"
	run "$FP_ROOT/scripts/check-minimal-deps" "$tree"
	assert_failure
	assert_output --partial "used by tests/bats/x.bats"
	printf '%s "z" {\n\trun column -t f\n}\n' '@test' > "$tree/tests/bats/x.bats"
	run "$FP_ROOT/scripts/check-minimal-deps" "$tree"
	assert_failure
}

@test "deps: awk through /etc/alternatives counts when any provider is minimal" {
	printf '#!/bin/sh\nawk "{print}" f\n' > "$tree/scripts/x"
	run "$FP_ROOT/scripts/check-minimal-deps" "$tree"
	assert_success
}
