#!/usr/bin/env bash
# What `make run` needs from Debian beyond Python: Pango, with which WeasyPrint lays out the
# council report's PDF (every other page works without it). Installed when missing and root.
set -euo pipefail
missing=()
for lib in libpango-1.0-0 libpangoft2-1.0-0; do
  dpkg -s "$lib" >/dev/null 2>&1 || missing+=("$lib")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -ne 0 ]; then
  echo "Council report PDFs need: ${missing[*]} (run 'sudo apt-get install ${missing[*]}')." >&2
  exit 0
fi
apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
