#!/usr/bin/env bash
# A restore drill: restore the newest backup (or the folder given) into a scratch instance, bring
# it to the current schema and check it; the live instance is never touched. On PostgreSQL the
# scratch database is $BAZAAR_DRILL_DATABASE_URL (a database the bazaar role owns and nothing
# else uses; deploy/install.sh creates bazaar_drill), emptied before the restore.
set -euo pipefail
FLASK=${FLASK:-/srv/bazaar/venv/bin/flask}
BAZAAR_BACKUP_DIR=${BAZAAR_BACKUP_DIR:-/var/backups/bazaar}
export FLASK_APP=${FLASK_APP:-bazaar}

backup=${1:-$(ls -d "$BAZAAR_BACKUP_DIR"/*/ | sort | tail -n 1)}
scratch=$(mktemp -d /tmp/bazaar-drill.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
export BAZAAR_INSTANCE_PATH="$scratch/instance"
export FLASK_UPLOADS_DIR="$scratch/uploads"
if [[ "${FLASK_SQLALCHEMY_DATABASE_URI:-sqlite}" == postgresql* ]]; then
  export FLASK_SQLALCHEMY_DATABASE_URI="${BAZAAR_DRILL_DATABASE_URL:?set BAZAAR_DRILL_DATABASE_URL}"
  # psql takes a libpq URL: the same without SQLAlchemy's driver name.
  psql --quiet "${FLASK_SQLALCHEMY_DATABASE_URI/+psycopg/}" -c "DROP SCHEMA public CASCADE; CREATE SCHEMA public"
else
  export FLASK_SQLALCHEMY_DATABASE_URI="sqlite:///$scratch/instance/bazaar.sqlite"
fi
"$FLASK" restore "$backup"
"$FLASK" db upgrade
"$FLASK" check-instance
echo "Restore drill passed: $backup"
