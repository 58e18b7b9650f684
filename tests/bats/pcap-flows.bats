#!/usr/bin/env bats
# pcap-flows: checked against the project's generator's own record of what
# it wrote, against tshark's conversation statistics (a peer decoder), and
# against expiry rules worked out by hand for short scripted captures.
load helper
bats_require_minimum_version 1.5.0

PF() { "$FP_BIN/pcap-flows" "$@"; }
GEN() { "$FP_ROOT/scripts/pcapgen" "$@"; }
KEYF=srcaddr,dstaddr,srcport,dstport,prot,dpkts,doctets

setup() {
	T=$(mktemp -d)
}

teardown() {
	[ -n "${NS:-}" ] && ip netns del "$NS" 2>/dev/null
	[ -n "${NS2:-}" ] && ip netns del "$NS2" 2>/dev/null
	rm -rf "$T"
}

# Our records summed per direction: "src sport dst dport packets bytes",
# bytes = IP bytes + packets * l2 (the link header tshark counts in frames).
pf_conv() {	# file proto l2len [pcap-flows args]
	local f=$1 p=$2 l2=$3
	shift 3
	PF -H -o "$KEYF" "$@" -r "$f" 2>/dev/null |
	    awk -F, -v p="$p" -v l2="$l2" '$7 == p { k = $3 " " $5 " " $4 " " $6; n[k] += $1; b[k] += $2 }
		END { for (k in n) print k, n[k], b[k] + n[k] * l2 }' | sort
}

# tshark -z conv,PROTO as one line per direction with frames; bytes only
# when tshark states them exactly ("N bytes"), else "-". One tshark run
# per file gives all three sections.
ts_conv() {	# file proto(tcp|udp|sctp)
	local cache="$T/conv.$(basename "$1")"
	[ -s "$cache" ] || tshark -n -q -r "$1" -z conv,tcp -z conv,udp -z conv,sctp > "$cache" 2>/dev/null
	awk -v sect="$(echo "$2" | tr a-z A-Z) Conversations" '/Conversations$/ { on = ($0 == sect) }
	on && /<->/ {
		a = $1; b = $3
		ia = match(a, /:[0-9]+$/); pa = substr(a, ia + 1); a = substr(a, 1, ia - 1)
		ib = match(b, /:[0-9]+$/); pb = substr(b, ib + 1); b = substr(b, 1, ib - 1)
		if ($4 > 0) print b, pb, a, pa, $4, ($6 == "bytes" ? $5 : "-")
		if ($7 > 0) print a, pa, b, pb, $7, ($9 == "bytes" ? $8 : "-")
	}' "$cache" | sort
}

# Compares the two; a "-" in tshark's bytes column matches any number.
same_conv() {	# ours theirs
	join -j1 <(awk '{print $1"|"$2"|"$3"|"$4, $5, $6}' "$1" | sort) \
	    <(awk '{print $1"|"$2"|"$3"|"$4, $5, $6}' "$2" | sort) -a1 -a2 -e MISSING -o 0,1.2,1.3,2.2,2.3 |
	    awk '{ if ($2 != $4 || ($5 != "-" && $3 != $5)) { print "differs:", $0; bad = 1 } }
		END { exit bad }'
	[ "$(wc -l < "$1")" -gt 0 ]
}

# IP bytes per direction from tshark's per-packet fields (ip.len, or the
# IPv6 payload length + 40): for captures whose frames carry padding or
# link headers of several lengths, where frame bytes say nothing of IP.
ts_l3() {	# file proto(tcp|udp|sctp)
	local cache="$T/l3.$(basename "$1")"
	[ -s "$cache" ] || tshark -n -r "$1" -Y '!icmp && !icmpv6' -T fields -E separator=, \
	    -e ip.src -e ip.dst -e ipv6.src -e ipv6.dst -e tcp.srcport -e tcp.dstport -e udp.srcport \
	    -e udp.dstport -e sctp.srcport -e sctp.dstport -e ip.len -e ipv6.plen > "$cache" 2>/dev/null
	awk -F, -v p="$2" '{
		if ($5 != "") { q = "tcp"; sp = $5; dp = $6 } else if ($7 != "") { q = "udp"; sp = $7; dp = $8 }
		else if ($9 != "") { q = "sctp"; sp = $9; dp = $10 } else next
		if (q != p) next
		s = $1 != "" ? $1 : $3; d = $2 != "" ? $2 : $4; b = $11 != "" ? $11 : $12 + 40
		k = s " " sp " " d " " dp; n[k]++; t[k] += b }
		END { for (k in n) print k, n[k], t[k] }' "$cache" | sort
}

# Frames per direction against tshark's conversations; bytes too when l2
# (the link header length of every frame) is given, else IP bytes against
# tshark's per-packet IP lengths.
check_tshark() {	# file l2len|- proto...
	local f=$1 l2=$2 p n
	shift 2
	for p in "$@"; do
		case $p in tcp) n=6 ;; udp) n=17 ;; sctp) n=132 ;; esac
		pf_conv "$f" "$n" "${l2/-/0}" > "$T/ours.$p"
		ts_conv "$f" "$p" > "$T/theirs.$p"
		echo "# $f $p ours:"; cat "$T/ours.$p"; echo "# theirs:"; cat "$T/theirs.$p"
		if [ "$l2" = - ]; then
			awk '{$6 = "-"; print}' "$T/theirs.$p" > "$T/frames.$p"
			same_conv "$T/ours.$p" "$T/frames.$p"
			ts_l3 "$f" "$p" > "$T/l3.$p"
			same_conv "$T/ours.$p" "$T/l3.$p"
		else
			same_conv "$T/ours.$p" "$T/theirs.$p"
		fi
	done
}

# -------- the basics --------

@test "pcap-flows: --version, -h, usage errors exit 2" {
	run PF --version
	assert_success
	assert_output "pcap-flows flowpipes 0.1.0"
	run PF -h
	assert_success
	assert_output --partial "usage: pcap-flows"
	run PF -t bogus=3 -r "$FP_DATA/demo.pcap"
	assert_failure 2
	run PF -m 0 -r "$FP_DATA/demo.pcap"
	assert_failure 2
	run PF -r "$T/no-such-file.pcap"
	assert_failure 2
	assert_output --partial "no-such-file.pcap"
}

