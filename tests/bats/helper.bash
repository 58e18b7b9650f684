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
