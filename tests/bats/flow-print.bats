#!/usr/bin/env bats
# flow-print: tables, JSON, templates, sorting, -s statistics and totals.
#
# How the expected values were checked: tests/data/flow-print-mixed.csv
# was written by hand (its comment gives the clock); its rows below were
# read off it by hand. Times are cross-checked with GNU date -d @SECS
# (its own zone code), sums with awk and bc over the same lines, and the
# statistics against nfdump's -s on the same flows after flow-send into
# nfcapd (loopback, -B 33554432 as tests/bats/flow-send.bats does).
# flow-tools' flow-stat is not in Debian: not used.
load helper

setup() {
	T=$BATS_TEST_TMPDIR
	MIXED=$FP_DATA/flow-print-mixed.csv
	PORT=$((20000 + (RANDOM % 20000)))
}

teardown() {
	for pid in ${NFCAPD:-} ${FP:-}; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
}

fp() {
	"$FP_BIN/flow-print" "$@"
}

# A headerless 24-field line for a flow from start to end (ms since the
# epoch): its own export clock a second after the end, uptime 10^8 ms.
# line START_MS END_MS [PKTS BYTES PROT SRC DST SPORT DPORT FLAGS]
line() {
	local export_s=$(($2 / 1000 + 1)) up=100000000
	local first=$((up - (export_s * 1000 - $1))) last=$((up - (export_s * 1000 - $2)))
	printf '%s,0,%s,192.0.2.1,%s,%s,%s,%s,0,0,%s,%s,0.0.0.0,0,0,%s,%s,%s,0,%s,0,0,0,0\n' \
	    "$export_s" "$up" "${3:-1}" "${4:-100}" "$first" "$last" \
	    "${6:-10.0.0.1}" "${7:-10.0.0.2}" "${8:-1000}" "${9:-80}" "${5:-6}" "${10:-0}"
}

# GNU date's text for ms since the epoch, as flow-print writes it (TZ as set)
iso() {
	printf '%s.%03d%s' "$(date -d "@$(($1 / 1000))" +%FT%T)" $(($1 % 1000)) \
	    "$(date -d "@$(($1 / 1000))" +%:z)"
}

# the value of one line of the totals block
total() {	# name file
	awk -v n="$1" '$1 == "totals" { t = 1 } t && $1 == n { print $2 }' "$2"
}

@test "flow-print: --version, --help and usage errors" {
	run fp --version
	assert_success
	assert_output "flow-print flowpipes 0.1.0"
	run fp --help
	assert_success
	assert_output --partial "human units"
	run -2 fp -f nosuch
	assert_output --partial "want line, long, csv, json or fmt"
	run -2 fp -s dpkts
	assert_output --partial "cannot group by 'dpkts'"
	run -2 fp -O nosuch
	run -2 fp -s srcaddr -O bytes
	run -2 fp -s srcaddr -f json
	run -2 fp -f 'fmt:%start %nosuch'
	assert_output --partial "offset 7: unknown field"
	run -2 fp -m 0
	run -2 fp stray
}

@test "flow-print: the default table of a mixed IPv4/IPv6 input, read by hand" {
	run --separate-stderr fp -u -r "$MIXED"
	assert_success
	assert_line --index 0 --regexp '^start +duration +proto +src:port +dst:port +packets +bytes +flags +tos +exporter$'
	assert_line --index 1 --regexp '^2025-12-31T23:59:00\.000Z +59\.000 +tcp +10\.0\.0\.1:40000 +-> +198\.51\.100\.7:443 +10 +5000 +\.\.\.AP\.SF +0 +192\.0\.2\.1$'
	assert_line --index 2 --regexp '^2025-12-31T23:59:01\.000Z +0\.250 +udp +\[2001:db8::1\]:5353 +-> +\[2001:db8:ffff:ffff:ffff:ffff:ffff:ffff\]:53 +3 +450 +\.{8} +184 +192\.0\.2\.1$'
	# ICMP: no source port, type/code at the destination (2048 = 8/0, 32768 = 128/0)
	assert_line --index 3 --regexp ' icmp +10\.0\.0\.2 +-> +10\.0\.0\.3:8/0 +4 +336 '
	assert_line --index 4 --regexp ' ipv6-icmp +2001:db8:1234:5678:9abc:def0:1234:5678 +-> +\[2001:db8::2\]:128/0 +2 +208 .* 2001:db8::ffff$'
	assert_line --index 5 --regexp '^2025-12-31T23:59:10\.000Z +0\.000 +tcp +192\.0\.2\.77:1234 +-> +203\.0\.113\.9:80 +1 +40 +\.\.\.\.\.R\.\. +16 '
	assert_line --index 6 --regexp ' gre +198\.51\.100\.1:0 '
	assert_line --index 7 --regexp '^2025-12-31T23:59:59\.500Z +0\.499 +253 '
	# and the totals block: the sums of the fixture's rows, first to last packet
	assert_line --index 8 "totals"	# (bats drops the blank line before it)
	[ "$(total flows <(echo "$output"))" = 7 ]
	[ "$(total packets <(echo "$output"))" = 28 ]
	[ "$(total bytes <(echo "$output"))" = 8234 ]
	[ "$(total first <(echo "$output"))" = 2025-12-31T23:59:00.000Z ]
	[ "$(total last <(echo "$output"))" = 2025-12-31T23:59:59.999Z ]
	[ "$(total span <(echo "$output"))" = 59.999 ]
	# 8234 bytes * 8 / 59.999 s = 1097.88
	[ "$(total bps <(echo "$output"))" = 1097 ]
}