@test "pcap-flows: synthetic mix totals per 5-tuple equal the generator's record exactly" {
	GEN mix -o "$T/mix.pcap" -n 30000 -f 2000 -s 7 -e "$T/expect.csv"
	run --separate-stderr PF -r "$T/mix.pcap" -o "$KEYF" -H
	assert_success
	echo "$output" | awk -F, '{ k = $3 "," $4 "," $5 "," $6 "," $7; p[k] += $1; b[k] += $2 }
		END { for (k in p) print k "," p[k] "," b[k] }' | sort > "$T/got"
	tail -n +2 "$T/expect.csv" | sort > "$T/want"
	[ "$(wc -l < "$T/want")" -gt 1500 ]
	diff "$T/got" "$T/want"
}

@test "pcap-flows: synthetic mix packets per direction equal tshark conversations" {
	need_cmd tshark
	GEN mix -o "$T/mix.pcap" -n 5000 -f 300 -s 3 --snap 2000 --vlan 0
	check_tshark "$T/mix.pcap" 14 tcp udp
}

@test "pcap-flows: synthetic mix totals per 5-tuple equal nfpcapd's (nfdump), an independent flow meter" {
	need_cmd nfpcapd
	need_cmd nfdump
	GEN mix -o "$T/mix.pcap" -n 20000 -f 1500 -s 9
	mkdir "$T/nf"
	nfpcapd -r "$T/mix.pcap" -w "$T/nf" > /dev/null 2>&1
	# nfdump names protocols and writes ICMP type.code its own way: compare
	# ICMP by addresses only (ports set to 0 on both sides)
	nfdump -R "$T/nf" -q -o csv -A srcip,dstip,srcport,dstport,proto 2>/dev/null | awk -F, '
		{ p = $8; gsub(/ /, "", p); sp = $6; dp = $7
		  if (p == "TCP") p = 6; else if (p == "UDP") p = 17; else if (p == "ICMP") p = 1; else if (p == "ICMP6") p = 58
		  if (p == 1 || p == 58) sp = dp = 0
		  print $4 "," $5 "," sp "," dp "," p "," $12 "," $13 }' | sort > "$T/theirs"
	PF -H -o "$KEYF" -r "$T/mix.pcap" 2>/dev/null | awk -F, '
		{ sp = $5; dp = $6; if ($7 == 1 || $7 == 58) sp = dp = 0
		  k = $3 "," $4 "," sp "," dp "," $7; n[k] += $1; b[k] += $2 }
		END { for (k in n) print k "," n[k] "," b[k] }' | sort > "$T/ours"
	[ "$(wc -l < "$T/ours")" -gt 1000 ]
	diff "$T/ours" "$T/theirs"
}

@test "pcap-flows: same file, same output, every run" {
	GEN mix -o "$T/mix.pcap" -n 5000 -f 400 -s 11
	PF -r "$T/mix.pcap" > "$T/a" 2>/dev/null
	PF -r "$T/mix.pcap" > "$T/b" 2>/dev/null
	cmp "$T/a" "$T/b"
	[ "$(wc -l < "$T/a")" -gt 300 ]
}

# -------- link types, public captures vs tshark --------

@test "pcap-flows: Ethernet with 802.1Q tags (public captures) match tshark" {
	need_cmd tshark
	check_tshark "$FP_DATA/ldp-common-session.pcap" - tcp udp
	check_tshark "$FP_DATA/ipv4_tcp_http_xml.pcap" - tcp
}

@test "pcap-flows: the demo capture (tcpdump in a namespace) matches tshark; make demo runs" {
	need_cmd tshark
	check_tshark "$FP_DATA/demo.pcap" 14 tcp udp
	[ -x "$FP_BIN/../../rel/bin/pcap-flows" ] || skip "no release build next to $FP_BIN"
	run env BUILD="$(dirname "$(dirname "$FP_BIN")")" "$FP_ROOT/scripts/demo"
	assert_success
	assert_output --partial "five closed ports"
	# the two page loads in the flow-print table: 5 packets, 3887 IP bytes from the server each
	[ "$(echo "$output" | grep -cE ' 192\.0\.2\.10:[0-9]+ +<-> +192\.0\.2\.80:8080 +5 +286 +\S+ +5 +3887 ')" -eq 2 ]
}

@test "pcap-flows: Linux cooked SLL (public captures, SCTP and TCP) match tshark" {
	need_cmd tshark
	check_tshark "$FP_DATA/forces2.pcap" - sctp
	check_tshark "$FP_DATA/mptcp-v1.pcap" - tcp
}

@test "pcap-flows: BSD null loopback, IPv4 and IPv6 (public captures) match tshark" {
	need_cmd tshark
	check_tshark "$FP_DATA/dns-badcookie.pcap" 4 udp
	check_tshark "$FP_DATA/quic_handshake.pcap" 4 udp
}

@test "pcap-flows: raw IP, LINKTYPE_IPV4/IPV6 (public captures) match tshark" {
	need_cmd tshark
	check_tshark "$FP_DATA/babel_rtt.pcap" 0 udp
	check_tshark "$FP_DATA/LINKTYPE_IPV4.pcap" 0 udp
	check_tshark "$FP_DATA/LINKTYPE_IPV6.pcap" 0 udp
}

@test "pcap-flows: IPv6 extension headers are walked (mobility header, public capture)" {
	# checked by hand with tshark -V: 16 packets 2001:db8::1 -> ::2, each a
	# Mobility header (135) with next header 59, 64 bytes of IPv6 each
	run PF -H -o "$KEYF" -r "$FP_DATA/ipv6_mobility_1.pcap"
	assert_success
	assert_output --partial "16,1024,2001:db8::1,2001:db8::2,0,0,59"
}

@test "pcap-flows: a packet that is not what its link type says is undecodable, exit 1" {
	run PF -r "$FP_DATA/LINKTYPE_IPV4_invalid.pcap"
	assert_failure 1
	assert_output --partial "packet 1: IP version is not 4"
	assert_output --partial "1 undecodable"
}

@test "pcap-flows: non-IP frames (802.1ad QinQ STP) are counted, not flows, exit 0" {
	run PF -H -r "$FP_DATA/802.1ad_QinQ.pcap"
	assert_success
	assert_output --partial "2 non-IP"
}

# The same packets under every link type must give the same records, and
# tshark must agree with each (it decodes the stacks independently).
LINKSPEC='
0.000 tcp 10.1.0.1 40000 10.2.0.2 80 flags=S
0.010 tcp 10.2.0.2 80 10.1.0.1 40000 flags=SA
0.020 tcp 10.1.0.1 40000 10.2.0.2 80 flags=A len=100
0.030 udp 2001:db8::1 5353 2001:db8::2 53 len=30
0.040 udp 2001:db8::2 53 2001:db8::1 5353 len=90
0.050 icmp 10.1.0.1 8 10.2.0.2 0 len=56
0.060 tcp 10.2.0.2 80 10.1.0.1 40000 flags=PA len=1000
'

