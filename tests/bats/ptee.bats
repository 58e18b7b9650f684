#!/usr/bin/env bats
# ptee against a real rsyslogd started here: its own config, listening on
# a socket in the test's folder (never /dev/log), writing what it receives
# to a file there as TAG|facility|severity|time|message, time being the
# timestamp ptee sent as rsyslog parsed it (seconds since the epoch).
# Expected log lines are the input lines themselves; the tag, facility and
# severity names are rsyslog's own rendering of what ptee sent.
load helper

setup() {
	T=$(mktemp -d /tmp/fp-ptee.XXXXXX)	# short: a socket path has 107 bytes at most
	SOCK=$T/log.sock
	LOG=$T/log.txt
}

teardown() {
	[ -n "${PTEE_PID:-}" ] && kill "$PTEE_PID" 2>/dev/null
	[ -n "${RS_STOPPED:-}" ] && kill -CONT "$RS_PID" 2>/dev/null
	stop_rsyslog
	rm -rf "$T"
}

start_rsyslog() {
	need_cmd rsyslogd "rsyslog receives what ptee logs"
	cat > "$T/rsyslog.conf" <<-EOF
	global(workDirectory="$T")
	module(load="imuxsock" SysSock.Use="off")
	template(name="ptee" type="string" string="%syslogtag%|%syslogfacility-text%|%syslogseverity-text%|%timereported:::date-unixtimestamp%|%msg:2:\$%\n")
	ruleset(name="ptee") {
		action(type="omfile" file="$LOG" template="ptee")
	}
	input(type="imuxsock" Socket="$SOCK" RateLimit.Interval="0" UseSysTimeStamp="off" IgnoreTimestamp="off" Ruleset="ptee")
	EOF
	rsyslogd -n -f "$T/rsyslog.conf" -i "$T/rsyslog.pid" >> "$T/rsyslog.err" 2>&1 < /dev/null 3>&- 4>&- &
	RS_PID=$!
	for _ in $(seq 100); do
		[ -S "$SOCK" ] && return 0
		sleep 0.05
	done
	cat "$T/rsyslog.err" >&2
	fail "rsyslogd did not create $SOCK"
}

# Stops rsyslogd and waits until it is gone (it writes out what it holds first).
stop_rsyslog() {
	[ -n "${RS_PID:-}" ] || return 0
	kill "$RS_PID" 2>/dev/null
	wait "$RS_PID" 2>/dev/null
	RS_PID=
}

# Waits up to 5 s for the log file to hold n lines.
wait_log() {
	for _ in $(seq 100); do
		[ "$(cat "$LOG" 2>/dev/null | wc -l)" -ge "$1" ] && return 0
		sleep 0.05
	done
	fail "log has $(cat "$LOG" 2>/dev/null | wc -l) lines, not $1"
}

# Waits up to 5 s for file to hold the line.
wait_line() {
	for _ in $(seq 100); do
		grep -qxF -- "$2" "$1" 2>/dev/null && return 0
		sleep 0.05
	done
	fail "$1 never got '$2'"
}

# Waits up to 10 s for the ptee in the background to end; its status in rc.
wait_ptee() {
	for _ in $(seq 200); do
		ptee_running || break
		sleep 0.05
	done
	if ptee_running; then
		kill "$PTEE_PID"
		fail "ptee did not end"
	fi
	rc=0
	wait "$PTEE_PID" || rc=$?
	PTEE_PID=
}

# The shell reaps its children itself: gone, or a zombie, means ended.
ptee_running() {
	local st
	st=$(awk '{print $3}' "/proc/$PTEE_PID/stat" 2>/dev/null) || return 1
	[ -n "$st" ] && [ "$st" != Z ]
}

# Starts ptee in the background reading a fifo the test writes with >&4;
# its stdout and stderr go to $T/out and $T/err.
start_live_ptee() {
	mkfifo "$T/in"
	"$FP_BIN/ptee" -u "$SOCK" "$@" < "$T/in" > "$T/out" 2> "$T/err" 3>&- &
	PTEE_PID=$!
	exec 4> "$T/in"
}

# The messages of the log (the 4th field on), one per line.
log_messages() {
	cut -d'|' -f5- "$LOG"
}

@test "ptee: --version and -h" {
	run "$FP_BIN/ptee" --version
	assert_success
	assert_output "ptee flowpipes 0.1.0"
	run "$FP_BIN/ptee" -h
	assert_success
	assert_line --partial "usage: ptee"
}

