#!/usr/bin/env bats
# ct-dump against the real kernel, in namespaces made here, and against
# conntrack-tools' `conntrack -E -o timestamp,extended,id` (1.4.7) reading
# the same events at the same time: the lines must be the same. The only
# thing normalized is the [secs.usecs] receive time at the start of each
# line (two processes read the clock at two moments); its format is checked.
load helper
load ct-helper

setup() {
	NS=
}

teardown() {
	ct_ns_teardown
}

# Strips the receive time after checking conntrack's format for it.
strip_time() {
	grep -vE $'^\\[[0-9]{10}\\.[0-9]{6}\\]\t' "$1" | sed 's/^/BAD TIME: /'
	sed -E 's/^\[[0-9]+\.[0-9]+\]\t//' "$1"
}

# Starts ct-dump ARGS... > $1 and conntrack -E ARGS2 > $2 in $NS; waits until both listen.
start_pair() {	# out1 out2 "ct-dump args" "conntrack args"
	ip netns exec "$NS" "$FP_BIN/ct-dump" $3 > "$1" 2> "$1.err" &
	ip netns exec "$NS" conntrack -E $4 -o timestamp,extended,id > "$2" 2> /dev/null &
	[ "${5:-}" = nowait ] || sleep 0.7
}

loopback_traffic() {
	start_server "$NS" 127.0.0.1 5001
	start_server "$NS" ::1 5001
	sleep 0.7
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" client 127.0.0.1 5001 --tcp 3 --udp 3 --icmp 3 > /dev/null
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" client ::1 5001 --tcp 3 --udp 3 --icmp 3 > /dev/null
	# DESTROY now, from a process that lives on so both readers can name it
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" flush --linger 1
}

@test "ct-dump --version, -h, bad options" {
	run "$FP_BIN/ct-dump" --version
	assert_success
	assert_output "ct-dump flowpipes 0.1.0"
	run "$FP_BIN/ct-dump" -h
	assert_success
	assert_output --partial "usage: ct-dump"
	run "$FP_BIN/ct-dump" -e SOMETIMES
	assert_failure 2
	run "$FP_BIN/ct-dump" -p nosuchproto
	assert_failure 2
	run "$FP_BIN/ct-dump" -b 12
	assert_failure 2
	run "$FP_BIN/ct-dump" extra
	assert_failure 2
}

@test "ct-dump prints exactly what conntrack -E -o timestamp,extended,id prints (TCP, UDP, ICMP, v4 and v6)" {
	ct_ns_setup up fp-ctdump
	local t=$BATS_TEST_TMPDIR
	start_pair "$t/all" "$t/ref-all" "-e ALL" "" nowait
	start_pair "$t/nd" "$t/ref-nd" "" "-e NEW,DESTROY"
	loopback_traffic
	wait_lines "$t/ref-all" 18 DESTROY
	wait_lines "$t/all" 18 DESTROY
	wait_lines "$t/nd" 18 DESTROY
	wait_lines "$t/ref-nd" 18 DESTROY
	# the default is NEW and DESTROY; UPDATE lines came with -e ALL
	grep -q UPDATE "$t/all"
	! grep -q UPDATE "$t/nd"
	diff <(strip_time "$t/all") <(strip_time "$t/ref-all")
	diff <(strip_time "$t/nd") <(strip_time "$t/ref-nd")
	# the flush named its process, as conntrack does
	grep -q '\[USERSPACE\] portid=[0-9]* progname=ct-traffic$' "$t/nd"
	# both read the same moment within a second
	paste -d' ' <(cut -c2-18 "$t/nd") <(cut -c2-18 "$t/ref-nd") | awk '{ d = $1 - $2; if (d > 1 || d < -1) exit 1 }'
}

