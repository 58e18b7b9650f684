#!/usr/bin/env bats
# flow-send against its own decoder (nfdecode -l, the codecs in common/),
# nfcapd/nfdump and tshark, all on loopback only.
# Fixtures: tests/data/netflow/flow-send-*.csv were written by hand (see
# their comments); netflow5.dat is softflowd's export (LICENSE beside it).
load helper

setup() {
	T=$(mktemp -d /tmp/fp-send.XXXXXX)
	D=$FP_DATA/netflow
	PORT=$((20000 + (RANDOM % 20000)))
}

# Ends what a test left running, by pid (never a bare `wait`: bats may
# have helpers of its own running, e.g. the BATS_TEST_TIMEOUT watchdog).
teardown() {
	exec 7>&- || true
	for pid in ${SENDER:-} ${RECV:-} ${RECV2:-} ${NFCAPD:-} ${CAP:-}; do
		kill "$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
	done
	rm -rf "$T"
}

# Starts nfdecode on 127.0.0.1:$PORT (or $1) writing lines to $T/recv;
# it ends after -n records or 3 s without a datagram (time enough for a
# sender to start on a loaded machine).
receive() {	# [addr] [nfdecode options...]
	local addr=${1:-127.0.0.1}
	shift || true
	# emptied here, not by the background job's redirection, which may come
	# late: the previous receiver's "listening" must not count
	: > "$T/recv.err"
	"$FP_BIN/nfdecode" -H -e 127.0.0.1 -t 3000 "$@" -l "$addr/$PORT" > "$T/recv" 2>> "$T/recv.err" 3>&- &
	RECV=$!
	for _ in $(seq 50); do grep -q listening "$T/recv.err" 2>/dev/null && return 0; sleep 0.1; done
	fail "nfdecode did not start"
}

received() { wait "$RECV"; RECV=; }

# nfcapd on 127.0.0.1:$PORT writing into a fresh $T/nfc, and its end.
nfcapd_start() {
	rm -rf "$T/nfc"; mkdir "$T/nfc"
	nfcapd -w "$T/nfc" -b 127.0.0.1 -p $PORT -B 33554432 > "$T/nfcapd.log" 2>&1 3>&- &
	NFCAPD=$!
	sleep 1
}
nfcapd_stop() { sleep 0.5; kill "$NFCAPD"; wait "$NFCAPD" || true; NFCAPD=; }

# absolute: flow_absolute of helper.bash
absolute() { flow_absolute "$@"; }

@test "flow-send: --version, -h and usage errors" {
	run "$FP_BIN/flow-send" --version
	assert_success
	assert_output "flow-send flowpipes 0.1.0"
	run "$FP_BIN/flow-send" -h
	assert_success
	assert_output --partial "localip/remoteip/port"
	run "$FP_BIN/flow-send"
	assert_failure 2
	run "$FP_BIN/flow-send" 127.0.0.1/2055
	assert_failure 2
	assert_output --partial "want localip/remoteip/port"
	run "$FP_BIN/flow-send" 0/127.0.0.1/70000
	assert_failure 2
	run "$FP_BIN/flow-send" 0/127.0.0.1/2055/0
	assert_failure 2
	run "$FP_BIN/flow-send" 0/example.org/2055
	assert_failure 2
	run "$FP_BIN/flow-send" -V 7 0/127.0.0.1/2055
	assert_failure 2
	run "$FP_BIN/flow-send" -x fast 0/127.0.0.1/2055
	assert_failure 2
}

@test "flow-send: every field survives v5, v9 and IPFIX (own decoder)" {
	for v in 5 9 10; do
		receive 127.0.0.1 -n 5
		"$FP_BIN/flow-send" -V $v 0/127.0.0.1/$PORT < "$D/flow-send-mixed.csv" 2> "$T/err"
		received
		# (v5 carries the engine in its header: the record of engine 1/7
		# went in a datagram of its own)
		diff <(absolute "$D/flow-send-mixed.csv") <(absolute "$T/recv") || fail "-V $v changed records"
		grep -q "5 records read, 0 reverse, 5 sent" "$T/err" || fail "-V $v counters: $(cat "$T/err")"
	done
}

