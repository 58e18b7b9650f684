#!/usr/bin/env bats
# flow-load: flow lines into SQLite, PostgreSQL, MariaDB and ClickHouse.
#
# Real servers (flow-load-db.bash): one PostgreSQL, MariaDB and ClickHouse for
# the file, started in setup_file with their data and sockets under
# BATS_FILE_TMPDIR and stopped by pid in teardown_file. Every expected
# figure is computed from the input lines by awk (counts, bytes per
# source, absolute times by the v5 clock rule of DESIGN.md) and compared
# with what the database answers.

load helper
load flow-load-db
bats_require_minimum_version 1.5.0

# the 24-field header of scripts/gen-flowlines
HDR='#:unix_secs,unix_nsecs,sysuptime,exaddr,dpkts,doctets,first,last,engine_type,engine_id,srcaddr,dstaddr,nexthop,input,output,srcport,dstport,prot,tos,tcp_flags,src_mask,dst_mask,src_as,dst_as'

setup_file() {
	local d=$BATS_FILE_TMPDIR
	# 20000 generated records, then hand-made ones: IPv6 with counters
	# past 2^32, an exporter uptime that wrapped between first and export
	# (sysuptime 1000, first 4294967000: 1296 ms before export), and a host
	# 10.1.2.3 for the conversation queries
	# (the generator writes 2001:db8::0:x; the databases store RFC 5952 text)
	python3 "$FP_ROOT/scripts/gen-flowlines" -n 20000 -s 7 | sed 's/::0:/::/g' > "$d/in.csv"
	cat >> "$d/in.csv" <<-'EOF'
	1700000100,250000000,1000,2001:db8:ff::1,1099511627776,4398046511104,4294967000,500,1,2,2001:db8:aa::1,2001:db8:bb::2,::,7,8,443,51000,6,0,24,48,64,4200000000,65000
	1700000200,0,7200000,192.0.2.1,12,3400,7100000,7190000,0,0,10.1.2.3,198.51.100.9,0.0.0.0,0,0,40000,443,6,0,27,0,0,0,0
	1700003800,0,10800000,192.0.2.1,8,1200,10700000,10790000,0,0,198.51.100.9,10.1.2.3,0.0.0.0,0,0,443,40000,6,0,27,0,0,0,0
	EOF
	# counters at the top of the unsigned 64-bit range
	{ echo "$HDR"; echo '1700000300,0,5000,192.0.2.2,18446744073709551615,18446744073709551614,4000,4500,0,0,2001:db8::7,2001:db8::9,::,0,0,1,2,17,0,0,0,0,0,0'; } > "$d/big.csv"
	# (%.0f, not %d: mawk prints %d as a 32-bit int)
	# expected: per source address "addr,records,bytes"; per record "src,dst,sport,dport,start,end"
	awk -F, '!/^#/ { n[$11]++; b[$11] += $6 } END { for (a in n) printf "%s,%d,%.0f\n", a, n[a], b[a] }' \
		"$d/in.csv" | LC_ALL=C sort > "$d/by-src.expected"
	awk -F, '!/^#/ {
		exp_ms = $1 * 1000 + int($2 / 1000000)
		s = $3 - $7; if (s < 0) s += 4294967296
		e = $3 - $8; if (e < 0) e += 4294967296
		printf "%s,%s,%d,%d,%.0f,%.0f\n", $11, $12, $16, $17, exp_ms - s, exp_ms - e
	}' "$d/in.csv" | LC_ALL=C sort > "$d/times.expected"
	if command -v "$PG_BIN/initdb" > /dev/null 2>&1; then
		pg_start "$d" || { cat "$d"/pg-initdb.log "$d"/pg/server.log >&3; return 1; }
		echo "$PG_URL" > "$d/pg.url"
	fi
	if command -v mariadbd > /dev/null 2>&1; then
		my_start "$d" || { tail -5 "$d/my/install.log" "$d/my/error.log" >&3; return 1; }
	fi
	if command -v clickhouse-server > /dev/null 2>&1; then
		ch_start "$d" || { tail -5 "$d/ch/error.log" >&3; return 1; }
		echo "$CH_PORT $CH_TCP $CH_INTER" > "$d/ch.ports"
	fi
}