@test "ct-dump -n, -p, -f filter as conntrack's do (NATed namespace)" {
	ct_ns_setup nat fp-ctdump
	local t=$BATS_TEST_TMPDIR
	start_pair "$t/snat" "$t/ref-snat" "-n" "-e NEW,DESTROY -n" nowait
	start_pair "$t/udp" "$t/ref-udp" "-p udp" "-e NEW,DESTROY -p udp" nowait
	start_pair "$t/v6" "$t/ref-v6" "-f ipv6" "-e NEW,DESTROY -f ipv6"
	start_server "$NS-s" 192.0.2.2 5001
	start_server "$NS-s" 2001:db8::2 5001
	start_server "$NS" 127.0.0.1 5002
	sleep 0.7
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" client 192.0.2.2 5001 --bind 10.9.9.9 --tcp 2 --udp 2 --icmp 1 > /dev/null
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" client 2001:db8::2 5001 --bind fd00::9 --tcp 2 --udp 2 --icmp 1 > /dev/null
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" client 127.0.0.1 5002 --tcp 2 --udp 2 > /dev/null
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" flush --linger 1
	wait_lines "$t/ref-snat" 10 DESTROY
	wait_lines "$t/ref-udp" 6 DESTROY
	wait_lines "$t/ref-v6" 5 DESTROY
	sleep 0.5
	for f in snat udp v6; do
		[ -s "$t/$f" ]
		diff <(strip_time "$t/$f") <(strip_time "$t/ref-$f")
	done
	# and the filters did filter: no loopback connection is source-NATed
	! grep -q 'src=127\.0\.0\.1' "$t/snat"
	assert_equal "$(grep -c 'src=10\.9\.9\.9\|src=fd00::9' "$t/snat")" 20
}

@test "ct-dump --mark and --zone filter as conntrack's do" {
	ct_ns_setup up fp-ctdump
	local t=$BATS_TEST_TMPDIR
	# mark 7 on UDP to port 9999; zone 5 (set before conntrack sees the packet) on port 9997
	ip netns exec "$NS" nft -f - <<-NFT
	table inet fpmark {
		chain raw { type filter hook output priority -300; udp dport 9997 ct zone set 5; }
		chain out { type filter hook output priority 0; udp dport 9999 ct mark set 7; }
	}
	NFT
	start_pair "$t/mark" "$t/ref-mark" "--mark 7" "-e NEW,DESTROY --mark 7" nowait
	start_pair "$t/zone" "$t/ref-zone" "--zone 5" "-e NEW,DESTROY --zone 5"
	ip netns exec "$NS" /usr/bin/python3 -c '
import socket
for port in (9997, 9998, 9999):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"x", ("127.0.0.1", port))'
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" flush --linger 1
	wait_lines "$t/ref-mark" 1 DESTROY
	wait_lines "$t/ref-zone" 1 DESTROY
	sleep 0.3
	diff <(strip_time "$t/mark") <(strip_time "$t/ref-mark")
	diff <(strip_time "$t/zone") <(strip_time "$t/ref-zone")
	assert_equal "$(grep -c 'dport=9999 .*mark=7' "$t/mark")" 2	# NEW and DESTROY
	! grep -q 'dport=999[78] ' "$t/mark"
	assert_equal "$(grep -c 'dport=9997 .*zone=5' "$t/zone")" 2
	! grep -q 'dport=999[89] ' "$t/zone"
}

@test "ct-dump -L lists open connections first, as conntrack -L shows them" {
	ct_ns_setup up fp-ctdump
	local t=$BATS_TEST_TMPDIR
	start_server "$NS" 127.0.0.1 5001
	# a connection that stays open while ct-dump starts
	ip netns exec "$NS" /usr/bin/python3 -c 'import socket, time; s = socket.create_connection(("127.0.0.1", 5001)); s.send(b"x"); time.sleep(30)' &
	for _ in $(seq 100); do
		ip netns exec "$NS" conntrack -L -o extended,id > "$t/ref" 2> /dev/null
		grep -q 'ESTABLISHED.*dport=5001' "$t/ref" && break
		sleep 0.1
	done
	ip netns exec "$NS" "$FP_BIN/ct-dump" -L > "$t/out" 2> "$t/err" &
	wait_lines "$t/out" 1 dport=5001
	# conntrack -L has no event type; the timeout counts down between the two reads
	# and delta-time (now - start) counts up: both normalized
	norm() { sed 's/^\[[0-9.]*\]\t    \[NEW\] //; s/ delta-time=[0-9]* / delta-time=D /' | awk '{ $5 = "T"; print }'; }
	diff <(grep 'dport=5001' "$t/out" | norm) <(grep 'dport=5001' "$t/ref" | norm)
	grep -q '^\[[0-9]\{10\}\.[0-9]\{6\}\]	    \[NEW\] ipv4     2 tcp      6 [0-9]* ESTABLISHED' "$t/out"
}