@test "flow-print: every row's columns sit at the same character positions (IPv4 and IPv6 mixed)" {
	fp -r "$MIXED" > "$T/out"
	# left-aligned columns start, right-aligned ones end, at one position in every row
	awk -v spec=LRLLRLRRLRL '
	NR == 1 || /^$/ { next }
	/^totals/ { exit }
	{
		n = 0; i = 1; s = $0
		while (match(s, /[^ ]+/)) {
			n++
			st = i + RSTART - 1; en = st + RLENGTH - 1
			pos = substr(spec, n, 1) == "L" ? st : en
			if (n in want && want[n] != pos) { printf "row %d column %d at %d, not %d\n", NR, n, pos, want[n]; bad = 1 }
			want[n] = pos
			i = en + 1; s = substr($0, i)
		}
		if (n != length(spec)) { printf "row %d has %d columns\n", NR, n; bad = 1 }
		rows++
	}
	END { if (rows != 7) { print rows " rows"; bad = 1 } exit bad }' "$T/out"
	# the titles line up with their columns too
	awk 'NR == 1 { h = $0 } NR == 2 { print index(h, "src:port") == index($0, "10.0.0.1:40000"), index(h, "exporter") == index($0, "192.0.2.1") }' "$T/out" > "$T/t"
	[ "$(cat "$T/t")" = "1 1" ]
	# rows of different address lengths: the widths really differ
	[ "$(awk 'NR > 1 && NR < 9 { print length($0) }' "$T/out" | sort -u | wc -l)" -gt 1 ]
}

@test "flow-print: totals equal the input's sums, first and last (20 000 generated lines, two files)" {
	need_cmd python3
	"$FP_ROOT/scripts/gen-flowlines" -n 12000 -s 3 > "$T/a.csv"
	"$FP_ROOT/scripts/gen-flowlines" -n 8000 -s 4 > "$T/b.csv"
	TZ=UTC fp -u -r "$T/a.csv" -r "$T/b.csv" > "$T/out"
	# sums and the first and last ms by awk (any awk: no strftime), times by GNU date
	read -r n p o lo hi < <(awk -F, '!/^#/ {
		e = $1 * 1000 + int($2 / 1000000)
		b = $3 - $7; if (b < 0) b += 4294967296; f = e - b
		b = $3 - $8; if (b < 0) b += 4294967296; l = e - b
		if (n == 0 || f < lo) lo = f
		if (n == 0 || l > hi) hi = l
		n++; p += $5; o += $6
	} END { printf "%.0f %.0f %.0f %.0f %.0f\n", n, p, o, lo, hi }' "$T/a.csv" "$T/b.csv")
	utc() { printf '%s.%03dZ' "$(date -u -d "@$(($1 / 1000))" +%FT%T)" $(($1 % 1000)); }
	printf '%s %s %s %s %s %d.%03d\n' "$n" "$p" "$o" "$(utc "$lo")" "$(utc "$hi")" \
	    $(((hi - lo) / 1000)) $(((hi - lo) % 1000)) > "$T/want"
	echo "$(total flows "$T/out") $(total packets "$T/out") $(total bytes "$T/out") $(total first "$T/out") $(total last "$T/out") $(total span "$T/out")" > "$T/got"
	diff "$T/want" "$T/got"
	# the table holds every flow: the second file after the first
	[ "$(awk 'NR > 1 && /^20/' "$T/out" | wc -l)" -eq 20000 ]
	# and -s reads the same totals
	fp -u -s srcaddr -r "$T/a.csv" -r "$T/b.csv" > "$T/stats"
	[ "$(total bytes "$T/stats")" = "$(total bytes "$T/out")" ]
	[ "$(total packets "$T/stats")" = "$(total packets "$T/out")" ]
}