teardown_file() {
	pg_stop "$BATS_FILE_TMPDIR"
	my_stop "$BATS_FILE_TMPDIR"
	ch_stop "$BATS_FILE_TMPDIR"
}

setup() {
	D=$BATS_FILE_TMPDIR
	IN=$D/in.csv
	[ -f "$D/pg.url" ] && PG_URL=$(cat "$D/pg.url")
	[ -f "$D/ch.ports" ] && read -r CH_PORT CH_TCP CH_INTER < "$D/ch.ports"
	if [ -S "$D/my/sock" ]; then
		MY_SOCK=$D/my/sock
		MY_URL="mysql://root@localhost/flows?socket=$MY_SOCK"
	fi
	export PG_URL CH_PORT CH_TCP CH_INTER MY_SOCK MY_URL
	CH_URL="clickhouse://127.0.0.1:$CH_PORT/flows"
}

load_() {
	"$FP_BIN/flow-load" "$@"
}

need_pg() {
	need_cmd psql "PostgreSQL (postgresql, postgresql-client)"
	[ -n "${PG_URL:-}" ] || require postgresql "the server of setup_file"
}
need_my() {
	need_cmd mariadbd "MariaDB (mariadb-server)"
	[ -n "${MY_URL:-}" ] || require mariadb "the server of setup_file"
}
need_ch() {
	need_cmd clickhouse-server "ClickHouse (clickhouse-server)"
	[ -n "${CH_PORT:-}" ] || require clickhouse "the server of setup_file"
}

# "addr,records,bytes" per source, sorted, from a query's rows
sorted() {
	tr '\t|' ',,' | LC_ALL=C sort
}

# per source and per record against awk's figures, by two queries run by $1
check_loaded() {	# runner by-source-query per-record-query
	diff <($1 "$2" | sorted) "$D/by-src.expected"
	diff <($1 "$3" | sorted) "$D/times.expected"
}
sq() {
	sqlite3 "$db" "$@"
}

# 200k generated records into $1 through a pipe, 10k every 0.1 s, so the
# load is still running when a test stops the server; pid in $pid, the
# input's "records<sep>bytes" in $expected, stderr in err
paced_load() {	# target batch-rows separator
	[ -s "$D/restart.csv" ] || python3 "$FP_ROOT/scripts/gen-flowlines" -n 200000 -s 3 > "$D/restart.csv"
	expected=$(awk -F, -v sep="$3" '!/^#/ { n++; b += $6 } END { printf "%d%s%.0f", n, sep, b }' "$D/restart.csv")
	split -l 10000 "$D/restart.csv" "$BATS_TEST_TMPDIR/part."
	for p in "$BATS_TEST_TMPDIR"/part.*; do cat "$p"; sleep 0.1; done |
		"$FP_BIN/flow-load" -b "$2" -S restart-test "$1" 2> "$BATS_TEST_TMPDIR/err" &
	pid=$!
}

# Until the paced load has committed its first batch (at most 10 s): a stop
# before that (a busy machine starts flow-load late) would test its first
# connection, not a reconnection.
first_batch() {	# runner
	local n
	for _ in $(seq 100); do
		n=$($1 'SELECT count(*) FROM load_batches' 2>/dev/null) || n=0
		[ "${n:-0}" -ge 1 ] 2>/dev/null && return 0
		sleep 0.1
	done
	return 1
}

# A CHECK constraint added by hand refuses input lines 11 and 4001: both
# named, the other 20001 loaded in the one batch; then a column added by
# hand makes the table foreign.
check_refused() {	# runner target message-after-"refused by " sql-to-add-a-column
	$1 "DROP TABLE IF EXISTS flows, exporters, load_batches"
	run -0 load_ -r /dev/null "$2"
	$1 "ALTER TABLE flows ADD CONSTRAINT no_telnet CHECK (dstport <> 23)"
	awk -F, -v OFS=, 'NR == 11 || NR == 4001 { $17 = 23 } { print }' "$IN" > "$BATS_TEST_TMPDIR/in.csv"
	run -1 load_ -r "$BATS_TEST_TMPDIR/in.csv" "$2"
	assert_line --partial "in.csv:11: refused by $3"
	assert_line --partial "in.csv:4001: refused by ${3%%,*}"
	assert_line --partial "20003 records read, 20001 loaded in 1 batches, 0 retries, 2 refused"
	[ "$($1 'SELECT count(*) FROM flows')" -eq 20001 ]
	[ "$($1 'SELECT records FROM load_batches')" -eq 20001 ]
	$1 "$4"
	run -2 load_ -r "$IN" "$2"
	assert_output --partial "table flows exists with other columns: it has vlan"
}