@test "flow-send: softflowd's netflow5.dat through v5, v9 and IPFIX keeps records and times" {
	"$FP_BIN/nfdecode" "$D/netflow5.dat" > "$T/in"
	[ "$(grep -vc '^#' "$T/in")" -eq 30 ]
	for v in 5 9 10; do
		receive 127.0.0.1 -n 30
		"$FP_BIN/flow-send" -V $v 0/127.0.0.1/$PORT < "$T/in"
		received
		diff <(absolute "$T/in") <(absolute "$T/recv") || fail "-V $v"
	done
}

@test "flow-send: IPv6 records in v9 and IPFIX, to an IPv6 collector" {
	for v in 9 10; do
		receive ::1 -n 4
		"$FP_BIN/flow-send" -V $v 0/::1/$PORT < "$D/flow-send-v6.csv"
		received
		diff <(absolute "$D/flow-send-v6.csv") <(absolute "$T/recv") || fail "-V $v"
	done
}

@test "flow-send: v5 skips IPv6 with a warning and splits big counters so totals survive" {
	receive 127.0.0.1 -c
	run "$FP_BIN/flow-send" -V 5 -r "$D/flow-send-v6.csv" 0/127.0.0.1/$PORT
	received
	assert_failure 1
	assert_output --partial "flow-send-v6.csv:3: IPv6 record skipped"
	assert_output --partial "4 records read"
	assert_output --partial "2 skipped (IPv6 in v5), 1 split"
	# 4 + 6000000000 packets and 320 + 600000000000 octets, in 1 + 140 records
	run cat "$T/recv"
	assert_output "datagrams 5 records 141 packets 6000000004 octets 600000000320 templates 0"
}

@test "flow-send: several destinations get the same datagrams" {
	receive 127.0.0.1 -n 5
	P1=$PORT; PORT=$((PORT + 1))
	"$FP_BIN/nfdecode" -H -e 127.0.0.1 -n 5 -t 3000 -l ::1/$PORT > "$T/recv2" 2> "$T/recv2.err" 3>&- &
	RECV2=$!
	for _ in $(seq 50); do grep -q listening "$T/recv2.err" && break; sleep 0.1; done
	"$FP_BIN/flow-send" -V 10 0/127.0.0.1/$P1 0/::1/$PORT < "$D/flow-send-mixed.csv"
	received
	wait "$RECV2"; RECV2=
	diff <(absolute "$D/flow-send-mixed.csv") <(absolute "$T/recv")
	diff <(absolute "$D/flow-send-mixed.csv") <(absolute "$T/recv2")
}

@test "flow-send: templates go out first and again every -t datagrams" {
	# 400 records of 21 a datagram (v9 IPv4 at 63 bytes): 20 datagrams
	awk 'BEGIN { for (i = 0; i < 400; i++) printf "1700000000,0,100000,0.0.0.0,1,40,90000,95000,0,0,10.0.%d.%d,10.1.0.1,0.0.0.0,1,2,%d,80,6,0,2,0,0,0,0\n", i / 250, i % 250, 1024 + i }' > "$T/in"
	receive 127.0.0.1 -c -n 400
	"$FP_BIN/flow-send" -V 9 -t 5 0/127.0.0.1/$PORT < "$T/in"
	received
	run cat "$T/recv"
	# 2 templates in datagrams 1, 6, 11, 16 (every 5th)
	assert_output --regexp "records 400 packets 400 octets 16000 templates 8$"
}

@test "flow-send: a partial datagram leaves after -f ms while the pipe stays open" {
	receive 127.0.0.1 -n 1
	( head -3 "$D/flow-send-mixed.csv"; sleep 4 ) | "$FP_BIN/flow-send" -f 200 0/127.0.0.1/$PORT 3>&- &
	SENDER=$!
	start=$SECONDS
	received
	[ $((SECONDS - start)) -lt 3 ] || fail "record held until the pipe closed"
	[ "$(wc -l < "$T/recv")" -eq 1 ]
	wait "$SENDER"; SENDER=
}

