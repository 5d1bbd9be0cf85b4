#!/usr/bin/env bash
# Serve the app: gunicorn and the task consumer (`flask worker`) side by side, stopped together.
# Usage: scripts/run.sh BIN_DIR PORT WORKERS
# If either exits, or this script gets INT/TERM/HUP, both are stopped and waited for: nothing
# is left running behind (the old `while true; do flask tick; sleep 60; done` loop left its
# sleep behind).
set -u
bin=${1:-.venv/bin} port=${2:-5000} workers=${3:-2}

"$bin/flask" worker &
consumer=$!
"$bin/gunicorn" -c python:bazaar.gunicorn_conf --workers "$workers" --bind "127.0.0.1:$port" --access-logfile - "bazaar:create_app()" &
server=$!

# Killed `make` (our parent) cannot pass the signal on: when it is gone, stop too.
parent=$PPID
(while kill -0 "$parent" 2>/dev/null; do sleep 1; done; kill -TERM $$) &
watch=$!

stop() {
    trap - INT TERM HUP
    kill -TERM "$server" "$consumer" "$watch" 2>/dev/null
    wait "$server" "$consumer" "$watch" 2>/dev/null
}
trap 'stop; exit 130' INT
trap 'stop; exit 143' TERM HUP

wait -n "$server" "$consumer"
status=$?
stop
exit "$status"
