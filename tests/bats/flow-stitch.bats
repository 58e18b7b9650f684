#!/usr/bin/env bats
# flow-stitch: rejoining split flow records.
#
# How the expected lines were checked: the hand-made inputs use an
# exporter clock that booted at the epoch (sysuptime = unix_secs * 1000),
# so first/last are absolute ms and every sum, OR and time below can be
# read straight off the input lines; each expected line says which input
# lines it sums. The netflow5.dat expectations were worked out by hand
# from the v5 time rule in DESIGN.md (see that test's comment).
# tests/data/netflow/netflow5.dat: softflowd v5 datagrams from
# logstash-plugins/logstash-codec-netflow's spec data, Apache-2.0
# (tests/data/netflow/LICENSE).

load helper
bats_require_minimum_version 1.5.0

# the fields the hand-made inputs use; -o keeps the output to the same
H='#:unix_secs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot,tcp_flags'
O='unix_secs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot,tcp_flags'
R='rdpkts,rdoctets,rtcp_flags,rfirst,rlast'

# input lines after the header, from the arguments
input() {
	{ echo "$H"; printf '%s\n' "$@"; } > "$BATS_TEST_TMPDIR/in.csv"
}

stitch() {
	"$FP_BIN/flow-stitch" "$@"
}

@test "flow-stitch: --version, -h, usage errors exit 2" {
	run stitch --version
	assert_success
	assert_output "flow-stitch flowpipes 0.1.0"
	run stitch -h
	assert_success
	assert_output --partial "rdpkts,rdoctets,rtcp_flags,rfirst,rlast"
	run stitch -k dpkts
	assert_failure 2
	assert_output --partial "'dpkts' cannot be a key field"
	run stitch -k srcaddr,nosuch
	assert_failure 2
	run stitch -i -5
	assert_failure 2
	run stitch -m 0
	assert_failure 2
	run stitch extra-arg
	assert_failure 2
}

@test "flow-stitch: netflow5.dat (softflowd, 1 s maxlife) stitches to one record per direction" {
	[ -x "$FP_BIN/nfdecode" ] || fail "test aid nfdecode not built"
	"$FP_BIN/nfdecode" -e 192.0.2.9 "$FP_DATA/netflow/netflow5.dat" > "$BATS_TEST_TMPDIR/nf5.csv"
	# 12 datagrams, 30 records: the SSH session 54435 in 12 records a
	# direction, 54844 in 2, 54837 in 1.
	[ "$(grep -vc '^#' "$BATS_TEST_TMPDIR/nf5.csv")" -eq 30 ]
	run --separate-stderr stitch -H -r "$BATS_TEST_TMPDIR/nf5.csv"
	assert_success
	# Checked by hand from the datagrams (python struct dump of the file):
	# 54435 client: dpkts 5+17+2+4+8+10+9+7+9+4+2+9=86, doctets
	#   230+782+92+184+368+460+414+322+414+184+92+414=3956, flags 0x10;
	#   server: 85 / 7084, flags 0x18. Clock of the last datagram
	#   (1430591949.348533, up 64450); first packet = datagram 1's
	#   1430591888.280 - (3381 - (2^32-1)) ms = ...884.898, which is uptime
	#   0 under that clock (the exporter's boot moves by a ms between
	#   datagrams, so softflowd's -1 becomes 0); last 63190 unchanged.
	# 54837: one record a direction, passes unchanged.
	# 54844: datagrams 3 and 4 (gap 191 ms, no FIN before): client 18+11=29
	#   pkts, 2222+604=2826 octets, 0x18|0x19=25; server 14+9=23, 3664+752=4416;
	#   first 5910 under datagram 3's clock = 5911 under datagram 4's.
	# Order: earliest start first (all are written at end of input).
	assert_output "1430591949,348533000,64450,192.0.2.9,86,3956,0,63190,0,0,10.0.2.2,10.0.2.15,0.0.0.0,0,0,54435,22,6,0,16,0,0,0,0
1430591949,348533000,64450,192.0.2.9,85,7084,0,63190,0,0,10.0.2.15,10.0.2.2,0.0.0.0,0,0,22,54435,6,0,24,0,0,0,0
1430591890,816557000,5918,192.0.2.9,5,322,3378,3380,0,0,10.0.2.2,10.0.2.15,0.0.0.0,0,0,54837,22,6,0,25,0,0,0,0
1430591890,816557000,5918,192.0.2.9,2,80,3378,3380,0,0,10.0.2.15,10.0.2.2,0.0.0.0,0,0,22,54837,6,0,17,0,0,0,0
1430591904,743519000,19845,192.0.2.9,29,2826,5911,7892,0,0,10.0.2.2,10.0.2.15,0.0.0.0,0,0,54844,22,6,0,25,0,0,0,0
1430591904,743519000,19845,192.0.2.9,23,4416,5911,7892,0,0,10.0.2.15,10.0.2.2,0.0.0.0,0,0,22,54844,6,0,25,0,0,0,0"
	[[ "$stderr" == *"30 records in, 6 flows out, 24 merged"* ]]
	# the same datagrams from a second exporter never merge with the first's
	"$FP_BIN/nfdecode" -H -e 192.0.2.10 "$FP_DATA/netflow/netflow5.dat" >> "$BATS_TEST_TMPDIR/nf5.csv"
	run --separate-stderr stitch -H -o exaddr,dpkts -r "$BATS_TEST_TMPDIR/nf5.csv"
	assert_success
	# (equal starts come out in the order their flows began in the input)
	assert_output "$(printf '192.0.2.9,86\n192.0.2.9,85\n192.0.2.10,86\n192.0.2.10,85\n192.0.2.9,5\n192.0.2.9,2\n192.0.2.10,5\n192.0.2.10,2\n192.0.2.9,29\n192.0.2.9,23\n192.0.2.10,29\n192.0.2.10,23')"
}

@test "flow-stitch: netflow5.dat with -b: one line per connection, reverse fields" {
	[ -x "$FP_BIN/nfdecode" ] || fail "test aid nfdecode not built"
	"$FP_BIN/nfdecode" -e 192.0.2.9 "$FP_DATA/netflow/netflow5.dat" > "$BATS_TEST_TMPDIR/nf5.csv"
	run --separate-stderr stitch -b -o "dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,tcp_flags,$R" -r "$BATS_TEST_TMPDIR/nf5.csv"
	assert_success
	# the previous test's pairs, the client side forward (it came first
	# at equal start), the server side in the r* fields
	assert_output "#:dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,tcp_flags,rdpkts,rdoctets,rtcp_flags,rfirst,rlast
86,3956,0,63190,10.0.2.2,10.0.2.15,54435,22,16,85,7084,24,0,63190
5,322,3378,3380,10.0.2.2,10.0.2.15,54837,22,25,2,80,17,3378,3380
29,2826,5911,7892,10.0.2.2,10.0.2.15,54844,22,25,23,4416,25,5911,7892"
}

