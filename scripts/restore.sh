#!/usr/bin/env bash
# Restore what scripts/backup.sh wrote into SRC: docs/deployment.md, "Restoring". Stop the portal (and
# any `vru` command) first. Same variables as backup.sh:
#   DATABASE_URL   the (empty or existing) PostgreSQL database to restore into; its tables are replaced
#   VRU_WAREHOUSE  where the warehouse goes (default var/warehouse.duckdb); the file there is replaced
set -euo pipefail
cd "$(dirname "$0")/.."
src="${1:?usage: scripts/restore.sh BACKUP_FOLDER}"
warehouse="${VRU_WAREHOUSE:-var/warehouse.duckdb}"

(cd "$src" && sha256sum --check --quiet SHA256SUMS)

if [ -f "$src/portal.dump" ]; then
  [[ "${DATABASE_URL:-}" == postgres* ]] || { echo "restore: set DATABASE_URL to the PostgreSQL database" >&2; exit 2; }
  pg_restore --clean --if-exists --no-owner --no-privileges --exit-on-error --dbname="$DATABASE_URL" "$src/portal.dump"
  echo "restore: portal database <- $src/portal.dump"
fi

if [ -f "$src/warehouse.duckdb" ]; then
  mkdir -p "$(dirname "$warehouse")"
  cp "$src/warehouse.duckdb" "$warehouse.restoring"
  rm -f "$warehouse.wal"
  mv "$warehouse.restoring" "$warehouse"
  echo "restore: warehouse <- $src/warehouse.duckdb"
fi
