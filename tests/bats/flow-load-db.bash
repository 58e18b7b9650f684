# Real database servers for flow-load's tests, each in its own directory
# (data, socket, log) under $1, started and stopped by pid.

free_port() {	# a TCP port on 127.0.0.1 nobody listens on now
	python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The servers run as their own users (postgres, clickhouse): let them
# through the test's temp dirs (bats makes them 0700) down to dir.
open_path() {	# dir
	local p=$1
	while [ "$p" != / ] && [ "$p" != "${TMPDIR:-/tmp}" ] && [ "$p" != /tmp ]; do
		chmod o+x "$p"
		p=$(dirname "$p")
	done
}

# ---- PostgreSQL: initdb and pg_ctl as user postgres (it refuses root), Unix socket only ----
PG_BIN=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi
}
pg_start() {	# dir
	local d=$1
	mkdir -p "$d/pg"
	[ "$(id -u)" -eq 0 ] && chown postgres "$d/pg"
	open_path "$d"
	[ -f "$d/pg/PG_VERSION" ] || as_postgres "$PG_BIN/initdb -D $d/pg -U postgres -A trust -E UTF8 --no-sync" > "$d/pg-initdb.log" 2>&1 || return 1
	pg_run "$d" || return 1
	as_postgres "$PG_BIN/createdb -h $d/pg -p 5432 flows" 2>/dev/null || true
	export PG_URL="postgresql:///flows?host=$d/pg&user=postgres"
}
pg_run() {	# dir: start the server of an existing data dir, wait until it answers
	as_postgres "$PG_BIN/pg_ctl -D $1/pg -l $1/pg/server.log -w -o \"-k $1/pg -p 5432 -c listen_addresses= -c fsync=off\" start" > /dev/null
}
pg_stop() {	# dir [mode]
	[ -f "$1/pg/postmaster.pid" ] || return 0
	as_postgres "$PG_BIN/pg_ctl -D $1/pg -m ${2:-fast} -w stop" > /dev/null
}
pg_sql() {	# sql...: psql on the test server, unaligned, tuples only
	psql "$PG_URL" -X -At -v ON_ERROR_STOP=1 -c "$*"
}

# ---- ClickHouse: Debian's packaged config, overrides for path and ports ----
ch_start() {	# dir: a new server on free ports, with a database "flows"
	CH_PORT=$(free_port)
	CH_TCP=$(free_port)
	CH_INTER=$(free_port)
	export CH_PORT CH_TCP CH_INTER
	ch_run "$1" || return 1
	curl -sS --fail-with-body "http://127.0.0.1:$CH_PORT/" --data-binary "CREATE DATABASE IF NOT EXISTS flows" || return 1
	export CH_URL="clickhouse://127.0.0.1:$CH_PORT/flows"
}
ch_run() {	# dir: (re)start the server on its ports, wait until it answers
	local d=$1 run=
	mkdir -p "$d/ch/tmp" "$d/ch/user_files"
	if [ "$(id -u)" -eq 0 ]; then
		open_path "$d"
		chown -R clickhouse "$d/ch"
		run="runuser -u clickhouse --"
	fi
	$run clickhouse-server --config-file=/etc/clickhouse-server/config.xml -- \
		--path="$d/ch/" --tmp_path="$d/ch/tmp/" --user_files_path="$d/ch/user_files/" \
		--http_port="$CH_PORT" --tcp_port="$CH_TCP" --listen_host=127.0.0.1 \
		--logger.log="$d/ch/server.log" --logger.errorlog="$d/ch/error.log" \
		--interserver_http_port="$CH_INTER" \
		> "$d/ch/stdout" 2>&1 &
	echo $! > "$d/ch.pid"
	for _ in $(seq 150); do
		curl -s "http://127.0.0.1:$CH_PORT/ping" 2>/dev/null | grep -q Ok && return 0
		kill -0 "$(cat "$d/ch.pid")" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}
ch_stop() {	# dir
	[ -f "$1/ch.pid" ] || return 0
	local pid
	pid=$(cat "$1/ch.pid")
	kill "$pid" 2>/dev/null
	for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -f "$1/ch.pid"
}
ch_sql() {	# sql: one query over HTTP, TSV out
	curl -sS --fail-with-body "http://127.0.0.1:$CH_PORT/?database=flows" --data-binary "$*"
}

# ---- MariaDB: mariadb-install-db into the dir, mariadbd on a socket there, no TCP ----
my_start() {	# dir: a new server with a database "flows"
	mkdir -p "$1/my"
	mariadb-install-db --no-defaults --datadir="$1/my/data" --user="$(id -un)" \
		--auth-root-authentication-method=normal --skip-test-db > "$1/my/install.log" 2>&1 || return 1
	my_run "$1" || return 1
	mariadb --no-defaults -S "$1/my/sock" -u root -e "CREATE DATABASE IF NOT EXISTS flows" || return 1
	export MY_SOCK="$1/my/sock"
	export MY_URL="mysql://root@localhost/flows?socket=$1/my/sock"
}
my_run() {	# dir: (re)start the server of an existing data dir, wait until it answers
	mariadbd --no-defaults --datadir="$1/my/data" --socket="$1/my/sock" --skip-networking \
		--user="$(id -un)" --pid-file="$1/my/pid" --log-error="$1/my/error.log" \
		--innodb-buffer-pool-size=128M --innodb-flush-log-at-trx-commit=2 --skip-log-bin \
		> /dev/null 2>&1 &
	echo $! > "$1/my.pid"
	for _ in $(seq 150); do
		mariadb --no-defaults -S "$1/my/sock" -u root -e "SELECT 1" > /dev/null 2>&1 && return 0
		kill -0 "$(cat "$1/my.pid")" 2>/dev/null || return 1
		sleep 0.2
	done
	return 1
}
my_stop() {	# dir [signal]: TERM is a clean shutdown, KILL a crash
	[ -f "$1/my.pid" ] || return 0
	local pid
	pid=$(cat "$1/my.pid")
	kill "-${2:-TERM}" "$pid" 2>/dev/null
	for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
	rm -f "$1/my.pid"
}
my_sql() {	# sql: the mariadb client on the test server, tab-separated, no column names
	mariadb --no-defaults -S "$MY_SOCK" -u root -N -B flows -e "$*"
}