@test "flow-stitch: a reused tuple after more than the idle gap is a new flow" {
	input \
	    '100,100000,10,1000,90000,99000,10.0.0.1,10.0.0.2,1234,80,6,24' \
	    '200,200000,5,500,159000,190000,10.0.0.1,10.0.0.2,1234,80,6,24' \
	    '300,300000,7,700,250001,290000,10.0.0.1,10.0.0.2,1234,80,6,24' \
	    '400,400000,1,40,350000,350000,10.0.0.1,10.0.0.2,1234,80,6,16'
	run --separate-stderr stitch -H -o "$O" -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	# line 2 starts exactly 60 s after line 1's last packet: joins
	#   (10+5 pkts, 1000+500 octets, 90000..190000, clock of line 2);
	# line 3 starts 60.001 s after 190000: a new flow, which line 4
	#   (350000 - 290000 = 60 s) joins again: 7+1, 700+40, flags 24|16.
	assert_output "200,200000,15,1500,90000,190000,10.0.0.1,10.0.0.2,1234,80,6,24
400,400000,8,740,250001,350000,10.0.0.1,10.0.0.2,1234,80,6,24"
	# a shorter gap splits all four
	run --separate-stderr stitch -H -o "$O" -i 30 -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	[ "${#lines[@]}" -eq 4 ]
}

@test "flow-stitch: key fields keep flows apart; -k changes the key" {
	input \
	    '100,100000,1,100,10000,10000,10.0.0.1,10.0.0.2,1234,80,6,16' \
	    '100,100000,2,200,11000,11000,10.0.0.1,10.0.0.2,1235,80,6,16' \
	    '100,100000,4,400,12000,12000,10.0.0.1,10.0.0.3,1234,80,6,16' \
	    '100,100000,8,800,13000,13000,10.0.0.1,10.0.0.2,1234,80,17,0'
	run --separate-stderr stitch -H -o dpkts -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "$(printf '1\n2\n4\n8')"
	# keyed on the source address alone, all four are one flow
	run --separate-stderr stitch -H -o dpkts,first,last -k srcaddr -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "15,10000,13000"
}

@test "flow-stitch: out-of-order input within -w stitches as if in order" {
	# flow A in three records (a1 a2 a3), flow B in two; given scrambled
	input \
	    '200,200000,3,300,150000,180000,10.0.0.1,10.0.0.2,1111,80,6,24' \
	    '120,120000,1,60,100000,110000,10.0.0.9,10.0.0.2,2222,53,17,0' \
	    '100,100000,1,100,60000,90000,10.0.0.1,10.0.0.2,1111,80,6,2' \
	    '250,250000,4,400,200000,240000,10.0.0.1,10.0.0.2,1111,80,6,17' \
	    '90,90000,2,120,30000,80000,10.0.0.9,10.0.0.2,2222,53,17,0' \
	    '130,130000,2,200,95000,120000,10.0.0.1,10.0.0.2,1111,80,6,16'
	run --separate-stderr stitch -H -o "$O" -w 300 -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	# B: 2+1 pkts, 120+60, 30000..110000, clock of its later export (120);
	# A: 1+2+3+4 = 10 pkts, 100+200+300+400, flags 2|16|24|17 = 27,
	#    60000..240000, clock 250. Written at the end, earliest start first.
	assert_output "120,120000,3,180,30000,110000,10.0.0.9,10.0.0.2,2222,53,17,0
250,250000,10,1000,60000,240000,10.0.0.1,10.0.0.2,1111,80,6,27"
	[[ "$stderr" == *"0 late (beyond -w)"* ]]
	# the same lines sorted by start give the same flows
	{ echo "$H"; sed 1d "$BATS_TEST_TMPDIR/in.csv" | sort -t, -k5,5n; } > "$BATS_TEST_TMPDIR/sorted.csv"
	run --separate-stderr stitch -H -o "$O" -w 300 -r "$BATS_TEST_TMPDIR/sorted.csv"
	assert_output "120,120000,3,180,30000,110000,10.0.0.9,10.0.0.2,2222,53,17,0
250,250000,10,1000,60000,240000,10.0.0.1,10.0.0.2,1111,80,6,27"
}

@test "flow-stitch: a late record fills the gap between two flows of one key" {
	# 0..10 s and 100..110 s are 90 s apart (two flows), until the record
	# 40..60 s arrives and makes them one
	input \
	    '11,11000,1,10,0,10000,10.0.0.1,10.0.0.2,1000,2000,17,0' \
	    '111,111000,2,20,100000,110000,10.0.0.1,10.0.0.2,1000,2000,17,0' \
	    '61,61000,4,40,40000,60000,10.0.0.1,10.0.0.2,1000,2000,17,0'
	run --separate-stderr stitch -H -o "$O" -w 200 -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "111,111000,7,70,0,110000,10.0.0.1,10.0.0.2,1000,2000,17,0"
	# without the middle record they stay two
	head -3 "$BATS_TEST_TMPDIR/in.csv" > "$BATS_TEST_TMPDIR/two.csv"
	run --separate-stderr stitch -H -o dpkts -r "$BATS_TEST_TMPDIR/two.csv"
	assert_output "$(printf '1\n2')"
}

@test "flow-stitch: a record later than -w is counted late and not glued to a written flow" {
	input \
	    '20,20000,1,10,0,10000,10.0.0.1,10.0.0.2,1000,2000,17,0' \
	    '200,200000,1,10,190000,190000,10.0.0.7,10.0.0.8,1,2,17,0' \
	    '21,21000,2,20,15000,20000,10.0.0.1,10.0.0.2,1000,2000,17,0'
	run --separate-stderr stitch -H -o dpkts,first,last -w 10 -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	# line 2 moves the input's time to 190 s: the first flow (last packet
	# 10 s + 60 s idle) is finished and written; line 3 is 170 s behind
	# (more than -w 10) and starts its own flow.
	assert_output "$(printf '1,0,10000\n2,15000,20000\n1,190000,190000')"
	[[ "$stderr" == *"1 late (beyond -w)"* ]]
}

