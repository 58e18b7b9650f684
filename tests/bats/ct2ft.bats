#!/usr/bin/env bats
# ct2ft: conntrack event lines -> flow records. Expected records are
# computed by views_awk below, a second reading of the conntrack lines
# written independently of ct2ft's C parser (awk, by field), so each test
# compares two implementations on the same kernel output.
load helper
load ct-helper

# canonical order: writers always write fields in flow-export -f2 order
FIELDS=dpkts,doctets,srcaddr,dstaddr,srcport,dstport,prot

# nfflowd's views of every [DESTROY] line, as "pkts,bytes,src,dst,sport,dport,prot":
# private (original tuple and counters), public when NATed (reply dst/dport as
# source, reply src/sport as destination, original counters), reply (reply tuple
# and counters); ICMP has srcport 0 and type*256+code in dstport; a direction
# without packets gives no record. VIEWS=all forces the public view.
views_awk() {
	awk -v views="${VIEWS:-auto}" '
	/\[DESTROY\]/ {
		n = 0; delete T; prot = ""
		for (i = 1; i <= NF; i++) {
			f = $i
			if (prot == "" && f ~ /^(tcp|udp|icmp|icmpv6|sctp|dccp|udplite|gre|unknown)$/) prot = $(i + 1)
			if (f !~ /=/) continue
			k = substr(f, 1, index(f, "=") - 1); v = substr(f, index(f, "=") + 1)
			if (k == "src") n++
			if (n == 0 || n > 2) continue
			if ((k SUBSEP n) in T) continue   # the second id= of a tuple is the conntrack id
			T[k, n] = v
		}
		icmp = (prot == 1 || prot == 58)
		for (d = 1; d <= 2; d++) {
			if (icmp) { sp[d] = 0; dp[d] = T["type", d] * 256 + T["code", d] }
			else { sp[d] = T["sport", d]; dp[d] = T["dport", d] }
		}
		nat = (T["src", 1] != T["dst", 2] || T["dst", 1] != T["src", 2] || T["sport", 1] != T["dport", 2] || T["dport", 1] != T["sport", 2])
		if (T["packets", 1] != "0") {
			print T["packets", 1] "," T["bytes", 1] "," T["src", 1] "," T["dst", 1] "," sp[1] "," dp[1] "," prot
			if (nat || views == "all") {
				if (icmp) { psp = 0; pdp = dp[1] } else { psp = T["dport", 2]; pdp = T["sport", 2] }
				print T["packets", 1] "," T["bytes", 1] "," T["dst", 2] "," T["src", 2] "," psp "," pdp "," prot
			}
		}
		if (T["packets", 2] != "0")
			print T["packets", 2] "," T["bytes", 2] "," T["src", 2] "," T["dst", 2] "," sp[2] "," dp[2] "," prot
	}'
}

@test "ct2ft --version, -h, bad option" {
	run "$FP_BIN/ct2ft" --version
	assert_success
	assert_output "ct2ft flowpipes 0.1.0"
	run "$FP_BIN/ct2ft" -h
	assert_success
	assert_output --partial "usage: ct2ft"
	run "$FP_BIN/ct2ft" --view sideways
	assert_failure 2
	run "$FP_BIN/ct2ft" --ttl 0
	assert_failure 2
}

@test "ct2ft: kernel events with timestamp,extended,id give every view with the kernel's counters" {
	local f="$FP_DATA/ct-events-ext.txt"
	run "$FP_BIN/ct2ft" -H -o "$FIELDS" -r "$f"
	assert_success
	# 18 connections: 12 NATed (3 views), 6 on loopback (2 views)
	assert_equal "$(echo "$output" | wc -l)" 48
	diff <(echo "$output" | sort) <(views_awk < "$f" | sort)
}

