"""The DuckDB warehouse: one file holding police.uk rows, reference data and ingest records."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb

DEFAULT_WAREHOUSE = Path("var/warehouse.duckdb")
DEFAULT_MEMORY_LIMIT = "2GB"


def connect(path: str | Path = DEFAULT_WAREHOUSE, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse and make sure every table exists."""
    from vru.warehouse.schema import ensure_schema

    path = Path(path)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no warehouse at {path}: run `vru ingest` first")
        return _quiet(duckdb.connect(str(path), read_only=True))
    path.parent.mkdir(parents=True, exist_ok=True)
    con = _quiet(duckdb.connect(str(path)))
    ensure_schema(con)
    return con


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # DuckDB draws its own progress bar on stdout for long queries; ours is Rich's, on stderr.
    con.execute("SET enable_progress_bar = false")
    # DuckDB's default (80% of RAM) lets a national-scale ingest cache every block it writes; a cap keeps
    # peak memory flat (it spills to disk beside the warehouse when it must).
    con.execute("SET memory_limit = ?", [os.environ.get("VRU_WAREHOUSE_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)])
    return con