@test "flow-stitch: after FIN a late ACK within -g joins, beyond it does not" {
	input \
	    '21,21000,5,500,10000,20000,10.0.0.1,10.0.0.2,1234,80,6,27' \
	    '121,121000,1,40,120000,120000,10.0.0.1,10.0.0.2,1234,80,6,16' \
	    '501,501000,1,40,500000,500000,10.0.0.1,10.0.0.2,1234,80,6,16'
	run --separate-stderr stitch -H -o "$O" -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	# the ACK 100 s after the FIN record (more than the 60 s idle gap, less
	# than the 310 s FIN gap) joins: 5+1, 500+40; the one 380 s after does not
	assert_output "121,121000,6,540,10000,120000,10.0.0.1,10.0.0.2,1234,80,6,27
501,501000,1,40,500000,500000,10.0.0.1,10.0.0.2,1234,80,6,16"
	# without the FIN (flags 0x18) the 100 s gap splits it: the FIN gap made it join
	sed -i '2s/,27$/,24/' "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr stitch -H -o dpkts -r "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$(printf '5\n1\n1')"
	# and -g 50 shortens the wait after FIN below the idle gap
	sed -i '2s/,24$/,27/' "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr stitch -H -o dpkts -g 50 -r "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$(printf '5\n1\n1')"
}

# Issue 10, item 1: R1 SYN..FIN, R2 a late ACK, R3 a new SYN on the same
# tuple 20 s after the FIN, R4 another late ACK of the first connection
# (before R3's SYN). In time order (R1 R2 R4 R3) that is two connections,
# 5+1+1 = 7 packets and 3; R1 R2 R3 R4 used to make one of 10 (R4 joined
# R3, cleared its SYN mark, and the bridge merged the two). Every one of
# the 24 orders must give the two.
@test "flow-stitch: TCP results do not depend on record order (issue 10 item 1)" {
	local r1='1700000100,100000,5,500,0,10000,10.0.0.1,10.0.0.2,1000,80,6,27'
	local r2='1700000100,100000,1,40,20000,20000,10.0.0.1,10.0.0.2,1000,80,6,16'
	local r3='1700000100,100000,3,120,30000,31000,10.0.0.1,10.0.0.2,1000,80,6,2'
	local r4='1700000100,100000,1,40,25000,25000,10.0.0.1,10.0.0.2,1000,80,6,16'
	local n=0 a b c d
	for a in "$r1" "$r2" "$r3" "$r4"; do
		for b in "$r1" "$r2" "$r3" "$r4"; do
			for c in "$r1" "$r2" "$r3" "$r4"; do
				for d in "$r1" "$r2" "$r3" "$r4"; do
					[ "$(printf '%s\n' "$a" "$b" "$c" "$d" | sort -u | wc -l)" -eq 4 ] || continue
					input "$a" "$b" "$c" "$d"
					run --separate-stderr stitch -H -o dpkts,first,last,tcp_flags \
					    -r "$BATS_TEST_TMPDIR/in.csv"
					assert_success
					# 1 + 2 + 4: 7 packets, 0 to 25 s, 27|16; 3 alone
					assert_output "7,0,25000,27
3,30000,31000,2"
					n=$((n + 1))
				done
			done
		done
	done
	[ "$n" -eq 24 ]
}

@test "flow-stitch: SYN after FIN or RST starts a new flow" {
	input \
	    '21,21000,5,500,10000,20000,10.0.0.1,10.0.0.2,1234,80,6,27' \
	    '30,30000,2,120,25000,30000,10.0.0.1,10.0.0.2,1234,80,6,18' \
	    '33,33000,3,300,31000,32000,10.0.0.1,10.0.0.2,1234,80,6,16' \
	    '41,41000,1,40,40000,40000,10.0.0.1,10.0.0.2,1234,80,6,4' \
	    '45,45000,1,60,45000,45000,10.0.0.1,10.0.0.2,1234,80,6,2'
	run --separate-stderr stitch -H -o "$O" -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	# 1: SYN..FIN. 2: SYN 5 s later, a new connection, which 3 (ACK) and
	# 4 (RST) join: 2+3+1 pkts, 120+300+40, 18|16|4 = 22. 5: SYN after
	# that RST, new again.
	assert_output "21,21000,5,500,10000,20000,10.0.0.1,10.0.0.2,1234,80,6,27
41,41000,6,460,25000,40000,10.0.0.1,10.0.0.2,1234,80,6,22
45,45000,1,60,45000,45000,10.0.0.1,10.0.0.2,1234,80,6,2"
	# the same records in reverse order (within -w) split the same way
	{ echo "$H"; sed 1d "$BATS_TEST_TMPDIR/in.csv" | tac; } > "$BATS_TEST_TMPDIR/rev.csv"
	run --separate-stderr stitch -H -o "$O" -r "$BATS_TEST_TMPDIR/rev.csv"
	assert_output "21,21000,5,500,10000,20000,10.0.0.1,10.0.0.2,1234,80,6,27
41,41000,6,460,25000,40000,10.0.0.1,10.0.0.2,1234,80,6,22
45,45000,1,60,45000,45000,10.0.0.1,10.0.0.2,1234,80,6,2"
	# FIN and SYN mean nothing outside TCP: as UDP all five are one flow
	sed -i '2,$s/,6,\([0-9]*\)$/,17,\1/' "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr stitch -H -o dpkts -r "$BATS_TEST_TMPDIR/in.csv"
	assert_output "12"
}