# the man page's example lines for one tool (prefix), unescaped
man_queries() {
	grep "^$1 " "$FP_ROOT/man1/flow-load.1" | sed 's/\\e/\\/g'
}

# compares the man page's three queries' output against awk: top
# talkers (top 10 of by-src.expected), the hour buckets' record counts
# sum to all records, and 10.1.2.3's two conversations
check_man_queries() {	# prefix replacement
	local q
	mapfile -t q < <(man_queries "$1")
	[ "${#q[@]}" -eq 3 ]
	run -0 bash -c "$2${q[0]#"$1"}"
	local top
	top=$(LC_ALL=C sort -t, -k3,3nr -k1,1 "$D/by-src.expected" | head -10 | cut -d, -f1,3)
	diff <(echo "$output" | grep -v -- '---\|rows)\|^ *$\|bytes' | tr -d ' ' | tr '\t|' ',,') <(echo "$top")
	run -0 bash -c "$2${q[1]#"$1"}"
	[ "$(echo "$output" | tr '\t|' ',,' | awk -F, 'NF >= 3 { n += $(NF - 1) } END { print n }')" -eq 20003 ]
	run -0 bash -c "$2${q[2]#"$1"}"
	assert_output --partial 198.51.100.9
	[ "$(echo "$output" | tr '\t|' ',,' | grep -c '10\.1\.2\.3')" -eq 2 ]
}

@test "flow-load: --version, -h, usage errors exit 2" {
	run -0 load_ --version
	assert_output "flow-load flowpipes 0.1.0"
	run -0 load_ -h
	assert_output --partial "sqlite:PATH"
	run -2 load_
	assert_output --partial "no target given"
	run -2 load_ -b 0 sqlite:x.db
	run -2 load_ nosuch:thing
	assert_output --partial "unknown target"
	run -2 load_ -r "$IN" clickhouse://127.0.0.1:99999/x
	assert_output --partial "port: want 1 to 65535"
	run -2 load_ -r "$IN" clickhouse://127.0.0.1
	assert_output --partial "no /DATABASE"
}

@test "flow-load: make says which optional library is missing; the binary names its package" {
	# a build that leaves two libraries out (as if not installed), in a folder of its own
	run -0 make -C "$FP_ROOT" -j2 BUILD="$BATS_TEST_TMPDIR/b" OPTFLAGS=-O0 \
		OPT_WITHOUT="libmariadb libpq" "$BATS_TEST_TMPDIR/b/rel/bin/flow-load"
	assert_line "make: flow-load is built without libpq (HAVE_POSTGRESQL): left out by OPT_WITHOUT"
	assert_line "make: flow-load is built without libmariadb (HAVE_MARIADB): left out by OPT_WITHOUT"
	refute_output --partial "without sqlite3"
	run -2 "$BATS_TEST_TMPDIR/b/rel/bin/flow-load" -r /dev/null mysql://u@localhost/x
	assert_output "flow-load: built without MySQL/MariaDB support (install libmariadb-dev and rebuild)"
	run -2 "$BATS_TEST_TMPDIR/b/rel/bin/flow-load" -r /dev/null "postgresql:///x?host=$BATS_TEST_TMPDIR"
	assert_output "flow-load: built without PostgreSQL support (install libpq-dev and rebuild)"
	run -0 "$BATS_TEST_TMPDIR/b/rel/bin/flow-load" -r "$IN" "sqlite:$BATS_TEST_TMPDIR/f.db"
}