@test "flow-send: SIGTERM sends everything pending; a last line its newline has not reached is named and not sent (exit 1); SIGUSR1 prints counters" {
	mkfifo "$T/fifo"
	receive 127.0.0.1 -n 4
	# v9: the records fit one datagram, held by -f until the signal
	"$FP_BIN/flow-send" -V 9 -f 600000 0/127.0.0.1/$PORT < "$T/fifo" 2> "$T/err" 3>&- &
	SENDER=$!
	exec 7> "$T/fifo"
	# the fifth record (line 7) comes without its newline: cut by the signal, so left out
	head -c -1 "$D/flow-send-mixed.csv" >&7
	sleep 0.5
	kill -USR1 "$SENDER"
	sleep 0.3
	grep -q "4 records read, 0 reverse, 0 sent" "$T/err" || fail "SIGUSR1: $(cat "$T/err")"
	kill -TERM "$SENDER"
	rc=0; wait "$SENDER" || rc=$?
	SENDER=
	exec 7>&-
	[ "$rc" -eq 1 ] || fail "exit $rc after SIGTERM"
	grep -q "stdin:7: line cut short by the stop signal, left out" "$T/err" || fail "$(cat "$T/err")"
	received
	[ "$(wc -l < "$T/recv")" -eq 4 ]
}

@test "flow-send: a collector that is not listening is counted, not fatal" {
	# nobody on $PORT: each datagram draws an ICMP port unreachable
	awk 'BEGIN { for (i = 0; i < 200; i++) printf "1700000000,0,100000,0.0.0.0,1,40,90000,95000,0,0,10.0.0.%d,10.1.0.1,0.0.0.0,1,2,%d,80,6,0,2,0,0,0,0\n", i % 250, 1024 + i }' > "$T/in"
	run "$FP_BIN/flow-send" -x 2000 0/127.0.0.1/$PORT < "$T/in"
	assert_success
	assert_output --regexp "7 datagrams, 0 lost, [1-9][0-9]* refused"
}