# Runs ct-dump -b 4096 -e DESTROY $2 into $1, stalls it (SIGSTOP) while 400
# UDP connections are made and flushed, lets it go on and stops it when its
# output stops growing.
stalled_run() {	# out extra-args
	ip netns exec "$NS" "$FP_BIN/ct-dump" -b 4096 -e DESTROY $2 > "$1" 2> "$1.err" &
	local pid=$!
	sleep 0.7
	kill -STOP "$pid"
	ip netns exec "$NS" /usr/bin/python3 -c '
import socket
for i in range(400):
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    u.sendto(b"x", ("127.0.0.1", 20000 + i))
    u.close()'
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" flush --linger 0
	sleep 0.5
	kill -CONT "$pid"
	# the kernel re-sends what did not fit as the reader drains: wait until the
	# output stops growing for 1 s
	local before=-1 now
	for _ in $(seq 20); do
		now=$(wc -l < "$1")
		[ "$now" -eq "$before" ] && break
		before=$now
		sleep 1
	done
	kill -TERM "$pid"
	wait "$pid"
}

@test "ct-dump: reliable delivery keeps every DESTROY through a stalled reader; a plain subscription loses them" {
	ct_ns_setup up fp-ctdump
	local t=$BATS_TEST_TMPDIR
	# one at a time: events the kernel re-sends for one reader reach every reader
	stalled_run "$t/plain" --no-reliable
	stalled_run "$t/rel" ""
	assert_equal "$(grep -c 'DESTROY.*udp' "$t/rel")" 400
	grep -q 'reliable delivery on' "$t/rel.err"
	lost=$(grep -c 'DESTROY.*udp' "$t/plain")
	echo "plain subscription got $lost of 400" >&2
	[ "$lost" -lt 400 ]
	# and the plain one said so: ENOBUFS and socket drops counted
	grep -Eq 'lost: [1-9][0-9]* ENOBUFS; kernel socket overruns: [1-9][0-9]* \(reliable delivery off' "$t/plain.err"
}

@test "ct-dump turns on accounting and timestamps in its namespace and says so; --no-sysctl does not" {
	need_root "creates network namespaces"
	NS=fp-ctdump-$$-${BATS_TEST_NUMBER}
	ip netns add "$NS"
	ip netns exec "$NS" nft add table inet t \; add chain inet t o '{ type filter hook output priority 0; }' \; add rule inet t o ct state new counter
	ip netns exec "$NS" sysctl -qw net.netfilter.nf_conntrack_acct=0 net.netfilter.nf_conntrack_timestamp=0
	ip netns exec "$NS" timeout --preserve-status -s TERM 0.5 "$FP_BIN/ct-dump" --no-sysctl 2> "$BATS_TEST_TMPDIR/err0" || true
	assert_equal "$(ip netns exec "$NS" sysctl -n net.netfilter.nf_conntrack_acct)" 0
	run ip netns exec "$NS" timeout --preserve-status -s TERM 0.5 "$FP_BIN/ct-dump"
	assert_success
	assert_output --partial "turned on net.netfilter.nf_conntrack_acct"
	assert_output --partial "turned on net.netfilter.nf_conntrack_timestamp"
	assert_equal "$(ip netns exec "$NS" sysctl -n net.netfilter.nf_conntrack_acct)" 1
	assert_equal "$(ip netns exec "$NS" sysctl -n net.netfilter.nf_conntrack_timestamp)" 1
}

# Makes $1 unreplied UDP conntrack entries in $NS that stay listed (60 s timeout).
udp_entries() {
	ip netns exec "$NS" sysctl -qw net.netfilter.nf_conntrack_udp_timeout=60
	ip netns exec "$NS" /usr/bin/python3 -c '
import socket, sys
u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
for i in range(int(sys.argv[1])):
    u.sendto(b"x", ("127.0.0.1", 20000 + i))' "$1"
}