@test "flow-load: sqlite: records and bytes per source, times to the ms, IPv6 and 64-bit" {
	need_cmd sqlite3
	run -0 load_ -r "$IN" -b 6000 "sqlite:$BATS_TEST_TMPDIR/f.db"
	assert_output --partial "20003 records read, 20003 loaded in 4 batches"
	db=$BATS_TEST_TMPDIR/f.db
	check_loaded sq "SELECT srcaddr, count(*), sum(doctets) FROM flows GROUP BY srcaddr" \
		"SELECT srcaddr, dstaddr, srcport, dstport, start_time, end_time FROM flows"
	run -0 sqlite3 "$db" "SELECT exaddr, nexthop, dpkts, doctets, input, output, src_as, dst_as, src_mask, dst_mask, engine_type, engine_id, end_time - start_time FROM flows WHERE srcaddr = '2001:db8:aa::1'"
	assert_output "2001:db8:ff::1|::|1099511627776|4398046511104|7|8|4200000000|65000|48|64|1|2|796"
	run -0 sqlite3 "$db" "SELECT exaddr, records, first_seen, last_seen FROM exporters ORDER BY exaddr"
	assert_output "192.0.2.1|20002|1700000001000|1700003800000
2001:db8:ff::1|1|1700000100250|1700000100250"
	run -0 sqlite3 "$db" "SELECT first_line, last_line, records FROM load_batches ORDER BY first_line"
	assert_output "2|6001|6000
6002|12001|6000
12002|18001|6000
18002|20004|2003"
	run -0 sqlite3 "$db" "PRAGMA journal_mode"
	assert_output wal
}

@test "flow-load: sqlite: a counter above 2^63-1 is refused by line, the rest loads; bad lines named" {
	need_cmd sqlite3
	{ cat "$D/big.csv"; echo 'not,a,record'; sed -n 2p "$D/big.csv" | sed 's/18446744073709551615,18446744073709551614/9223372036854775807,5/'; } > "$BATS_TEST_TMPDIR/in.csv"
	run -1 load_ -r "$BATS_TEST_TMPDIR/in.csv" "sqlite:$BATS_TEST_TMPDIR/f.db"
	assert_line --partial "in.csv:2: refused by SQLite, not loaded: CHECK constraint failed"
	assert_line --partial "in.csv:3: "
	assert_line --partial "2 records read, 1 loaded in 1 batches, 0 retries, 1 refused by the database, 0 already loaded (0 batches), 1 bad lines"
	run -0 sqlite3 "$BATS_TEST_TMPDIR/f.db" "SELECT dpkts, doctets FROM flows"
	assert_output "9223372036854775807|5"
}

@test "flow-load: sqlite: paired flows keep their reverse direction; a time before 1970 is a bad line" {
	need_cmd sqlite3
	# flow-stitch -b's fields; export at 1700000000 s with uptime 3600000 ms, so an
	# uptime u is at 1699996400000 + u ms; line 3's uptimes reach before 1970
	{
		echo '#:unix_secs,sysuptime,dpkts,doctets,first,last,srcaddr,dstaddr,srcport,dstport,prot,rdpkts,rdoctets,rtcp_flags,rfirst,rlast'
		echo '1700000000,3600000,4,400,3590000,3595000,10.0.0.1,10.0.0.2,1000,80,6,3,9000,24,3590100,3595500'
		echo '10,20000,1,1,5000,19000,10.0.0.3,10.0.0.4,1,2,17,0,0,0,0,0'
		echo '1700000000,3600000,1,60,3599000,3599000,10.0.0.5,10.0.0.6,1,2,17,0,0,0,3599000,3599000'
	} > "$BATS_TEST_TMPDIR/in.csv"
	run -1 load_ -r "$BATS_TEST_TMPDIR/in.csv" "sqlite:$BATS_TEST_TMPDIR/f.db"
	assert_line --partial "in.csv:3: a packet time before 1970 (uptime further back than the export clock): skipped"
	assert_line --partial "3 records read, 2 loaded in 1 batches, 0 retries, 0 refused by the database, 0 already loaded (0 batches), 1 bad lines"
	run -0 sqlite3 "$BATS_TEST_TMPDIR/f.db" "SELECT srcaddr, start_time, end_time, rdpkts, rdoctets, rtcp_flags, rstart_time, rend_time FROM flows ORDER BY srcaddr"
	assert_output "10.0.0.1|1699999990000|1699999995000|3|9000|24|1699999990100|1699999995500
10.0.0.5|1699999999000|1699999999000|0|0|0|1699999999000|1699999999000"
	# without reverse fields in the input, the reverse times are NULL
	head -5 "$IN" > "$BATS_TEST_TMPDIR/plain.csv"
	run -0 load_ -r "$BATS_TEST_TMPDIR/plain.csv" "sqlite:$BATS_TEST_TMPDIR/g.db"
	run -0 sqlite3 "$BATS_TEST_TMPDIR/g.db" "SELECT count(*), sum(rdpkts) FROM flows WHERE rstart_time IS NULL AND rend_time IS NULL"
	assert_output "4|0"
}

