#!/usr/bin/env bash
# Install what the browser tests need: Debian's Chromium and a font with Persian glyphs.
set -euo pipefail
missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
dpkg -s fonts-noto-core >/dev/null 2>&1 || missing+=(fonts-noto-core)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Browser tests need: ${missing[*]} (run 'sudo apt-get install ${missing[*]}')." >&2
  exit 1
fi
echo "Installing ${missing[*]} from Debian..."
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