@test "flow-send: v5 sends a 4-byte AS as AS_TRANS 23456 and an interface above 65535 as 65535, counted" {
	receive 127.0.0.1 -n 2
	# input 70000, output 65536, src_as 70000, dst_as 4200000000; then one that fits (65535 kept)
	printf '%s\n' \
	    1700000000,0,100000,0.0.0.0,1,40,90000,95000,0,0,10.0.0.1,10.1.0.1,0.0.0.0,70000,65536,1024,80,6,0,2,0,0,70000,4200000000 \
	    1700000000,0,100000,0.0.0.0,1,40,90000,95000,0,0,10.0.0.2,10.1.0.1,0.0.0.0,65535,2,1024,80,6,0,2,0,0,65535,1 > "$T/in"
	run "$FP_BIN/flow-send" 0/127.0.0.1/$PORT < "$T/in"
	assert_success
	assert_output --partial "1 narrowed (AS/interface in v5)"
	received
	# fields 14,15 input/output, 23,24 src_as/dst_as
	[ "$(awk -F, '!/^#/ { print $14, $15, $23, $24 }' "$T/recv")" = "65535 65535 23456 23456
65535 2 65535 1" ] || fail "$(cat "$T/recv")"
}

@test "flow-send: -x paces datagrams" {
	awk 'BEGIN { for (i = 0; i < 300; i++) printf "1700000000,0,100000,0.0.0.0,1,40,90000,95000,0,0,10.0.0.%d,10.1.0.1,0.0.0.0,1,2,%d,80,6,0,2,0,0,0,0\n", i % 250, 1024 + i }' > "$T/in"
	receive 127.0.0.1 -c -n 300
	start=$(date +%s%N)
	"$FP_BIN/flow-send" -x 20/s 0/127.0.0.1/$PORT < "$T/in"
	ms=$(( ($(date +%s%N) - start) / 1000000 ))
	received
	# 10 datagrams at 20/s: the last leaves 450 ms after the first
	[ "$ms" -ge 430 ] || fail "took only $ms ms"
	grep -q "records 300" "$T/recv"
}

@test "flow-send: bad lines are reported with file and line, skipped, exit 1" {
	receive 127.0.0.1 -n 2
	{ head -3 "$D/flow-send-mixed.csv"; echo "1,2,3"; sed -n 4p "$D/flow-send-mixed.csv"; } > "$T/in"
	run "$FP_BIN/flow-send" 0/127.0.0.1/$PORT < "$T/in"
	received
	assert_failure 1
	assert_output --partial "stdin:4:"
	assert_output --partial "1 bad lines"
	[ "$(wc -l < "$T/recv")" -eq 2 ]
}

# ---- peers ----

# Records as nfdump prints them: start|end (UTC, ms)|addresses|ports|proto|packets|bytes
nfdump_view() {
	TZ=UTC nfdump -q -N -R "$T/nfc" -o 'fmt:%ts|%te|%sa|%da|%sp|%dp|%pr|%pkt|%byt' |
	    sed 's/ *| */|/g; s/^ *//; s/ *$//' | sort
}

# The same from our lines: times from the absolute ms; nfdump -N prints
# protocol numbers and ICMP type/code as type.code (both checked by hand)
expected_view() {
	absolute "$1" | awk -F, '{
		p = $14
		dp = $13
		if ($14 == 1) dp = int($13 / 256) "." ($13 % 256)
		printf "%s.%03d|%s.%03d|%s|%s|%s|%s|%s|%s|%s\n",
		    strftime("%Y-%m-%d %H:%M:%S", int($1 / 1000), 1), $1 % 1000,
		    strftime("%Y-%m-%d %H:%M:%S", int($2 / 1000), 1), $2 % 1000,
		    $7, $8, ($14 == 1 ? 0 : $12), dp, p, $3, $4 }' | sort
}

@test "flow-send: nfcapd receives v5, v9 and IPFIX exactly (nfdump -o csv fields to the ms)" {
	need_cmd nfcapd
	need_cmd nfdump
	for v in 5 9 10; do
		rm -rf "$T/nfc"; mkdir "$T/nfc"
		nfcapd -w "$T/nfc" -b 127.0.0.1 -p $PORT -B 33554432 > "$T/nfcapd.log" 2>&1 3>&- &
		NFCAPD=$!
		sleep 1
		"$FP_BIN/flow-send" -V $v 0/127.0.0.1/$PORT < "$D/flow-send-mixed.csv"
		sleep 0.5
		kill "$NFCAPD"; wait "$NFCAPD" || true; NFCAPD=
		diff <(expected_view "$D/flow-send-mixed.csv") <(nfdump_view) || fail "-V $v: nfdump disagrees"
		# and the csv view carries the same packets and bytes
		TZ=UTC nfdump -q -N -R "$T/nfc" -o csv | awk -F, 'NF > 10 { p += $12; b += $13 } END { print p, b }' > "$T/sum"
		[ "$(cat "$T/sum")" = "123478 98768160" ] || fail "-V $v csv totals: $(cat "$T/sum")"
	done
}