# nfcapd receives the lines of $1 over loopback from flow-send (NetFlow v9: IPv6 too)
to_nfcapd() {
	mkdir -p "$T/nfc"
	nfcapd -w "$T/nfc" -b 127.0.0.1 -p $PORT -B 33554432 > "$T/nfcapd.log" 2>&1 3>&- &
	NFCAPD=$!
	sleep 1
	"$FP_BIN/flow-send" -V 9 0/127.0.0.1/$PORT < "$1" 2> /dev/null
	sleep 0.5
	kill "$NFCAPD"; wait "$NFCAPD" || true; NFCAPD=
}

# nfdump -s as key,flows,packets,bytes,pps,bps,bpp (protocol names in lower case)
nfdump_stat() {	# stat [n]
	TZ=UTC nfdump -q -R "$T/nfc" -s "$1" -n "${2:-0}" -o csv |
	    awk -F, 'NF == 14 && $1 != "ts" { print tolower($5) "," $6 "," $8 "," $10 "," $12 "," $13 "," $14 }'
}

# ours the same way; a span of 0 has no rate here ("-"), 0 in nfdump
our_stat() {	# spec [N]
	fp -n -s "$1" -N "${2:-0}" -r "$T/in.csv" 2> /dev/null |
	    awk '{ for (i = 9; i <= 10; i++) if ($i == "-") $i = 0; print $1 "," $2 "," $4 "," $6 "," $8 "," $9 "," $10 }'
}

@test "flow-print: -s top-N equals nfdump -s and -A on the same flows (addresses, ip, ports, proto, pairs, /24), exact" {
	need_cmd nfcapd
	need_cmd nfdump
	need_cmd python3
	"$FP_ROOT/scripts/gen-flowlines" -n 3000 -s 7 > "$T/in.csv"
	to_nfcapd "$T/in.csv"
	for pair in srcip:srcaddr dstip:dstaddr ip:ip srcport:srcport dstport:dstport proto:prot; do
		# nfdump -o csv gives protocol numbers, we names
		diff <(nfdump_stat "${pair%%:*}" | sort) \
		    <(our_stat "${pair#*:}" | sed 's/^icmp,/1,/; s/^tcp,/6,/; s/^udp,/17,/' | sort) ||
		    fail "-s ${pair#*:} differs from nfdump -s ${pair%%:*}"
	done
	[ "$(nfdump_stat ip | wc -l)" -gt 3000 ]
	# the top 10 by bytes and by packets, in nfdump's order
	diff <(nfdump_stat srcip/bytes 10) <(our_stat srcaddr/bytes 10)
	diff <(nfdump_stat dstip/packets 10) <(our_stat dstaddr/packets 10)
	diff <(nfdump_stat ip/bytes 10) <(our_stat ip/bytes 10)
	[ "$(our_stat ip/bytes 10 | wc -l)" -eq 10 ]
	# two fields and a prefix against nfdump's aggregation (-A; -6: IPv6 uncut), rates included
	TZ=UTC nfdump -q -N -6 -R "$T/nfc" -A srcip,dstip -o 'fmt:%sa|%da|%fl|%pkt|%byt|%pps|%bps|%bpp' |
	    tr -d ' ' | sort > "$T/nf-pairs"
	fp -n -N 0 -s srcaddr,dstaddr -r "$T/in.csv" 2> /dev/null |
	    awk '{ print $1 "|" $2 "|" $3 "|" $5 "|" $7 "|" $9 "|" $10 "|" $11 }' | sed 's/|-/|0/g' |
	    sort > "$T/our-pairs"
	[ "$(wc -l < "$T/our-pairs")" -gt 2000 ]
	diff "$T/nf-pairs" "$T/our-pairs"
	# nfdump's srcip4/24 cuts IPv4 sources only: compare those
	TZ=UTC nfdump -q -N -R "$T/nfc" -A srcip4/24,dstport -o 'fmt:%sa|%dp|%fl|%pkt|%byt' |
	    tr -d ' ' | grep -v : | sort > "$T/nf-nets"
	fp -n -N 0 -s srcaddr/24/128,dstport -r "$T/in.csv" 2> /dev/null |
	    awk '$1 !~ /:/ { sub(/\/24$/, "", $1); print $1 "|" $2 "|" $3 "|" $5 "|" $7 }' |
	    sort > "$T/our-nets"
	[ "$(wc -l < "$T/our-nets")" -gt 1000 ]
	diff "$T/nf-nets" "$T/our-nets"
	# flag letters as nfdump writes them, per flow
	TZ=UTC nfdump -q -N -6 -R "$T/nfc" -o 'fmt:%sa|%sp|%da|%dp|%flg' | tr -d ' ' | sort > "$T/nf-flags"
	# (nfdump shows ICMP type/code as type.code in the port)
	fp -n -f 'fmt:%srcaddr|%srcport|%dstaddr|%dstport|%flags|%prot' -r "$T/in.csv" 2> /dev/null |
	    awk -F'|' '{ if ($6 == 1 || $6 == 58) $4 = int($4 / 256) "." $4 % 256
		print $1 "|" $2 "|" $3 "|" $4 "|" $5 }' | sort > "$T/our-flags"
	grep -q '\.\.\.AP\.SF' "$T/our-flags"
	diff "$T/nf-flags" "$T/our-flags"
}

