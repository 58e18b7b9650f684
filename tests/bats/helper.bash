# Shared setup for the bats suites. FP_BIN holds the binaries under test
# (make check points it at the sanitizer build); FP_DATA the fixtures.
: "${FP_ROOT:=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)}"
: "${FP_BIN:=$FP_ROOT/build/asan/bin}"
: "${FP_DATA:=$FP_ROOT/tests/data}"
export FP_BIN FP_DATA FP_ROOT

bats_require_minimum_version 1.5.0
load '/usr/lib/bats/bats-support/load'
load '/usr/lib/bats/bats-assert/load'

# Skips a test that needs root (or a namespace, or a peer tool) outside
# CI; under CI=true such a test must run, so it fails instead.
require() {	# what, reason
	if [ "${CI:-}" = true ]; then
		fail "needs $1 under CI=true: $2"
	fi
	skip "needs $1: $2"
}
need_root() { [ "$(id -u)" -eq 0 ] || require root "${1:-runs as root}"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || require "$1" "${2:-peer tool not installed}"; }

# Waits until process $1 catches SIGUSR1 (its signal handlers are in place).
wait_handlers() {
	local mask
	for _ in $(seq 100); do
		mask=$(awk '/^SigCgt:/ { print $2 }' "/proc/$1/status" 2>/dev/null)
		[ -n "$mask" ] && (( 0x$mask & 0x200 )) && return 0
		sleep 0.05
	done
	return 1
}

# Flow lines with first/last as absolute ms (export time minus the uptime
# difference, in 32-bit arithmetic) in place of the clock fields, and
# without exaddr: what must survive any NetFlow codec. Sorted.
flow_absolute() {
	awk -F, '!/^#/ && NF >= 24 {
		e = $1 * 1000 + int($2 / 1000000)
		b = $3 - $7; if (b < 0) b += 4294967296
		f = e - b
		b = $3 - $8; if (b < 0) b += 4294967296
		printf "%.0f,%.0f", f, e - b
		for (i = 5; i <= 24; i++) if (i != 7 && i != 8) printf ",%s", $i
		printf "\n"
	}' "$@" | sort
}

# Starts tcpdump in the background writing to FILE (its messages in
# FILE.err), in namespace $TD_NS when set, and returns once it listens, so
# that what is sent next is captured. The process id is left in TD_PID.
# The arguments after FILE go to tcpdump. (No --immediate-mode: libpcap
# then gives up its block ring, and a burst overflows the smaller one.)
tcpdump_start() {	# file tcpdump-args...
	local f=$1
	shift
	${TD_NS:+ip netns exec "$TD_NS"} tcpdump -U -w "$f" "$@" 2> "$f.err" 3>&- &
	TD_PID=$!
	for _ in $(seq 200); do
		grep -q 'listening on' "$f.err" && return 0
		sleep 0.05
	done
	cat "$f.err"
	return 1
}

# Stops tcpdump PID (SIGINT) once FILE holds at least N packets that the
# BPF expression selects: a loaded machine may write them late. Waits at
# most 10 s, then stops it anyway; the caller's checks tell what is missing.
tcpdump_stop_at() {	# pid file n [expression...]
	local pid=$1 f=$2 n=$3
	shift 3
	for _ in $(seq 100); do
		[ "$(tcpdump -nr "$f" "$@" 2>/dev/null | wc -l)" -ge "$n" ] && break
		sleep 0.1
	done
	kill -INT "$pid"
	wait "$pid" 2>/dev/null || true
}

# Waits (at most 10 s) until process PID runs as USER: a capture tool
# given -Z has opened its interface by then.
wait_user() {	# pid user
	local uid
	uid=$(id -u "$2")
	for _ in $(seq 100); do
		[ "$(awk '/^Uid:/ { print $2 }' "/proc/$1/status" 2>/dev/null)" = "$uid" ] && return 0
		sleep 0.1
	done
	return 1
}

# Two namespaces joined by a veth pair: DEV_A in NS_A with 10.NET.0.1 and
# fdNET::1, DEV_B in NS_B with 10.NET.0.2 and fdNET::2, all up (lo too).
# Words after NET are link options for both ends (mtu 1280, gso_max_size ...).
veth_pair() {	# ns-a ns-b dev-a dev-b net [link options...]
	local a=$1 b=$2 da=$3 db=$4 net=$5
	shift 5
	ip netns add "$a"
	ip netns add "$b"
	ip link add "$da" netns "$a" "$@" type veth peer name "$db" netns "$b" "$@"
	ip -n "$a" addr add "10.$net.0.1/24" dev "$da"
	ip -n "$b" addr add "10.$net.0.2/24" dev "$db"
	ip -n "$a" addr add "fd$net::1/64" dev "$da" nodad
	ip -n "$b" addr add "fd$net::2/64" dev "$db" nodad
	ip -n "$a" link set lo up
	ip -n "$b" link set lo up
	ip -n "$a" link set "$da" up
	ip -n "$b" link set "$db" up
}