@test "flow-stitch: -b pairs the directions, the earlier starter forward" {
	# the reply's record comes first in the input but starts later
	input \
	    '50,50000,3,900,10500,40000,10.0.0.2,10.0.0.1,80,1234,6,26' \
	    '50,50000,4,300,10000,41000,10.0.0.1,10.0.0.2,1234,80,6,27' \
	    '90,90000,1,40,80000,80000,10.0.0.2,10.0.0.1,80,1234,6,17' \
	    '50,50000,9,999,20000,30000,10.0.0.5,10.0.0.1,53,1234,17,0'
	run --separate-stderr stitch -b -H -o "$O,$R" -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	# 10.0.0.1:1234 started first (10000): forward 4 pkts, 300 octets,
	# flags 27, 10000..41000; reverse: 3+1 pkts, 900+40, 26|17=27,
	# 10500..80000; clock of the latest export (90). The DNS record has
	# no reply: reverse fields 0.
	assert_output "90,90000,4,300,10000,41000,10.0.0.1,10.0.0.2,1234,80,6,27,4,940,27,10500,80000
50,50000,9,999,20000,30000,10.0.0.5,10.0.0.1,53,1234,17,0,0,0,0,0,0"
	# the header names the reverse fields after the 24
	run --separate-stderr stitch -b -r "$BATS_TEST_TMPDIR/in.csv"
	assert_line --index 0 '#:unix_secs,unix_nsecs,sysuptime,exaddr,dpkts,doctets,first,last,engine_type,engine_id,srcaddr,dstaddr,nexthop,input,output,srcport,dstport,prot,tos,tcp_flags,src_mask,dst_mask,src_as,dst_as,rdpkts,rdoctets,rtcp_flags,rfirst,rlast'
	# without -b: three flows (the reply's two records are one)
	run --separate-stderr stitch -H -o dpkts -r "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$(printf '4\n4\n9')"
}

@test "flow-stitch: -m bounds open flows: the one closest to finishing is written early, counted" {
	input \
	    '10,10000,1,10,0,1000,10.0.0.1,10.0.0.2,1,9,17,0' \
	    '10,10000,2,20,0,2000,10.0.0.1,10.0.0.2,2,9,17,0' \
	    '10,10000,4,40,0,3000,10.0.0.1,10.0.0.2,3,9,17,0' \
	    '20,20000,8,80,5000,6000,10.0.0.1,10.0.0.2,3,9,17,0'
	run --separate-stderr stitch -H -o srcport,dpkts -m 2 -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	# (dpkts,srcport) with room for 2: port 1 (last packet earliest) goes
	# when port 3 arrives; port 3's second record still joins it; nothing
	# is lost
	assert_output "$(printf '1,1\n2,2\n12,3')"
	[[ "$stderr" == *"1 written early (-m)"* ]]
	[[ "$stderr" == *"(peak 2)"* ]]
}

@test "flow-stitch: comments pass through in place, header follows -o and -H" {
	printf '%s\n' '# exported by hand' "$H" \
	    '10,10000,1,10,0,1000,10.0.0.1,10.0.0.2,1,9,17,0' \
	    '# second comment' \
	    '20,20000,1,10,2000,3000,10.0.0.1,10.0.0.2,1,9,17,0' > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr stitch -o dpkts,srcport -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "$(printf '#:dpkts,srcport\n# exported by hand\n# second comment\n2,1')"
	[[ "$stderr" == *"2 comments"* ]]
}

@test "flow-stitch: a finished flow is written while input goes on (-w 0), the rest at the end" {
	input \
	    '10,10000,1,10,0,1000,10.0.0.1,10.0.0.2,1,9,17,0' \
	    '100,100000,1,10,90000,90000,10.0.0.1,10.0.0.2,2,9,17,0'
	echo '# marker' >> "$BATS_TEST_TMPDIR/in.csv"
	# port 1 is done once the input's time (90 s) passes 1 s + 60 s: it
	# comes out before the marker comment; port 2 after, at the end
	run --separate-stderr stitch -H -o srcport -w 0 -r "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$(printf '1\n# marker\n2')"
	# with the default -w (1800 s) both wait for the end of input
	run --separate-stderr stitch -H -o srcport -r "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$(printf '# marker\n1\n2')"
}

@test "flow-stitch: bad lines and impossible times are named, skipped, exit 1; --strict stops" {
	# line 4: last before first; line 5: last 3 ms past sysuptime, which
	# the 32-bit rule reads 49.7 days back: both clamped to last = first,
	# their packets kept; line 7 exported at 0 s, 100 s after boot: its
	# packets would lie before 1970, skipped
	input \
	    '10,10000,1,10,0,1000,10.0.0.1,10.0.0.2,1,9,17,0' \
	    '10,10000,x,10,0,1000,10.0.0.1,10.0.0.2,1,9,17,0' \
	    '10,10000,2,10,5000,1000,10.0.0.1,10.0.0.2,1,9,17,0' \
	    '10,10000,16,10,6000,10003,10.0.0.1,10.0.0.2,1,9,17,0' \
	    '20,20000,4,10,2000,3000,10.0.0.1,10.0.0.2,1,9,17,0' \
	    '0,100000,8,10,0,1000,10.0.0.1,10.0.0.2,1,9,17,0'
	run --separate-stderr stitch -H -o dpkts,first,last -r "$BATS_TEST_TMPDIR/in.csv"
	assert_failure 1
	assert_output "23,0,6000"	# 1 + 2 + 16 + 4, 0 to the clamped 6000, under line 6's clock
	[[ "$stderr" == *"flow-stitch: $BATS_TEST_TMPDIR/in.csv:3: "* ]]
	[[ "$stderr" == *"flow-stitch: $BATS_TEST_TMPDIR/in.csv:4: last packet before first: last set to first"* ]]
	[[ "$stderr" == *"flow-stitch: $BATS_TEST_TMPDIR/in.csv:5: last packet before first: last set to first"* ]]
	[[ "$stderr" == *"flow-stitch: $BATS_TEST_TMPDIR/in.csv:7: a time before 1970"* ]]
	[[ "$stderr" == *" 2 clamped (last before first), 2 bad lines"* ]]
	# --strict: stops at line 3, still writes what it had
	run --separate-stderr stitch -H -o dpkts --strict -r "$BATS_TEST_TMPDIR/in.csv"
	assert_failure 1
	assert_output "1"
}