@test "flow-print: -s ip counts each flow for both sides and says percentages add up to 200%" {
	run --separate-stderr fp -N 0 -s ip/bytes -r "$MIXED"
	assert_success
	assert_line --index 0 --partial "percentages add up to 200%"
	# flows% of all rows: every one of the 7 flows twice
	sum=$(echo "$output" | awk 'NR > 2 && NF == 10 { s += $3 } END { printf "%.0f", s }')
	[ "$sum" = 200 ]
	[ "$(echo "$output" | awk 'NR > 2 && NF == 10 { s += $2 } END { print s }')" = 14 ]
	assert_output --partial "top 14 of 14 groups by ip, ordered by bytes"
	run --separate-stderr fp -s ip -r "$MIXED"
	assert_output --partial "top 10 of 14 groups by ip, ordered by flows"
}

@test "flow-print: -s srcaddr/24 and srcaddr/24/64 group prefixes as awk does" {
	{
		line 1000 2000 1 100 6 10.1.2.3
		line 1000 3000 2 200 6 10.1.2.200
		line 1000 4000 3 300 6 10.1.3.1
		line 1000 5000 4 400 6 2001:db8:1:2::1 2001:db8::9
		line 1000 6000 5 500 6 2001:db8:1:2:ffff::1 2001:db8::9
	} > "$T/in.csv"
	# one length cuts both families (2001:db8:: at /24 is 2001:d00::/24);
	# equal flows go in key order, IPv4 first
	run --separate-stderr fp -n -s srcaddr/24 -r "$T/in.csv"
	assert_success
	assert_line --index 0 --regexp '^10\.1\.2\.0/24 +2 +40\.0 +3 +20\.0 +300 +20\.0 '
	assert_line --index 1 --regexp '^2001:d00::/24 +2 +40\.0 +9 +60\.0 +900 +60\.0 '
	assert_line --index 2 --regexp '^10\.1\.3\.0/24 +1 +20\.0 +3 +20\.0 +300 +20\.0 '
	run --separate-stderr fp -n -s srcaddr/24/64 -r "$T/in.csv"
	assert_line --index 0 --regexp '^10\.1\.2\.0/24 +2 '
	assert_line --index 1 --regexp '^2001:db8:1:2::/64 +2 '
	# the same from awk over the IPv4 lines: /24 groups of flows and bytes
	fp -n -s srcaddr/24/bytes -r "$T/in.csv" | awk '$1 !~ /:/ { print $1, $2, $6 }' > "$T/got"
	awk -F, '$11 !~ /:/ { split($11, a, "."); k = a[1] "." a[2] "." a[3] ".0/24"; n[k]++; b[k] += $6 }
	    END { for (k in n) print k, n[k], b[k] }' "$T/in.csv" | sort -k3,3nr > "$T/want"
	diff "$T/want" "$T/got"
}