@test "ct-dump: SIGUSR1 prints counters, SIGTERM exits 0 with them" {
	ct_ns_setup up fp-ctdump
	local t=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "$FP_BIN/ct-dump" > "$t/out" 2> "$t/err" &
	pid=$!
	sleep 0.7
	udp_entries 1
	wait_lines "$t/out" 1 NEW
	kill -USR1 "$pid"
	sleep 0.3
	grep -q '^ct-dump: 1 NEW, 0 UPDATE, 0 DESTROY events printed' "$t/err"
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	assert_equal "$(grep -c 'events printed' "$t/err")" 2
}

# Starts ct-dump -L > fifo $t/fifo, opened on fd 6 here: it blocks on the
# full pipe inside the table dump until the test reads fd 6.
start_blocked_dump() {
	mkfifo "$t/fifo"
	ip netns exec "$NS" "$FP_BIN/ct-dump" -L -e DESTROY > "$t/fifo" 2> "$t/err" &
	pid=$!
	exec 6< "$t/fifo"	# not fd 3: bats reports on it
	# 3000 lines of ~200 bytes: far more than a 64 KiB pipe holds
	sleep 1
}

@test "ct-dump -L: SIGUSR1 during the table dump answers at once and lists every entry" {
	ct_ns_setup up fp-ctdump
	local t=$BATS_TEST_TMPDIR
	udp_entries 3000
	total=$(ip netns exec "$NS" conntrack -L 2> /dev/null | grep -c 'dport=2[0-9]\{4\} ')
	[ "$total" -ge 3000 ]
	start_blocked_dump
	kill -USR1 "$pid"
	timeout 30 cat <&6 > "$t/out" 3>&- &
	cpid=$!
	wait_lines "$t/err" 1 'events printed'
	wait_lines "$t/out" "$total" 'dport=2[0-9]\{4\} '
	kill -TERM "$pid"
	rc=0
	wait "$pid" || rc=$?
	wait "$cpid"
	exec 6<&-
	assert_equal "$rc" 0
	# the counters came while the dump was still blocked, not after it
	n=$(grep -m1 -o '([0-9]* table entries)' "$t/err" | tr -dc 0-9)
	[ "$n" -lt "$total" ]
	assert_equal "$(grep -c 'dport=2[0-9]\{4\} ' "$t/out")" "$total"
	! grep -q 'interrupted' "$t/err"
}

@test "ct-dump -L: SIGTERM during the table dump stops it, says after how many entries, exits 0" {
	ct_ns_setup up fp-ctdump
	local t=$BATS_TEST_TMPDIR
	udp_entries 3000
	start_blocked_dump
	kill -TERM "$pid"
	timeout 30 cat <&6 > "$t/out"
	rc=0
	wait "$pid" || rc=$?
	exec 6<&-
	assert_equal "$rc" 0
	lines=$(grep -c '\[NEW\]' "$t/out")
	[ "$lines" -lt 3000 ]
	grep -q "^ct-dump: -L: dump interrupted after $lines entries\$" "$t/err"
}

@test "ct-dump: SIGTERM first reads and prints every event already queued in its socket" {
	ct_ns_setup up fp-ctdump
	local t=$BATS_TEST_TMPDIR
	ip netns exec "$NS" "$FP_BIN/ct-dump" > "$t/out" 2> "$t/err" &
	pid=$!
	sleep 0.7
	# stopped, so 200 NEW and 200 DESTROY wait in its (32 MB) socket buffer
	kill -STOP "$pid"
	udp_entries 200
	ip netns exec "$NS" "$FP_ROOT/scripts/ct-traffic" flush --linger 0
	sleep 0.3
	kill -TERM "$pid"
	kill -CONT "$pid"
	rc=0
	wait "$pid" || rc=$?
	assert_equal "$rc" 0
	assert_equal "$(grep -c 'NEW.*udp.*dport=2[0-9]\{4\} ' "$t/out")" 200
	assert_equal "$(grep -c 'DESTROY.*udp.*dport=2[0-9]\{4\} ' "$t/out")" 200
	grep -q '^ct-dump: stopping: [0-9]* events still queued were read and printed' "$t/err"
}