@test "ct2ft: plain, timestamp-only and ktimestamp layouts give the same records" {
	for l in plain ts kts; do
		diff <("$FP_BIN/ct2ft" -H -o "$FIELDS" -r "$FP_DATA/ct-events-$l.txt" | sort) \
			<(views_awk < "$FP_DATA/ct-events-ext.txt" | sort)
	done
}

@test "ct2ft: export time is the DESTROY line's timestamp, sysuptime from the first event" {
	local f="$FP_DATA/ct-events-ext.txt"
	# per DESTROY line its [secs.usecs]; ct2ft writes it once per view
	run "$FP_BIN/ct2ft" -H -o unix_secs,unix_nsecs,sysuptime --view private -r "$f"
	assert_success
	want=$(awk -F'[].[\t]+' '/\[DESTROY\]/ { print $2 "," $3 * 1000 }' "$f")
	diff <(echo "$output" | cut -d, -f1,2) <(echo "$want")
	# boot is the first line's second: sysuptime = export ms - that
	first=$(head -1 "$f" | sed 's/^\[\([0-9]*\)\..*/\1/')
	echo "$output" | awk -F, -v b="$first" '{ want = ($1 - b) * 1000 + int($2 / 1000000); if ($3 != want) { print "line " NR ": " $3 " != " want; bad = 1 } } END { exit bad }'
}

@test "ct2ft: first is the NEW time, last start + delta-time when the DESTROY came late" {
	# the first connection of the fixture, by hand: NEW at .863 s after boot, its
	# entry expired (1 s timeouts) but was destroyed by conntrack -F at 6.6 s; the
	# kernel says delta-time=1, so last = first + 1000 ms, not the DESTROY time
	local f="$FP_DATA/ct-events-ext.txt"
	id=$(grep -m1 '\[NEW\]' "$f" | sed 's/.* id=\([0-9]*\)$/\1/')
	new=$(grep "\[NEW\].* id=$id\$" "$f" | sed 's/^\[\([0-9]*\)\.\([0-9]*\)\].*/\1\2/')
	des=$(grep "\[DESTROY\].* id=$id " "$f" | sed 's/^\[\([0-9]*\)\.\([0-9]*\)\].*/\1\2/')
	boot=$(head -1 "$f" | sed 's/^\[\([0-9]*\)\..*/\1/')000000
	sport=$(grep "\[NEW\].* id=$id\$" "$f" | grep -o 'sport=[0-9]*' | head -1 | cut -d= -f2)
	run "$FP_BIN/ct2ft" -H -o first,last,srcport --view private -r "$f"	# canonical order
	assert_success
	delta=$(grep "\[DESTROY\].* id=$id " "$f" | sed 's/.*delta-time=\([0-9]*\).*/\1/')
	[ $(( des - new )) -gt $(( (delta + 1) * 1000000 )) ]
	assert_line "$(( (new - boot) / 1000 )),$(( (new - boot) / 1000 + delta * 1000 )),$sport"
}

@test "ct2ft: --view all writes three records even without NAT; private,reply two" {
	run "$FP_BIN/ct2ft" -H -o "$FIELDS" --view all -r "$FP_DATA/ct-events-ext.txt"
	assert_success
	diff <(echo "$output" | sort) <(VIEWS=all views_awk < "$FP_DATA/ct-events-ext.txt" | sort)
	run "$FP_BIN/ct2ft" -H --view private,reply -r "$FP_DATA/ct-events-ext.txt"
	assert_equal "$(echo "$output" | wc -l)" 36
	run "$FP_BIN/ct2ft" -H --view public -r "$FP_DATA/ct-events-ext.txt"
	assert_equal "$(echo "$output" | wc -l)" 18
}

@test "ct2ft: header, -o subset, -x exporter address" {
	run "$FP_BIN/ct2ft" -o srcaddr,exaddr -x 192.0.2.9 -r "$FP_DATA/ct-events-ext.txt"
	assert_success
	assert_line --index 0 "#:exaddr,srcaddr"
	assert_line --index 1 --regexp '^192\.0\.2\.9,'
	run "$FP_BIN/ct2ft" -o nosuchfield
	assert_failure 2
}

