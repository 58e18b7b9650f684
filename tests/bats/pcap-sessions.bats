#!/usr/bin/env bats
# pcap-sessions: the bytes each side sent (the exchange program's and the
# capture crafter's own record), against tshark's follow,tcp,raw (a peer
# reassembler), and captures altered by tests/aids/tcpcap.py, which says
# what a reassembler must then report.
load helper
bats_require_minimum_version 1.5.0

PS() { "$FP_BIN/pcap-sessions" "$@"; }
CAP() { python3 "$FP_ROOT/tests/aids/tcpcap.py" "$@"; }
KEY=10.77.0.1.40000-10.77.0.2.80

# Two namespaces joined by a veth pair: psv0 (10.78.0.1, fd78::1) in $1,
# psv1 (10.78.0.2, fd78::2) in $2; segments of one MSS each (no GSO), so
# the altered captures can pick among them.
make_ns() {	# ns ns2
	veth_pair "$1" "$2" psv0 psv1 78 gso_max_size 1500
}

setup_file() {
	export NSCAP="$BATS_FILE_TMPDIR/ns.pcap" NSSENT="$BATS_FILE_TMPDIR/sent"
	mkdir -p "$NSSENT"
	[ "$(id -u)" -eq 0 ] && command -v tcpdump >/dev/null || return 0
	local ns=fp-ps-$$-a ns2=fp-ps-$$-b
	make_ns "$ns" "$ns2"
	local td
	TD_NS=$ns tcpdump_start "$NSCAP" -i psv0 -s 0
	td=$TD_PID
	local ex="$FP_ROOT/tests/aids/tcp-exchange.py"
	mkdir -p "$NSSENT/v4" "$NSSENT/v6"
	local log="$BATS_FILE_TMPDIR/exchange.log"
	ip netns exec "$ns2" python3 "$ex" server 10.78.0.2 8080 "$NSSENT/v4" 2 2>> "$log" &
	local s4=$!
	ip netns exec "$ns2" python3 "$ex" server fd78::2 8080 "$NSSENT/v6" 1 2>> "$log" &
	local s6=$!
	sleep 0.5
	ip netns exec "$ns" python3 "$ex" client 10.78.0.2 8080 "$NSSENT/v4" \
	    100:2000,3000:40,200000:300000,9:10 20:20,70000:5 2>> "$log"
	ip netns exec "$ns" python3 "$ex" client fd78::2 8080 "$NSSENT/v6" 500:600,60000:700 \
	    2>> "$log"
	wait "$s4" "$s6"
	# tcpdump may lag behind on a busy machine: stop it once it has the 6 FINs
	tcpdump_stop_at "$td" "$NSCAP" 6 'tcp[tcpflags] & tcp-fin != 0 or (ip6 and ip6[6] = 6 and ip6[53] & 1 != 0)'
	ip netns del "$ns"
	ip netns del "$ns2"
}

setup() {
	T=$(mktemp -d)
	mkdir -p "$T/d" "$T/s" "$T/sent"
}

teardown() {
	[ -n "${LNS:-}" ] && ip netns del "$LNS" 2>/dev/null
	[ -n "${LNS2:-}" ] && ip netns del "$LNS2" 2>/dev/null
	rm -rf "$T"
}

need_nscap() {
	need_root "tcpdump in a network namespace"
	need_cmd tcpdump
	[ -s "$NSCAP" ] || fail "no namespace capture was made"
	[ "$(ls "$NSSENT/v4" "$NSSENT/v6" | grep -c '[cs]$')" -eq 16 ] ||
	    fail "the exchange failed: $(cat "$BATS_FILE_TMPDIR/exchange.log")"
}

# The bytes of one direction (c: node 0) of TCP stream N, as tshark follows them, in hex.
ts_follow() {	# file stream c|s
	tshark -r "$1" -q -z "follow,tcp,raw,$2" 2>/dev/null |
	    awk -v s="$3" '/^\t?[0-9a-f]+$/ { srv = substr($0, 1, 1) == "\t"
		if (srv == (s == "s")) { sub(/^\t/, ""); printf "%s", $0 } } END { print "" }'
}

