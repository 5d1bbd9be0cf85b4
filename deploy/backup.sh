#!/usr/bin/env bash
# One online backup of the instance (`flask backup`) into $BAZAAR_BACKUP_DIR/<UTC time>, then
# backups older than $BAZAAR_BACKUP_DAYS days are removed. Run by bazaar-backup.timer; safe while
# the app serves. Copy the folder off the machine too (rsync, restic…): a backup on the same disk
# is no backup when the disk dies.
set -euo pipefail
FLASK=${FLASK:-/srv/bazaar/venv/bin/flask}
BAZAAR_BACKUP_DIR=${BAZAAR_BACKUP_DIR:-/var/backups/bazaar}
BAZAAR_BACKUP_DAYS=${BAZAAR_BACKUP_DAYS:-14}
export FLASK_APP=${FLASK_APP:-bazaar}

umask 077
folder="$BAZAAR_BACKUP_DIR/$(date -u +%Y%m%dT%H%M%SZ)"
"$FLASK" backup "$folder"
find "$BAZAAR_BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -mtime "+$BAZAAR_BACKUP_DAYS" -exec rm -rf {} +