@test "flow-print: times across midnight and a DST change (TZ=Europe/Berlin, 2026-10-25)" {
	# 00:30Z = 02:30 CEST, 01:30Z = 02:30 CET; one flow 00:59:59.500Z-01:00:00.250Z
	# across the change, one 22:59:59.900Z-23:00:00.100Z across local midnight
	{
		line 1792888200000 1792888201000
		line 1792891800000 1792891800000
		line 1792889999500 1792890000250
		line 1792969199900 1792969200100
	} > "$T/in.csv"
	TZ=Europe/Berlin fp -n -f 'fmt:%start %end %duration' -r "$T/in.csv" > "$T/got"
	cat > "$T/want" <<-EOF
	2026-10-25T02:30:00.000+02:00 2026-10-25T02:30:01.000+02:00 1.000
	2026-10-25T02:30:00.000+01:00 2026-10-25T02:30:00.000+01:00 0.000
	2026-10-25T02:59:59.500+02:00 2026-10-25T02:00:00.250+01:00 0.750
	2026-10-25T23:59:59.900+01:00 2026-10-26T00:00:00.100+01:00 0.200
	EOF
	diff "$T/want" "$T/got"
	# GNU date agrees on every one
	export TZ=Europe/Berlin
	for ms in 1792888200000 1792891800000 1792889999500 1792890000250 1792969199900 1792969200100; do
		grep -qF -- "$(iso $ms)" "$T/got" || fail "$(iso $ms) not printed"
	done
	# -u: UTC, Z
	run --separate-stderr fp -u -n -f 'fmt:%start' -r "$T/in.csv"
	assert_line --index 2 "2026-10-25T00:59:59.500Z"
	assert_line --index 3 "2026-10-25T22:59:59.900Z"
	# -O start orders by the instant, not the wall clock: CEST 02:59 before CET 02:30
	TZ=Europe/Berlin fp -n -O start -f 'fmt:%start' -r "$T/in.csv" > "$T/sorted"
	[ "$(sed -n 2p "$T/sorted")" = 2026-10-25T02:59:59.500+02:00 ]
	[ "$(sed -n 3p "$T/sorted")" = 2026-10-25T02:30:00.000+01:00 ]
}

@test "flow-print: a capture spanning days: sorted, spans and rates over days" {
	# 2026-03-01T10:00Z, 2026-03-02T12:00Z (a 2 h flow), 2026-03-04T23:00:00.001Z
	d=1772359200000
	{
		line $((d + 2 * 86400000 + 13 * 3600000 + 1)) $((d + 2 * 86400000 + 13 * 3600000 + 1)) 5 5000
		line $d $((d + 60000)) 10 1000
		line $((d + 86400000 + 7200000)) $((d + 86400000 + 14400000)) 100 72000000
	} > "$T/in.csv"
	[ "$(date -u -d @$((d / 1000)) +%FT%T)" = 2026-03-01T10:00:00 ]
	TZ=UTC fp -u -O start -r "$T/in.csv" > "$T/out"
	awk 'NR > 1 && /^20/ { print $1, $2 }' "$T/out" > "$T/got"
	cat > "$T/want" <<-EOF
	2026-03-01T10:00:00.000Z 60.000
	2026-03-02T12:00:00.000Z 7200.000
	2026-03-03T23:00:00.001Z 0.000
	EOF
	diff "$T/want" "$T/got"
	# span: 2 days 13 h and 1 ms = 219600.001 s; 115 packets / 219600.001 s = 0.0005
	[ "$(total span "$T/out")" = 219600.001 ]
	[ "$(total pps "$T/out")" = 0 ]
	# 72006000 bytes * 8 / 219600.001 s = 2623.17
	[ "$(total bps "$T/out")" = 2623 ]
	# the 2 h flow: 72000000 bytes * 8 / 7200 s = 80000 bps, 100 packets / 7200 s = 0 pps
	run --separate-stderr fp -n -f 'fmt:%bps %pps %bpp' -O bytes -r "$T/in.csv"
	assert_line --index 0 "80000 0 720000"
}

@test "flow-print: counters near 2^64 sum exactly in 128 bits (table, -s, -h, paired)" {
	need_cmd bc
	max=18446744073709551615
	{
		line 1000 2000 $max $max 6 10.0.0.1
		line 1000 2000 $max $max 6 10.0.0.1
		line 1000 2000 1 1 6 10.0.0.2
	} > "$T/in.csv"
	two=$(echo "2 * (2^64 - 1)" | bc)
	fp -r "$T/in.csv" > "$T/out"
	[ "$(total packets "$T/out")" = "$(echo "$two + 1" | bc)" ]
	[ "$(total bytes "$T/out")" = "$(echo "$two + 1" | bc)" ]
	grep -q " $max  *$max " "$T/out"
	run --separate-stderr fp -n -s srcaddr/bytes -r "$T/in.csv"
	assert_line --index 0 --regexp "^10\.0\.0\.1 +2 +66\.7 +$two +100\.0 +$two +100\.0 "
	run --separate-stderr fp -h -s srcaddr -r "$T/in.csv"
	assert_output --partial "36.9E"
	# bps of the group: 2 (2^64 - 1) bytes * 8 / 1 s, beyond 64 bits
	run --separate-stderr fp -n -s srcaddr -r "$T/in.csv"
	assert_line --index 0 --partial " $(echo "$two * 8" | bc) "
	# a paired record with 2^64 - 1 each way: 2^65 - 2 packets in one flow
	printf '#:unix_secs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,prot,rdpkts,rdoctets,rfirst,rlast\n1000,1000000,%s,%s,1000,2000,10.0.0.1,10.0.0.2,17,%s,%s,1000,3000\n' \
	    $max $max $max $max > "$T/paired.csv"
	fp -r "$T/paired.csv" > "$T/out"
	[ "$(total packets "$T/out")" = "$two" ]
	grep -q '<->' "$T/out"
	# both directions' span: 1000 to 3000 ms
	[ "$(total span "$T/out")" = 2.000 ]
}