@test "pcap-flows: every link type and tag stack gives the same flows, and tshark agrees" {
	need_cmd tshark
	echo "$LINKSPEC" | GEN script -o "$T/ether.pcap"
	PF -H -o "$KEYF" -r "$T/ether.pcap" > "$T/want" 2>/dev/null
	[ "$(wc -l < "$T/want")" -eq 5 ]
	for v in "sll 16" "sll2 20" "null 4" "loop 4" "raw 0"; do
		set -- $v
		echo "$LINKSPEC" | GEN script -l "$1" -o "$T/$1.pcap"
		PF -H -o "$KEYF" -r "$T/$1.pcap" > "$T/got" 2>/dev/null
		diff "$T/want" "$T/got"
		check_tshark "$T/$1.pcap" "$2" tcp udp
	done
	# the tag stacks, each on its own addresses, in one Ethernet capture;
	# the same capture without the tags must give the same records
	local i=0 v
	: > "$T/tagged.spec"
	: > "$T/plain.spec"
	for v in "vlan=10" "vlan=100,200" "vlan=5,6,7" "mpls=1000" "mpls=16,17,18" "pppoe=7" \
	    "vlan=30,31 mpls=44,45" "vlan=30 pppoe=9"; do
		i=$((i + 1))
		echo "$LINKSPEC" | sed -e "s/10\.1\.0\.1/10.1.$i.1/g; s/10\.2\.0\.2/10.2.$i.2/g; s/db8::/db8:$i::/g" > "$T/one.spec"
		sed "/^0/s/\$/ $v/" "$T/one.spec" >> "$T/tagged.spec"
		cat "$T/one.spec" >> "$T/plain.spec"
	done
	GEN script -o "$T/tagged.pcap" < "$T/tagged.spec"
	GEN script -o "$T/plain.pcap" < "$T/plain.spec"
	PF -H -o "$KEYF" -r "$T/plain.pcap" > "$T/want" 2>/dev/null
	PF -H -o "$KEYF" -r "$T/tagged.pcap" > "$T/got" 2>/dev/null
	[ "$(wc -l < "$T/want")" -eq 40 ]
	diff "$T/want" "$T/got"
	check_tshark "$T/tagged.pcap" - tcp udp
}

@test "pcap-flows: -T vlan keys flows by the outer VLAN id" {
	GEN script -o "$T/v.pcap" <<-EOF
	0.0 udp 10.0.0.1 1000 10.0.0.2 53 vlan=10
	0.1 udp 10.0.0.1 1000 10.0.0.2 53 vlan=20
	0.2 udp 10.0.0.1 1000 10.0.0.2 53 vlan=10,99
	EOF
	run PF -H -o dpkts -r "$T/v.pcap"
	assert_output --partial "3"
	# end of input writes the flows in the order they were first seen
	run PF -H -o dpkts -T vlan -r "$T/v.pcap"
	assert_line --index 0 "2"
	assert_line --index 1 "1"
}

# -------- expiry rules (expected records worked out by hand) --------

@test "pcap-flows: inactive timeout splits a flow after a silence, and is settable" {
	GEN script -o "$T/i.pcap" <<-EOF
	0 udp 10.0.0.1 1000 10.0.0.2 53
	10 udp 10.0.0.1 1000 10.0.0.2 53
	26 udp 10.0.0.1 1000 10.0.0.2 53
	EOF
	# default 15 s: the 16 s silence ends the first record (2 packets)
	run PF -H -o dpkts,first,last -r "$T/i.pcap"
	assert_line --index 0 "2,0,10000"
	assert_line --index 1 "1,26000,26000"
	run PF -H -o dpkts -t inactive=20 -r "$T/i.pcap"
	assert_output --partial "3"
	run PF -H -o dpkts -t inactive=5 -r "$T/i.pcap"
	assert_line --index 0 "1"
	assert_line --index 2 "1"
}

@test "pcap-flows: active timeout cuts a long busy flow into records" {
	for t in 0 1 2 3 4 5 6 7 8 9; do echo "$t udp 10.0.0.1 1000 10.0.0.2 53"; done | GEN script -o "$T/a.pcap"
	# active 3 s: packets at 0,1,2 | 3,4,5 | 6,7,8 | 9
	run PF -H -o dpkts,first,last -t active=3 -r "$T/a.pcap"
	assert_success
	assert_line --index 0 "3,0,2000"
	assert_line --index 1 "3,3000,5000"
	assert_line --index 2 "3,6000,8000"
	assert_line --index 3 "1,9000,9000"
	run --separate-stderr PF -H -o dpkts -r "$T/a.pcap"
	assert_output "10"
}

TCPSPEC='
0.0 tcp 10.0.0.1 4000 10.0.0.2 80 flags=S
0.1 tcp 10.0.0.2 80 10.0.0.1 4000 flags=SA
0.2 tcp 10.0.0.1 4000 10.0.0.2 80 flags=A
1.0 tcp 10.0.0.1 4000 10.0.0.2 80 flags=FA
1.1 tcp 10.0.0.2 80 10.0.0.1 4000 flags=FA
1.2 tcp 10.0.0.1 4000 10.0.0.2 80 flags=A
6.0 tcp 10.0.0.1 4000 10.0.0.2 80 flags=S
'

@test "pcap-flows: TCP end after FIN both ways: the last ACK joins within the grace, a reused port starts anew" {
	echo "$TCPSPEC" | GEN script -o "$T/t.pcap"
	# ends at 1.1 (+2 s grace): 1.2 joins; the SYN at 6.0 (< 15 s idle) is a new record
	# (flags: SYN|ACK|FIN = 19, SYN = 2, ACK = 16)
	run PF -H -o dpkts,srcport,tcp_flags -r "$T/t.pcap"
	assert_success
	assert_line --index 0 "2,80,19"
	assert_line --index 1 "4,4000,19"
	assert_line --index 2 "1,4000,2"
	# no grace: the last ACK starts a flow of its own (the SYN at 6.0 joins it)
	run PF -H -o dpkts,srcport,tcp_flags -t tcp-end=0 -r "$T/t.pcap"
	assert_line --index 0 "2,80,19"
	assert_line --index 1 "3,4000,19"
	assert_line --index 2 "2,4000,18"
	# a FIN one way only does not end the flow
	echo "$TCPSPEC" | grep -v '^1.1' | GEN script -o "$T/t1.pcap"
	run PF -H -o dpkts,srcport -r "$T/t1.pcap"
	assert_line --index 0 "5,4000"
	assert_line --index 1 "1,80"
}

