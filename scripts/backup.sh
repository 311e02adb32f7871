#!/usr/bin/env bash
# Back up the portal database and the warehouse into DEST (a new folder): docs/deployment.md, "Backups".
#   DATABASE_URL   the portal's PostgreSQL database (postgres://...); skipped when it is not PostgreSQL
#   VRU_WAREHOUSE  the DuckDB warehouse (default var/warehouse.duckdb); skipped when there is none
# The warehouse is copied with DuckDB's COPY FROM DATABASE through a read-only connection: a consistent
# copy, which waits for nothing and fails (exit 1, nothing half-written) if a `vru` command is writing.
set -euo pipefail
cd "$(dirname "$0")/.."
dest="${1:?usage: scripts/backup.sh DEST_FOLDER}"
warehouse="${VRU_WAREHOUSE:-var/warehouse.duckdb}"
mkdir -p "$dest"

if [[ "${DATABASE_URL:-}" == postgres* ]]; then
  pg_dump --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$dest/portal.dump.partial"
  mv "$dest/portal.dump.partial" "$dest/portal.dump"
  echo "backup: portal database -> $dest/portal.dump"
fi

if [ -f "$warehouse" ]; then
  rm -f "$dest/warehouse.duckdb.partial"
  .venv/bin/python - "$warehouse" "$dest/warehouse.duckdb.partial" <<'PY'
import sys

import duckdb

con = duckdb.connect()
con.execute("ATTACH ? AS live (READ_ONLY)", [sys.argv[1]])
con.execute("ATTACH ? AS backup", [sys.argv[2]])
con.execute("COPY FROM DATABASE live TO backup")
con.execute("DETACH backup")
PY
  mv "$dest/warehouse.duckdb.partial" "$dest/warehouse.duckdb"
  echo "backup: warehouse -> $dest/warehouse.duckdb"
fi

(cd "$dest" && sha256sum portal.dump warehouse.duckdb 2>/dev/null > SHA256SUMS || true)
