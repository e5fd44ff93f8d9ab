# Source this file: pg_throwaway_start starts a PostgreSQL 15 cluster in a temporary directory on a
# free loopback port and exports PG_THROWAWAY_URL; pg_throwaway_stop stops it and removes the directory.
PG_BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

pg_throwaway_start() {
  if [ ! -x "$PG_BIN/initdb" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  PG_THROWAWAY_DIR=$(mktemp -d /tmp/stadtdigital-pg.XXXXXX)
  chown postgres "$PG_THROWAWAY_DIR" 2>/dev/null || true
  PG_THROWAWAY_PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  local as_pg=()
  [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
  "${as_pg[@]}" "$PG_BIN/initdb" -D "$PG_THROWAWAY_DIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -w -l "$PG_THROWAWAY_DIR/log" \
    -o "-p $PG_THROWAWAY_PORT -k $PG_THROWAWAY_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  export PG_THROWAWAY_DIR PG_THROWAWAY_PORT
  export PG_THROWAWAY_URL="postgres://postgres@127.0.0.1:$PG_THROWAWAY_PORT/stadtdigital"
  "$PG_BIN/psql" -h 127.0.0.1 -p "$PG_THROWAWAY_PORT" -U postgres -qc "CREATE DATABASE stadtdigital" >/dev/null
  echo "PostgreSQL on 127.0.0.1:$PG_THROWAWAY_PORT ($PG_THROWAWAY_DIR)"
}

pg_throwaway_stop() {
  [ -n "${PG_THROWAWAY_DIR:-}" ] || return 0
  local as_pg=()
  [ "$(id -u)" = 0 ] && as_pg=(runuser -u postgres --)
  "${as_pg[@]}" "$PG_BIN/pg_ctl" -D "$PG_THROWAWAY_DIR/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$PG_THROWAWAY_DIR"
}