@test "ct2ft: ICMP and ICMPv6 type/code in dstport" {
	run "$FP_BIN/ct2ft" -H -o srcaddr,srcport,dstport,prot --view private,reply -r "$FP_DATA/ct-events-ext.txt"
	assert_line "10.9.9.9,0,2048,1"      # echo request 8/0
	assert_line "192.0.2.2,0,0,1"        # echo reply 0/0
	assert_line "fd00::9,0,32768,58"     # ICMPv6 echo request 128/0
	assert_line "2001:db8::2,0,33024,58" # echo reply 129/0
}

@test "ct2ft: DESTROY without NEW still yields records, start from delta-time, counted" {
	# hand-written from a kernel line: delta-time=7 -> first = last - 7000 ms
	printf '%s\n' '[1795377712.500000]	[DESTROY] ipv4     2 udp      17 src=10.0.0.1 dst=10.0.0.2 sport=1000 dport=53 packets=2 bytes=120 src=10.0.0.2 dst=10.0.0.1 sport=53 dport=1000 packets=2 bytes=300 delta-time=7 id=42' > "$BATS_TEST_TMPDIR/in"
	run "$FP_BIN/ct2ft" -H -o dpkts,doctets,first,last,srcaddr -r "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_line "2,120,4294960796,500,10.0.0.1"   # first = 500 - 7000 mod 2^32
	assert_line "2,300,4294960796,500,10.0.0.2"
	assert_output --partial "1 DESTROY without NEW"
}

@test "ct2ft: a NEW listed late (ct-dump -L) gives way to the kernel's delta-time" {
	# hand-written: the connection was listed at 100 s but the kernel says it lived
	# 70 s until its DESTROY at 110 s, so it began at 40 s: first = 40000 - boot
	# (boot = 100 s, the first line) mod 2^32, last = 10000
	{
		echo '[100.000000]	    [NEW] ipv4     2 tcp      6 431999 ESTABLISHED src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 packets=9 bytes=900 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 packets=9 bytes=900 [ASSURED] mark=0 delta-time=60 use=1 id=4'
		echo '[110.000000]	[DESTROY] ipv4     2 tcp      6 TIME_WAIT src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 packets=20 bytes=2000 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 packets=20 bytes=2000 [ASSURED] delta-time=70 id=4'
	} > "$BATS_TEST_TMPDIR/in"
	run "$FP_BIN/ct2ft" -H -o dpkts,first,last --view private -r "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_output "20,$(( 4294967296 - 60000 )),10000"
}

@test "ct2ft: a DESTROY without any time in a saved file gets export time 0 and says so" {
	grep -m1 DESTROY "$FP_DATA/ct-events-plain.txt" > "$BATS_TEST_TMPDIR/in"
	run "$FP_BIN/ct2ft" -H -o unix_secs,dpkts -r "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_output --partial "DESTROY without any time"
	assert_line --regexp '^0,[0-9]+$'
}

@test "ct2ft: NEW without DESTROY is purged after --ttl and counted" {
	{
		echo '[1000000000.000000]	    [NEW] ipv4     2 udp      17 30 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 id=1'
		echo '[1000000005.000000]	    [NEW] ipv4     2 udp      17 30 src=10.0.0.1 dst=10.0.0.2 sport=3 dport=4 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=4 dport=3 id=2'
		echo '[1000000011.000000]	    [NEW] ipv4     2 udp      17 30 src=10.0.0.1 dst=10.0.0.2 sport=5 dport=6 [UNREPLIED] src=10.0.0.2 dst=10.0.0.1 sport=6 dport=5 id=3'
		# id=1 is gone by now (11 s > ttl 10 s): its DESTROY counts as one without NEW
		echo '[1000000012.000000]	[DESTROY] ipv4     2 udp      17 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 packets=1 bytes=30 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 packets=0 bytes=0 delta-time=12 id=1'
	} > "$BATS_TEST_TMPDIR/in"
	run "$FP_BIN/ct2ft" -H --ttl 10 -r "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_output --partial "1 NEW purged after --ttl"
	assert_output --partial "1 DESTROY without NEW"
	assert_output --partial "2 open at end"
}