@test "ptee: bad options exit 2 with a reason" {
	for args in "-p kern.info" "-p local8.info" "-p local6.loud" "-p 24.1" "-p local6.8" \
		"-p local6." "-p .info" "-p x.y.z" "-t a:b" "-t a[1]" "-t" "-S 10" "-S 60001" "-S 4x" \
		"-x" "--bogus" "--version=3" "extra" \
		"-u $(printf %0200d 0)"; do
		# shellcheck disable=SC2086
		run "$FP_BIN/ptee" -u "$SOCK" $args < /dev/null
		[ "$status" -eq 2 ] || fail "ptee $args: status $status, want 2"
		[[ "$output" == ptee:* ]] || fail "ptee $args: no message: $output"
	done
	run "$FP_BIN/ptee" -p local6.loud < /dev/null
	assert_output --partial "unknown level"
	run "$FP_BIN/ptee" -p kern.info < /dev/null
	assert_output --partial "reserved for the kernel"
	run "$FP_BIN/ptee" -a "$T/no/such/dir/file" < /dev/null
	[ "$status" -eq 2 ]
	assert_output --partial "$T/no/such/dir/file"
}

@test "ptee: every line downstream unchanged and in syslog as ptee, local6, notice" {
	start_rsyslog
	"$FP_BIN/ptee" -u "$SOCK" < "$FP_DATA/flow-export-f2.csv" > "$T/out" 2> "$T/err" &
	pid=$!
	wait "$pid"
	[ -s "$T/err" ] && fail "stderr: $(cat "$T/err")"
	cmp "$FP_DATA/flow-export-f2.csv" "$T/out"
	n=$(wc -l < "$FP_DATA/flow-export-f2.csv")
	wait_log "$n"
	# the header line too: ptee logs every line, as nfflowd's did
	diff <(sed "s/^/ptee[$pid]:|local6|notice|/" "$FP_DATA/flow-export-f2.csv") <(cut -d'|' -f1-3,5- "$LOG")
	# the header's local-time stamp, read back by rsyslog, is the time of sending
	now=$(date +%s)
	cut -d'|' -f4 "$LOG" | while read -r t; do
		[ $((now - t)) -ge 0 ] && [ $((now - t)) -le 10 ] || fail "timestamp $t, now $now"
	done
}

@test "ptee: -t and -p set tag, facility and level; names and numbers" {
	start_rsyslog
	echo one | "$FP_BIN/ptee" -u "$SOCK" -t flowpipes -p daemon.info > /dev/null
	echo two | "$FP_BIN/ptee" -u "$SOCK" -t nfflowd -p 23.7 > /dev/null
	echo three | "$FP_BIN/ptee" -u "$SOCK" -p ERR > /dev/null
	echo four | "$FP_BIN/ptee" -u "$SOCK" -p user.warn > /dev/null
	wait_log 4
	run sed 's/\[[0-9]*\]:|/:|/' <(cut -d'|' -f1-3,5- "$LOG")
	assert_line --index 0 "flowpipes:|daemon|info|one"
	assert_line --index 1 "nfflowd:|local7|debug|two"
	assert_line --index 2 "ptee:|local6|err|three"
	assert_line --index 3 "ptee:|user|warning|four"
}

@test "ptee: a line goes downstream at once, before input ends" {
	start_rsyslog
	start_live_ptee
	echo first >&4
	wait_line "$T/out" first
	wait_log 1
	echo second >&4
	wait_line "$T/out" second
	exec 4>&-
	wait_ptee
	assert_equal "$rc" 0
	wait_log 2
	assert_equal "$(log_messages)" "$(printf 'first\nsecond')"
}

@test "ptee: rsyslogd stopped mid-stream and started again: downstream gets every line, the lost ones are counted" {
	start_rsyslog
	start_live_ptee
	for i in $(seq 1 10); do echo "line $i" >&4; done
	wait_log 10
	stop_rsyslog
	[ ! -e "$SOCK" ] || fail "rsyslogd left its socket behind"
	for i in $(seq 11 20); do echo "line $i" >&4; done
	wait_line "$T/out" "line 20"
	start_rsyslog
	sleep 1.2	# ptee retries a failed connect once a second
	for i in $(seq 21 30); do echo "line $i" >&4; done
	wait_line "$T/out" "line 30"
	wait_log 20
	exec 4>&-
	wait_ptee
	assert_equal "$rc" 1	# lines were lost to syslog
	diff <(seq 1 30 | sed 's/^/line /') "$T/out"
	diff <( (seq 1 10; seq 21 30) | sed 's/^/line /') <(log_messages)
	run cat "$T/err"
	assert_line --partial "not logged until it is back"
	assert_line --partial "is back; 10 messages were not logged meanwhile"
	assert_line "ptee: 10 of 30 lines not logged to syslog $SOCK"
}