@test "flow-send: tshark decodes every v5, v9 and IPFIX datagram without errors" {
	need_root
	need_cmd tshark
	need_cmd tcpdump
	tcpdump_start "$T/cap" -i lo -n "udp port $PORT"
	CAP=$TD_PID
	for v in 5 9 10; do
		"$FP_BIN/flow-send" -V $v 0/127.0.0.1/$PORT < "$D/flow-send-mixed.csv" 2>/dev/null
		"$FP_BIN/flow-send" -V $v 0/127.0.0.1/$PORT < "$D/flow-send-v6.csv" 2>/dev/null || true
	done
	sleep 0.5
	tcpdump_stop_at "$CAP" "$T/cap" 6; CAP=
	tshark -r "$T/cap" -d udp.port==$PORT,cflow -V > "$T/dec" 2>&1
	n=$(grep -c '^Cisco NetFlow/IPFIX' "$T/dec")
	frames=$(tshark -r "$T/cap" 2>/dev/null | wc -l)
	[ "$n" -ge 6 ] || fail "only $n datagrams decoded"
	[ "$n" -eq "$frames" ] || fail "$n of $frames datagrams dissected as NetFlow/IPFIX"
	run grep -iE 'malformed|expert info \((error|warning)' "$T/dec"
	assert_failure
	grep -q 'Version: 5' "$T/dec"
	grep -q 'Version: 9' "$T/dec"
	grep -q 'Version: 10' "$T/dec"
	# our templates were understood: data records were dissected into fields
	grep -q 'SrcAddr: 2001:db8::1' "$T/dec"
}

@test "flow-send: a pcapgen capture through pcap-flows | flow-send into nfcapd keeps its totals" {
	need_cmd nfcapd
	need_cmd nfdump
	need_cmd python3
	"$FP_ROOT/scripts/pcapgen" mix -o "$T/mix.pcap" -n 20000 -f 1500 -s 5 -e "$T/expect.csv" 2>/dev/null
	tail -n +2 "$T/expect.csv" | sort > "$T/want"
	# v5 carries the IPv4 flows only (the IPv6 ones are skipped and counted)
	grep -v ':' "$T/want" > "$T/want5"
	for v in 5 9 10; do
		rm -rf "$T/nfc"; mkdir "$T/nfc"
		nfcapd -w "$T/nfc" -b 127.0.0.1 -p $PORT -B 33554432 > /dev/null 2>&1 3>&- &
		NFCAPD=$!
		sleep 1
		"$FP_BIN/pcap-flows" -r "$T/mix.pcap" 2>/dev/null | "$FP_BIN/flow-send" -V $v 0/127.0.0.1/$PORT 2>/dev/null || true
		sleep 0.5
		kill "$NFCAPD"; wait "$NFCAPD" || true; NFCAPD=
		# per 5-tuple totals; nfdump prints ICMP type.code where we carry type*256+code
		TZ=UTC nfdump -q -N -6 -R "$T/nfc" -o 'fmt:%sa,%da,%sp,%dp,%pr,%pkt,%byt' | sed 's/ //g' |
		    awk -F, '{ if ($5 == 1 || $5 == 58) { split($4, t, "."); $4 = t[1] * 256 + t[2] }
			k = $1 "," $2 "," $3 "," $4 "," $5; p[k] += $6; b[k] += $7 }
			END { for (k in p) print k "," p[k] "," b[k] }' | sort > "$T/got"
		want=$T/want
		[ $v = 5 ] && want=$T/want5
		[ "$(wc -l < "$want")" -gt 500 ]
		diff "$T/got" "$want" || fail "-V $v: totals differ"
	done
}

# ---- issue 10 regressions ----

# A flow-stitch -b pair: forward echo request, reverse counters; the
# second pair was first seen from the replying side (forward type 0).
icmp_pairs() {
	echo '#:unix_secs,unix_nsecs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot,rdpkts,rdoctets,rfirst,rlast'
	echo '1700000000,0,100000,3,252,90000,92000,10.0.0.1,10.0.0.2,0,2048,1,3,252,90001,92001'
	echo '1700000000,0,100000,2,168,91000,93000,10.0.0.3,10.0.0.4,0,0,1,2,168,90999,92999'
	[ "${1:-}" = v4 ] ||
	    echo '1700000000,0,100000,4,416,90000,95000,2001:db8::1,2001:db8::2,0,32768,58,4,416,90002,95002'
}

