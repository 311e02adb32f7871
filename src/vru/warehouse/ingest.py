"""Load police.uk files into the warehouse, replacing each (force, month, kind) unit whole.

The whole run is one transaction: every file is read and checked before COMMIT, so a bad file, an
error or a killed process leaves the warehouse exactly as it was. Reading is DuckDB's CSV reader with an
explicit schema over many files at once (fast, parallel); when it or a check fails, the slow
line-by-line diagnosis in `vru.sources.police_uk_diagnose` finds the file, line and column to report.
"""

from __future__ import annotations

import gzip
import hashlib
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from vru.errors import InputError
from vru.sources import police_uk_diagnose
from vru.sources.police_uk import KIND_TABLE, QUARANTINE_RULES, SourceFile, check_header, discover
from vru.warehouse import lsoa21

# Files read per DuckDB call: enough to keep both cores busy, few enough that progress moves.
FILES_PER_BATCH = 16


@dataclass
class UnitResult:
    force: str
    month: str
    kind: str
    source_file: str
    source_sha256: str
    rows_loaded: int
    rows_quarantined: int
    rows_without_location: int


@dataclass
class IngestReport:
    units: list[UnitResult] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return sum(unit.rows_loaded for unit in self.units)

    @property
    def rows_quarantined(self) -> int:
        return sum(unit.rows_quarantined for unit in self.units)


# Progress callback: (files_done, rows_done) after each batch, with the total number of files known upfront.
ProgressCallback = Callable[[int, int], None]


def ingest(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | Path],
    on_progress: ProgressCallback | None = None,
    scratch_dir: Path | None = None,
) -> IngestReport:
    """Load every police.uk file under `paths`. Raises InputError (and changes nothing) on bad input."""
    sources = discover(paths)
    _refuse_duplicate_units(sources)
    with tempfile.TemporaryDirectory(prefix="vru-ingest-", dir=scratch_dir) as scratch:
        readable = _readable_paths(sources, Path(scratch))
        for source in sources:
            _check_file_start(source, readable[source])
        with ThreadPoolExecutor(max_workers=2) as hashing:
            # Hashing runs beside DuckDB's read (hashlib releases the GIL).
            digests = {source: hashing.submit(_sha256, source) for source in sources}
            report = _load_in_one_transaction(con, sources, readable, digests, on_progress)
    return report


def _refuse_duplicate_units(sources: Sequence[SourceFile]) -> None:
    seen: dict[tuple[str, str, str], SourceFile] = {}
    for source in sources:
        key = (source.force, source.month, source.kind)
        if key in seen:
            raise InputError(
                source.name,
                f"holds the same force, month and kind ({', '.join(key)}) as {seen[key].name}; "
                "give each month once per run",
            )
        seen[key] = source


def _readable_paths(sources: Sequence[SourceFile], scratch: Path) -> dict[SourceFile, Path]:
    """Path DuckDB can read for each source: the file itself, or a zip member extracted to scratch."""
    readable = {}
    for source in sources:
        if source.member is None:
            readable[source] = source.path
            continue
        target = scratch / source.member.replace("/", "_")
        try:
            with zipfile.ZipFile(source.path) as archive, archive.open(source.member) as member:
                with open(target, "wb") as out:
                    shutil.copyfileobj(member, out, 1 << 20)
        except (zipfile.BadZipFile, EOFError, OSError) as error:
            raise InputError(source.name, f"cannot be read from the archive (truncated or damaged): {error}") from None
        readable[source] = target
    return readable


def _check_file_start(source: SourceFile, path: Path) -> None:
    if path.stat().st_size == 0:
        raise InputError(source.name, "file is empty (0 bytes): expected a header line and rows")
    try:
        opener = gzip.open if path.name.endswith(".gz") else open
        with opener(path, "rb") as handle:
            first_line = handle.readline()
    except (OSError, EOFError) as error:
        raise InputError(source.name, f"cannot be decompressed: {error}", line=1) from None
    if not first_line.strip():
        raise InputError(source.name, "the first line is empty: expected the header", line=1)
    try:
        header = first_line.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(source.name, "the header is not valid UTF-8", line=1) from None
    check_header(source, header)