@test "pcap-flows: a RST ends both directions" {
	GEN script -o "$T/r.pcap" <<-EOF
	0.0 tcp 10.0.0.1 4000 10.0.0.2 81 flags=S
	0.1 tcp 10.0.0.2 81 10.0.0.1 4000 flags=RA
	5.0 tcp 10.0.0.1 4000 10.0.0.2 81 flags=S
	EOF
	# both leave 2 s after the RST; the SYN at 5.0 is a new flow (RST|ACK = 20)
	run PF -H -o dpkts,srcport,tcp_flags -r "$T/r.pcap"
	assert_line --index 0 "1,81,20"
	assert_line --index 1 "1,4000,2"
	assert_line --index 2 "1,4000,2"
}

@test "pcap-flows: export time is the capture's clock; end of input flushes every flow" {
	GEN script -o "$T/c.pcap" <<-EOF
	1700000000.0 udp 10.0.0.1 1 10.0.0.2 2
	1700000020.5 udp 10.0.0.3 1 10.0.0.4 2
	EOF
	# first record: written when the packet at +20.5 s comes, stamped with
	# the moment it expired (last packet + 15 s inactive); second: flushed
	# at end of input, stamped with the capture's last time
	run PF -H -o unix_secs,unix_nsecs,sysuptime,first,last,srcaddr -r "$T/c.pcap"
	assert_line --index 0 "1700000015,0,15000,0,0,10.0.0.1"
	assert_line --index 1 "1700000020,500000000,20500,20500,20500,10.0.0.3"
}

# -------- flow limit --------