@test "ct2ft: --max-open bounds the table, evictions counted" {
	run "$FP_BIN/ct2ft" -H --max-open 3 -r "$FP_DATA/ct-events-ext.txt"
	assert_success
	assert_output --partial "NEW evicted"
	refute_output --partial " 0 NEW evicted"
}

@test "ct2ft: malformed lines are reported with their line number, skipped, exit 1" {
	{
		head -3 "$FP_DATA/ct-events-ext.txt"
		echo '[1795377712.6]	[DESTROY] ipv4 2 tcp 6 src=1.2.3.999 dst=1.2.3.4 sport=1 dport=2 src=1.2.3.4 dst=1.2.3.5 sport=2 dport=1'
		echo 'garbage'
		echo '[DESTROY] tcp 6 src=10.0.0.1 dst=10.0.0.2 sport=70000 dport=2 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1'
		echo '[DESTROY] tcp 6 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2'
		grep DESTROY "$FP_DATA/ct-events-ext.txt" | head -1
	} > "$BATS_TEST_TMPDIR/in"
	run "$FP_BIN/ct2ft" -H -r "$BATS_TEST_TMPDIR/in"
	assert_failure 1
	assert_line "ct2ft: $BATS_TEST_TMPDIR/in:4: bad src= address"
	assert_line "ct2ft: $BATS_TEST_TMPDIR/in:5: no [NEW], [UPDATE] or [DESTROY]"
	assert_line "ct2ft: $BATS_TEST_TMPDIR/in:6: bad sport="
	assert_line "ct2ft: $BATS_TEST_TMPDIR/in:7: no reply tuple (needs two src=)"
	assert_output --partial "4 bad"
	# the good DESTROY after them still gave its records
	assert_line --regexp '^[0-9]+,[0-9]+,[0-9]+,0\.0\.0\.0,'
	run "$FP_BIN/ct2ft" -H --strict -r "$BATS_TEST_TMPDIR/in"
	assert_failure 1
	refute_output --partial ":5:"
}

@test "ct2ft: old kernel layout (no state on DESTROY, no id) by key=value" {
	# hand-written in the layout of conntrack 0.9/kernel 2.6 with counters, checked by hand:
	# orig 3 packets/180 bytes, reply 2/1500
	printf '%s\n' \
		' [NEW] tcp      6 120 SYN_SENT src=10.1.1.1 dst=10.2.2.2 sport=4000 dport=80 [UNREPLIED] src=10.2.2.2 dst=10.1.1.1 sport=80 dport=4000' \
		'[DESTROY] tcp      6 src=10.1.1.1 dst=10.2.2.2 sport=4000 dport=80 packets=3 bytes=180 src=10.2.2.2 dst=10.1.1.1 sport=80 dport=4000 packets=2 bytes=1500 [ASSURED] mark=0 use=1' \
		> "$BATS_TEST_TMPDIR/in"
	run "$FP_BIN/ct2ft" -H -o "$FIELDS" -r "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_line --index 0 "3,180,10.1.1.1,10.2.2.2,4000,80,6"
	assert_line --index 1 "2,1500,10.2.2.2,10.1.1.1,80,4000,6"
	assert_line --index 2 --partial "1 DESTROY without any time"
}

