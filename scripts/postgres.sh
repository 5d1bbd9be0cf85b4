#!/usr/bin/env bash
# A throw-away PostgreSQL server for the tests: `start` (idempotent), `stop`, `url`.
set -euo pipefail
PORT=${BAZAAR_PG_PORT:-55432}
DATA=${BAZAAR_PG_DATA:-/tmp/bazaar-pg-$PORT}
URL="postgresql+psycopg://postgres@127.0.0.1:$PORT/bazaar_test"

bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start() {
  if [ -z "$(bin_dir)" ]; then
    [ "$(id -u)" -eq 0 ] || { echo "PostgreSQL is not installed (apt-get install postgresql)." >&2; exit 1; }
    echo "Installing PostgreSQL from Debian..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  local bin; bin=$(bin_dir)
  if [ ! -f "$DATA/PG_VERSION" ]; then
    mkdir -p "$DATA"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$DATA"
    as_postgres "$bin/initdb" -D "$DATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if ! as_postgres "$bin/pg_ctl" -D "$DATA" status >/dev/null 2>&1; then
    as_postgres "$bin/pg_ctl" -D "$DATA" -l "$DATA/server.log" -w \
      -o "-p $PORT -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=200" start >/dev/null
  fi
  if ! "$bin/psql" -h 127.0.0.1 -p "$PORT" -U postgres -tAc "SELECT 1 FROM pg_database WHERE datname='bazaar_test'" | grep -q 1; then
    "$bin/createdb" -h 127.0.0.1 -p "$PORT" -U postgres bazaar_test
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) as_postgres "$(bin_dir)/pg_ctl" -D "$DATA" stop -m fast ;;
  url) echo "$URL" ;;
  *) echo "usage: $0 start|stop|url" >&2; exit 2 ;;
esac