@test "flow-print: zero-duration flows show 0.000 and no rate ('-'), never 0 or infinity" {
	{ line 5000 5000 3 300; line 5000 5000 1 100 17 10.0.0.9; } > "$T/in.csv"
	run --separate-stderr fp -n -f 'fmt:%duration %bps %pps %bpp' -r "$T/in.csv"
	assert_line --index 0 "0.000 - - 100"
	run --separate-stderr fp -n -s srcaddr -r "$T/in.csv"
	assert_line --index 0 --regexp '^10\.0\.0\.1 +1 +50\.0 +3 +75\.0 +300 +75\.0 +- +- +100$'
	fp -r "$T/in.csv" > "$T/out"
	[ "$(total span "$T/out")" = 0.000 ]
	[ "$(total pps "$T/out")" = - ]
	[ "$(total bps "$T/out")" = - ]
	fp -f json -r "$T/in.csv" | grep -q '"duration":0.000,'
}

@test "flow-print: -f json is one JSON object a line, numbers as numbers" {
	need_cmd python3
	fp -u -f json -r "$MIXED" > "$T/out"
	[ "$(wc -l < "$T/out")" -eq 7 ]
	python3 - "$T/out" <<-'EOF'
	import json, sys
	rows = [json.loads(l) for l in open(sys.argv[1])]
	r = rows[0]
	assert r["start"] == "2025-12-31T23:59:00.000Z" and r["end"] == "2025-12-31T23:59:59.000Z", r
	assert r["duration"] == 59.0 and r["dpkts"] == 10 and r["doctets"] == 5000 and r["srcport"] == 40000
	assert r["proto"] == "tcp" and r["flags"] == "...AP.SF" and r["tcp_flags"] == 27
	assert all(isinstance(x["doctets"], int) for x in rows)
	icmp = rows[2]
	assert icmp["icmp_type"] == 8 and icmp["icmp_code"] == 0, icmp
	assert rows[3]["icmp_type"] == 128 and rows[3]["srcaddr"] == "2001:db8:1234:5678:9abc:def0:1234:5678"
	assert "icmp_type" not in rows[0]
	EOF
}

@test "flow-print: -f csv is the line format again, -f long adds interfaces, AS, masks, next hop, engine" {
	fp -f csv -r "$MIXED" > "$T/out"
	diff <(grep -v '^#' "$MIXED") <(grep -v '^#' "$T/out")
	grep -q '^#:unix_secs,' "$T/out"
	# the totals as comments: the other tools still read it
	grep -q '^#   bytes      8234$' "$T/out"
	"$FP_BIN/flowcat" "$T/out" > /dev/null
	run --separate-stderr fp -u -f long -r "$MIXED"
	assert_line --index 0 --regexp ' tos +in +out +src_as +dst_as +smask +dmask +nexthop +engine +exporter$'
	assert_line --index 1 --regexp ' 0 +1 +2 +64500 +64501 +24 +24 +192\.0\.2\.254 +0/0 +192\.0\.2\.1$'
	assert_line --index 3 --regexp ' 1/7 +192\.0\.2\.1$'
}

@test "flow-print: -O sorts, -m bounds it and says so, -n drops header and totals" {
	run --separate-stderr fp -n -O bytes -f 'fmt:%doctets' -r "$MIXED"
	assert_success
	[ "$(echo "$output" | tr '\n' ' ')" = "5000 1500 700 450 336 208 40 " ]
	run --separate-stderr fp -n -O duration -f 'fmt:%duration' -r "$MIXED"
	assert_line --index 0 "59.000"
	assert_line --index 6 "0.000"
	run --separate-stderr fp -n -O bps -f 'fmt:%bps' -r "$MIXED"
	assert_line --index 0 "24048"
	assert_line --index 6 "-"
	run --separate-stderr fp -n -m 3 -O bytes -f 'fmt:%doctets' -r "$MIXED"
	assert_success
	[ "$(echo "$output" | tr '\n' ' ')" = "5000 450 336 700 208 40 1500 " ]
	[[ "$stderr" == *"more than -m 3 flows: the output is sorted in runs of 3"* ]]
	[[ "$stderr" == *"sorted in 3 runs of -m 3"* ]]
	run --separate-stderr fp -n -r "$MIXED"
	refute_output --partial totals
	refute_output --partial "start"
}