@test "flow-stitch: one record with a far-future or pre-1970 clock does not stop the rest stitching" {
	# reviewer's case: a record exported in 2096 used to push the clock so
	# far that every later record was late and written alone
	input \
	    '30,30000,10,1000,0,29000,10.1.1.1,10.2.2.2,1234,80,17,0' \
	    '4000000000,1000,1,100,0,1000,10.9.9.9,10.2.2.2,1,1,17,0' \
	    '60,60000,10,1000,30000,59000,10.1.1.1,10.2.2.2,1234,80,17,0' \
	    '90,90000,10,1000,60000,89000,10.1.1.1,10.2.2.2,1234,80,17,0'
	run --separate-stderr stitch -H -o dpkts,srcaddr -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "$(printf '30,10.1.1.1\n1,10.9.9.9')"	# lines 1+3+4, then the 2096 one
	[[ "$stderr" == *" 0 late (beyond -w)"* ]]
	# exported at 0 s, 100 s after boot: before 1970, a bad line
	sed -i 's/^4000000000,1000,/0,100000,/' "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr stitch -H -o dpkts,srcaddr -r "$BATS_TEST_TMPDIR/in.csv"
	assert_failure 1
	assert_output "30,10.1.1.1"
	[[ "$stderr" == *"flow-stitch: $BATS_TEST_TMPDIR/in.csv:3: a time before 1970"* ]]
	[[ "$stderr" == *" 0 late (beyond -w)"*" 1 bad lines"* ]]
	# a real gap (28 h) in saved input still moves the clock, once a
	# second record agrees on it: the first flow is written then (-w 0)
	input \
	    '30,30000,10,1000,0,29000,10.1.1.1,10.2.2.2,1234,80,17,0' \
	    '100030,100030000,1,100,100000000,100029000,10.9.9.9,10.2.2.2,1,1,17,0' \
	    '# one' \
	    '100060,100060000,1,100,100030000,100059000,10.9.9.8,10.2.2.2,1,1,17,0' \
	    '# two' \
	    '100090,100090000,1,100,100060000,100089000,10.1.1.1,10.2.2.2,1234,80,17,0'
	run --separate-stderr stitch -H -o srcaddr -w 0 -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "$(printf '# one\n10.1.1.1\n# two\n10.9.9.9\n10.9.9.8\n10.1.1.1')"
}

@test "flow-stitch: a flow that would span 2^32 ms or wrap a counter is split, nothing lost" {
	# 2600 records of 30 min back to back (54 days) from an exporter booted
	# at the epoch, uptime wrapping: record i starts at i*1800000+1000 ms
	# and is exported at (i+1)*1800000. v5 uptimes reach back 2^32-1 ms
	# from the export clock, so the flow ends with record 2385 (exported
	# at 4294800000 ms, 4294799000 after the first packet) and record 2386
	# (starts at 4294801000) begins the next: 2386 + 214 records.
	awk -v H="$H" 'BEGIN { print H; for (i = 0; i < 2600; i++) { f = i * 1800000 + 1000; e = (i + 1) * 1800000
	    printf "%.0f,%.0f,1,100,%.0f,%.0f,10.1.1.1,10.2.2.2,500,500,17,0\n", e / 1000, e % 4294967296, f % 4294967296, (f + 1798000) % 4294967296 } }' \
	    > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr stitch -H -o dpkts,unix_secs,sysuptime,first,last -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	# fields unix_secs,sysuptime,dpkts,first,last; absolute first =
	# unix_secs*1000 - ((sysuptime - first) mod 2^32)
	abs=$(printf '%s\n' "${lines[@]}" | awk -F, '{ b = ($2 - $4) % 4294967296; if (b < 0) b += 4294967296; printf "%s,%.0f\n", $3, $1 * 1000 - b }')
	[ "$abs" = "$(printf '2386,1000\n214,4294801000')" ]
	[[ "$stderr" == *" 1 split (span too long)"* ]]
	# sums past 2^64 - 1: the full flow is written, the next record starts anew
	input \
	    '30,30000,18446744073709551615,18446744073709551615,0,29000,10.1.1.1,10.2.2.2,1234,80,17,0' \
	    '60,60000,2,2,30000,59000,10.1.1.1,10.2.2.2,1234,80,17,0'
	run --separate-stderr stitch -H -o dpkts,doctets -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "$(printf '18446744073709551615,18446744073709551615\n2,2')"
	[[ "$stderr" == *" 1 split (counter overflow)"* ]]
	# -b: the other way has its own counters, so the reply still pairs
	input \
	    '30,30000,18446744073709551615,1,0,29000,10.1.1.1,10.2.2.2,1234,80,17,0' \
	    '60,60000,2,2,30000,59000,10.2.2.2,10.1.1.1,80,1234,17,0'
	run --separate-stderr stitch -b -H -o dpkts,rdpkts -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "18446744073709551615,2"
}

@test "flow-stitch: -b pairs ICMP queries with their replies, not errors" {
	# dstport = type * 256 + code: echo 8/0 = 2048 and reply 0/0; ICMPv6
	# echo 128 = 32768 and reply 129 = 33024; unreachable 3/3 = 771 is no query
	input \
	    '10,10000,3,300,1000,5000,10.0.0.1,10.0.0.2,0,2048,1,0' \
	    '10,10000,2,200,1001,5001,10.0.0.2,10.0.0.1,0,0,1,0' \
	    '10,10000,4,400,1000,5000,2001:db8::1,2001:db8::2,0,32768,58,0' \
	    '10,10000,5,500,1001,5001,2001:db8::2,2001:db8::1,0,33024,58,0' \
	    '10,10000,1,100,2000,2000,10.0.0.1,10.0.0.2,0,771,1,0' \
	    '10,10000,1,100,2001,2001,10.0.0.2,10.0.0.1,0,771,1,0'
	run --separate-stderr stitch -b -H -o srcaddr,dstport,dpkts,rdpkts -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	# the line keeps the forward (earlier) direction's type: the request's
	assert_output "$(printf '3,10.0.0.1,2048,2\n4,2001:db8::1,32768,5\n1,10.0.0.1,771,0\n1,10.0.0.2,771,0')"	# dpkts,srcaddr,dstport,rdpkts
	# without -b each direction is its own flow
	run --separate-stderr stitch -H -o dpkts -r "$BATS_TEST_TMPDIR/in.csv"
	[ "${#lines[@]}" -eq 6 ]
}

# asks process $1 (stderr in err, input on fd 7) for counters with
# SIGUSR1 until it has taken $2 records, then stops it with SIGTERM,
# closes fd 7 and checks it exited 0
term_after_records() {	# PID RECORDS [EXIT STATUS, 0]
	wait_handlers "$1"
	for _ in $(seq 50); do
		grep -q "$2 records in" "$BATS_TEST_TMPDIR/err" && break
		kill -USR1 "$1"
		sleep 0.1
	done
	grep -q "$2 records in" "$BATS_TEST_TMPDIR/err"
	kill -TERM "$1"
	local rc=0
	wait "$1" || rc=$?
	exec 7>&-
	[ "$rc" -eq "${3:-0}" ]
}