@test "flow-load: sqlite: loading the same file again adds nothing; other columns are an error" {
	need_cmd sqlite3
	db=$BATS_TEST_TMPDIR/f.db
	run -0 load_ -r "$IN" -b 8000 "sqlite:$db"
	run -0 load_ -r "$IN" -b 8000 "sqlite:$db"
	assert_output --partial "0 loaded in 0 batches, 0 retries, 0 refused by the database, 20003 already loaded (3 batches)"
	[ "$(sqlite3 "$db" 'SELECT count(*) FROM flows')" -eq 20003 ]
	sqlite3 "$db" "ALTER TABLE flows ADD COLUMN vlan INTEGER"
	run -2 load_ -r "$IN" "sqlite:$db"
	assert_output --partial "table flows exists with other columns: it has vlan, which flow-load does not write"
	sqlite3 "$BATS_TEST_TMPDIR/g.db" "CREATE TABLE flows (start_time INTEGER, srcaddr TEXT)"
	run -2 load_ -r "$IN" "sqlite:$BATS_TEST_TMPDIR/g.db"
	assert_output --partial "table flows exists with other columns: it lacks end_time"
}

@test "flow-load: sqlite: -t commits a live pipe promptly, SIGUSR1 counts, SIGTERM commits what was read" {
	need_cmd sqlite3
	db=$BATS_TEST_TMPDIR/f.db
	mkfifo "$BATS_TEST_TMPDIR/pipe"
	"$FP_BIN/flow-load" -t 300 -r "$BATS_TEST_TMPDIR/pipe" "sqlite:$db" 2> "$BATS_TEST_TMPDIR/err" &
	pid=$!
	exec 5> "$BATS_TEST_TMPDIR/pipe"
	head -101 "$IN" >&5
	# the batch is due 200 ms after its first record, with no more input
	for _ in $(seq 50); do
		n=$(sqlite3 "$db" 'SELECT count(*) FROM flows' 2>/dev/null || true)
		[ "${n:-0}" -eq 100 ] && break
		sleep 0.1
	done
	[ "$n" -eq 100 ]
	kill -USR1 "$pid"
	for _ in $(seq 50); do grep -q "100 records read" "$BATS_TEST_TMPDIR/err" && break; sleep 0.1; done
	grep -q "100 records read, 100 loaded in 1 batches" "$BATS_TEST_TMPDIR/err"
	sed -n 102,151p "$IN" >&5
	# read (USR1 says so) but not yet due: SIGTERM must commit them
	for _ in $(seq 50); do
		kill -USR1 "$pid"
		sleep 0.02
		grep -q "150 records read, 100 loaded" "$BATS_TEST_TMPDIR/err" && break
	done
	kill -TERM "$pid"
	wait "$pid"
	exec 5>&-
	[ "$(sqlite3 "$db" 'SELECT count(*) FROM flows')" -eq 150 ]
	grep -q "150 records read, 150 loaded in 2 batches" "$BATS_TEST_TMPDIR/err"
}

