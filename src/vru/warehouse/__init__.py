"""The DuckDB warehouse: one file holding police.uk rows, reference data and ingest records."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from vru.errors import WarehouseError

DEFAULT_WAREHOUSE = Path("var/warehouse.duckdb")
DEFAULT_MEMORY_LIMIT = "2GB"


def connect(path: str | Path = DEFAULT_WAREHOUSE, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open (creating if needed) the warehouse and make sure every table exists."""
    from vru.warehouse.schema import ensure_schema

    path = Path(path)
    if read_only:
        if not path.exists():
            raise FileNotFoundError(f"no warehouse at {path}: run `vru ingest` first")
        return _quiet(_open(path, read_only=True))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise WarehouseError(f"cannot create the folder for the warehouse {path}: {error.strerror}") from None
    con = _quiet(_open(path, read_only=False))
    ensure_schema(con)
    return con


def _open(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    """duckdb.connect, with a plain message when another process holds the file or it cannot be written."""
    try:
        return duckdb.connect(str(path), read_only=read_only)
    except duckdb.IOException as error:
        text = str(error)
        if "lock" in text.lower():
            holder = re.search(r"\(PID (\d+)\)", text)
            by = f" (process {holder[1]})" if holder else ""
            raise WarehouseError(
                f"the warehouse {path} is in use by another `vru` command{by}: wait for it to finish and "
                "run this again (two runs never write to one warehouse at once)"
            ) from None
        raise WarehouseError(f"cannot open the warehouse {path}: {text}") from None


def _quiet(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    # DuckDB draws its own progress bar on stdout for long queries; ours is Rich's, on stderr.
    con.execute("SET enable_progress_bar = false")
    # DuckDB's default (80% of RAM) lets a national-scale ingest cache every block it writes; a cap keeps
    # peak memory flat (it spills to disk beside the warehouse when it must).
    con.execute("SET memory_limit = ?", [os.environ.get("VRU_WAREHOUSE_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)])
    return con