@test "flow-send: issue 10 item 4: reverse records of paired ICMP flows carry the reply's type" {
	for v in 5 9 10; do
		n=6; [ $v = 5 ] && n=4
		receive 127.0.0.1 -n $n -o srcaddr,dstaddr,dstport,prot
		if [ $v = 5 ]; then icmp_pairs v4; else icmp_pairs; fi |
		    "$FP_BIN/flow-send" -V $v 0/127.0.0.1/$PORT 2> "$T/err"
		received
		grep -q " $((n / 2)) reverse" "$T/err" || fail "-V $v: $(cat "$T/err")"
		# ICMP echo 8/0 forward, 0/0 back; a reply-first pair: 0/0 forward, 8/0 back;
		# ICMPv6 echo request 128 forward, reply 129 (33024) back
		want="10.0.0.1,10.0.0.2,2048,1
10.0.0.2,10.0.0.1,0,1
10.0.0.3,10.0.0.4,0,1
10.0.0.4,10.0.0.3,2048,1"
		[ $v = 5 ] || want="$want
2001:db8::1,2001:db8::2,32768,58
2001:db8::2,2001:db8::1,33024,58"
		diff <(echo "$want" | sort) <(sort "$T/recv") || fail "-V $v: reverse ICMP types"
	done
}

@test "flow-send: issue 10 item 4: nfdump sees the echo reply type in the reverse record" {
	need_cmd nfcapd
	need_cmd nfdump
	for v in 5 9 10; do
		nfcapd_start
		icmp_pairs v4 | "$FP_BIN/flow-send" -V $v 0/127.0.0.1/$PORT 2> /dev/null
		nfcapd_stop
		run bash -c "nfdump -q -N -R '$T/nfc' -o 'fmt:%sa %da %dp' | sed 's/  */ /g; s/^ //' | sort"
		assert_output "10.0.0.1 10.0.0.2 8.0
10.0.0.2 10.0.0.1 0.0
10.0.0.3 10.0.0.4 0.0
10.0.0.4 10.0.0.3 8.0"
	done
}

@test "flow-send: issue 10 item 7: unix_secs 4294967295 with nsecs does not wrap the export time to 1970" {
	H='#:unix_secs,unix_nsecs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot'
	for v in 5 9 10; do
		receive 127.0.0.1 -n 1 -o unix_secs,unix_nsecs,sysuptime,first,last
		printf '%s\n%s\n' "$H" 4294967295,500000000,100000,1,40,99000,100000,10.0.0.1,10.0.0.2,5,5,17 |
		    "$FP_BIN/flow-send" -V $v 0/127.0.0.1/$PORT 2> "$T/err"
		received
		# first 4294967294.5 s and last 4294967295.5 s; the v9 header has whole
		# seconds, so there the last moves back to 4294967295.0 (counted)
		read -r secs nsecs up first last < <(tr , ' ' < "$T/recv")
		[ "$secs" = 4294967295 ] || fail "-V $v: unix_secs $secs"
		e=$((secs * 1000 + nsecs / 1000000))
		f=$((e - ((up - first) & 0xffffffff))); l=$((e - ((up - last) & 0xffffffff)))
		if [ $v = 9 ]; then
			[ "$f,$l" = 4294967294500,4294967295000 ] || fail "-V 9: first,last $f,$l"
			grep -q " 1 clamped" "$T/err" || fail "-V 9: $(cat "$T/err")"
		else
			[ "$f,$l" = 4294967294500,4294967295500 ] || fail "-V $v: first,last $f,$l"
		fi
	done
}

@test "flow-send: issue 10 item 8: an IPFIX record whose first packet is before 1970 is named, counted, not sent" {
	H='#:unix_secs,unix_nsecs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot'
	# line 2: export 10 s after 1970, first and last 100 s before it; line 3 is fine
	printf '%s\n%s\n%s\n' "$H" 10,0,100000,1,1,0,0,10.0.0.1,10.0.0.2,5,5,17 \
	    1700000000,0,100000,1,1,90000,95000,10.0.0.3,10.0.0.4,5,5,17 > "$T/in"
	receive 127.0.0.1 -n 1 -o unix_secs,srcaddr
	run "$FP_BIN/flow-send" -V 10 0/127.0.0.1/$PORT < "$T/in"
	received
	assert_failure 1
	assert_output --partial "stdin:2: a time before 1970"
	assert_output --partial "1 skipped (before 1970 in IPFIX)"
	assert_output --partial "2 records read, 0 reverse, 1 sent"
	# what arrived is the good record only, not one dated 584 million years on
	[ "$(cat "$T/recv")" = "1700000000,10.0.0.3" ] || fail "received: $(cat "$T/recv")"
}