@test "flow-load: sqlite: the man page's queries: top talkers, per hour, one host" {
	need_cmd sqlite3
	run -0 load_ -r "$IN" "sqlite:$BATS_TEST_TMPDIR/f.db"
	check_man_queries "sqlite3 flows.db" "sqlite3 -separator , $BATS_TEST_TMPDIR/f.db"
}

@test "flow-load: postgresql: records and bytes per source, times to the ms, IPv6 and 64-bit" {
	need_pg
	pg_sql "DROP TABLE IF EXISTS flows, exporters, load_batches"
	run -0 load_ -r "$IN" -b 6000 "$PG_URL"
	assert_output --partial "20003 records read, 20003 loaded in 4 batches"
	check_loaded pg_sql "SELECT host(srcaddr), count(*), sum(doctets) FROM flows GROUP BY srcaddr" \
		"SELECT host(srcaddr), host(dstaddr), srcport, dstport, (extract(epoch FROM start_time) * 1000)::bigint, (extract(epoch FROM end_time) * 1000)::bigint FROM flows"
	run -0 pg_sql "SELECT host(exaddr), host(nexthop), dpkts, doctets, input, output, src_as, dst_as, src_mask, dst_mask, engine_type, engine_id, end_time - start_time FROM flows WHERE srcaddr = '2001:db8:aa::1'"
	assert_output "2001:db8:ff::1|::|1099511627776|4398046511104|7|8|4200000000|65000|48|64|1|2|00:00:00.796"
	run -0 load_ -r "$D/big.csv" "$PG_URL"
	run -0 pg_sql "SELECT dpkts, doctets, host(srcaddr), family(srcaddr) FROM flows WHERE dpkts > 1e19"
	assert_output "18446744073709551615|18446744073709551614|2001:db8::7|6"
	run -0 pg_sql "SELECT host(exaddr), records, (extract(epoch FROM first_seen) * 1000)::bigint, (extract(epoch FROM last_seen) * 1000)::bigint FROM exporters ORDER BY exaddr"
	assert_output "192.0.2.1|20002|1700000001000|1700003800000
192.0.2.2|1|1700000300000|1700000300000
2001:db8:ff::1|1|1700000100250|1700000100250"
	run -0 pg_sql "SELECT count(*), sum(records) FROM load_batches"
	assert_output "5|20004"
}

@test "flow-load: postgresql: a row a constraint refuses is named by line, the rest of the batch loads" {
	need_pg
	check_refused pg_sql "$PG_URL" 'PostgreSQL, not loaded: COPY: ERROR:  new row for relation "flows" violates check constraint "no_telnet"' \
		"ALTER TABLE flows DROP CONSTRAINT no_telnet; ALTER TABLE flows ADD COLUMN vlan integer"
}

@test "flow-load: postgresql: restarted twice mid-load, every record is there exactly once" {
	need_pg
	pg_sql "DROP TABLE IF EXISTS flows, exporters, load_batches"
	# 200k records: 1 M takes too long for the suite
	paced_load "$PG_URL" 2000 '|'
	first_batch pg_sql
	for mode in immediate fast; do
		sleep 0.6
		pg_stop "$D" "$mode"
		sleep 0.5
		pg_run "$D"
	done
	wait "$pid" || { cat "$BATS_TEST_TMPDIR/err"; false; }
	cat "$BATS_TEST_TMPDIR/err"
	grep -q "reconnecting" "$BATS_TEST_TMPDIR/err"
	grep -q "200000 records read, 200000 loaded in 100 batches" "$BATS_TEST_TMPDIR/err"
	! grep -q " 0 retries" "$BATS_TEST_TMPDIR/err"
	[ "$(pg_sql 'SELECT count(*), sum(doctets) FROM flows')" = "$expected" ]
	[ "$(pg_sql 'SELECT count(*), sum(records), count(DISTINCT first_line) FROM load_batches')" = "100|200000|100" ]
}

@test "flow-load: postgresql: a server that is not up yet is waited for" {
	need_pg
	pg_sql "DROP TABLE IF EXISTS flows, exporters, load_batches"
	pg_stop "$D"
	load_ -r "$IN" "$PG_URL" 2> "$BATS_TEST_TMPDIR/err" &
	pid=$!
	sleep 1
	pg_run "$D"
	wait "$pid"
	grep -q "waiting for it" "$BATS_TEST_TMPDIR/err"
	grep -q "20003 records read, 20003 loaded in 1 batches" "$BATS_TEST_TMPDIR/err"
	[ "$(pg_sql 'SELECT count(*) FROM flows')" -eq 20003 ]
}