hex() { od -An -v -tx1 "$1" | tr -d ' \n'; echo; }

# The event lines of one kind, fields picked by name.
ev() {	# file event field...
	local f=$1 e=$2
	shift 2
	awk -F, -v e="$e" -v want="$*" 'NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; col["event"] = 1
		n = split(want, w, " "); next }
	$1 == e { line = ""; for (i = 1; i <= n; i++) line = line (i > 1 ? " " : "") $(col[w[i]])
		print line }' "$f"
}

# Every file the exchange program or the crafter wrote equals our monologue dump.
same_monologues() {	# sentdir dumpdir key-of-session-1 [key-of-session-2 ...]
	local sent=$1 dump=$2 f conn rest n=0
	shift 2
	local keys=("$@")
	for f in "$sent"/*; do
		conn=$(basename "$f" | cut -d. -f1)
		rest=$(basename "$f" | cut -d. -f2-)
		cmp "$f" "$dump/${keys[conn - 1]}.$rest" || return 1
		n=$((n + 1))
	done
	local k m=0
	for k in "${keys[@]}"; do
		m=$((m + $(ls "$dump" | grep -cF "$k.")))
	done
	[ "$n" -gt 0 ] && [ "$m" -eq "$n" ]
}

# Session keys in the order their session_start lines come.
keys() { ev "$1" session_start key; }

@test "pcap-sessions: namespace exchange: every monologue is what that side sent" {
	need_nscap
	run -0 PS -r "$NSCAP" --dump "$T/d"
	echo "$output" > "$T/out"
	mapfile -t k < <(keys "$T/out" | grep -v fd78)
	[ "${#k[@]}" -eq 2 ]
	same_monologues "$NSSENT/v4" "$T/d" "${k[@]}" || {
		ls "$T/d" "$NSSENT/v4"
		false
	}
	mapfile -t k6 < <(keys "$T/out" | grep fd78)
	mkdir "$T/d6" && cp "$T/d"/fd78* "$T/d6"
	same_monologues "$NSSENT/v6" "$T/d6" "${k6[@]}"
	[ "$(ev "$T/out" session_end reason | sort -u)" = fin ]
	[ "$(ev "$T/out" session_start reason | sort -u)" = handshake ]
	[ "$(ev "$T/out" gap key | wc -l)" -eq 0 ]
	# 4 + 2 + 2 requests, each answered: 16 monologues
	[ "$(ev "$T/out" monologue key | wc -l)" -eq 16 ]
}

@test "pcap-sessions: namespace exchange: --stream equals tshark follow,tcp,raw" {
	need_nscap
	need_cmd tshark
	run -0 PS -r "$NSCAP" --stream "$T/s"
	mapfile -t k < <(keys <(echo "$output"))
	[ "${#k[@]}" -eq 3 ]
	for i in 0 1 2; do
		for d in c s; do
			[ "$(hex "$T/s/${k[i]}.$d")" = "$(ts_follow "$NSCAP" "$i" "$d")" ]
		done
	done
}

@test "pcap-sessions: a session across the sequence wrap (crafted), v4 and v6, equals tshark" {
	need_cmd tshark
	CAP craft -o "$T/w.pcap" --sent "$T/sent" --isn-c 4294960000 --isn-s 4294967290 \
	    3000,9000,200,70000,5,1
	run -0 PS -r "$T/w.pcap" --dump "$T/d" --stream "$T/s"
	same_monologues "$T/sent" "$T/d" "$KEY-0"
	for d in c s; do
		[ "$(hex "$T/s/$KEY-0.$d")" = "$(ts_follow "$T/w.pcap" 0 "$d")" ]
	done
	[ "$(ev <(echo "$output") session_end reason c_bytes s_bytes c_missing s_missing)" = \
	    "fin 3205 79001 0 0" ]
	rm -rf "$T/d"/* "$T/sent"/*
	CAP craft -o "$T/w6.pcap" --v6 --sent "$T/sent" --isn-c 4294967295 --isn-s 0 1000,2000
	run -0 PS -r "$T/w6.pcap" --dump "$T/d"
	same_monologues "$T/sent" "$T/d" fd77::1.40000-fd77::2.80-0
}

# Checks what the mangler said against our events: gaps and conflicts
# exactly, bytes seen twice in the counters.
check_said() {	# said-file out-file err-file
	local what dir off len
	while read -r what dir off len; do
		case $what in
		gap) grep -q "^gap,.*,$dir,[0-9]*,,,,,$off,$len," "$2" ||
			{ echo "no gap $dir $off $len"; return 1; } ;;
		conflict) grep -q "^overlap_conflict,.*,$dir,[0-9]*,,,,,$off,$len," "$2" ||
			{ echo "no conflict $dir $off $len"; return 1; } ;;
		esac
	done < "$1"
	[ "$(grep -c '^gap,' "$2")" -eq "$(grep -c '^gap' "$1")" ]
	[ "$(grep -c '^overlap_conflict,' "$2")" -eq "$(grep -c '^conflict' "$1")" ]
	local base=$(PS -r "$NSCAP" 2>&1 >/dev/null | grep -o '[0-9]* bytes seen twice' | cut -d' ' -f1)
	local dup=$(awk -v b="$base" '$1 == "dup" { n += $4 } END { print n + b }' "$1")
	grep -q " $dup bytes seen twice" "$3" || { echo "want $dup bytes seen twice"; cat "$3"; false; }
}

mangled() {	# ops...: mangles the namespace capture, runs, checks what was said
	CAP mangle "$NSCAP" "$T/m.pcap" "$@" > "$T/said"
	PS -r "$T/m.pcap" --dump "$T/d" --stream "$T/s" > "$T/out" 2> "$T/err"
	check_said "$T/said" "$T/out" "$T/err"
}

@test "pcap-sessions: reordered and duplicated segments: the same bytes, overlaps flagged" {
	need_nscap
	mangled late:c:10:4 late:s:5:3 dup:c:1 dup:s:4 tail:s:6:100 tail:c:20:1
	mapfile -t k < <(keys "$T/out" | grep -v fd78)
	rm -f "$T/d"/fd78*
	same_monologues "$NSSENT/v4" "$T/d" "${k[@]}"
	[ "$(ev "$T/out" gap key | wc -l)" -eq 0 ]
	[ "$(ev "$T/out" monologue flags | grep -c overlap)" -ge 1 ]
}

@test "pcap-sessions: a copy with different bytes is an overlap_conflict; the first copy wins" {
	need_nscap
	mangled flip:c:2:10:25 flip:s:3:0:1
	mapfile -t k < <(keys "$T/out" | grep -v fd78)
	rm -f "$T/d"/fd78*
	same_monologues "$NSSENT/v4" "$T/d" "${k[@]}"
	[ "$(ev "$T/out" monologue flags | grep -c conflict)" -ge 1 ]
}

@test "pcap-sessions: lost and cut segments are gaps of their exact length, holes in --stream" {
	need_nscap
	mangled drop:c:2 cut:s:4:100 drop:s:6
	[ "$(grep -c '^gap' "$T/said")" -eq 3 ]
	# the missing bytes each way in session_end add up to the gaps
	local miss=$(ev "$T/out" session_end c_missing s_missing | awk '{ n += $1 + $2 } END { print n }')
	[ "$miss" -eq "$(awk '$1 == "gap" { n += $4 } END { print n }' "$T/said")" ]
	# the stream file keeps every byte at its offset; the gaps file says where the holes are
	local k=$(keys "$T/out" | head -1)
	while read -r what dir off len; do
		grep -qx "$dir,$off,$len" "$T/s/$k.gaps"
	done < "$T/said"
	# each stream file is as long as its stream, gaps included, and the bytes
	# around a gap are where they were sent
	ev "$T/out" session_end key c_bytes c_missing s_bytes s_missing | while read -r key cb cm sb sm; do
		[ "$(stat -c %s "$T/s/$key.c")" -eq $((cb + cm)) ]
		[ "$(stat -c %s "$T/s/$key.s")" -eq $((sb + sm)) ]
	done
	local conn1=$(ls "$NSSENT/v4"/1.*.s | sort -t. -k2n | tr '\n' ' ')
	cat $conn1 > "$T/sent.s"
	read -r what dir off len < <(grep '^gap s' "$T/said" | head -1)
	cmp -n "$off" "$T/sent.s" "$T/s/$k.s"
	tail -c +$((off + len + 1)) "$T/sent.s" | head -c 1000 |
	    cmp - <(tail -c +$((off + len + 1)) "$T/s/$k.s" | head -c 1000)
	[ "$(ev "$T/out" monologue flags | grep -c gap)" -ge 1 ]
}

@test "pcap-sessions: joined mid-stream: midstream, original side guessed, later bytes exact" {
	CAP craft -o "$T/a.pcap" --sent "$T/sent" 3000,2000,500,100
	CAP mangle "$T/a.pcap" "$T/m.pcap" head:11 > /dev/null
	run -0 PS -r "$T/m.pcap" --dump "$T/d"
	echo "$output"
	[ "$(ev <(echo "$output") session_start reason flags)" = "midstream orig_first" ]
	# frames 12.. : the last 1000 bytes of monologue 2 from the server come first
	local k=$(keys <(echo "$output"))
	[ "$k" = 10.77.0.2.80-10.77.0.1.40000-0 ]
	tail -c 1000 "$T/sent/1.2.s" | cmp - "$T/d/$k.1.c"
	cmp "$T/sent/1.3.c" "$T/d/$k.2.s"
	[ "$(ev <(echo "$output") session_end reason)" = fin ]
}

@test "pcap-sessions: SYN retransmitted, simultaneous close, data on the SYN and the SYN/ACK" {
	CAP craft -o "$T/a.pcap" --sent "$T/sent" --syn-retrans --close simul --tfo 300 1000,2000
	run -0 --separate-stderr PS -r "$T/a.pcap" --dump "$T/d"
	same_monologues "$T/sent" "$T/d" "$KEY-0"
	[ "$(ev <(echo "$output") session_start reason flags)" = "handshake orig_syn" ]
	[ "$(ev <(echo "$output") session_end reason c_bytes s_bytes)" = "fin 1000 2000" ]
	[[ "$stderr" == *" 1 SYN again"* ]]
	# data on the SYN (all of the request) and on the SYN/ACK (part of the answer)
	rm -f "$T/sent"/* "$T/d"/*
	CAP craft -o "$T/b.pcap" --sent "$T/sent" --tfo 1000 --synack-data 500 1000,2000,300,400
	run -0 PS -r "$T/b.pcap" --dump "$T/d"
	same_monologues "$T/sent" "$T/d" "$KEY-0"
	[ "$(ev <(echo "$output") session_end reason c_bytes s_bytes)" = "fin 1300 2400" ]
}

@test "pcap-sessions: RST mid-stream ends the session; an RST outside the window does not" {
	CAP craft -o "$T/a.pcap" --sent "$T/sent" --close rst 1000,2000,3000,4000
	run -0 PS -r "$T/a.pcap" --dump "$T/d"
	[ "$(ev <(echo "$output") session_end reason c_bytes s_bytes)" = "rst 4000 2000" ]
	cmp "$T/sent/1.1.c" "$T/d/$KEY-0.1.c"
	cmp "$T/sent/1.2.s" "$T/d/$KEY-0.2.s"
	# an RST 1.3 GB ahead (past any window) is ignored: the session ends at its FIN
	CAP craft -o "$T/b.pcap" 1000,2000
	python3 - "$T/b.pcap" "$T/c.pcap" <<-'PY'
	import struct, sys
	raw = bytearray(open(sys.argv[1], "rb").read())
	# frame 4 (the first data) again, as an RST with seq + 0x50000000 and no payload
	pos, frames = 24, []
	while pos < len(raw):
	    cap = struct.unpack("<I", raw[pos + 8:pos + 12])[0]
	    frames.append(raw[pos:pos + 16 + cap]); pos += 16 + cap
	f = bytearray(frames[3][:16 + 54])
	f[8:12] = f[12:16] = struct.pack("<I", 54)
	f[16 + 16:16 + 18] = struct.pack("!H", 40)
	seq = struct.unpack("!I", f[16 + 38:16 + 42])[0]
	f[16 + 38:16 + 42] = struct.pack("!I", (seq + 0x50000000) & 0xFFFFFFFF)
	f[16 + 47] = 0x14
	frames.insert(4, f)
	open(sys.argv[2], "wb").write(raw[:24] + b"".join(frames))
	PY
	run -0 PS -r "$T/c.pcap"
	[ "$(ev <(echo "$output") session_end reason c_bytes s_bytes)" = "fin 1000 2000" ]
	run -0 --separate-stderr PS -r "$T/c.pcap"
	[[ "$stderr" == *"1 RST outside the window"* ]]
}

@test "pcap-sessions: port reuse after the end starts the next session (key counter)" {
	CAP craft -o "$T/a.pcap" --sent "$T/sent" --again 700,800,900
	run -0 PS -r "$T/a.pcap" --dump "$T/d"
	[ "$(keys <(echo "$output") | tr '\n' ' ')" = "$KEY-0 $KEY-1 " ]
	same_monologues "$T/sent" "$T/d" "$KEY-0" "$KEY-1"
	[ "$(ev <(echo "$output") session_end reason | tr '\n' ' ')" = "fin fin " ]
}

@test "pcap-sessions: idle timeout, end of input, --max-session-size" {
	CAP craft -o "$T/a.pcap" --close none --again 700,800
	run -0 PS -t idle=0.5 -r "$T/a.pcap"
	[ "$(ev <(echo "$output") session_end reason | tr '\n' ' ')" = "timeout eof " ]
	[ "$(keys <(echo "$output") | tr '\n' ' ')" = "$KEY-0 $KEY-1 " ]	# the tombstone keeps the count
	CAP craft -o "$T/a.pcap" --close none 700,800
	run -0 PS -r "$T/a.pcap"
	[ "$(ev <(echo "$output") session_end reason c_bytes s_bytes)" = "eof 700 800" ]
	CAP craft -o "$T/b.pcap" --sent "$T/sent" 5000,3000
	run -0 PS --max-session-size 1200 -r "$T/b.pcap" --dump "$T/d" --stream "$T/s"
	[ "$(ev <(echo "$output") session_end c_bytes c_cut s_bytes s_cut)" = "5000 3800 3000 1800" ]
	head -c 1200 "$T/sent/1.1.c" | cmp - "$T/s/$KEY-0.c"
	head -c 1200 "$T/sent/1.1.c" | cmp - "$T/d/$KEY-0.1.c"
	[ "$(ev <(echo "$output") monologue flags | tr '\n' ' ')" = "cut cut " ]
}

@test "pcap-sessions: a small bound on open files: files closed and reopened, bytes exact" {
	need_nscap
	run -0 --separate-stderr PS --max-open 2 -r "$NSCAP" --dump "$T/d" --stream "$T/s"
	mapfile -t k < <(keys <(echo "$output") | grep -v fd78)
	rm -f "$T/d"/fd78*
	same_monologues "$NSSENT/v4" "$T/d" "${k[@]}"
	[[ "$stderr" =~ files,\ [1-9][0-9]*\ reopened ]]
	mkdir "$T/s2"
	PS -r "$NSCAP" --stream "$T/s2" > /dev/null 2>&1
	diff -r "$T/s" "$T/s2"
}

@test "pcap-sessions: -m sessions and bytes: the oldest end with limit, counted" {
	CAP craft -o "$T/a.pcap" --again 700,800
	run -0 PS -m sessions=1 -r "$T/a.pcap"
	[ "$(ev <(echo "$output") session_end reason | tr '\n' ' ')" = "fin fin " ]
	# out-of-order bytes held past the byte bound end the session
	CAP craft -o "$T/b.pcap" 5000,100
	CAP mangle "$T/b.pcap" "$T/m.pcap" late:c:1:4 > /dev/null
	run -0 --separate-stderr PS -m bytes=2000 -r "$T/m.pcap"
	[ "$(ev <(echo "$output") session_end reason)" = limit ]
	[[ "$stderr" == *"limit 1;"* ]]
}

@test "pcap-sessions: -k follows one session's packets on stderr; usage and bad options" {
	CAP craft -o "$T/a.pcap" 700,800
	run -0 --separate-stderr PS -k "$KEY-0" -r "$T/a.pcap"
	[[ "$stderr" == *"$KEY-0: c seq 1000 ack 0 win 65535 flags 0x02 len 0: SYN"* ]]
	[[ "$stderr" == *"$KEY-0: end (fin)"* ]]
	run -2 PS --dump /nonexistent -r "$T/a.pcap"
	run -2 PS -m bogus=1
	run -2 PS -t idle=x
	run -0 PS -h
	run -0 PS --version
}

@test "pcap-sessions: the project's captures run clean (every link type, broken ones counted)" {
	local f
	for f in "$FP_DATA"/*.pcap; do
		run PS -r "$f" --dump "$T/d" --stream "$T/s"
		[ "$status" -le 1 ] || { echo "$f: $status $output"; false; }
	done
	run -0 PS -r "$FP_DATA/ipv4_tcp_http_xml.pcap"
	[ "$(ev <(echo "$output") session_start reason)" = midstream ]
}

@test "pcap-sessions: TCP in IP fragments (IPv4 and IPv6, in and out of order) is reassembled" {
	local v
	for v in "" --v6; do
		rm -rf "$T/sent" "$T/d" "$T/d2" && mkdir -p "$T/sent" "$T/d" "$T/d2"
		CAP craft -o "$T/a.pcap" --sent "$T/sent" $v 3000,5000,200
		run -0 --separate-stderr PS -r "$T/a.pcap" --dump "$T/d"
		local plain=$output
		for how in frag:600 frag:600:rev; do
			CAP mangle "$T/a.pcap" "$T/f.pcap" "$how" > /dev/null
			# the fragments are there: tshark reads them as such
			[ "$(tshark -n -r "$T/f.pcap" -Y 'ip.flags.mf == 1 or ipv6.fraghdr.more == 1' 2>/dev/null |
			    wc -l)" -gt 0 ]
			rm -rf "$T/d2" && mkdir "$T/d2"
			run -0 --separate-stderr PS -r "$T/f.pcap" --dump "$T/d2"
			[ "$output" = "$plain" ] || { echo "$v $how: events differ"; diff <(echo "$plain") <(echo "$output"); false; }
			[[ "$stderr" == *" TCP fragments ("*" segments reassembled, 0 fragments refused, 0 left incomplete, 0 conflicting overlaps)"* ]]
			diff -r "$T/d" "$T/d2"
		done
		same_monologues "$T/sent" "$T/d" "$(ev <(echo "$plain") session_start key)"
	done
	# the last fragment never came: counted as incomplete, exit 1
	CAP craft -o "$T/a.pcap" 3000
	CAP mangle "$T/a.pcap" "$T/f.pcap" frag:600:rev > /dev/null
	python3 - "$T/f.pcap" "$T/g.pcap" <<-'PY'
	import struct, sys
	raw = open(sys.argv[1], "rb").read()
	out, pos, dropped = [raw[:24]], 24, False
	while pos + 16 <= len(raw):
	    n = struct.unpack("<I", raw[pos + 8:pos + 12])[0]
	    frame = raw[pos:pos + 16 + n]
	    pos += 16 + n
	    if not dropped and len(frame) > 16 + 34 and frame[16 + 20] & 0x3f == 0 and frame[16 + 21]:
	        dropped = True      # the first fragment with an offset and no MF: the last
	        continue
	    out.append(frame)
	open(sys.argv[2], "wb").write(b"".join(out))
	PY
	run -1 --separate-stderr PS -r "$T/g.pcap"
	[[ "$stderr" == *" 1 left incomplete"* ]]
}

@test "pcap-sessions: SIGUSR1 prints the counters; SIGINT ends every session and flushes" {
	CAP craft -o "$T/a.pcap" --close none 700,800
	mkfifo "$T/fifo"
	"$FP_BIN/pcap-sessions" -r "$T/fifo" > "$T/out" 2> "$T/err" &
	local pid=$!
	(cat "$T/a.pcap"; sleep 5) > "$T/fifo" &	# the pipe stays open: no end of input
	local feeder=$!
	sleep 1
	kill -USR1 "$pid"
	sleep 0.5
	kill -INT "$pid"
	local rc=0
	wait "$pid" || rc=$?
	kill "$feeder" 2>/dev/null || true
	[ "$rc" -eq 0 ]
	grep -q '^pcap-sessions: [0-9]* packets' "$T/err"
	grep -q '^pcap-sessions: stopped: ' "$T/err"
	[ "$(ev "$T/out" session_end reason c_bytes s_bytes)" = "eof 700 800" ]
}

@test "pcap-sessions: live on an interface (-i, -Z): events as they happen, the same bytes" {
	need_root "a live capture in a network namespace"
	LNS=fp-psl-$$-a
	LNS2=fp-psl-$$-b
	make_ns "$LNS" "$LNS2"
	chmod 755 "$T"; chmod 777 "$T/d"	# written after the drop to nobody
	ip netns exec "$LNS" "$FP_BIN/pcap-sessions" -i psv0 -Z nobody --dump "$T/d" tcp \
	    > "$T/out" 2> "$T/err" &
	local pid=$! i
	wait_user "$pid" nobody	# the capture is open: -Z comes after the open
	local ex="$FP_ROOT/tests/aids/tcp-exchange.py"
	ip netns exec "$LNS2" python3 "$ex" server 10.78.0.2 8081 "$T/sent" 1 &
	local srv=$!
	ip netns exec "$LNS" python3 "$ex" client 10.78.0.2 8081 "$T/sent" 300:5000,7000:20
	wait "$srv"
	# the exchange's end comes while the capture runs (a connection tried
	# before the server listened may have ended earlier, at its RST)
	for i in $(seq 100); do
		ev "$T/out" session_end reason | grep -qx fin && break
		sleep 0.1
	done
	ev "$T/out" session_end reason | grep -qx fin
	kill -TERM "$pid"
	local rc=0
	wait "$pid" || rc=$?
	[ "$rc" -eq 0 ] || { echo "exit $rc"; cat "$T/err"; false; }
	# (a connection tried before the server listened ends at its RST, without data)
	local k=$(ev "$T/out" monologue key | head -1)
	same_monologues "$T/sent" "$T/d" "$k" || { cat "$T/out" "$T/err"; ls -l "$T/d"; false; }
	grep -q '^pcap-sessions: stopped: .* dropped by the kernel' "$T/err"
}

@test "pcap-sessions: a session over 4 GiB (sent, cut to headers by the capture): 64-bit offsets" {
	CAP craft -o "$T/a.pcap" --sent "$T/sent" --isn-c 4294967000 --skip 4300000000 3000,2000
	run -0 PS -r "$T/a.pcap" --dump "$T/d" --stream "$T/s"
	[ "$(ev <(echo "$output") session_end reason c_bytes c_missing s_bytes s_missing)" = \
	    "fin 3000 4300000000 2000 0" ]
	# the gaps, as events and in the index, add up to what was not captured
	[ "$(ev <(echo "$output") gap length | awk '{ n += $1 } END { printf "%.0f", n }')" -eq 4300000000 ]
	[ "$(awk -F, '{ n += $3 } END { printf "%.0f", n }' "$T/s/$KEY-0.gaps")" -eq 4300000000 ]
	# the request lies past 4 GiB in the stream file, which is sparse; the dump has it alone
	[ "$(stat -c %s "$T/s/$KEY-0.c")" -eq 4300003000 ]
	[ "$(du -k "$T/s/$KEY-0.c" | cut -f1)" -lt 1024 ]
	tail -c 3000 "$T/s/$KEY-0.c" | cmp - "$T/sent/1.1.c"
	cmp "$T/sent/1.1.c" "$T/d/$KEY-0.1.c"
	cmp "$T/sent/1.2.s" "$T/d/$KEY-0.2.s"
}

@test "pcap-sessions: --stream: a direction that is all gap is a file of holes; a later run without gaps leaves no stale index or file" {
	# the server's one segment is lost: its whole stream (500 bytes) is a gap
	CAP craft -o "$T/a.pcap" 1000,500 > /dev/null
	CAP mangle "$T/a.pcap" "$T/lost.pcap" drop:s:1 > "$T/said"
	grep -qx 'gap s 0 500' "$T/said"
	mkdir "$T/st"
	run -0 PS -r "$T/lost.pcap" --stream "$T/st"
	[ "$(stat -c %s "$T/st/$KEY-0.s")" -eq 500 ] || fail "$(ls -l "$T/st")"
	[ "$(tr -d '\0' < "$T/st/$KEY-0.s" | wc -c)" -eq 0 ]	# all of it a hole
	grep -qx 's,0,500' "$T/st/$KEY-0.gaps"
	# the same session whole, then one whose server sends nothing, into the same folder
	run -0 PS -r "$T/a.pcap" --stream "$T/st"
	[ ! -e "$T/st/$KEY-0.gaps" ] || fail "stale index: $(cat "$T/st/$KEY-0.gaps")"
	[ "$(stat -c %s "$T/st/$KEY-0.s")" -eq 500 ]
	CAP craft -o "$T/quiet.pcap" 1000 > /dev/null
	run -0 PS -r "$T/quiet.pcap" --stream "$T/st"
	[ ! -e "$T/st/$KEY-0.s" ] || fail "stale stream file of the earlier run"
	[ "$(stat -c %s "$T/st/$KEY-0.c")" -eq 1000 ]
	# in one run into an empty folder: the tuple's second session, after the first's
	# tombstone went (-t idle=0.5), has its key again and leaves no stale index
	mkdir "$T/sent2"
	CAP craft -o "$T/two.pcap" --sent "$T/sent2" --again 1000,500 > /dev/null
	CAP mangle "$T/two.pcap" "$T/two-lost.pcap" drop:s:1 > /dev/null
	mkdir "$T/st2"
	run -0 PS -t idle=0.5 -r "$T/two-lost.pcap" --stream "$T/st2"
	[ "$(ev <(echo "$output") session_start key | sort -u)" = "$KEY-0" ]
	[ ! -e "$T/st2/$KEY-0.gaps" ] || fail "stale index of the first session: $(cat "$T/st2/$KEY-0.gaps")"
	cmp "$T/sent2/2.2.s" "$T/st2/$KEY-0.s"	# the second session's bytes
}