@test "flow-stitch: SIGTERM writes every open flow and exits 0; SIGUSR1 reports" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	"$FP_BIN/flow-stitch" -H -o srcport,dpkts < "$BATS_TEST_TMPDIR/fifo" > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
	pid=$!
	exec 7> "$BATS_TEST_TMPDIR/fifo"
	printf '%s\n' "$H" '10,10000,3,10,0,1000,10.0.0.1,10.0.0.2,7,9,17,0' >&7
	term_after_records "$pid" 1
	grep -q '1 records in, 0 flows out' "$BATS_TEST_TMPDIR/err"
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "3,7" ]  # dpkts,srcport
}

@test "flow-stitch: SIGTERM takes every whole line already read; one its newline has not reached is named, counted and left out" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	"$FP_BIN/flow-stitch" -H -o srcport,dpkts < "$BATS_TEST_TMPDIR/fifo" > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
	pid=$!
	exec 7> "$BATS_TEST_TMPDIR/fifo"
	# one write: the last record's newline has not come when the signal does, and
	# what came of it reads as a record (dstport 9 of 90, say)
	printf '%s\n%s\n%s\n%s' "$H" '10,10000,3,10,0,1000,10.0.0.1,10.0.0.2,7,9,17,0' \
	    '10,10000,4,10,0,1000,10.0.0.1,10.0.0.2,8,9,17,0' '10,10000,5,10,0,1000,10.0.0.1,10.0.0.2,9,9,17,0' >&7
	term_after_records "$pid" 2 1
	[ "$(cat "$BATS_TEST_TMPDIR/out")" = "$(printf '3,7\n4,8')" ]  # dpkts,srcport
	grep -q 'stdin:4: line cut short by the stop signal, left out' "$BATS_TEST_TMPDIR/err"
	grep -q '2 records in, 2 flows out.* 1 bad lines' "$BATS_TEST_TMPDIR/err"
}

@test "flow-stitch: reverse fields named after a comment, or after records without them, are written (a new header); -H says it cannot" {
	P='#:unix_secs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot,tcp_flags,rdpkts,rdoctets,rtcp_flags,rfirst,rlast'
	paired='10,10000,3,300,0,1000,10.0.0.1,10.0.0.2,1000,80,6,2,7,700,18,100,1100'
	# a comment first: the output's header waits for the record, reverse fields and all
	run sh -c "printf '# note\n%s\n%s\n' '$P' '$paired' | '$FP_BIN/flow-stitch' 2>/dev/null | cut -d, -f1,5,25,26"
	assert_success
	assert_equal "${lines[0]}" '# note'
	assert_equal "${lines[1]}" '#:unix_secs,dpkts,rdpkts,rdoctets'
	assert_equal "${lines[2]}" '10,3,7,700'
	# plain records, then a paired input: from the first record written after its
	# header, the output has the reverse fields, under a new header (-i 5 -w 0: the
	# first plain flow is finished and written before that header is read)
	plain='10,10000,5,500,0,1000,10.0.0.9,10.0.0.8,53,53,17,0'
	plain2='20,20000,6,600,19000,19500,10.0.0.9,10.0.0.8,54,53,17,0'
	paired='30,30000,3,300,29000,29500,10.0.0.1,10.0.0.2,1000,80,6,2,7,700,18,29100,29600'
	run sh -c "printf '%s\n%s\n%s\n%s\n%s\n' '$H' '$plain' '$plain2' '$P' '$paired' | '$FP_BIN/flow-stitch' -w 0 -i 5 2>/dev/null | cut -d, -f1,5,25,26"
	assert_success
	assert_equal "${#lines[@]}" 5
	assert_equal "${lines[0]}" '#:unix_secs,dpkts'
	assert_equal "${lines[1]}" '10,5'
	assert_equal "${lines[2]}" '#:unix_secs,dpkts,rdpkts,rdoctets'
	assert_equal "${lines[3]}" '20,6,0,0'
	assert_equal "${lines[4]}" '30,3,7,700'
	# -H: the columns went out without them; said, exit 1
	run sh -c "printf '%s\n%s\n%s\n%s\n%s\n' '$H' '$plain' '$plain2' '$P' '$paired' | '$FP_BIN/flow-stitch' -w 0 -i 5 -H"
	assert_failure 1
	assert_output --partial 'names reverse fields, but the output'"'"'s columns (-H) went out without them'
}

@test "flow-stitch: a live pipe gets finished flows without waiting for more input" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	"$FP_BIN/flow-stitch" -H -o srcport -w 0 < "$BATS_TEST_TMPDIR/fifo" > "$BATS_TEST_TMPDIR/out" 2>/dev/null &
	pid=$!
	exec 7> "$BATS_TEST_TMPDIR/fifo"
	printf '%s\n' "$H" '10,10000,3,10,0,1000,10.0.0.1,10.0.0.2,7,9,17,0' \
	    '100,100000,1,10,90000,90000,10.0.0.1,10.0.0.2,8,9,17,0' >&7
	for _ in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/out" ] && break; sleep 0.1; done
	got=$(cat "$BATS_TEST_TMPDIR/out")
	exec 7>&-
	wait "$pid"
	[ "$got" = "7" ]
}