@test "ct2ft: SIGTERM on a live pipe flushes and exits 0" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	"$FP_BIN/ct2ft" -H < "$BATS_TEST_TMPDIR/fifo" > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
	pid=$!
	exec 5> "$BATS_TEST_TMPDIR/fifo"	# not fd 3: bats reports on it
	grep -E 'NEW|DESTROY' "$FP_DATA/ct-events-ext.txt" | head -40 >&5
	# records appear while the pipe is still open: ct2ft flushes before it waits
	for _ in $(seq 50); do [ -s "$BATS_TEST_TMPDIR/out" ] && break; sleep 0.1; done
	[ -s "$BATS_TEST_TMPDIR/out" ]
	kill -USR1 "$pid"
	sleep 0.3
	grep -q 'lines:' "$BATS_TEST_TMPDIR/err"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	exec 5>&-
	assert_equal "$rc" 0
}

@test "ct2ft: SIGTERM passes on every whole line already read and names a line it cut" {
	mkfifo "$BATS_TEST_TMPDIR/fifo"
	local f="$BATS_TEST_TMPDIR/in"
	grep -E 'NEW|DESTROY' "$FP_DATA/ct-events-ext.txt" | head -40 > "$f"
	"$FP_BIN/ct2ft" -H < "$BATS_TEST_TMPDIR/fifo" > "$BATS_TEST_TMPDIR/out" 2> "$BATS_TEST_TMPDIR/err" &
	pid=$!
	exec 5> "$BATS_TEST_TMPDIR/fifo"
	# the whole lines, then the first half of one more: the writer was cut off
	cat "$f" >&5
	printf '%s' "$(grep -m1 DESTROY "$f" | cut -c1-60)" >&5
	want=$(grep -c . < <("$FP_BIN/ct2ft" -H -r "$f" 2>/dev/null))
	for _ in $(seq 50); do [ "$(grep -c . "$BATS_TEST_TMPDIR/out")" -ge "$want" ] && break; sleep 0.1; done
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	exec 5>&-
	assert_equal "$rc" 0
	diff "$BATS_TEST_TMPDIR/out" <("$FP_BIN/ct2ft" -H -r "$f" 2>/dev/null)
	cut_at=$(( $(wc -l < "$f") + 1 ))
	grep -q "stdin:$cut_at: line cut short by the stop signal" "$BATS_TEST_TMPDIR/err"
	grep -q '1 last line cut short by the stop signal' "$BATS_TEST_TMPDIR/err"
}

@test "ct2ft: records count as written only once the output took them" {
	local f="$FP_DATA/ct-events-ext.txt"
	n=$("$FP_BIN/ct2ft" -H -r "$f" 2>/dev/null | grep -c .)
	[ "$n" -gt 0 ]
	run bash -c '"$0" -H -r "$1" > /dev/full' "$FP_BIN/ct2ft" "$f"
	assert_failure 2
	assert_output --partial "write: No space left on device"
	assert_output --partial "0 records written ($n more lost: the output failed)"
}

@test "ct2ft: a kernel [start=]/[stop=] later than the DESTROY itself is ignored and counted" {
	# start= and stop= are ctime local time. Line 1 has no stop=, so the
	# writer's zone is not known yet: start= is read in the reader's (UTC)
	# and lies an hour after the DESTROY (20:01:46 UTC): ignored, counted.
	# Line 2's stop= against its own DESTROY time says the writer is at
	# UTC+1: its stamps are 20:01:45 and :46, and first is the start.
	# Line 3 (UTC+1 too) has stamps 1 h 6 s apart against delta-time 1:
	# not believed, counted. Expected by hand: first = export - delta-time
	# or the start, last = export, in ms of uptime (boot 1795370000:
	# export 7706.5 s, start 7705 s)
	local l='[1795377706.500000]	[DESTROY] ipv4 2 tcp 6 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 packets=3 bytes=3 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 packets=1 bytes=1'
	printf '%s %s\n' "$l" '[start=Sun Nov 22 21:01:45 2026] delta-time=1 id=7' \
	    "$l" '[start=Sun Nov 22 21:01:45 2026] [stop=Sun Nov 22 21:01:46 2026] delta-time=1 id=8' \
	    "$l" '[start=Sun Nov 22 20:01:40 2026] [stop=Sun Nov 22 21:01:46 2026] delta-time=1 id=9' \
	    > "$BATS_TEST_TMPDIR/in"
	TZ=UTC run "$FP_BIN/ct2ft" -H -o sysuptime,first,last --view private --boot 1795370000 -r "$BATS_TEST_TMPDIR/in"
	assert_success
	assert_line --index 0 "7706500,7705500,7706500"
	assert_line --index 1 "7706500,7705000,7706500"
	assert_line --index 2 "7706500,7705500,7706500"
	assert_line --index 3 --partial "1 DESTROY with [start=]/[stop=] after its own time (those ignored)"
	assert_line --index 3 --partial "1 DESTROY whose [start=]/[stop=] disagree with delta-time (those ignored)"
}

