#!/usr/bin/env bash
# A private, throw-away Redis server on a free port, removed afterwards.
#   scripts/redis.sh run CMD…   start one, run CMD with BAZAAR_REDIS_URL set, stop it
#   scripts/redis.sh install    install Debian's redis-server if it is missing (needs root)
set -euo pipefail

install() {
  command -v redis-server >/dev/null && return
  [ "$(id -u)" -eq 0 ] || { echo "Redis is not installed (apt-get install redis-server)." >&2; exit 1; }
  echo "Installing Redis from Debian..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
}

free_port() {
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run() {
  install
  dir=$(mktemp -d /tmp/bazaar-redis.XXXXXX)
  pid=""
  stop() {
    [ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
    rm -rf "$dir"
  }
  trap stop EXIT
  trap 'exit 143' TERM
  trap 'exit 130' INT
  for _ in 1 2 3 4 5; do
    port=$(free_port)
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" \
      --logfile "$dir/redis.log" &
    pid=$!
    for _ in $(seq 50); do
      redis-cli -p "$port" ping >/dev/null 2>&1 && break 2
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill "$pid" 2>/dev/null || true
    pid=""
  done
  [ -n "$pid" ] || { cat "$dir/redis.log" >&2; exit 1; }
  export BAZAAR_REDIS_URL="redis://127.0.0.1:$port/0"
  echo "Redis $(redis-server --version | awk '{print $3}') on port $port"
  "$@"
}

case "${1:-}" in
  run) shift; run "$@" ;;
  install) install ;;
  *) echo "usage: $0 run CMD… | install" >&2; exit 2 ;;
esac
