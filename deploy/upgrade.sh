#!/usr/bin/env bash
# An upgrade without downtime, as root: back up, fetch the new release, install its
# requirements, migrate, then reload gunicorn (HUP: new workers take over, old ones finish
# their requests) and restart the task consumer (it finishes the task in hand first).
#   deploy/upgrade.sh [GIT-REF]
set -euo pipefail
ref=${1:-origin/main}
as_bazaar() { runuser -u bazaar -- env $(grep -v '^#' /etc/bazaar/bazaar.env | xargs) "$@"; }

cd /srv/bazaar/app
as_bazaar /srv/bazaar/app/deploy/backup.sh
as_bazaar git fetch --quiet
as_bazaar git checkout --quiet "$ref"
as_bazaar /srv/bazaar/venv/bin/pip install --quiet -r requirements.txt
as_bazaar /srv/bazaar/venv/bin/pybabel compile --use-fuzzy -d bazaar/translations
as_bazaar /srv/bazaar/venv/bin/flask db upgrade
cp deploy/systemd/*.service deploy/systemd/*.timer /etc/systemd/system/
systemctl daemon-reload
systemctl reload bazaar-web
systemctl restart bazaar-worker
sleep 5
curl -fsS http://127.0.0.1:8000/readyz