@test "flow-print: -h shows K, M, G in powers of 1000" {
	line 0 1000 1500000 2500000000 > "$T/in.csv"
	run --separate-stderr fp -h -n -r "$T/in.csv"
	assert_output --regexp ' 1\.5M +2\.5G '
	run --separate-stderr fp -h -r "$T/in.csv"
	assert_line --partial "bytes      2.5G"
	assert_line --partial "bps        20.0G"
}

@test "flow-print: bad lines are named, skipped, counted; --strict stops" {
	{ line 1000 2000; echo "1,2,3"; line 1000 2000 5; echo "x,0,100000,192.0.2.1,1,1,1,1,0,0,10.0.0.1,10.0.0.2,0.0.0.0,0,0,1,2,6,0,0,0,0,0,0"; } > "$T/in.csv"
	run --separate-stderr fp -r "$T/in.csv"
	assert_failure 1
	[[ "$stderr" == *"flow-print: $T/in.csv:2: "* ]]
	[[ "$stderr" == *"flow-print: $T/in.csv:4: "* ]]
	[[ "$stderr" == *"2 bad lines"* ]]
	[ "$(total flows <(echo "$output"))" = 2 ]
	[ "$(total malformed <(echo "$output"))" = 2 ]
	run --separate-stderr fp --strict -n -r "$T/in.csv"
	assert_failure 1
	[ "$(echo "$output" | grep -c '^19')" -eq 1 ]
	# a time before 1970 on its export clock: named, skipped
	echo "1,0,5000,192.0.2.1,1,1,0,5000,0,0,10.0.0.1,10.0.0.2,0.0.0.0,0,0,1,2,6,0,0,0,0,0,0" > "$T/old.csv"
	run --separate-stderr fp -r "$T/old.csv"
	assert_failure 1
	[[ "$stderr" == *"old.csv:1: a time before 1970"* ]]
	# last before first: shown from its start with duration 0, named, counted
	echo "1000,0,5000,192.0.2.1,1,1,4000,3000,0,0,10.0.0.1,10.0.0.2,0.0.0.0,0,0,1,2,6,0,0,0,0,0,0" > "$T/back.csv"
	run --separate-stderr fp -u -n -f 'fmt:%start %duration' -r "$T/back.csv"
	assert_failure 1
	assert_output "1970-01-01T00:16:39.000Z 0.000"
	[[ "$stderr" == *"back.csv:1: last packet before first"* ]]
	[[ "$stderr" == *"1 clamped"* ]]
}

@test "flow-print: reads the 18-field headerless format and comments" {
	run --separate-stderr fp -u -r "$FP_DATA/nfflowd-18.csv"
	assert_success
	[ "$(total flows <(echo "$output"))" -eq "$(grep -vc '^#' "$FP_DATA/nfflowd-18.csv")" ]
}

@test "flow-print: a streamed table is printed before the input ends" {
	mkfifo "$T/fifo"
	"$FP_BIN/flow-print" -u -r "$T/fifo" > "$T/out" 2> /dev/null &
	FP=$!
	exec 8> "$T/fifo"
	line 1000 2000 7 777 >&8
	for _ in $(seq 50); do grep -q ' 777 ' "$T/out" 2>/dev/null && break; sleep 0.1; done
	grep -q ' 777 ' "$T/out" || fail "the row did not come out while input waited"
	line 1000 2000 8 888 >&8
	exec 8>&-
	wait "$FP"; FP=
	grep -q ' 888 ' "$T/out"
	grep -q '^totals' "$T/out"
}

@test "flow-print: the demo capture through pcap-flows | flow-stitch -b | flow-print shows both directions" {
	"$FP_BIN/pcap-flows" -r "$FP_DATA/demo.pcap" 2> /dev/null > "$T/flows.csv"
	"$FP_BIN/flow-stitch" -b < "$T/flows.csv" 2> /dev/null | fp -u > "$T/out"
	head -1 "$T/out" | grep -q ' packets  *bytes  *flags  *rpackets  *rbytes  *rflags '
	grep -q '192\.0\.2\.10:[0-9]* *<-> *192\.0\.2\.80:8080 ' "$T/out"
	grep -q 'icmp  *192\.0\.2\.10  *<-> *192\.0\.2\.80:8/0 ' "$T/out"
	# the paired table's totals are the capture's: every packet of both directions
	want=$(awk -F, '!/^#/ { p += $5; b += $6 } END { print p, b }' "$T/flows.csv")
	[ "$(total packets "$T/out") $(total bytes "$T/out")" = "$want" ]
}

