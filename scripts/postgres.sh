#!/usr/bin/env bash
# A private, throw-away PostgreSQL cluster: its own temporary directory, a free port, removed
# afterwards, so two runs on one machine never touch each other.
#   scripts/postgres.sh run CMD…   start a cluster, run CMD with BAZAAR_POSTGRES_URL set, remove it
#   scripts/postgres.sh install    install Debian's PostgreSQL if it is missing (needs root)
set -euo pipefail

bin_dir() {
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1
}

as_postgres() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

install() {
  [ -n "$(bin_dir)" ] && return
  [ "$(id -u)" -eq 0 ] || { echo "PostgreSQL is not installed (apt-get install postgresql)." >&2; exit 1; }
  echo "Installing PostgreSQL from Debian..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run() {
  install

  bin=$(bin_dir)
  dir=$(mktemp -d /tmp/bazaar-pg.XXXXXX)
  chmod 755 "$dir"
  [ "$(id -u)" -eq 0 ] && chown postgres: "$dir"
  stop() {
    as_postgres "$bin/pg_ctl" -D "$dir/data" stop -m immediate >/dev/null 2>&1 || true
    rm -rf "$dir"
  }
  trap stop EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  as_postgres "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  # A port can be taken between choosing and binding it: try a few.
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    if as_postgres "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
      start >/dev/null; then
      break
    fi
    port=""
  done
  [ -n "$port" ] || { cat "$dir/server.log" >&2; exit 1; }
  "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres bazaar_test
  export BAZAAR_POSTGRES_URL="postgresql+psycopg://postgres@127.0.0.1:$port/bazaar_test"
  echo "PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on port $port ($dir)"
  "$@"
}

case "${1:-}" in
  run) shift; run "$@" ;;
  install) install ;;
  *) echo "usage: $0 run CMD… | install" >&2; exit 2 ;;
esac
