#!/usr/bin/env bats
# The line format end to end, through the common reader and writer
# (tests/aids/flowcat). Expected lines were written by hand from the
# rules in DESIGN.md and flowpipes(1).

load helper

FT_HDR='#:unix_secs,unix_nsecs,sysuptime,exaddr,dpkts,doctets,first,last,engine_type,engine_id,srcaddr,dstaddr,nexthop,input,output,srcport,dstport,prot,tos,tcp_flags,src_mask,dst_mask,src_as,dst_as'

@test "format: flow-tools 24-field file passes byte for byte" {
	run "$FP_BIN/flowcat" "$FP_DATA/flow-export-f2.csv"
	assert_success
	assert_output "$(cat "$FP_DATA/flow-export-f2.csv")"
}

@test "format: nfflowd 18-field lines pass byte for byte" {
	run "$FP_BIN/flowcat" -H -o unix_secs,unix_nsecs,sysuptime,exaddr,dpkts,doctets,first,last,srcaddr,dstaddr,nexthop,input,output,srcport,dstport,prot,tos,tcp_flags "$FP_DATA/nfflowd-18.csv"
	assert_success
	assert_output "$(cat "$FP_DATA/nfflowd-18.csv")"
}

@test "format: writer header is flow-import's canonical order" {
	run "$FP_BIN/flowcat" -o dst_as,srcaddr,unix_secs "$FP_DATA/flow-export-f2.csv"
	assert_success
	assert_line --index 0 '#:unix_secs,srcaddr,dst_as'
}

@test "format: -H drops the header" {
	run "$FP_BIN/flowcat" -H "$FP_DATA/flow-export-f2.csv"
	assert_success
	refute_line --partial '#:'
}

@test "format: malformed lines named by file and line, skipped, exit 1" {
	printf '#:dpkts,srcport\n1,2\n1,70000\n5\n3,4\n' > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr "$FP_BIN/flowcat" -H "$BATS_TEST_TMPDIR/in.csv"
	assert_failure 1
	assert_output "$(printf '0,0,0,0.0.0.0,1,0,0,0,0,0,0.0.0.0,0.0.0.0,0.0.0.0,0,0,2,0,0,0,0,0,0,0,0\n0,0,0,0.0.0.0,3,0,0,0,0,0,0.0.0.0,0.0.0.0,0.0.0.0,0,0,4,0,0,0,0,0,0,0,0')"
	[[ "$stderr" == *"flowcat: $BATS_TEST_TMPDIR/in.csv:3: srcport: '70000' is not a number from 0 to 65535"* ]]
	[[ "$stderr" == *"flowcat: $BATS_TEST_TMPDIR/in.csv:4: 1 fields, want 2"* ]]
	[[ "$stderr" == *"2 bad lines skipped"* ]]
}

@test "format: --strict stops at the first bad line" {
	printf '#:dpkts\n1\nbad\n3\n' > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr "$FP_BIN/flowcat" -H -o dpkts --strict "$BATS_TEST_TMPDIR/in.csv"
	assert_failure 1
	assert_output "1"
}

@test "format: stdin is named stdin in messages" {
	run --separate-stderr "$FP_BIN/flowcat" -H < <(printf '#:dpkts\n\n')
	assert_failure 1
	[[ "$stderr" == *"flowcat: stdin:2: empty line"* ]]
}

@test "format: NUL byte and overlong line are errors, the rest survives" {
	{ printf '#:dpkts\n1\n2\0003\n'; head -c 5000 /dev/zero | tr '\0' 7; printf '\n4\n'; } > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr "$FP_BIN/flowcat" -H -o dpkts "$BATS_TEST_TMPDIR/in.csv"
	assert_failure 1
	assert_output "$(printf '1\n4')"
	[[ "$stderr" == *":3: NUL byte in line"* ]]
	[[ "$stderr" == *":4: line longer than 4096 bytes"* ]]
}