@test "flow-send: issue 10 minor: the v5 counter split never emits a record with 0 packets" {
	need_cmd nfcapd
	need_cmd nfdump
	H='#:unix_secs,unix_nsecs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot'
	nfcapd_start
	# 4 packets, 6 * 10^11 octets: at most 4 records of 1 packet and 2^32-1 octets
	run "$FP_BIN/flow-send" -V 5 0/127.0.0.1/$PORT < <(printf '%s\n%s\n' "$H" \
	    1700000000,0,100000,4,600000000000,90000,95000,10.0.0.1,10.0.0.2,5,5,17)
	nfcapd_stop
	assert_failure 1
	assert_output --partial "1 split, 1 truncated"
	run bash -c "nfdump -q -N -R '$T/nfc' -o 'fmt:%pkt %byt' | sed 's/  */ /g; s/^ //'"
	assert_output "1 4294967295
1 4294967295
1 4294967295
1 4294967295"
}

@test "flow-send: issue 10 minor: the v5 header keeps unix_nsecs to the nanosecond" {
	H='#:unix_secs,unix_nsecs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot'
	receive 127.0.0.1 -n 1 -o unix_secs,unix_nsecs,sysuptime,first,last
	printf '%s\n%s\n' "$H" 1700000000,123456789,100000,1,40,99000,100000,10.0.0.1,10.0.0.2,5,5,17 |
	    "$FP_BIN/flow-send" -V 5 0/127.0.0.1/$PORT
	received
	[ "$(cat "$T/recv")" = 1700000000,123456789,100000,99000,100000 ] || fail "got $(cat "$T/recv")"
}

@test "flow-send: issue 10 minor: -S takes 1..16383 as the man page says, not 0" {
	run "$FP_BIN/flow-send" -S 0 0/127.0.0.1/2055
	assert_failure 2
	assert_output "flow-send: -S: want a sampling interval 1..16383: 0"
	run "$FP_BIN/flow-send" -S 16384 0/127.0.0.1/2055
	assert_failure 2
	# 1 and 16383 are taken: v5 sends them in the header (mode 01)
	for s in 1 16383; do
		receive 127.0.0.1 -n 1
		"$FP_BIN/flow-send" -S $s 0/127.0.0.1/$PORT < <(head -3 "$D/flow-send-mixed.csv") 2> /dev/null
		received
		[ "$(wc -l < "$T/recv")" -eq 1 ] || fail "-S $s"
	done
}

@test "flow-send: a slow pace (-x 4/s) from a file still reports on SIGUSR1 within a datagram's gap" {
	awk 'BEGIN { for (i = 0; i < 3000; i++) printf "1700000000,0,100000,0.0.0.0,1,40,90000,95000,0,0,10.0.0.%d,10.1.0.1,0.0.0.0,1,2,%d,80,6,0,2,0,0,0,0\n", i % 250, 1024 + i }' > "$T/in"
	"$FP_BIN/flow-send" -V 5 -x 4/s -r "$T/in" 0/127.0.0.1/$PORT 2> "$T/err" &
	SENDER=$!
	wait_handlers "$SENDER" || fail "no signal handlers"
	sleep 0.5
	kill -USR1 "$SENDER"
	# the input is read ahead 64 kB (18 datagrams, 4.5 s at this pace): the
	# report must not wait for the next read
	for _ in $(seq 10); do grep -q 'records read' "$T/err" && break; sleep 0.1; done
	grep -q 'records read' "$T/err" || fail "no counters 1 s after SIGUSR1"
	kill -KILL "$SENDER"
	wait "$SENDER" || true
	SENDER=
}