# Issue 10, item 6: [start=]/[stop=] are the writer's local time. The
# kernel file was written in UTC; read in Tokyo (east) or New York (west)
# it must give the same records (the old code put Tokyo 9 h early).
# Then a writer in Berlin on the night DST ends: 02:30 comes twice
# (00:30 UTC in CEST, 01:30 UTC in CET), with the same text; each DESTROY's
# own UTC time tells which, whatever zone reads it.
@test "ct2ft: [start=]/[stop=] read the same in any time zone (issue 10 item 6)" {
	TZ=UTC run --separate-stderr "$FP_BIN/ct2ft" -r "$FP_DATA/ct-events-kts.txt"
	want=$output
	[ -n "$want" ]
	for tz in Asia/Tokyo America/New_York Europe/Berlin; do
		TZ=$tz run --separate-stderr "$FP_BIN/ct2ft" -r "$FP_DATA/ct-events-kts.txt"
		[ "$output" = "$want" ] || fail "TZ=$tz differs: $output"
	done
	local t='[DESTROY] ipv4 2 tcp 6 src=10.0.0.1 dst=10.0.0.2 sport=1 dport=2 packets=3 bytes=3 src=10.0.0.2 dst=10.0.0.1 sport=2 dport=1 packets=1 bytes=1 delta-time=10'
	printf '%s\n' \
	    "[1792888200.000000]	$t [start=Sun Oct 25 02:29:50 2026] [stop=Sun Oct 25 02:30:00 2026] id=1" \
	    "[1792891800.000000]	$t [start=Sun Oct 25 02:29:50 2026] [stop=Sun Oct 25 02:30:00 2026] id=2" \
	    > "$BATS_TEST_TMPDIR/dst"
	# first (ms of uptime from boot 1792880000) = each DESTROY - 10 s
	for tz in Europe/Berlin UTC Asia/Tokyo; do
		TZ=$tz run --separate-stderr "$FP_BIN/ct2ft" -H -o first,last --view private \
		    --boot 1792880000 -r "$BATS_TEST_TMPDIR/dst"
		assert_success
		assert_output "8190000,8200000
11790000,11800000"
	done
}

# ---- the real kernel ----

teardown() {
	ct_ns_teardown
}