@test "flow-load: postgresql: the man page's queries: top talkers, per hour, one host" {
	need_pg
	pg_sql "DROP TABLE IF EXISTS flows, exporters, load_batches"
	run -0 load_ -r "$IN" "$PG_URL"
	check_man_queries "psql flows" "psql '$PG_URL' -X -At -F ,"
}

@test "flow-load: mariadb: records and bytes per source, times to the ms, IPv6 and 64-bit" {
	need_my
	my_sql "DROP TABLE IF EXISTS flows, exporters, load_batches"
	run -0 load_ -r "$IN" -b 6000 "$MY_URL"
	assert_output --partial "20003 records read, 20003 loaded in 4 batches"
	check_loaded my_sql "SELECT srcaddr, count(*), sum(doctets) FROM flows GROUP BY srcaddr" \
		"SELECT srcaddr, dstaddr, srcport, dstport, CAST(UNIX_TIMESTAMP(start_time) * 1000 AS UNSIGNED), CAST(UNIX_TIMESTAMP(end_time) * 1000 AS UNSIGNED) FROM flows"
	run -0 my_sql "SELECT exaddr, nexthop, dpkts, doctets, input, output, src_as, dst_as, src_mask, dst_mask, engine_type, engine_id, TIMESTAMPDIFF(MICROSECOND, start_time, end_time) FROM flows WHERE srcaddr = '2001:db8:aa::1'"
	assert_output "$(printf '2001:db8:ff::1\t::\t1099511627776\t4398046511104\t7\t8\t4200000000\t65000\t48\t64\t1\t2\t796000')"
	run -0 load_ -r "$D/big.csv" "$MY_URL"
	run -0 my_sql "SELECT dpkts, doctets, srcaddr FROM flows WHERE dpkts > 10000000000000000000"
	assert_output "$(printf '18446744073709551615\t18446744073709551614\t2001:db8::7')"
	run -0 my_sql "SELECT exaddr, records, first_seen, last_seen FROM exporters ORDER BY exaddr"
	assert_output "$(printf '192.0.2.1\t20002\t2023-11-14 22:13:21.000\t2023-11-14 23:16:40.000\n192.0.2.2\t1\t2023-11-14 22:18:20.000\t2023-11-14 22:18:20.000\n2001:db8:ff::1\t1\t2023-11-14 22:15:00.250\t2023-11-14 22:15:00.250')"
}

@test "flow-load: mariadb: a row a CHECK refuses (a warning naming no row) is found, named, the rest loads" {
	need_my
	check_refused my_sql "$MY_URL" 'MariaDB, not loaded: LOAD DATA skipped it: CONSTRAINT `no_telnet` failed' \
		"ALTER TABLE flows DROP CONSTRAINT no_telnet, ADD COLUMN vlan INT"
}

@test "flow-load: mariadb: killed and restarted mid-load, every record is there exactly once" {
	need_my
	my_sql "DROP TABLE IF EXISTS flows, exporters, load_batches"
	paced_load "$MY_URL" 5000 "$(printf '\t')"
	first_batch my_sql
	my_stop "$D" KILL
	sleep 0.3
	my_run "$D"
	wait "$pid" || { cat "$BATS_TEST_TMPDIR/err"; false; }
	cat "$BATS_TEST_TMPDIR/err"
	grep -q "reconnecting" "$BATS_TEST_TMPDIR/err"
	grep -q "200000 records read, 200000 loaded in 40 batches" "$BATS_TEST_TMPDIR/err"
	[ "$(my_sql 'SELECT count(*), sum(doctets) FROM flows')" = "$expected" ]
	[ "$(my_sql 'SELECT count(*), sum(records), count(DISTINCT first_line) FROM load_batches')" = "$(printf '40\t200000\t40')" ]
}