@test "pcap-flows: SYN flood: -m bounds the table, the oldest are written early, nothing lost" {
	python3 -c '
for i in range(20000):
    print("%.4f tcp 10.9.%d.%d %d 10.0.0.2 80 flags=S" % (i * 0.0001, i // 250, i % 250, 1024 + i % 60000))' |
	    GEN script -o "$T/flood.pcap"
	run PF -m 500 -o dpkts -H -r "$T/flood.pcap"
	assert_success
	[ "${#lines[@]}" -eq 20001 ]	# 20000 records + the summary line
	assert_output --partial "19500 early (table full at 500)"
	assert_output --partial "peak 500"
	# memory: a 10x larger flood under the same limit costs no more than 4 MB
	python3 -c '
for i in range(2000):
    print("%.4f tcp 10.9.%d.%d %d 10.0.0.2 80 flags=S" % (i * 0.0001, i // 250, i % 250, 1024 + i))' |
	    GEN script -o "$T/small.pcap"
	local big small
	big=$(/usr/bin/time -f %M "$FP_BIN/pcap-flows" -m 500 -r "$T/flood.pcap" 2>&1 >/dev/null | tail -1)
	small=$(/usr/bin/time -f %M "$FP_BIN/pcap-flows" -m 500 -r "$T/small.pcap" 2>&1 >/dev/null | tail -1)
	echo "# maxrss KB: flood $big, small $small"
	[ $((big - small)) -lt 4096 ]
}

# -------- fragments, truncation, bad input --------

@test "pcap-flows: later fragments join the first fragment's flow; orphans are portless" {
	GEN script -o "$T/f.pcap" <<-EOF
	0.0 udp 10.0.0.1 5000 10.0.0.2 2049 id=77 frag=first len=1472
	0.1 udp 10.0.0.1 5000 10.0.0.2 2049 id=77 frag=middle offset=1480 len=1480
	0.2 udp 10.0.0.1 5000 10.0.0.2 2049 id=77 frag=last offset=2960 len=100
	0.3 udp 10.0.0.1 5000 10.0.0.2 2049 id=78 frag=last offset=1480 len=200
	0.4 udp 2001:db8::1 6000 2001:db8::2 53 id=9 frag=first len=1000
	0.5 udp 2001:db8::1 6000 2001:db8::2 53 id=9 frag=last offset=1008 len=300
	EOF
	run PF -H -o "$KEYF" -r "$T/f.pcap"
	assert_success
	# 1500 + 1500 + 120 bytes of IPv4; the IPv6 ones: 40 + 8 + 1008, 40 + 8 + 300
	assert_line "3,3120,10.0.0.1,10.0.0.2,5000,2049,17"
	assert_line "1,220,10.0.0.1,10.0.0.2,0,0,17"
	assert_line "2,1404,2001:db8::1,2001:db8::2,6000,53,17"
	assert_output --partial "1 fragments without their first"
}

# One pcap record (no file header) of a 20-byte Ethernet frame whose IPv4
# header is cut although the whole frame was captured (caplen = wire
# length = 20): a broken packet, at time SECS.
broken_record() {	# secs
	python3 -c '
import struct, sys
t = float(sys.argv[1])
f = bytes(12) + b"\x08\x00\x45\x00" + bytes(4)
sys.stdout.buffer.write(struct.pack("<IIII", int(t), round(t % 1 * 1e6), len(f), len(f)) + f)' "$1"
}

@test "pcap-flows: cut by snaplen counts what is known; a broken header is reported with its position" {
	GEN script -o "$T/s.pcap" <<-EOF
	0.0 tcp 10.0.0.1 1 10.0.0.2 2 flags=S len=500 snap=40
	0.1 tcp 10.0.0.1 1 10.0.0.2 2 flags=A len=500 snap=36
	0.2 tcp 10.0.0.1 1 10.0.0.2 2 flags=A len=500 snap=20
	EOF
	broken_record 0.3 >> "$T/s.pcap"
	run PF -H -o dpkts,doctets,srcport,dstport -r "$T/s.pcap"
	# 14+20+6 bytes: ports, no flags -> flow 1->2; 14+20+2: no ports -> portless;
	# 20 of 554: no IP addresses, cut by the snapshot: no flow, no error
	# (issue 10.11); the last, 20 of 20 bytes, is broken: reported where
	assert_failure 1
	assert_line "1,540,1,2"
	assert_line "1,540,0,0"
	refute_output --partial "packet 3:"
	assert_output --partial "packet 4: IPv4 header cut at byte 20"
	assert_output --partial "3 cut by snaplen"
	assert_output --partial "1 undecodable"
	assert_output --partial "1 cut before the IP addresses (no flow)"
}

@test "pcap-flows: --strict stops at the first undecodable packet" {
	GEN script -o "$T/s1.pcap" <<< "0.0 udp 10.0.0.1 1 10.0.0.2 2"
	GEN script -o "$T/s3.pcap" <<< "0.2 udp 10.0.0.3 1 10.0.0.4 2"
	{ cat "$T/s1.pcap"; broken_record 0.1; tail -c +25 "$T/s3.pcap"; } > "$T/s.pcap"
	run PF -H --strict -o srcaddr -r "$T/s.pcap"
	assert_failure 1
	assert_output --partial "10.0.0.1"
	refute_output --partial "10.0.0.3"
	run PF -H -o srcaddr -r "$T/s.pcap"
	assert_failure 1
	assert_output --partial "10.0.0.3"
}

@test "pcap-flows: an unknown link type is named once, its packets counted undecodable" {
	python3 -c '
import struct, sys
o = sys.stdout.buffer
o.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 105))
for i in range(3):
    o.write(struct.pack("<IIII", 1, i, 30, 30) + bytes(30))' > "$T/wifi.pcap"
	run PF -r "$T/wifi.pcap"
	assert_failure 1
	assert_line --partial "link type IEEE802_11 (105) not understood"
	assert_output --partial "3 undecodable"
	[ "$(echo "$output" | grep -c 'not understood')" -eq 1 ]
}

# A named classic pcap file is read by pcap_records.c, standard input by
# libpcap: the two must agree on every bundled capture and on cut ones.
@test "pcap-flows: a named pcap file gives what libpcap gives through standard input" {
	local f n=0 cut=0 rc len
	GEN mix -o "$T/m.pcap" -n 3000 -f 80 -s 9
	for f in "$FP_DATA"/*.pcap "$T/m.pcap"; do
		rc=0; PF -H -r "$f" > "$T/file.out" 2> "$T/file.err" || rc=$?; echo "rc $rc" >> "$T/file.out"
		rc=0; PF -H -r - < "$f" > "$T/pipe.out" 2> "$T/pipe.err" || rc=$?; echo "rc $rc" >> "$T/pipe.out"
		diff "$T/file.out" "$T/pipe.out" || { echo "differs: $f"; return 1; }
		# the same counters, read errors included (the texts differ: ours say where)
		[ "$(grep -o '[0-9]* packets:.*' "$T/file.err" | tail -n 1)" = \
		    "$(grep -o '[0-9]* packets:.*' "$T/pipe.err" | tail -n 1)" ] || { echo "stats differ: $f"; return 1; }
		n=$((n + 1))
	done
	# a filter on the lengths (wire and captured differ: --snap 64), as libpcap has them
	GEN mix -o "$T/snap.pcap" -n 3000 -f 80 -s 9 --snap 64
	for expr in "greater 100" "less 80" "tcp[13] & 2 != 0"; do
		PF -H -r "$T/snap.pcap" "$expr" > "$T/file.out" 2>/dev/null
		PF -H -r - "$expr" < "$T/snap.pcap" > "$T/pipe.out" 2>/dev/null
		[ -s "$T/file.out" ] && diff "$T/file.out" "$T/pipe.out" || { echo "differs: $expr"; return 1; }
	done
	for len in 24 30 40 1000 33333 50000 70000 140001 250000; do
		head -c "$len" "$T/m.pcap" > "$T/cut.pcap"
		rc=0; PF -H -r "$T/cut.pcap" > "$T/file.out" 2> "$T/file.err" || rc=$?; echo "rc $rc" >> "$T/file.out"
		rc=0; PF -H -r - < "$T/cut.pcap" > "$T/pipe.out" 2>/dev/null || rc=$?; echo "rc $rc" >> "$T/pipe.out"
		diff "$T/file.out" "$T/pipe.out" || { echo "differs: cut at $len"; return 1; }
		[ "$len" -eq 24 ] || grep -q "truncated: packet [0-9]*'s .* is cut, the file has" "$T/file.err" || return 1
		cut=$((cut + 1))
	done
	[ "$n" -ge 15 ] && [ "$cut" -eq 9 ]
}

@test "pcap-flows: a capture cut mid-packet: flows before the cut are written, exit 1" {
	GEN mix -o "$T/m.pcap" -n 2000 -f 50 -s 5
	head -c 50000 "$T/m.pcap" > "$T/cut.pcap"
	run PF -H -r "$T/cut.pcap"
	assert_failure 1
	assert_output --partial "truncated"
	[ "$(echo "$output" | grep -c '^[0-9]')" -gt 10 ]
	run PF -H -r "$T/garbage"
	assert_failure 2
	head -c 1000 /dev/urandom > "$T/garbage"
	run PF -r "$T/garbage"
	assert_failure 2
}

# -------- inputs, filter, fields --------

@test "pcap-flows: several -r in order, stdin, and a BPF filter" {
	echo "$LINKSPEC" | GEN script -o "$T/a.pcap"
	PF -H -o "$KEYF" -r "$T/a.pcap" > "$T/one" 2>/dev/null
	# b.pcap: the same packets 1 s later, continuing a.pcap (a copy of a.pcap
	# itself would start before the capture clock: issue 10.12)
	echo "$LINKSPEC" | awk 'NF { $1 = $1 + 1 } NF' | GEN script -o "$T/b.pcap"
	run --separate-stderr PF -H -o "$KEYF" -r "$T/a.pcap" -r - < "$T/b.pcap"
	assert_success
	# each flow twice the packets
	[ "${#lines[@]}" -eq 5 ]
	[ "$(awk -F, '{s += $1} END {print s}' <<<"$output")" -eq 14 ]
	run bash -c "'$FP_BIN/pcap-flows' -H -o '$KEYF' < '$T/a.pcap' 2>/dev/null"
	assert_output "$(cat "$T/one")"
	run PF -H -o prot -r "$T/a.pcap" udp
	assert_success
	assert_line --index 0 "17"
	refute_line "6"
	run PF -r "$T/a.pcap" 'this is not bpf'
	assert_failure 2
}

@test "pcap-flows: -o, -H, -x, -e, -I set the written fields" {
	echo "$LINKSPEC" | GEN script -o "$T/a.pcap"
	run PF -o exaddr,engine_type,engine_id,input,srcaddr -x 192.0.2.9 -e 3/7 -I 12 -r "$T/a.pcap"
	assert_success
	assert_line --index 0 "#:exaddr,engine_type,engine_id,srcaddr,input"
	assert_line --index 1 "192.0.2.9,3,7,10.1.0.1,12"
	run PF -H -o bogus -r "$T/a.pcap"
	assert_failure 2
}

# -------- real traffic: tcpdump in a namespace, live capture, -Z --------

make_ns_pair() {
	NS=fp-pcap-$$-a
	NS2=fp-pcap-$$-b
	veth_pair "$NS" "$NS2" fpv0 fpv1 77
}

# TCP (a 5000-byte transfer), UDP both ways over v4 and v6, and pings.
make_traffic() {
	ip netns exec "$NS2" python3 -c '
import socket, threading
def tcp():
    s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind(("10.77.0.2", 8080)); s.listen(1)
    c, _ = s.accept(); d = b""
    while len(d) < 5000: d += c.recv(65536)
    c.sendall(b"x" * 3000); c.close()
def udp(fam, addr):
    u = socket.socket(fam, socket.SOCK_DGRAM); u.bind((addr, 5353))
    for _ in range(3):
        m, a = u.recvfrom(2000); u.sendto(m * 2, a)
ts = [threading.Thread(target=tcp), threading.Thread(target=udp, args=(socket.AF_INET, "10.77.0.2")),
      threading.Thread(target=udp, args=(socket.AF_INET6, "fd77::2"))]
[t.start() for t in ts]; [t.join() for t in ts]' &
	local srv=$!
	sleep 0.5
	ip netns exec "$NS" python3 -c '
import socket, time
c = socket.create_connection(("10.77.0.2", 8080)); c.sendall(b"y" * 5000)
d = b""
while True:
    x = c.recv(65536)
    if not x: break
    d += x
c.close()
for fam, addr in ((socket.AF_INET, "10.77.0.2"), (socket.AF_INET6, "fd77::2")):
    u = socket.socket(fam, socket.SOCK_DGRAM); u.settimeout(2)
    for n in (10, 100, 600):   # replies stay below the MTU: no fragments
        u.sendto(b"q" * n, (addr, 5353)); u.recvfrom(4000)'
	ip netns exec "$NS" ping -c 3 -i 0.2 -q 10.77.0.2 >/dev/null
	wait "$srv"
}

@test "pcap-flows: tcpdump capture in a namespace (Ethernet and SLL2) matches tshark" {
	need_root
	need_cmd tcpdump
	need_cmd tshark
	make_ns_pair
	local t1 t2
	TD_NS=$NS tcpdump_start "$T/eth.pcap" -i fpv0 -s 0
	t1=$TD_PID
	TD_NS=$NS tcpdump_start "$T/any.pcap" -i any -s 0
	t2=$TD_PID
	make_traffic
	# the last packets of the exchange: both FINs of the TCP connection
	# and the third echo reply
	tcpdump_stop_at "$t1" "$T/eth.pcap" 5 'tcp[tcpflags] & tcp-fin != 0 or icmp[icmptype] = icmp-echoreply'
	tcpdump_stop_at "$t2" "$T/any.pcap" 5 'tcp[tcpflags] & tcp-fin != 0 or icmp[icmptype] = icmp-echoreply'
	[ "$(tcpdump -r "$T/any.pcap" 2>&1 | grep -c 'LINUX_SLL2')" -eq 1 ]
	check_tshark "$T/eth.pcap" 14 tcp udp
	check_tshark "$T/any.pcap" 20 tcp udp
	# ICMP echo requests (type 8 -> dstport 2048) and replies, as tshark counts them
	local req rep
	req=$(tshark -n -r "$T/eth.pcap" -Y 'icmp.type == 8' 2>/dev/null | wc -l)
	rep=$(tshark -n -r "$T/eth.pcap" -Y 'icmp.type == 0' 2>/dev/null | wc -l)
	[ "$req" -ge 1 ]
	run PF -H -o dpkts,dstport,prot -r "$T/eth.pcap"
	assert_line "$req,2048,1"
	assert_line "$rep,0,1"
}

@test "pcap-flows: live -i in a namespace as nobody (-Z): records flushed as they expire, SIGUSR1, SIGTERM" {
	need_root
	make_ns_pair
	ip netns exec "$NS" "$FP_BIN/pcap-flows" -i fpv0 -Z nobody -t inactive=1 -o "$KEYF" > "$T/out" 2> "$T/err" &
	local pid=$!
	# it runs as nobody after opening the interface
	wait_user "$pid" nobody
	ip netns exec "$NS" ping -c 2 -i 0.2 -q 10.77.0.2 >/dev/null
	# inactive 1 s: the ping flows are written while the capture still runs
	local i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		grep -q ',10.77.0.1,10.77.0.2,0,2048,1$' "$T/out" && break
		sleep 0.5
	done
	grep -q '^2,168,10.77.0.1,10.77.0.2,0,2048,1$' "$T/out"
	grep -q '^2,168,10.77.0.2,10.77.0.1,0,0,1$' "$T/out"
	kill -USR1 "$pid"
	sleep 0.5
	grep -q 'flows open' "$T/err"
	# SIGTERM writes what is still open and exits 0
	ip netns exec "$NS" python3 -c '
import socket; u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.sendto(b"z" * 72, ("10.77.0.2", 9))'
	sleep 0.5
	kill -TERM "$pid"
	wait "$pid"
	grep -q '^1,100,10.77.0.1,10.77.0.2,[0-9]*,9,17$' "$T/out"
	grep -q 'stopped:' "$T/err"
}

@test "pcap-flows: live: SIGTERM right after the traffic still counts what the kernel held" {
	need_root
	make_ns_pair
	ip netns exec "$NS" "$FP_BIN/pcap-flows" -i fpv0 -Z nobody -o "$KEYF" > "$T/out" 2> "$T/err" &
	local pid=$!
	wait_user "$pid" nobody	# -Z comes after the open
	# the kernel hands packets over in blocks up to 0.1 s late: the last
	# echoes are still in its buffer when the signal comes
	ip netns exec "$NS" ping -c 5 -i 0.01 -q 10.77.0.2 > /dev/null
	kill -TERM "$pid"
	wait "$pid"
	grep -q '^5,420,10.77.0.1,10.77.0.2,0,2048,1$' "$T/out" || { cat "$T/out" "$T/err"; false; }
	grep -q '^5,420,10.77.0.2,10.77.0.1,0,0,1$' "$T/out"
}

@test "pcap-flows: -Z nobody on a file, and -Z with an unknown user fails" {
	need_root
	echo "$LINKSPEC" | GEN script -o "$T/a.pcap"
	run PF -Z nobody -H -o srcaddr -r "$T/a.pcap"
	assert_success
	assert_output --partial "10.1.0.1"
	run PF -Z no-such-user-fp -r "$T/a.pcap"
	assert_failure 2
}

@test "pcap-flows: FIN both ways then a long silence: written by the TCP end rule, stamped at its deadline" {
	# FIN pair at 1001.0/1001.1, next packet (another flow) at 1030: the
	# connection ended at 1001.1 + 2 s grace = 1003.1, before its idle
	# timeout (1001.1 + 15 s); the export time says which rule fired.
	GEN script -o "$T/fin.pcap" <<-EOF2
	1000.0 tcp 10.0.0.1 4000 10.0.0.2 80 flags=S
	1000.1 tcp 10.0.0.2 80 10.0.0.1 4000 flags=SA
	1001.0 tcp 10.0.0.1 4000 10.0.0.2 80 flags=FA
	1001.1 tcp 10.0.0.2 80 10.0.0.1 4000 flags=FA
	1030.0 udp 10.0.0.9 1 10.0.0.8 2
	EOF2
	run PF -H -o unix_secs,unix_nsecs,srcport -r "$T/fin.pcap"
	assert_success
	assert_line "1003,100000000,4000"
	assert_line "1003,100000000,80"
}

@test "pcap-flows: SIGTERM while a pipe feeding -r - is quiet: every flow written at once, exit 0" {
	GEN mix -o "$T/m.pcap" -n 3000 -f 50 -s 3 >/dev/null 2>&1
	mkfifo "$T/feed"
	"$FP_BIN/pcap-flows" -H -o dpkts -r "$T/feed" > "$T/out" 2> "$T/err" &
	pid=$!
	exec 5> "$T/feed"
	cat "$T/m.pcap" >&5	# the writer stays open: pcap-flows waits in read
	sleep 1
	kill -TERM "$pid"
	rc=0
	timeout 10 tail --pid="$pid" -f /dev/null || rc=124	# must not wait for the feed to end
	exec 5>&-
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	grep -q 'stopped:' "$T/err"
	# every packet of the capture is in a written record
	assert_equal "$(awk '{ s += $1 } END { print s }' "$T/out")" "$(PF -H -o dpkts -r "$T/m.pcap" 2>/dev/null | awk '{ s += $1 } END { print s }')"
}

# -------- issue 10: regression tests, each named after its item --------

# A pcapng file written field by field: SPEC lines "idb LINKTYPE" (an
# interface; 1 Ethernet or 101 raw IP) and "epb IFACE SECONDS" (a packet
# on that interface at whole SECONDS, microsecond resolution): each packet
# a 28-byte IPv4 UDP datagram 10.0.0.1:1 -> 10.0.0.2:2, behind a 14-byte
# header on Ethernet.
pcapng() {	# out < spec
	python3 -c '
import struct, sys
def blk(t, body):
    body += b"\0" * (-len(body) % 4)
    return struct.pack("<II", t, 12 + len(body)) + body + struct.pack("<I", 12 + len(body))
ip = bytes.fromhex("4500001c00000000401100000a0000010a000002" "0001000200080000")
links = []
out = blk(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1))
for w in (l.split() for l in sys.stdin):
    if w and w[0] == "idb":
        links.append(int(w[1]))
        out += blk(1, struct.pack("<HHI", int(w[1]), 0, 65535))
    elif w:
        i, us = int(w[1]), int(w[2]) * 1000000
        f = (bytes.fromhex("0200000000010200000000020800") if links[i] == 1 else b"") + ip
        out += blk(6, struct.pack("<IIIII", i, us >> 32, us & 0xffffffff, len(f), len(f)) + f)
sys.stdout.buffer.write(out)' > "$1"
}

@test "pcap-flows: issue 10.2: classic pcap seconds past 2^31 (2038) are unsigned" {
	# 2147483647 = 2038-01-19 03:14:07, 2208988800 = 2040-01-01 00:00:00;
	# the first flow's two packets 2 s apart, across 2^31, are one record,
	# written when the 2040 packet comes at last + 15 s = 2147483664
	GEN script -o "$T/y2038.pcap" <<-EOF
	2147483647.0 udp 10.0.0.1 1 10.0.0.2 2
	2147483649.0 udp 10.0.0.1 1 10.0.0.2 2
	2208988800.0 udp 10.0.0.3 1 10.0.0.4 2
	EOF
	run --separate-stderr PF -H -o unix_secs,dpkts,srcaddr -r "$T/y2038.pcap"
	assert_success
	assert_line --index 0 "2147483664,2,10.0.0.1"
	assert_line --index 1 "2208988800,1,10.0.0.3"
	[ "${#lines[@]}" -eq 2 ]
}

@test "pcap-flows: issue 10.2: pcapng times past 2106 are named and counted undecodable, not taken mod 2^32" {
	# 4294967396 s = 2^32 + 100: past the 32-bit unix_secs of a record
	printf 'idb 101\nepb 0 4294967396\nepb 0 1700000000\n' | pcapng "$T/y2106.pcapng"
	run PF -H -o unix_secs,dpkts,srcaddr -r "$T/y2106.pcapng"
	assert_failure 1
	assert_output --partial "y2106.pcapng: packet 1: time 4294967396 s is past 2106-02-07"
	assert_line "1700000000,1,10.0.0.1"
	assert_output --partial "2 packets: 1 IP, 0 non-IP, 1 undecodable"
}

@test "pcap-flows: issue 10.3: at end of input a flow idle past its timeout is stamped at its deadline" {
	# 10.0.0.1 is idle from 1001.2 on: its inactive timeout fires at 1016.2;
	# 10.0.0.3 keeps the capture going to 1029.5, the end of input
	{
		echo "1000.0 udp 10.0.0.1 1 10.0.0.2 2"
		echo "1001.2 udp 10.0.0.1 1 10.0.0.2 2"
		for i in $(seq 1000 1029); do echo "$i.0 udp 10.0.0.3 1 10.0.0.4 2"; done
		echo "1029.5 udp 10.0.0.3 1 10.0.0.4 2"
	} | sort -s -n -k1,1 > "$T/idle.spec"
	GEN script -o "$T/idle.pcap" < "$T/idle.spec"
	run --separate-stderr PF -H -o unix_secs,unix_nsecs,dpkts,srcaddr -r "$T/idle.pcap"
	assert_success
	assert_line "1016,200000000,2,10.0.0.1"
	assert_line "1029,500000000,31,10.0.0.3"
	[ "${#lines[@]}" -eq 2 ]
	# a full table (-m 2) pushes the idle flow out when 10.0.0.5 comes at
	# 1029.5: its deadline had passed, so it is stamped at it, not at 1029.5
	sed 's/^1029.5 udp 10.0.0.3 1 10.0.0.4/1029.5 udp 10.0.0.5 1 10.0.0.6/' "$T/idle.spec" |
	    GEN script -o "$T/full.pcap"
	run --separate-stderr PF -H -o unix_secs,unix_nsecs,dpkts,srcaddr -m 2 -r "$T/full.pcap"
	assert_success
	assert_line "1016,200000000,2,10.0.0.1"
	assert_line "1029,500000000,30,10.0.0.3"
	assert_line "1029,500000000,1,10.0.0.5"
	assert_equal "$(grep -o '[0-9]* early' <<<"$stderr")" "1 early"
	# a public capture: the two unicast flows' last packets are at
	# 1220186637.589177 and 1220186642.136860 (tshark), 24 and 19 s before
	# the end at 1220186661.651575: each is stamped 15 s after its last packet
	run --separate-stderr PF -H -o unix_secs,unix_nsecs,srcaddr,dstaddr \
	    -r "$FP_DATA/OSPFv3_broadcast_adjacency.pcap"
	assert_success
	assert_line "1220186652,589000000,fe80::2,fe80::1"
	assert_line "1220186657,136000000,fe80::1,fe80::2"
	assert_line "1220186661,651000000,fe80::1,ff02::5"
}

@test "pcap-flows: issue 10.10: an IP length beyond the whole captured frame is counted as the frame, and broken" {
	# raw IP: a 52-byte IPv4 TCP packet claiming 60000 bytes (caplen = wire
	# length = 52, so the header lies), a 48-byte IPv6 UDP packet claiming a
	# payload length of 5000, and an honest 40-byte packet of the first flow
	python3 -c '
import struct, sys
v4 = bytes.fromhex("4500ea6000000000400600000a0000010a000002")
tcp = struct.pack(">HHIIBBHHH", 1000, 80, 1, 0, 0x50, 0x18, 65535, 0, 0)
v6 = bytes.fromhex("60000000138811402001" + "0db8" + "00" * 11 + "01" + "2001" + "0db8" + "00" * 11 + "02")
udp = struct.pack(">HHHH", 53, 53, 8, 0)
pkts = [v4 + tcp + b"x" * 12, v6 + udp, v4[:2] + struct.pack(">H", 40) + v4[4:] + tcp]
o = sys.stdout.buffer
o.write(struct.pack("<IHHiIII", 0xa1b2c3d4, 2, 4, 0, 0, 65535, 101))
for i, p in enumerate(pkts):
    o.write(struct.pack("<IIII", 1700000000 + i, 0, len(p), len(p)) + p)' > "$T/lie.pcap"
	if command -v tshark >/dev/null; then	# the peer decoder flags both
		tshark -n -q -r "$T/lie.pcap" -z expert > "$T/expert" 2>/dev/null
		grep -q 'IPv4 total length exceeds packet length (52 bytes)' "$T/expert"
		grep -q 'IPv6 payload length exceeds framing length (8 bytes)' "$T/expert"
	fi
	run PF -H -o dpkts,doctets,srcaddr,prot -r "$T/lie.pcap"
	assert_failure 1
	assert_line "2,92,10.0.0.1,6"
	assert_line "1,48,2001:db8::1,17"
	assert_output --partial "lie.pcap: packet 1: IPv4 total length beyond the frame at byte 2"
	assert_output --partial "lie.pcap: packet 2: IPv6 payload length beyond the frame at byte 4"
	assert_output --partial "0 cut by snaplen, 2 broken"
}

@test "pcap-flows: issue 10.11: an IP header cut by the snapshot length is cut, not undecodable (ipv6_39_byte_header.pcap)" {
	# tshark: 39 bytes captured of a 118-byte Ethernet frame, 25 of them IPv6
	run PF -H -r "$FP_DATA/ipv6_39_byte_header.pcap"
	assert_success
	refute_output --partial "IPv6 header cut"
	assert_output --partial "1 packets: 0 IP, 0 non-IP, 0 undecodable, 1 cut by snaplen, 0 broken"
	assert_output --partial "1 cut before the IP addresses (no flow)"
	# --strict does not stop at a snapshot cut either
	GEN script -o "$T/c.pcap" <<-EOF
	0.0 udp 2001:db8::1 1 2001:db8::2 2 snap=30
	0.1 udp 2001:db8::3 1 2001:db8::4 2
	EOF
	run PF -H --strict -o srcaddr -r "$T/c.pcap"
	assert_success
	assert_line "2001:db8::3"
}

@test "pcap-flows: issue 10.12: a second -r file older than the capture clock starts new records" {
	GEN script -o "$T/late.pcap" <<-EOF
	970.0 udp 10.0.0.1 1 10.0.0.2 2
	980.0 udp 10.0.0.1 1 10.0.0.2 2
	EOF
	GEN script -o "$T/early.pcap" <<-EOF
	950.0 udp 10.0.0.1 1 10.0.0.2 2
	960.0 udp 10.0.0.1 1 10.0.0.2 2
	EOF
	# early.pcap starts 30 s before late.pcap ends: the open flow is written
	# at the clock (980), and the earlier packets make a record of their own,
	# its uptime counted from 950 again
	run PF -H -o unix_secs,sysuptime,dpkts,first,last -r "$T/late.pcap" -r "$T/early.pcap"
	assert_success
	assert_output --partial "early.pcap: starts 30.000 s before the input read so far ends"
	assert_line "980,10000,2,0,10000"
	assert_line "960,10000,2,0,10000"
	assert_output --partial "4 packets: 4 IP"
	assert_output --partial "2 written"
	# in time order the two files are one flow of 4 packets, 10 s apart each
	run --separate-stderr PF -H -o dpkts -r "$T/early.pcap" -r "$T/late.pcap"
	assert_output "4"
}

@test "pcap-flows: issue 10 minor: a pcapng file with two link types: the file is named and the limit said" {
	# two interfaces up front, Ethernet and raw IP, a packet on each:
	# libpcap stops at the second interface, before any packet
	printf 'idb 1\nidb 101\nepb 0 1700000000\nepb 1 1700000001\n' | pcapng "$T/two.pcapng"
	if command -v tshark >/dev/null; then	# the peer reads both packets
		[ "$(tshark -n -r "$T/two.pcapng" 2>/dev/null | wc -l)" -eq 2 ]
	fi
	run PF -H -r "$T/two.pcapng"
	assert_failure 1
	assert_output --partial "two.pcapng: after packet 0: an interface has a type 101 different from the type of the first interface (a pcapng file with interfaces of several link types: libpcap reads one, the rest of the file is not read;"
	assert_output --partial "0 packets:"
	assert_output --partial "0 written"
	assert_output --partial "1 read errors"
}
