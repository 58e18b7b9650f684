# Shared by ct-dump.bats and ct2ft.bats: namespaces (scripts/ct-netns),
# traffic servers (scripts/ct-traffic) and waiting for event lines.

# Makes namespace(s) NS for this test: ct_ns_setup up|nat PREFIX.
ct_ns_setup() {
	need_root "creates network namespaces"
	need_cmd conntrack
	need_cmd nft
	NS=$2-$$-${BATS_TEST_NUMBER}
	"$FP_ROOT/scripts/ct-netns" "$1" "$NS"
}

# Ends what runs in NS (only processes this test started there) and deletes it.
ct_ns_teardown() {
	[ -n "${NS:-}" ] || return 0
	for p in $(ip netns pids "$NS" 2>/dev/null) $(ip netns pids "$NS-s" 2>/dev/null); do
		kill "$p" 2>/dev/null || true
	done
	sleep 0.2
	"$FP_ROOT/scripts/ct-netns" down "$NS"
}

# Starts scripts/ct-traffic serve ADDR PORT in namespace NS; returns when it listens.
start_server() {	# ns addr port
	local f="$BATS_TEST_TMPDIR/srv-$2-$3"
	ip netns exec "$1" "$FP_ROOT/scripts/ct-traffic" serve "$2" "$3" > "$f" &
	for _ in $(seq 100); do
		grep -q ready "$f" && return 0
		sleep 0.1
	done
	return 1
}

# Waits until file $1 holds at least $2 lines matching $3 (10 s at most).
wait_lines() {
	for _ in $(seq 100); do
		[ "$(grep -c -- "$3" "$1" 2>/dev/null)" -ge "$2" ] && return 0
		sleep 0.1
	done
	echo "wait_lines: $1 has $(grep -c -- "$3" "$1") of $2 '$3' lines" >&2
	return 1
}