@test "flow-load: mariadb: the man page's queries: top talkers, per hour, one host" {
	need_my
	my_sql "DROP TABLE IF EXISTS flows, exporters, load_batches"
	run -0 load_ -r "$IN" "$MY_URL"
	check_man_queries "mariadb flows" "mariadb --no-defaults -S $MY_SOCK -u root -N -B flows"
}

@test "flow-load: clickhouse: records and bytes per source, times to the ms, IPv6 and 64-bit" {
	need_ch
	ch_sql "DROP TABLE IF EXISTS flows"; ch_sql "DROP TABLE IF EXISTS exporters"; ch_sql "DROP TABLE IF EXISTS load_batches"
	run -0 load_ -r "$IN" -b 6000 "$CH_URL"
	assert_output --partial "20003 records read, 20003 loaded in 4 batches"
	check_loaded ch_sql "SELECT srcaddr, count(), sum(doctets) FROM flows FINAL GROUP BY srcaddr FORMAT TSV" \
		"SELECT srcaddr, dstaddr, srcport, dstport, start_time, end_time FROM flows FINAL FORMAT TSV"
	run -0 ch_sql "SELECT exaddr, nexthop, dpkts, doctets, input, output, src_as, dst_as, src_mask, dst_mask, engine_type, engine_id, end_time - start_time FROM flows WHERE srcaddr = '2001:db8:aa::1' FORMAT TSV"
	assert_output "$(printf '2001:db8:ff::1\t::\t1099511627776\t4398046511104\t7\t8\t4200000000\t65000\t48\t64\t1\t2\t796')"
	run -0 load_ -r "$D/big.csv" "$CH_URL"
	run -0 ch_sql "SELECT dpkts, doctets, srcaddr FROM flows WHERE dpkts > 10000000000000000000 FORMAT TSV"
	assert_output "$(printf '18446744073709551615\t18446744073709551614\t2001:db8::7')"
	run -0 ch_sql "SELECT exaddr, sum(records), min(first_seen), max(last_seen) FROM exporters FINAL GROUP BY exaddr ORDER BY exaddr FORMAT TSV"
	assert_output "$(printf '192.0.2.1\t20002\t1700000001000\t1700003800000\n192.0.2.2\t1\t1700000300000\t1700000300000\n2001:db8:ff::1\t1\t1700000100250\t1700000100250')"
	ch_sql "ALTER TABLE flows ADD COLUMN vlan UInt16"
	run -2 load_ -r "$IN" "$CH_URL"
	assert_output --partial "table flows exists with other columns: it has vlan"
}

@test "flow-load: clickhouse: killed and restarted mid-load, each record once with FINAL" {
	need_ch
	ch_sql "DROP TABLE IF EXISTS flows"; ch_sql "DROP TABLE IF EXISTS exporters"; ch_sql "DROP TABLE IF EXISTS load_batches"
	paced_load "$CH_URL" 5000 "$(printf '\t')"
	first_batch ch_sql
	ch_stop "$D"
	sleep 0.5
	ch_run "$D"
	wait "$pid" || { cat "$BATS_TEST_TMPDIR/err"; false; }
	cat "$BATS_TEST_TMPDIR/err"
	grep -q "reconnecting" "$BATS_TEST_TMPDIR/err"
	grep -q "200000 records read, 200000 loaded in 40 batches" "$BATS_TEST_TMPDIR/err"
	[ "$(ch_sql 'SELECT count(), sum(doctets) FROM flows FINAL')" = "$expected" ]
	ch_sql "OPTIMIZE TABLE flows FINAL"
	[ "$(ch_sql 'SELECT count(), sum(doctets) FROM flows')" = "$expected" ]
}

@test "flow-load: clickhouse: the man page's queries: top talkers, per hour, one host" {
	need_ch
	need_cmd clickhouse-client
	ch_sql "DROP TABLE IF EXISTS flows"; ch_sql "DROP TABLE IF EXISTS exporters"; ch_sql "DROP TABLE IF EXISTS load_batches"
	run -0 load_ -r "$IN" "$CH_URL"
	check_man_queries "clickhouse-client -d flows" "clickhouse-client --port $CH_TCP -d flows"
}
