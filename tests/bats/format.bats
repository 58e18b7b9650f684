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

# Issue 10, item 9: one record, one address family, decided in the line
# reader for every tool: srcaddr 10.0.0.1 with dstaddr 2001:db8::2 is a
# bad line (v9/IPFIX used to turn the IPv4 side into ::); a 0.0.0.0
# nexthop in an IPv6 record means none and is written as ::; another
# nexthop of the wrong family is a bad line; an absent srcaddr of an IPv6
# record is ::.
@test "format: a record mixing IPv4 and IPv6 addresses is malformed (issue 10 item 9)" {
	H='#:unix_secs,unix_nsecs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,nexthop,srcport,dstport,prot'
	printf '%s\n' "$H" \
	    '1700000000,0,100000,1,1,0,0,10.0.0.1,2001:db8::2,0.0.0.0,5,5,17' \
	    '1700000000,0,100000,1,1,0,0,2001:db8::1,2001:db8::2,0.0.0.0,5,5,17' \
	    '1700000000,0,100000,1,1,0,0,2001:db8::1,2001:db8::2,10.0.0.9,5,5,17' \
	    '1700000000,0,100000,1,1,0,0,10.0.0.1,10.0.0.2,::,5,5,17' > "$BATS_TEST_TMPDIR/in"
	for tool in flow-stitch flow-send; do
		[ -x "$FP_BIN/$tool" ] || continue
		case $tool in
		flow-stitch) run --separate-stderr "$FP_BIN/flow-stitch" -H -o srcaddr,dstaddr,nexthop \
			-r "$BATS_TEST_TMPDIR/in" ;;
		flow-send) run --separate-stderr "$FP_BIN/flow-send" -r "$BATS_TEST_TMPDIR/in" \
			0/127.0.0.1/9 ;;
		esac
		[ "$status" -eq 1 ] || fail "$tool: status $status"
		[[ "$stderr" == *"$BATS_TEST_TMPDIR/in:2: srcaddr and dstaddr of different address families"* ]] ||
		    fail "$tool: $stderr"
		[[ "$stderr" == *"$BATS_TEST_TMPDIR/in:4: nexthop of another address family than the flow's"* ]] ||
		    fail "$tool: $stderr"
	done
	run --separate-stderr "$FP_BIN/flow-stitch" -H -o srcaddr,dstaddr,nexthop -r "$BATS_TEST_TMPDIR/in"
	assert_output "2001:db8::1,2001:db8::2,::
10.0.0.1,10.0.0.2,0.0.0.0"
	printf '#:dstaddr,dpkts,first,last,unix_secs,sysuptime\n2001:db8::2,1,0,0,1,1000\n' \
	    > "$BATS_TEST_TMPDIR/v6"
	run --separate-stderr "$FP_BIN/flow-stitch" -H -o srcaddr,dstaddr,nexthop -r "$BATS_TEST_TMPDIR/v6"
	assert_success
	assert_output "::,2001:db8::2,::"
}