@test "scripts/deps build lists only the build's packages and prints the exact command when not root" {
	mkdir "$T/shim"
	printf '#!/bin/sh\nexit 1\n' > "$T/shim/dpkg-query"
	printf '#!/bin/sh\necho 1000\n' > "$T/shim/id"
	chmod +x "$T/shim/dpkg-query" "$T/shim/id"
	run env PATH="$T/shim:$PATH" "$FP_ROOT/scripts/deps" build
	assert_failure 1
	want=$(grep -v '^#' "$FP_ROOT/scripts/packages-build" | tr '\n' ' ' | sed 's/ $//')
	assert_line "deps: run as root: apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y $want"
	refute_output --partial nfdump
	run env PATH="$T/shim:$PATH" "$FP_ROOT/scripts/deps"
	assert_failure 1
	assert_output --partial " nfdump"
	assert_output --partial " tshark"
	# every build package is in the full list too
	for p in $(grep -v '^#' "$FP_ROOT/scripts/packages-build"); do
		grep -qx "$p" "$FP_ROOT/scripts/packages" || fail "$p not in scripts/packages"
	done
}

@test "flow-print: SIGUSR1 prints the counters, SIGTERM prints what was read (statistics, totals) and exits 0" {
	mkfifo "$T/fifo"
	"$FP_BIN/flow-print" -s srcaddr -r "$T/fifo" > "$T/out" 2> "$T/err" &
	FP=$!
	exec 8> "$T/fifo"
	{ line 1000 2000 3 300; line 1000 2000 4 400 6 10.0.0.9; } >&8
	wait_handlers "$FP" || fail "no signal handlers"
	sleep 0.3
	kill -USR1 "$FP"
	for _ in $(seq 50); do grep -q '2 flows' "$T/err" && break; sleep 0.1; done
	grep -q '^flow-print: 2 flows, 0 bad lines' "$T/err"
	kill -TERM "$FP"
	wait "$FP"; rc=$?; FP=
	exec 8>&-
	[ "$rc" -eq 0 ]
	grep -q '^10\.0\.0\.9 *1 ' "$T/out"
	[ "$(total bytes "$T/out")" = 700 ]
}

@test "flow-print: -s converts only the fields it reads; a new header leaves none of the old one's values" {
	{
		echo '#:unix_secs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,rdpkts,rdoctets,rfirst,rlast'
		echo '1000,1000000,1,10,1000,2000,10.0.0.1,10.0.0.2,5,50,1000,2000'
		echo '#:unix_secs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr'
		echo '1000,1000000,2,20,1000,3000,10.0.0.1,10.0.0.2'
		echo '1000,1000000,4,40,1000,3000,10.0.0.1,not-an-address'
	} > "$T/in.csv"
	# the reverse counters of the first header's line do not leak into the second's
	run --separate-stderr fp -n -s srcaddr -r "$T/in.csv"
	assert_success
	assert_line --index 0 --regexp '^10\.0\.0\.1 +3 +100\.0 +12 +100\.0 +120 +100\.0 '
	run --separate-stderr fp -n -s srcaddr,dstaddr -r "$T/in.csv"
	assert_failure 1
	[[ "$stderr" == *"in.csv:5: dstaddr: bad address 'not-an-address'"* ]]
	# the table converts every field: the bad address is a bad line there
	run --separate-stderr fp -r "$T/in.csv"
	assert_failure 1
	[ "$(total packets <(echo "$output"))" = 8 ]
	[ "$(total malformed <(echo "$output"))" = 1 ]
}

@test "flow-print: an input that cannot be opened or read after another still prints what was read, named once (exit 2)" {
	{ line 1000 2000 3 300; line 1000 2000 4 400 6 10.0.0.9; } > "$T/a.csv"
	for bad in "$T/none.csv" "$T"; do
		"$FP_BIN/flow-print" -s srcaddr -r "$T/a.csv" -r "$bad" > "$T/out" 2> "$T/err" && fail "exit 0 with $bad"
		rc=$?
		[ "$rc" -eq 2 ] || fail "exit $rc with $bad"
		grep -q '^10\.0\.0\.9 *1 ' "$T/out" || fail "nothing printed after $bad: $(cat "$T/err")"
		[ "$(total bytes "$T/out")" = 700 ] || fail "totals after $bad: $(cat "$T/out")"
		# the fault once, with the input's name: no bare strerror line after it
		[ "$(grep -c -v '^flow-print: 2 flows' "$T/err")" -eq 1 ] || fail "$(cat "$T/err")"
		grep -q "^flow-print: $bad: " "$T/err"
	done
}