@test "ct2ft: ct-dump | ct2ft on live NATed and loopback traffic, v4 and v6: counters equal the kernel's" {
	ct_ns_setup nat fp-ct2ft
	local t=$BATS_TEST_TMPDIR
	ip netns exec "$NS" conntrack -E -e NEW,DESTROY -o timestamp,extended,id > "$t/ref" 2>/dev/null &
	ip netns exec "$NS" sh -c "'$FP_BIN/ct-dump' 2>'$t/dump.err' | '$FP_BIN/ct2ft' -H -o $FIELDS > '$t/flows' 2>'$t/ct2ft.err'" &
	start_server "$NS-s" 192.0.2.2 5001
	start_server "$NS-s" 2001:db8::2 5001
	start_server "$NS" 127.0.0.1 5002
	start_server "$NS" ::1 5002
	sleep 1
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" client 192.0.2.2 5001 --bind 10.9.9.9 --tcp 3 --udp 3 --icmp 3 > "$t/conns"
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" client 2001:db8::2 5001 --bind fd00::9 --tcp 3 --udp 3 --icmp 3 >> "$t/conns"
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" client 127.0.0.1 5002 --tcp 2 --udp 2 --icmp 2 >> "$t/conns"
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" client ::1 5002 --tcp 2 --udp 2 --icmp 2 >> "$t/conns"
	assert_equal "$(wc -l < "$t/conns")" 30
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" flush --linger 0.5
	wait_lines "$t/ref" 30 DESTROY
	# 18 NATed connections x 3 views + 12 loopback x 2
	wait_lines "$t/flows" 78 ,
	diff <(sort "$t/flows") <(views_awk < "$t/ref" | sort)
	# every connection the client made has its private record
	while read -r proto src sport dst dport; do
		# ICMP lines carry the id, unbound UDP sockets the wildcard address
		[ "$proto" = icmp ] || [ "$src" = 0.0.0.0 ] || [ "$src" = :: ] && continue
		grep -q "^[0-9]*,[0-9]*,$src,$dst,$sport,$dport," "$t/flows" || { echo "no record for $proto $src $sport"; return 1; }
	done < "$t/conns"
	# the public view of a NATed connection has the masquerade address as source
	grep -q '^[0-9]*,[0-9]*,192\.0\.2\.1,192\.0\.2\.2,' "$t/flows"
	grep -q '^[0-9]*,[0-9]*,2001:db8::1,2001:db8::2,' "$t/flows"
}

@test "ct2ft: TCP byte counters equal what nftables counted on the wire" {
	ct_ns_setup up fp-ct2ft
	local t=$BATS_TEST_TMPDIR
	# an independent count of the same packets: nft counters per direction of port 5003
	ip netns exec "$NS" nft -f - <<-NFT
	table inet fpcount {
		counter orig {}
		counter reply {}
		chain out { type filter hook output priority 10; tcp dport 5003 counter name orig; tcp sport 5003 counter name reply; }
	}
	NFT
	ip netns exec "$NS" sh -c "'$FP_BIN/ct-dump' 2>/dev/null | '$FP_BIN/ct2ft' -H -o srcport,dstport,dpkts,doctets > '$t/flows'" &
	start_server "$NS" 127.0.0.1 5003
	sleep 1
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" client 127.0.0.1 5003 --tcp 5 > /dev/null
	sleep 0.5
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" flush --linger 0.5
	wait_lines "$t/flows" 10 ,
	nft_orig=$(ip netns exec "$NS" nft list counter inet fpcount orig | awk '/packets/ { print $2 "," $4 }')
	nft_reply=$(ip netns exec "$NS" nft list counter inet fpcount reply | awk '/packets/ { print $2 "," $4 }')
	# canonical order: dpkts,doctets,srcport,dstport
	ct_orig=$(awk -F, '$4 == 5003 { p += $1; b += $2 } END { print p "," b }' "$t/flows")
	ct_reply=$(awk -F, '$3 == 5003 { p += $1; b += $2 } END { print p "," b }' "$t/flows")
	assert_equal "$ct_orig" "$nft_orig"
	assert_equal "$ct_reply" "$nft_reply"
}

# Issue 10, item 9: ct2ft's IPv6 records carry no next hop as ::, not
# 0.0.0.0 (the record is of one family; flowpipes(1)).
@test "ct2ft: IPv6 records have nexthop :: (issue 10 item 9)" {
	TZ=UTC run --separate-stderr "$FP_BIN/ct2ft" -H -o srcaddr,dstaddr,nexthop -r "$FP_DATA/ct-events-kts.txt"
	assert_success
	assert_line "::1,::1,::"
	refute_line --partial "::1,0.0.0.0"
	assert_line "10.9.9.9,192.0.2.2,0.0.0.0"
}