@test "ptee: rsyslogd restarted between two lines: reconnected at once, nothing lost" {
	start_rsyslog
	start_live_ptee
	echo before >&4
	wait_log 1
	stop_rsyslog
	start_rsyslog
	echo after >&4
	wait_log 2
	kill -USR1 "$PTEE_PID"
	wait_line "$T/err" "ptee: 2 lines, 2 log messages sent, 0 lines not logged, 1 reconnects; syslog $SOCK connected"
	exec 4>&-
	wait_ptee
	assert_equal "$rc" 0
	assert_equal "$(log_messages)" "$(printf 'before\nafter')"
	assert_equal "$(wc -l < "$T/err")" 1
}

@test "ptee: no syslog at all: lines flow, each one counted as not logged, exit 1" {
	run --separate-stderr "$FP_BIN/ptee" -u "$T/nothing-here" < "$FP_DATA/nfflowd-18.csv"
	assert_equal "$status" 1
	assert_equal "$output" "$(cat "$FP_DATA/nfflowd-18.csv")"
	assert_equal "${#stderr_lines[@]}" 2
	[[ "${stderr_lines[0]}" == *"connect: No such file or directory"* ]]
	assert_equal "${stderr_lines[1]}" "ptee: 2 of 2 lines not logged to syslog $T/nothing-here"
}

@test "ptee: a stuck rsyslogd (SIGSTOP) does not hold up the pipe" {
	start_rsyslog
	kill -STOP "$RS_PID"
	RS_STOPPED=1
	SECONDS=0
	rc=0
	seq 1 300 | timeout 20 "$FP_BIN/ptee" -u "$SOCK" > "$T/out" 2> "$T/err" || rc=$?
	assert_equal "$rc" 1
	[ "$SECONDS" -lt 10 ] || fail "ptee took $SECONDS s"
	kill -CONT "$RS_PID"
	RS_STOPPED=
	diff <(seq 1 300) "$T/out"
	run cat "$T/err"
	assert_line --partial "not reading"
	# the daemon's queue took the first few; the rest are counted
	lost=$(sed -n 's/^ptee: \([0-9]*\) of 300 lines not logged.*/\1/p' "$T/err")
	[ -n "$lost" ] && [ "$lost" -gt 0 ] || fail "no loss count"
	wait_log $((300 - lost))
	sleep 0.2
	assert_equal "$(wc -l < "$LOG")" $((300 - lost))
}

@test "ptee: long lines are logged whole up to -S, then in marked pieces, never cut" {
	start_rsyslog
	a=$(head -c 4096 /dev/zero | tr '\0' a)
	b=$(head -c 4096 /dev/zero | tr '\0' b)
	c=$(head -c 1808 /dev/zero | tr '\0' c)
	printf '%s\n%s%s%s\nshort\n' "$a" "$a" "$b" "$c" > "$T/in"
	"$FP_BIN/ptee" -u "$SOCK" < "$T/in" > "$T/out"
	cmp "$T/in" "$T/out"
	wait_log 5
	run log_messages
	assert_equal "${#lines[@]}" 5
	assert_equal "${lines[0]}" "$a"			# exactly -S bytes: one message
	assert_equal "${lines[1]}" "$a [...]"
	assert_equal "${lines[2]}" "[...] $b [...]"
	assert_equal "${lines[3]}" "[...] $c"
	assert_equal "${lines[4]}" "short"
	# a larger -S logs the 10000-byte line whole
	: > "$LOG"
	printf '%s%s%s\n' "$a" "$b" "$c" | "$FP_BIN/ptee" -u "$SOCK" -S 7900 > /dev/null
	wait_log 2
	run log_messages
	assert_equal "${lines[0]}" "$a${b:0:3804} [...]"
	assert_equal "${lines[1]}" "[...] ${b:3804}$c"
}

@test "ptee: CRLF and a last line without newline pass unchanged; syslog gets the text" {
	start_rsyslog
	printf 'one\r\ntwo\n\r\nthree\r' > "$T/in"
	"$FP_BIN/ptee" -u "$SOCK" < "$T/in" > "$T/out"
	cmp "$T/in" "$T/out"
	printf 'no newline' | "$FP_BIN/ptee" -u "$SOCK" > "$T/out2"
	assert_equal "$(od -c < "$T/out2")" "$(printf 'no newline' | od -c)"
	wait_log 5
	# rsyslog would show a carriage return as #015
	assert_equal "$(log_messages)" "$(printf 'one\ntwo\n\nthree\nno newline')"
}

