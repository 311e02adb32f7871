"""`vru partner`: load partner data into the warehouse, every file of a run in ONE transaction.

Three kinds of file, told apart by name and header (docs/partner-data.md):

* ONS police force area data tables (.xlsx, police recorded crime) into `partner_recorded_crime`: each
  edition given is replaced whole (delete the edition's rows, insert the new ones); two files of the same
  edition in one run is an error naming both;
* published local authority indicators (the files of partner_la: DfE LAIT, children's social care, NEET,
  ONS homicide, Home Office licensing) into `partner_indicator` (vru.warehouse.partner_indicators);
* local partner CSVs (emergency department, ambulance, youth justice, schools) into `partner_record`
  (vru.warehouse.partner_intake), for the organisation named with the run; every bad row of every file
  is reported and nothing at all is loaded.

Folders are searched recursively for workbooks and publication files; a partner CSV must be named
itself. Everything is read and checked first; then one transaction writes it: a bad file, an error or a
killed process leaves the warehouse as it was. Every row records its file, the file's SHA-256 and the
load time.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from vru.errors import InputError
from vru.sources.partner_intake import IntakeErrors, IntakeFile, validate_partner_file
from vru.sources.partner_la import PartnerLaFile, partner_la_source, read_partner_la_file
from vru.sources.recorded_crime import TIDY_COLUMNS, PfaWorkbook, find_pfa_files, read_pfa_workbook
from vru.warehouse.partner_indicators import write_indicator_files
from vru.warehouse.partner_intake import write_uploads

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
class IndicatorLoad:
    source: str
    source_file: str
    rows: int
    replaced_rows: int


@dataclass
class PartnerLoadReport:
    editions: list[EditionLoad] = field(default_factory=list)
    indicators: list[IndicatorLoad] = field(default_factory=list)
    uploads: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


@dataclass
class PartnerFiles:
    workbooks: list[Path] = field(default_factory=list)
    publications: list[Path] = field(default_factory=list)
    partner_csvs: list[Path] = field(default_factory=list)


def find_partner_files(paths: Iterable[str | Path]) -> PartnerFiles:
    """Sort the paths given into the three kinds; a named file of none of them is an error."""
    found = PartnerFiles()
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.workbooks += find_pfa_files([path])
            found.publications += sorted(p for p in path.rglob("*") if p.is_file() and partner_la_source(p))
        elif not path.exists():
            raise InputError(path, "no such file or folder")
        elif partner_la_source(path):
            found.publications.append(path)
        elif path.suffix.casefold() == ".xlsx":
            found.workbooks.append(path)
        elif path.suffix.casefold() == ".csv":
            found.partner_csvs.append(path)
        else:
            raise InputError(
                path,
                "not a file `vru partner` reads: ONS police force area tables (.xlsx), a partner publication "
                "(docs/partner-data.md lists them) or a partner CSV made from a template",
            )
    found.workbooks = sorted(dict.fromkeys(found.workbooks))
    found.publications = sorted(dict.fromkeys(found.publications))
    return found


def load_partner_tables(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | Path],
    progress: ProgressCallback | None = None,
    organisation: str | None = None,
) -> PartnerLoadReport:
    """Load partner files (or folders); InputError and no change at all if any is bad."""
    paths = list(paths)
    files = find_partner_files(paths)
    everything = [*files.workbooks, *files.publications, *files.partner_csvs]
    if not everything:
        raise InputError(", ".join(str(p) for p in paths) or "(no paths)", "no partner files found")
    if files.partner_csvs and not organisation:
        raise InputError(files.partner_csvs[0], "a partner CSV needs the organisation that sent it (--organisation)")
    steps = len(everything) + 1
    reads: list[PfaWorkbook] = []
    publications: list[PartnerLaFile] = []
    uploads: list[IntakeFile] = []
    problems: list[IntakeErrors] = []
    for done, path in enumerate(everything):
        if progress:
            progress(f"reading {path.name}", done, steps)
        if path in files.workbooks:
            reads.append(read_pfa_workbook(path))
        elif path in files.publications:
            publications.append(read_partner_la_file(path))
        else:
            try:
                uploads.append(validate_partner_file(str(path), path.read_bytes()))
            except IntakeErrors as error:
                problems.append(error)  # go on: every bad row of every file is reported at once
    if problems:
        raise problems[0] if len(problems) == 1 else PartnerFilesErrors(problems)
    _one_file_per_edition(reads)
    if progress:
        progress("writing partner tables", len(everything), steps)
    report = PartnerLoadReport(warnings=[w for read in reads for w in read.warnings])
    loaded_at = datetime.now(UTC)
    con.execute("BEGIN TRANSACTION")
    try:
        _write_editions(con, reads, loaded_at, report)
        written = write_indicator_files(con, publications, loaded_at)
        report.indicators = [
            IndicatorLoad(read.source, read.path.name, *written[read.path.name]) for read in publications
        ]
        if uploads:
            report.uploads = write_uploads(con, uploads, organisation or "", loaded_at)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    if progress:
        progress("done", steps, steps)
    report.editions.sort(key=lambda load: load.edition_end)
    return report


class PartnerFilesErrors(InputError):
    """Several partner CSVs with bad rows: all of them, every problem."""

    def __init__(self, errors: list[IntakeErrors]):
        super().__init__(", ".join(str(error.file) for error in errors), f"{len(errors)} files with problems")
        self.errors = errors

    def __str__(self) -> str:
        return "\n".join(str(error) for error in self.errors)


def _one_file_per_edition(reads: list[PfaWorkbook]) -> None:
    by_edition: dict[str, PfaWorkbook] = {}
    for read in reads:
        if read.edition_end in by_edition:
            raise InputError(
                read.path,
                f"same edition ({read.edition_end}) as {by_edition[read.edition_end].path}: give one file per edition",
            )
        by_edition[read.edition_end] = read


def _write_editions(
    con: duckdb.DuckDBPyConnection, reads: list[PfaWorkbook], loaded_at: datetime, report: PartnerLoadReport
) -> None:
    if not reads:
        return
    for read in reads:
        ((before,),) = con.execute(f"SELECT count(*) FROM {TABLE} WHERE edition_end = ?", [read.edition_end]).fetchall()
        con.execute(f"DELETE FROM {TABLE} WHERE edition_end = ?", [read.edition_end])
        report.editions.append(
            EditionLoad(read.edition_end, str(read.path), read.sha256, len(read.frame), read.tables, before)
        )
    frame = pd.concat([_rows(read, loaded_at) for read in reads], ignore_index=True)
    # DuckDB reads the frame by its variable name: no register/unregister to fail in an aborted transaction.
    partner_rows = frame  # noqa: F841
    con.execute(f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) SELECT {', '.join(COLUMNS)} FROM partner_rows")


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
