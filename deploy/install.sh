#!/usr/bin/env bash
# First installation on a Debian 12 server, as root: packages, the bazaar user and folders,
# PostgreSQL and Redis, the app in a virtualenv, its settings, the systemd units and nginx.
# Each step is safe to repeat. docs/deploy.md explains every step; read it first.
#   deploy/install.sh bazaar.example.ir
set -euo pipefail
domain=${1:?usage: deploy/install.sh DOMAIN}
repo=${BAZAAR_REPO:-$(cd "$(dirname "$0")/.." && pwd)}

apt-get update
apt-get install -y python3-venv postgresql redis-server nginx certbot git

id bazaar >/dev/null 2>&1 || useradd --system --home-dir /srv/bazaar --shell /usr/sbin/nologin bazaar
install -d -o bazaar -g bazaar -m 750 /srv/bazaar /srv/bazaar/instance /srv/bazaar/uploads /var/backups/bazaar
install -d -o root -g bazaar -m 750 /etc/bazaar
[ -d /srv/bazaar/app ] || git clone "$repo" /srv/bazaar/app
chown -R bazaar:bazaar /srv/bazaar/app

# The database and its owner; a second, empty database for restore drills.
password=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')
if ! runuser -u postgres -- psql -tAc "SELECT 1 FROM pg_roles WHERE rolname = 'bazaar'" | grep -q 1; then
  runuser -u postgres -- psql -c "CREATE ROLE bazaar LOGIN PASSWORD '$password'"
  runuser -u postgres -- createdb --owner bazaar --encoding UTF8 --locale C.UTF-8 --template template0 bazaar
  runuser -u postgres -- createdb --owner bazaar --encoding UTF8 --locale C.UTF-8 --template template0 bazaar_drill
  sed "s/CHANGE-ME/$password/; s/bazaar.example.ir/$domain/g" /srv/bazaar/app/deploy/bazaar.env > /etc/bazaar/bazaar.env
  echo "BAZAAR_DRILL_DATABASE_URL=postgresql+psycopg://bazaar:$password@127.0.0.1/bazaar_drill" >> /etc/bazaar/bazaar.env
fi
chown root:bazaar /etc/bazaar/bazaar.env
chmod 640 /etc/bazaar/bazaar.env

# The app, its translations and its schema.
runuser -u bazaar -- python3 -m venv /srv/bazaar/venv
runuser -u bazaar -- /srv/bazaar/venv/bin/pip install --quiet -r /srv/bazaar/app/requirements.txt
cd /srv/bazaar/app
runuser -u bazaar -- /srv/bazaar/venv/bin/pybabel compile --use-fuzzy -d bazaar/translations
runuser -u bazaar -- env $(grep -v '^#' /etc/bazaar/bazaar.env | xargs) /srv/bazaar/venv/bin/flask db upgrade
runuser -u bazaar -- env $(grep -v '^#' /etc/bazaar/bazaar.env | xargs) /srv/bazaar/venv/bin/flask seed-reference

# The services, the nightly backup and the weekly restore drill.
cp /srv/bazaar/app/deploy/systemd/*.service /srv/bazaar/app/deploy/systemd/*.timer /etc/systemd/system/
systemd-analyze verify /etc/systemd/system/bazaar-*.service
systemctl daemon-reload
systemctl enable --now bazaar-web bazaar-worker bazaar-backup.timer bazaar-restore-drill.timer

# nginx with a Let's Encrypt certificate (the HTTP challenge is answered from /var/www/letsencrypt).
install -d /var/www/letsencrypt
sed "s/bazaar.example.ir/$domain/g" /srv/bazaar/app/deploy/nginx/bazaar.conf > /etc/nginx/sites-available/bazaar
if [ ! -e "/etc/letsencrypt/live/$domain/fullchain.pem" ]; then
  certbot certonly --webroot -w /var/www/letsencrypt -d "$domain" --non-interactive --agree-tos --register-unsafely-without-email
fi
ln -sf /etc/nginx/sites-available/bazaar /etc/nginx/sites-enabled/bazaar
rm -f /etc/nginx/sites-enabled/default
nginx -t
systemctl reload nginx
curl -fsS "https://$domain/healthz"