# pcap-flows with a 1 s active timeout cuts every flow into 1 s records;
# flow-stitch must give back what pcap-flows writes with no active
# timeout, every field (export clock too: the last piece of a flow is
# exported by the same event as the whole flow). -i 14.999 mirrors
# pcap-flows' inactive timeout (it splits at a gap of 15 s or more; we
# join a gap of up to -i); -w 20 covers how far its output runs out of
# start order (active 1 s + inactive 15 s).
same_as_unsplit() {	# capture, extra flow-stitch options...
	local cap=$1
	shift
	"$FP_BIN/pcap-flows" -t active=1 -r "$cap" 2>/dev/null > "$BATS_TEST_TMPDIR/split.csv"
	"$FP_BIN/flow-stitch" -i 14.999 -w 20 "$@" -H -r "$BATS_TEST_TMPDIR/split.csv" 2>/dev/null | sort > "$BATS_TEST_TMPDIR/stitched"
	"$FP_BIN/pcap-flows" -t active=100000000 -r "$cap" 2>/dev/null |
	    if [ $# -gt 0 ]; then "$FP_BIN/flow-stitch" -i 14.999 -w 20 "$@" -H 2>/dev/null; else sed 1d; fi |
	    sort > "$BATS_TEST_TMPDIR/whole"
	split=$(grep -vc '^#' "$BATS_TEST_TMPDIR/split.csv")
	whole=$(wc -l < "$BATS_TEST_TMPDIR/whole")
	diff "$BATS_TEST_TMPDIR/stitched" "$BATS_TEST_TMPDIR/whole"
}

@test "flow-stitch: pcap-flows -t active=1 | flow-stitch equals pcap-flows unsplit (synthetic mix)" {
	[ -x "$FP_BIN/pcap-flows" ] || fail "pcap-flows not built"
	"$FP_ROOT/scripts/pcapgen" mix -o "$BATS_TEST_TMPDIR/mix.pcap" -n 30000 -f 300 -s 7 >/dev/null 2>&1
	same_as_unsplit "$BATS_TEST_TMPDIR/mix.pcap"
	[ "$whole" -eq 300 ]
	[ "$split" -gt 1000 ]	# it really was cut up
}

@test "flow-stitch: pcap-flows -t active=1 | flow-stitch equals pcap-flows unsplit (public captures)" {
	[ -x "$FP_BIN/pcap-flows" ] || fail "pcap-flows not built"
	for cap in babel_rtt.pcap forces2.pcap ldp-common-session.pcap; do
		same_as_unsplit "$FP_DATA/$cap"
		echo "$cap: $split pieces, $whole flows"
		[ "$split" -gt "$whole" ]
		# paired, too: -b on the pieces equals -b on the whole flows
		flows=$whole
		same_as_unsplit "$FP_DATA/$cap" -b
		echo "$cap -b: $whole connections"
		# forces2 holds both directions of its connections: pairs form
		[ "$cap" != forces2.pcap ] || [ "$whole" -lt "$flows" ]
	done
}

@test "flow-stitch: a generated exporter stream comes back as exactly its flows, with or without -m" {
	# scripts/gen-split-flows: 300 connections cut by a 30 s active timeout,
	# records in export order; it prints the totals it wrote
	"$FP_ROOT/scripts/gen-split-flows" -f 300 -s 3 > "$BATS_TEST_TMPDIR/gen.csv" 2> "$BATS_TEST_TMPDIR/totals"
	pk=$(sed -n 's/.*packets=\([0-9]*\).*/\1/p' "$BATS_TEST_TMPDIR/totals")
	n=$(grep -vc '^#' "$BATS_TEST_TMPDIR/gen.csv")
	[ "$n" -gt 3000 ]
	run --separate-stderr stitch -H -o dpkts -r "$BATS_TEST_TMPDIR/gen.csv"
	assert_success
	[ "${#lines[@]}" -eq 600 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq "$pk" ]
	run --separate-stderr stitch -b -H -o dpkts,rdpkts -r "$BATS_TEST_TMPDIR/gen.csv"
	[ "${#lines[@]}" -eq 300 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk -F, '{ s += $1 + $2 } END { print s }')" -eq "$pk" ]
	# squeezed to 20 open flows: more, shorter flows, not one packet lost
	run --separate-stderr stitch -H -o dpkts -m 20 -r "$BATS_TEST_TMPDIR/gen.csv"
	assert_success
	[ "${#lines[@]}" -gt 600 ]
	[ "$(printf '%s\n' "${lines[@]}" | awk '{ s += $1 } END { print s }')" -eq "$pk" ]
	[[ "$stderr" == *"(peak 20)"* ]]
	[[ "$stderr" != *" 0 written early"* ]]
}

@test "flow-stitch: random records under every option mix: no packet lost or made up" {
	# 3000 records over 12 keys, random times (some out of order), random
	# TCP flags, both directions: whatever joins, every packet comes out once
	python3 - > "$BATS_TEST_TMPDIR/rand.csv" <<'PY'
import random
r = random.Random(5)
print("#:unix_secs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot,tcp_flags")
t = 1000000
for _ in range(3000):
    t += r.randint(0, 4000)
    first = max(0, t - r.randint(0, 120000))
    last = first + r.randint(0, 30000)
    exp = (last + r.randint(0, 20000)) // 1000 * 1000 + 1000  # whole s, after last
    k = r.randrange(12)
    a, b = "10.0.0.%d" % (k % 3), "10.0.1.%d" % (k % 2)
    sp, dp = 1000 + k % 4, 80
    if r.random() < 0.5:
        a, b, sp, dp = b, a, dp, sp
    prot = 6 if k < 9 else 17
    print("%d,%d,%d,%d,%d,%d,%s,%s,%d,%d,%d,%d" % (exp // 1000, exp // 1000 * 1000, r.randint(1, 9),
          r.randint(40, 900), first, last, a, b, sp, dp, prot, r.choice((2, 16, 24, 17, 4, 18, 27))))
PY
	want=$(awk -F, 'NR > 1 { p += $3; o += $4 } END { print p, o }' "$BATS_TEST_TMPDIR/rand.csv")
	for opts in "" "-w 0" "-w 30 -i 5" "-m 3" "-g 1 -i 200" "-b" "-b -m 2 -w 0" "-k srcaddr,dstaddr" "-b -k prot"; do
		# shellcheck disable=SC2086
		run --separate-stderr stitch $opts -H -o dpkts,doctets,rdpkts,rdoctets -r "$BATS_TEST_TMPDIR/rand.csv"
		assert_success
		got=$(printf '%s\n' "${lines[@]}" | awk -F, '{ p += $1 + $3; o += $2 + $4 } END { print p, o }')
		echo "$opts: ${#lines[@]} flows, $got"
		[ "$got" = "$want" ]
		[ "${#lines[@]}" -lt 3000 ]
	done
}

@test "flow-stitch: extreme counters and clocks: every packet of every taken record comes out once" {
	# counters near 2^64, clocks anywhere in 32 bits, uptimes past sysuptime:
	# lines named as bad are skipped, every other record's packets (summed
	# in Python's big integers) come out once, whatever splits or clamps
	python3 - > "$BATS_TEST_TMPDIR/x.csv" <<'PY'
import random
r = random.Random(7)
E = (0, 1, 2**32 - 1, 2**32 - 2, 2**31)
print("#:unix_secs,unix_nsecs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot,rdpkts,rdoctets,rfirst,rlast")
for _ in range(400):
    v = lambda bits: r.choice((0, 1, 2**bits - 1, 2**bits - 2, r.randrange(2**bits)))
    t = lambda: r.choice(E + (r.randrange(2**32),))
    k = r.randrange(3)
    a, b = "10.0.0.%d" % k, "10.0.1.1"
    if r.random() < 0.5:
        a, b = b, a
    print("%d,%d,%d,%d,%d,%d,%d,%s,%s,%d,%d,%d,%d,%d,%d,%d" % (t(), r.randrange(10**9), t(), v(64), v(64), t(), t(),
          a, b, 1, 1, 17, v(64) if r.random() < 0.3 else 0, 0, t(), t()))
PY
	for opts in "" "-b" "-w 0 -m 2" "-b -w 0"; do
		# shellcheck disable=SC2086
		stitch $opts -H -o dpkts,rdpkts -r "$BATS_TEST_TMPDIR/x.csv" > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" || [ $? -eq 1 ]
		python3 - "$BATS_TEST_TMPDIR/x.csv" "$BATS_TEST_TMPDIR/out" "$BATS_TEST_TMPDIR/err" <<'PY'
import re, sys
inp, out, err = (open(f).read() for f in sys.argv[1:])
bad = {int(n) for n in re.findall(r":(\d+): a time before 1970", err)}
tin = sum(int(l.split(",")[3]) + int(l.split(",")[12]) for i, l in enumerate(inp.splitlines(), 1)
          if i > 1 and i not in bad)
tout = sum(int(a) + int(b) for a, b in (l.split(",") for l in out.splitlines()))
assert tin == tout, (tin, tout)
PY
	done
}

@test "flow-stitch: -b pairs a router's directions across interfaces; -k input keeps them apart" {
	# a router sees A->B come in on 1 and leave on 2, B->A the other way
	{ echo '#:unix_secs,sysuptime,dpkts,first,last,srcaddr,dstaddr,input,output,srcport,dstport,prot'
	  echo '10,10000,3,1000,5000,10.0.0.1,10.0.0.2,1,2,4000,443,6'
	  echo '10,10000,2,1200,5200,10.0.0.2,10.0.0.1,2,1,443,4000,6'; } > "$BATS_TEST_TMPDIR/in.csv"
	run --separate-stderr stitch -b -H -o dpkts,input,output,rdpkts -r "$BATS_TEST_TMPDIR/in.csv"
	assert_success
	assert_output "3,1,2,2"
	run --separate-stderr stitch -b -H -o dpkts,rdpkts -k exaddr,srcaddr,dstaddr,srcport,dstport,prot,input -r "$BATS_TEST_TMPDIR/in.csv"
	assert_output "$(printf '3,0\n2,0')"
}

# Issue 10, item 5: the input fails after two records (the peer resets the
# TCP connection that is flow-stitch's stdin, once both lines were read).
# The open flows are still written, the message names the read, exit 2.
# The old code wrote none ("2 open") and said "write: Connection reset".
@test "flow-stitch: a read error keeps the open flows and names the read (issue 10 item 5)" {
	input '10,10000,1,10,0,1000,10.0.0.1,10.0.0.2,1,9,17,0' \
	    '10,10000,2,20,0,2000,10.0.0.1,10.0.0.2,2,9,17,0'
	cat > "$BATS_TEST_TMPDIR/rst.py" <<'PY'
import socket, struct, subprocess, sys, time
data = open(sys.argv[1], 'rb').read()
srv = socket.socket()
srv.bind(('127.0.0.1', 0))
srv.listen(1)
cli = socket.create_connection(srv.getsockname())
conn, _ = srv.accept()
p = subprocess.Popen(sys.argv[2:], stdin=cli)
cli.close()
conn.sendall(data)
time.sleep(0.5)
conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack('ii', 1, 0))
conn.close()
sys.exit(p.wait())
PY
	run --separate-stderr python3 "$BATS_TEST_TMPDIR/rst.py" "$BATS_TEST_TMPDIR/in.csv" \
	    "$FP_BIN/flow-stitch" -H -o srcport,dpkts
	[ "$status" -eq 2 ]
	assert_output "$(printf '1,1\n2,2')"
	[[ "$stderr" == *"flow-stitch: stdin: read error: Connection reset by peer"* ]]
	[[ "$stderr" == *"2 records in, 2 flows out"*" 0 open"* ]]
	[[ "$stderr" != *"write:"* ]]
	# -r on a directory: the read fails, and says so
	run --separate-stderr stitch -r "$BATS_TEST_TMPDIR"
	[ "$status" -eq 2 ]
	[[ "$stderr" == *"flow-stitch: $BATS_TEST_TMPDIR: read error: Is a directory"* ]]
	[[ "$stderr" != *"write:"* ]]
}

