"""A tested restore of the warehouse (docs/deployment.md, "Backups"): scripts/backup.sh then
scripts/restore.sh give back every table row for row. The portal database's restore is tested on
PostgreSQL in tests/integration/portal/test_backup_restore.py."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import REPO_ROOT
from vru.errors import WarehouseError
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.reference import load_reference


def run(script: str, folder, warehouse) -> subprocess.CompletedProcess:
    environment = {name: value for name, value in os.environ.items() if name != "DATABASE_URL"}
    environment["VRU_WAREHOUSE"] = str(warehouse)
    return subprocess.run(
        [str(REPO_ROOT / "scripts" / script), str(folder)], env=environment, capture_output=True, text=True
    )


def every_table(path) -> dict[str, list[tuple]]:
    con = connect(path, read_only=True)
    try:
        tables = [name for (name,) in con.execute("SELECT table_name FROM duckdb_tables() ORDER BY 1").fetchall()]
        return {table: con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall() for table in tables}
    finally:
        con.close()


def test_the_warehouse_restores_row_for_row(tmp_path, demo_data):
    warehouse = tmp_path / "live" / "warehouse.duckdb"
    con = connect(warehouse)
    load_reference(con, [demo_data / "geography"])
    ingest(con, [demo_data / "police_uk"])
    con.close()
    before = every_table(warehouse)
    assert len(before["street_crime"]) > 10_000 and before["ref_lsoa21_area"]

    backup = tmp_path / "backup"
    result = run("backup.sh", backup, warehouse)
    assert result.returncode == 0, result.stderr
    assert (backup / "warehouse.duckdb").is_file() and not list(backup.glob("*.partial"))

    restored = tmp_path / "restored" / "warehouse.duckdb"
    result = run("restore.sh", backup, restored)
    assert result.returncode == 0, result.stderr
    assert every_table(restored) == before


def test_a_backup_while_an_ingest_writes_fails_cleanly(tmp_path, demo_data):
    warehouse = tmp_path / "warehouse.duckdb"
    writer = connect(warehouse)  # as an ingest holds it
    try:
        result = run("backup.sh", tmp_path / "backup", warehouse)
    finally:
        writer.close()
    assert result.returncode != 0
    assert not (tmp_path / "backup" / "warehouse.duckdb").exists()


def test_a_damaged_backup_is_not_restored(tmp_path, demo_data):
    warehouse = tmp_path / "warehouse.duckdb"
    connect(warehouse).close()
    backup = tmp_path / "backup"
    assert run("backup.sh", backup, warehouse).returncode == 0
    with open(backup / "warehouse.duckdb", "r+b") as handle:
        handle.seek(5000)
        handle.write(b"damage")
    target = tmp_path / "restored.duckdb"
    result = run("restore.sh", backup, target)
    assert result.returncode != 0 and not target.exists()
    with pytest.raises((WarehouseError, FileNotFoundError)):
        connect(target, read_only=True)