@test "ptee: -s copies to stderr, -a appends to a file" {
	start_rsyslog
	printf 'before\n' > "$T/copy"
	printf 'x1\r\nx2\n' | "$FP_BIN/ptee" -u "$SOCK" -s -a "$T/copy" > "$T/out" 2> "$T/err"
	cmp <(printf 'x1\r\nx2\n') "$T/out"
	cmp <(printf 'x1\r\nx2\n') "$T/err"
	cmp <(printf 'before\nx1\r\nx2\n') "$T/copy"
	wait_log 2
	assert_equal "$(log_messages)" "$(printf 'x1\nx2')"
}

@test "ptee: downstream closed (EPIPE): quiet exit 0" {
	start_rsyslog
	run bash -c 'seq 1 200000 | "$1" -u "$2" 2> "$3" | head -n 2; echo "status ${PIPESTATUS[1]}"' _ "$FP_BIN/ptee" "$SOCK" "$T/err"
	assert_line --index 0 1
	assert_line --index 1 2
	assert_line --index 2 "status 0"
	[ ! -s "$T/err" ] || fail "stderr: $(cat "$T/err")"
}

@test "ptee: SIGUSR1 prints counters; SIGTERM passes on a pending partial line and exits 0" {
	start_rsyslog
	start_live_ptee
	printf 'a\nb\npart' >&4
	wait_line "$T/out" b
	kill -USR1 "$PTEE_PID"
	wait_line "$T/err" "ptee: 2 lines, 2 log messages sent, 0 lines not logged, 0 reconnects; syslog $SOCK connected"
	kill -TERM "$PTEE_PID"
	wait_ptee
	exec 4>&-
	assert_equal "$rc" 0
	assert_equal "$(cat "$T/out")" "$(printf 'a\nb\npart')"
	wait_log 3
	assert_equal "$(log_messages)" "$(printf 'a\nb\npart')"
}

@test "ptee: -r reads a file; empty input is fine" {
	start_rsyslog
	run "$FP_BIN/ptee" -u "$SOCK" -r "$FP_DATA/nfflowd-18.csv"
	assert_success
	assert_equal "$output" "$(cat "$FP_DATA/nfflowd-18.csv")"
	run "$FP_BIN/ptee" -u "$SOCK" < /dev/null
	assert_success
	assert_output ""
	run "$FP_BIN/ptee" -u "$SOCK" -r "$T/missing"
	assert_equal "$status" 2
	wait_log 2
	diff <(cut -d, -f1-18 "$FP_DATA/nfflowd-18.csv") <(log_messages)
}

# Issue 10, minor: pieces of a long line end on UTF-8 character
# boundaries. "a" and 100 two-byte characters (201 bytes) with -S 64: the
# old cut at 64 bytes split the 32nd character; now 63, 64, 64 and 10.
@test "ptee: -S pieces never split a UTF-8 character (issue 10 minor)" {
	start_rsyslog
	e=$(printf '\303\251')	# U+00E9, two bytes
	line="a$(for _ in $(seq 100); do printf '%s' "$e"; done)"
	printf '%s\n' "$line" > "$T/in"
	"$FP_BIN/ptee" -u "$SOCK" -S 64 < "$T/in" > "$T/out"
	cmp "$T/in" "$T/out"
	wait_log 4
	run log_messages
	rep() { local i; for ((i = 0; i < $1; i++)); do printf '%s' "$e"; done; }
	assert_equal "${lines[0]}" "a$(rep 31) [...]"
	assert_equal "${lines[1]}" "[...] $(rep 32) [...]"
	assert_equal "${lines[2]}" "[...] $(rep 32) [...]"
	assert_equal "${lines[3]}" "[...] $(rep 5)"
}

# Issue 10, minor: started with stdout closed (>&-), ptee opened its -a
# file on descriptor 1 and wrote every line into it twice. Now the closed
# stdout stays closed to writes: the first line fails there, named, exit
# 2, and the -a file gets nothing it should not.
@test "ptee: stdout closed does not write lines twice into the -a file (issue 10 minor)" {
	printf 'before\n' > "$T/copy"
	run bash -c 'printf "x1\nx2\n" | "$1" -u "$2" -a "$3" >&-' _ "$FP_BIN/ptee" "$T/nosock" "$T/copy"
	[ "$status" -eq 2 ]
	assert_output --partial "ptee: stdout: Bad file descriptor"
	cmp <(printf 'before\n') "$T/copy"
}