# Issue 10, minor: the README's recipe reported hundreds of "late" records
# on a capture it stitched perfectly: pcap-flows writes a flow's last piece
# up to its inactive timeout (and its lazy scan) after the piece began, so
# those pieces start more than -w 20 before the newest, yet their flow is
# still open and they join it. Late now counts only a record that came
# after its turn and found no open flow: one that may really be split off.
@test "flow-stitch: the README's -w 20 recipe counts no late records when nothing is split (issue 10 minor)" {
	[ -x "$FP_BIN/pcap-flows" ] || fail "pcap-flows not built"
	"$FP_ROOT/scripts/pcapgen" mix -o "$BATS_TEST_TMPDIR/mix.pcap" -n 30000 -f 300 -s 7 >/dev/null 2>&1
	"$FP_BIN/pcap-flows" -t active=1 -r "$BATS_TEST_TMPDIR/mix.pcap" 2>/dev/null > "$BATS_TEST_TMPDIR/split.csv"
	run --separate-stderr stitch -i 14.999 -w 20 -H -o dpkts -r "$BATS_TEST_TMPDIR/split.csv"
	assert_success
	[ "${#lines[@]}" -eq 300 ]	# every flow whole (the equivalence test checks each field)
	[[ "$stderr" == *" 0 late (beyond -w)"* ]] || fail "$stderr"
}

# A port scan's SYN and the RST that answers it, both in the same ms: with
# -b one connection whichever order they come in (records now wait and are
# taken by start, equal starts by content, so the join rule itself must
# not depend on which of the two is taken first).
@test "flow-stitch: -b pairs a SYN and its RST of the same ms, in either order" {
	local syn='1,1000,1,60,611,611,192.0.2.10,192.0.2.80,33392,22,6,2'
	local rst='1,1000,1,40,611,611,192.0.2.80,192.0.2.10,22,33392,6,20'
	for order in "$syn $rst" "$rst $syn"; do
		# shellcheck disable=SC2086
		input $order
		run --separate-stderr stitch -b -H -o srcport,dpkts,tcp_flags,rdpkts,rtcp_flags \
		    -r "$BATS_TEST_TMPDIR/in.csv"
		assert_success
		assert_output "1,33392,2,1,20"
	done
}