def _sha256(source: SourceFile) -> str:
    digest = hashlib.sha256()
    if source.member is None:
        with open(source.path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    else:
        with zipfile.ZipFile(source.path) as archive, archive.open(source.member) as member:
            while chunk := member.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()


def _load_in_one_transaction(con, sources, readable, digests, on_progress) -> IngestReport:
    ingested_at = datetime.now(UTC)
    report = IngestReport()
    files_done = rows_done = 0
    con.execute("BEGIN TRANSACTION")
    try:
        mapping_ready = lsoa21.prepare_code_map(con)
        for kind in KIND_TABLE:
            of_kind = [source for source in sources if source.kind == kind]
            for start in range(0, len(of_kind), FILES_PER_BATCH):
                batch = of_kind[start : start + FILES_PER_BATCH]
                units = _load_batch(con, kind, batch, readable, mapping_ready)
                for source in batch:
                    loaded, quarantined, without_location = units.get(str(readable[source]), (0, 0, 0))
                    report.units.append(
                        UnitResult(
                            force=source.force,
                            month=source.month,
                            kind=kind,
                            source_file=source.name,
                            source_sha256=digests[source].result(),
                            rows_loaded=loaded,
                            rows_quarantined=quarantined,
                            rows_without_location=without_location,
                        )
                    )
                files_done += len(batch)
                rows_done += sum(loaded + quarantined for loaded, quarantined, _ in units.values())
                if on_progress:
                    on_progress(files_done, rows_done)
        _record_units(con, report.units, ingested_at)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return report


def _scan_sql(kind: str, batch: Sequence[SourceFile]) -> str:
    """A query over a batch of files of one kind (the list of paths is its one parameter): each row with
    its file's force and month, and the index of the first quarantine rule it breaks (NULL if none)."""
    columns = batch[0].columns
    types = "{" + ", ".join(f"'{column}': '{sql_type}'" for column, _, sql_type in columns) + "}"
    renamed = ", ".join(f'"{column}" AS {name}' for column, name, _ in columns)
    rules = QUARANTINE_RULES[kind]
    first_rule = "CASE " + " ".join(f"WHEN {rule.sql} THEN {index}" for index, rule in enumerate(rules)) + " END"
    return f"""
        SELECT f.force, f.file_month, r.*, {first_rule} AS rule
        FROM (
            SELECT {renamed}, filename
            FROM read_csv(?, columns = {types}, header = true, auto_detect = false, delim = ',',
                          quote = '"', escape = '"', filename = true, strict_mode = true,
                          encoding = 'utf-8', null_padding = false)
        ) AS r JOIN stage_file AS f USING (filename)
    """


def _row_month(kind: str) -> str:
    if kind == "stop-and-search":
        # The month as written (local time with its offset), not converted to the session's time zone.
        return "CASE WHEN try_cast(date_text AS TIMESTAMPTZ) IS NOT NULL THEN substr(date_text, 1, 7) END"
    return "month_text"


def _load_batch(con, kind: str, batch: Sequence[SourceFile], readable, mapping_ready: bool):
    """Check, then load, one batch. Returns {readable path: (loaded, quarantined, without_location)}.

    Two passes over the bytes beat one pass through a staging table: DuckDB parses CSV about four times
    faster than it writes rows, and the check pass writes nothing."""
    by_path = {str(readable[source]): source for source in batch}
    files = list(by_path)
    con.execute("CREATE OR REPLACE TEMP TABLE stage_file (filename VARCHAR, force VARCHAR, file_month VARCHAR)")
    con.executemany("INSERT INTO stage_file VALUES (?, ?, ?)", [(str(readable[s]), s.force, s.month) for s in batch])
    scan = _scan_sql(kind, batch)
    no_location = "latitude_text IS NULL" if kind == "stop-and-search" else "lsoa_code IS NULL"
    with _reporting_bad_input(batch, readable):
        counts = con.execute(
            f"""
            SELECT filename,
                   count(*) FILTER (WHERE rule IS NULL),
                   count(*) FILTER (WHERE rule IS NOT NULL),
                   count(*) FILTER (WHERE rule IS NULL AND {no_location}),
                   count(*) FILTER (WHERE {_row_month(kind)} <> file_month)
            FROM ({scan}) GROUP BY filename
            """,
            [files],
        ).fetchall()

    # A row from another month means the file is not what its name says: refuse the file.
    for filename, *_, wrong_month in counts:
        if wrong_month:
            police_uk_diagnose.raise_month_mismatch(by_path[filename], Path(filename))

    _delete_units_being_replaced(con, kind)
    for filename, _, quarantined, _, _ in counts:
        if quarantined:
            _record_quarantine(con, by_path[filename], Path(filename), quarantined)
    # The check pass reads only the columns it needs, so a bad byte elsewhere can first show here.
    with _reporting_bad_input(batch, readable):
        _insert_rows(con, kind, scan, files, mapping_ready)
    return {filename: (loaded, quarantined, without) for filename, loaded, quarantined, without, _ in counts}


@contextmanager
def _reporting_bad_input(batch: Sequence[SourceFile], readable):
    """Turn DuckDB's read errors into an InputError naming the file, line and column."""
    try:
        yield
    except duckdb.Error as error:
        for source in batch:
            police_uk_diagnose.raise_first_problem(source, readable[source])
        # DuckDB failed but no file has a problem the line-by-line reader can see: report DuckDB's words.
        raise InputError(", ".join(source.name for source in batch), f"could not be read: {error}") from None


def _record_quarantine(con, source: SourceFile, path: Path, expected: int) -> None:
    rows = police_uk_diagnose.quarantine_rows(source, path)
    if len(rows) != expected:
        raise RuntimeError(f"{source.name}: the two quarantine checks disagree ({expected} vs {len(rows)} rows)")
    con.executemany(
        "INSERT INTO quarantine VALUES (?, CAST(? || '-01' AS DATE), ?, ?, ?, ?, ?, ?)",
        [
            (
                source.force,
                source.month,
                source.kind,
                source.name,
                row.line,
                row.column,
                row.reason,
                row.value,
            )
            for row in rows
        ],
    )


def _delete_units_being_replaced(con, kind: str) -> None:
    """Remove the earlier rows of units in this batch; skipped when none was loaded before (first loads
    of big runs should not scan the table once per file)."""
    replaced = con.execute(
        """
        SELECT f.force, f.file_month FROM stage_file AS f
        JOIN ingest_unit AS u
          ON u.force = f.force AND u.month = CAST(f.file_month || '-01' AS DATE) AND u.kind = ?
        """,
        [kind],
    ).fetchall()
    if not replaced:
        return
    con.execute("CREATE OR REPLACE TEMP TABLE replaced_units (force VARCHAR, month DATE)")
    con.executemany("INSERT INTO replaced_units VALUES (?, CAST(? || '-01' AS DATE))", replaced)
    for table, kind_filter in ((KIND_TABLE[kind], ""), ("quarantine", f"AND t.kind = '{kind}'")):
        con.execute(
            f"DELETE FROM {table} AS t USING replaced_units AS r "
            f"WHERE t.force = r.force AND t.month = r.month {kind_filter}"
        )


def _insert_rows(con, kind: str, scan: str, files: list[str], mapping_ready: bool) -> None:
    if kind == "stop-and-search":
        con.execute(
            f"""
            INSERT INTO stop_search
            SELECT force, CAST(file_month || '-01' AS DATE), type, try_cast(date_text AS TIMESTAMPTZ),
                   part_of_policing_operation, policing_operation,
                   try_cast(latitude_text AS DOUBLE), try_cast(longitude_text AS DOUBLE),
                   gender, age_range, self_defined_ethnicity, officer_defined_ethnicity, legislation,
                   object_of_search, outcome, outcome_linked_to_object_of_search,
                   removal_of_more_than_outer_clothing
            FROM ({scan}) WHERE rule IS NULL
            """,
            [files],
        )
        return
    code, method = lsoa21.mapped_columns(mapping_ready)
    last = "s.crime_type, s.last_outcome_category, s.context" if kind == "street" else "s.outcome_type"
    con.execute(
        f"""
        INSERT INTO {KIND_TABLE[kind]}
        SELECT s.force, CAST(s.file_month || '-01' AS DATE), s.crime_id, s.reported_by, s.falls_within,
               try_cast(s.longitude_text AS DOUBLE), try_cast(s.latitude_text AS DOUBLE), s.location,
               s.lsoa_code, s.lsoa_name, {code}, {method}, {last}
        FROM ({scan}) AS s {lsoa21.JOIN_CLAUSE if mapping_ready else ""}
        WHERE s.rule IS NULL
        """,
        [files],
    )
    if mapping_ready:
        lsoa21.resolve_splits(con, KIND_TABLE[kind])


def _record_units(con, units: Sequence[UnitResult], ingested_at: datetime) -> None:
    con.executemany(
        "INSERT OR REPLACE INTO ingest_unit VALUES (?, CAST(? || '-01' AS DATE), ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                unit.force,
                unit.month,
                unit.kind,
                unit.source_file,
                unit.source_sha256,
                ingested_at,
                unit.rows_loaded,
                unit.rows_quarantined,
                unit.rows_without_location,
            )
            for unit in units
        ],
    )
