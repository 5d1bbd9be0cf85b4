#!/usr/bin/env bash
# Install what the tests need from Debian, in one apt run: Chromium and a font with Persian
# glyphs (browser tests), PostgreSQL and Redis (servers the tests start privately), nginx (its
# `nginx -t` checks deploy/nginx/bazaar.conf), Pango (WeasyPrint lays out the council report's PDF).
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || missing+=(postgresql)
command -v redis-server >/dev/null || missing+=(redis-server)
[ -x /usr/sbin/nginx ] || missing+=(nginx)
for lib in libpango-1.0-0 libpangoft2-1.0-0; do
  dpkg -s "$lib" >/dev/null 2>&1 || missing+=("$lib")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "The tests need: ${missing[*]} (run 'sudo apt-get install ${missing[*]}')." >&2
  exit 1
fi
echo "Installing ${missing[*]} from Debian..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
# Debian starts the packaged servers; the tests run their own private ones instead.
systemctl disable --now postgresql redis-server nginx >/dev/null 2>&1 || true
service postgresql stop >/dev/null 2>&1 || true
service redis-server stop >/dev/null 2>&1 || true
service nginx stop >/dev/null 2>&1 || true
