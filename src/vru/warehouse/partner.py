"""Load partner data — the ONS police force area data tables — into `partner_recorded_crime`.

`load_partner_tables` reads and checks EVERY workbook first (vru.sources.recorded_crime), then, in ONE
transaction, replaces each edition it was given whole (delete the edition's rows, insert the new ones):
a bad file, an error or a killed process leaves the table as it was. Editions not given are left alone.
Every row records its file, the file's SHA-256 and the load time. Two files of the same edition in one
run is an error naming both.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from vru.errors import InputError
from vru.sources.recorded_crime import TIDY_COLUMNS, PfaWorkbook, find_pfa_files, read_pfa_workbook

TABLE = "partner_recorded_crime"
COLUMNS = [*TIDY_COLUMNS, "source_sha256", "loaded_at"]
ProgressCallback = Callable[[str, int, int], None]


@dataclass
class EditionLoad:
    edition_end: str
    source_file: str
    source_sha256: str
    rows: int
    tables: list[str]
    replaced_rows: int  # rows of this edition the table held before


@dataclass
class PartnerLoadReport:
    editions: list[EditionLoad] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def load_partner_tables(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | Path],
    progress: ProgressCallback | None = None,
) -> PartnerLoadReport:
    """Load ONS PFA table workbooks (files, or folders searched for .xlsx); InputError and no change if bad."""
    paths = list(paths)
    files = find_pfa_files(paths)
    if not files:
        raise InputError(", ".join(str(p) for p in paths) or "(no paths)", "no .xlsx workbooks found")
    reads: list[PfaWorkbook] = []
    steps = len(files) + 1
    for done, path in enumerate(files):
        if progress:
            progress(f"reading {path.name}", done, steps)
        reads.append(read_pfa_workbook(path))
    by_edition: dict[str, PfaWorkbook] = {}
    for read in reads:
        if read.edition_end in by_edition:
            raise InputError(
                read.path,
                f"same edition ({read.edition_end}) as {by_edition[read.edition_end].path}: give one file per edition",
            )
        by_edition[read.edition_end] = read
    if progress:
        progress("writing partner_recorded_crime", len(files), steps)
    report = PartnerLoadReport(warnings=[w for read in reads for w in read.warnings])
    loaded_at = datetime.now(UTC)
    frame = pd.concat([_rows(read, loaded_at) for read in reads], ignore_index=True)
    con.register("partner_rows", frame)
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            for read in reads:
                ((before,),) = con.execute(
                    f"SELECT count(*) FROM {TABLE} WHERE edition_end = ?", [read.edition_end]
                ).fetchall()
                con.execute(f"DELETE FROM {TABLE} WHERE edition_end = ?", [read.edition_end])
                report.editions.append(
                    EditionLoad(read.edition_end, str(read.path), read.sha256, len(read.frame), read.tables, before)
                )
            con.execute(f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM partner_rows")
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.unregister("partner_rows")
    if progress:
        progress("done", steps, steps)
    report.editions.sort(key=lambda load: load.edition_end)
    return report


def _rows(read: PfaWorkbook, loaded_at: datetime) -> pd.DataFrame:
    frame = read.frame.copy()
    frame["source_file"] = str(read.path)
    frame["source_sha256"] = read.sha256
    frame["loaded_at"] = pd.Timestamp(loaded_at)
    frame["count"] = frame["count"].astype("Int64")
    for column in ("edition_end", "table_id", "period_end", "pfa_code", "pfa_name", "offence_group", "note"):
        frame[column] = frame[column].astype("object").where(frame[column].notna(), None)
    return frame[COLUMNS]


def read_partner_recorded_crime(con: duckdb.DuckDBPyConnection, pfa: str | None = None) -> pd.DataFrame:
    """The table as the tidy frame vru.analysis.cost reads (optionally one force, by name or code)."""
    query = f"SELECT * FROM {TABLE}"
    parameters: list[str] = []
    if pfa:
        query += " WHERE lower(pfa_name) = lower(?) OR lower(pfa_code) = lower(?)"
        parameters = [pfa, pfa]
    frame = con.execute(query + " ORDER BY edition_end, table_id, pfa_name, offence_group", parameters).df()
    frame["count"] = frame["count"].astype("Int64")
    return frame
