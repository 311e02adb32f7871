"""Load police.uk files into the warehouse, replacing each (force, month, kind) unit whole.

The whole run is one transaction: every file is read and checked before COMMIT, so a bad file, an
error or a killed process leaves the warehouse exactly as it was. Reading is DuckDB's CSV reader with an
explicit schema over many files at once (fast, parallel); when it or a check fails, the slow
line-by-line diagnosis in `vru.sources.police_uk_diagnose` finds the file, line and column to report.

Every row is accounted for: beside DuckDB's read, a plain pass over each file's bytes (the one that
hashes it) counts its lines, and a file whose rows loaded plus rows set aside differ from its data lines
is diagnosed line by line and refused unless that slower count agrees with DuckDB's.
"""

from __future__ import annotations

import errno
import gzip
import hashlib
import os
import re
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import BinaryIO

import duckdb

from vru.errors import InputError, WarehouseError
from vru.sources import police_uk_diagnose
from vru.sources.police_uk import KIND_TABLE, MAX_LINE_SIZE, QUARANTINE_RULES, SourceFile, check_header, discover
from vru.sources.police_uk_manifest import MANIFEST_NAME, FetchError, FetchManifest, sha256_of
from vru.warehouse import lsoa21

# Files read per DuckDB call: a force's street files for a few years go in one (each further insert into the
# table in the run's transaction cost about 0.3 s more at the closing checkpoint, measured on the 26 real
# files: 16 a batch against 64), and a national run still has batches enough for progress to move.
FILES_PER_BATCH = 64
# Threads reading files beside DuckDB (hashing, counting lines, unpacking zip members). One keeps ahead of
# DuckDB's insert and, on two cores, takes less CPU time than two (measured: benchmarks/ingest.py).
READERS = 1
# Bytes read at a time by those threads.
CHUNK_BYTES = 1 << 20
# Zip bombs: a member may expand to at most this many times its compressed size (police.uk CSVs expand
# about 5 times), and one run may unpack at most this many bytes in all (a whole national month, every
# force and kind, is about 1.5 GB).
MAX_EXPANSION_RATIO = 100
MAX_UNPACKED_BYTES = int(os.environ.get("VRU_INGEST_MAX_UNPACKED_BYTES", 32 * 2**30))
# Below this size a high ratio is harmless (a tiny file of repeated text compresses very well).
RATIO_CHECKED_FROM_BYTES = 1 << 20
# A month whose new rows are fewer than this share of the rows loaded before is refused without
# --allow-shrink: a real re-issue changes a month by a few per cent, a broken download by much more.
SHRINK_SHARE = 0.5
SCRATCH_PREFIX = "vru-ingest-"

# Unpacking a .gz is most of the reading's cost: ISA-L's gzip reader (the isal package) gives the same bytes
# as the standard library's about twice as fast; the standard library's stands in where it is not installed.
UNREADABLE_ERRORS: tuple[type[BaseException], ...] = (OSError, EOFError, zlib.error, zipfile.BadZipFile)
try:
    from isal import igzip as gzip_reader
    from isal.isal_zlib import error as isal_error

    UNREADABLE_ERRORS += (isal_error,)
except ImportError:  # pragma: no cover - isal is a dependency; this keeps an install without it working
    gzip_reader = gzip


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
    # What the person should know although the run succeeded (a month replaced by far fewer rows).
    warnings: list[str] = field(default_factory=list)

    @property
    def rows_loaded(self) -> int:
        return sum(unit.rows_loaded for unit in self.units)

    @property
    def rows_quarantined(self) -> int:
        return sum(unit.rows_quarantined for unit in self.units)


@dataclass(frozen=True)
class FileFacts:
    """What a plain pass over a file's bytes finds, independently of DuckDB."""

    sha256: str  # of the bytes as given: the .gz, or the zip member
    data_lines: int  # lines after the header (newlines, and a last line without one)
    has_nul: bool
    # A carriage return not followed by a newline: DuckDB ends a row there too, so such a file may hold
    # more rows than newlines, and only the line-by-line reader can count it.
    has_lone_carriage_return: bool

    @property
    def rows_at_most_lines(self) -> bool:
        """Whether no reader can find more rows than data_lines (each row ends at a newline or the end)."""
        return not self.has_nul and not self.has_lone_carriage_return


# Progress callback: (files_done, rows_done) after each batch, with the total number of files known upfront.
ProgressCallback = Callable[[int, int], None]


def ingest(
    con: duckdb.DuckDBPyConnection,
    paths: Iterable[str | Path],
    on_progress: ProgressCallback | None = None,
    scratch_dir: Path | None = None,
    allow_shrink: bool = False,
) -> IngestReport:
    """Load every police.uk file under `paths`. Raises InputError (and changes nothing) on bad input,
    WarehouseError when the disk or the warehouse fails."""
    paths = list(paths)
    # Read (and check) the fetch manifests' availability first: a bad manifest refuses the run before anything
    # changes, and the months are written in the run's one transaction.
    availability = availability_rows(paths)
    sources = discover(paths)
    _refuse_duplicate_units(sources)
    _refuse_zip_bombs(sources)
    for source in sources:
        _check_file_start(source)
    scratch_parent = Path(scratch_dir) if scratch_dir else Path(tempfile.gettempdir())
    remove_stale_scratch(scratch_parent)
    # The folder is named after this process, so a later run can tell it was left by one that was killed.
    with (
        tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-", dir=scratch_parent) as scratch,
        # Reading (hashing, counting, unpacking) runs beside DuckDB's insert: hashlib, zlib and file writes
        # release the GIL. Left first, so no reader still writes into scratch when it is removed.
        ThreadPoolExecutor(max_workers=READERS) as readers,
    ):
        try:
            with _disk_full_reported():
                return _load_in_one_transaction(
                    con, sources, readers, Path(scratch), on_progress, availability, allow_shrink=allow_shrink
                )
        finally:
            readers.shutdown(cancel_futures=True)


def availability_rows(paths: Iterable[str | Path]) -> list[tuple]:
    """What `vru fetch --check-available` recorded in the fetch manifests under `paths`, as rows of
    `police_uk_availability` (a later check replaces an earlier one for the same force and month)."""
    rows = []
    for path in map(Path, paths):
        manifests = sorted(path.rglob(MANIFEST_NAME)) if path.is_dir() else []
        for manifest_path in manifests:
            try:
                manifest = FetchManifest.load(manifest_path.parent)
            except FetchError as error:
                raise InputError(str(error)) from error
            for force, months in manifest.availability.items():
                for month, entry in months.items():
                    try:
                        rows.append(
                            (
                                force,
                                f"{month}-01",
                                bool(entry["published"]),
                                str(entry["reason"]),
                                str(entry["checked_at"]),
                                str(entry["newest_published"]),
                                str(entry["source"]),
                            )
                        )
                    except (KeyError, TypeError) as error:
                        raise InputError(
                            f"{manifest_path}: availability of {force} {month} lacks {error}; "
                            "run vru fetch again to record it"
                        ) from error
    return rows


def remove_stale_scratch(folder: Path) -> None:
    """Remove scratch folders left by an ingest that was killed (kill -9 runs no clean-up)."""
    for candidate in folder.glob(f"{SCRATCH_PREFIX}*-*"):
        match = re.fullmatch(rf"{SCRATCH_PREFIX}(\d+)-.*", candidate.name)
        if match and candidate.is_dir() and not _process_alive(int(match[1])):
            shutil.rmtree(candidate, ignore_errors=True)


def _process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # alive, another user's
    return True


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


def _refuse_zip_bombs(sources: Sequence[SourceFile]) -> None:
    """Refuse, before unpacking anything, archives that would expand too much (sizes as the archive
    declares them; unpacking stops at the declared size, so a member cannot lie its way past this)."""
    total = 0
    archives: dict[Path, zipfile.ZipFile] = {}
    try:
        for source in sources:
            if source.member is None:
                continue
            if source.path not in archives:
                archives[source.path] = zipfile.ZipFile(source.path)
            info = archives[source.path].getinfo(source.member)
            _check_ratio(source, info.file_size, info.compress_size)
            total += info.file_size
            if total > MAX_UNPACKED_BYTES:
                raise InputError(
                    source.path,
                    f"the archives would unpack to more than {MAX_UNPACKED_BYTES / 2**30:.0f} GiB in one run "
                    "(a zip bomb, or too much for one run: give fewer archives at a time)",
                )
    except zipfile.BadZipFile as error:
        raise InputError(source.path, f"not a readable .zip archive (truncated or damaged): {error}") from None
    finally:
        for archive in archives.values():
            archive.close()


def _check_ratio(source: SourceFile, expanded: int, compressed: int) -> None:
    if expanded > RATIO_CHECKED_FROM_BYTES and expanded > MAX_EXPANSION_RATIO * max(compressed, 1):
        raise InputError(
            source.name,
            f"expands {expanded / max(compressed, 1):,.0f} times ({compressed:,} bytes to at least {expanded:,}); "
            f"police.uk files expand about 5 times and more than {MAX_EXPANSION_RATIO} is refused as a zip bomb",
        )


@contextmanager
def _open_bytes(source: SourceFile) -> Iterator[BinaryIO]:
    """The file's CSV bytes (decompressed), whether plain, .gz or a zip member."""
    if source.member is not None:
        with zipfile.ZipFile(source.path) as archive, archive.open(source.member) as member:
            yield member
    elif source.path.name.endswith(".gz"):
        with gzip_reader.open(source.path, "rb") as handle:
            yield handle
    else:
        with open(source.path, "rb") as handle:
            yield handle


def _check_file_start(source: SourceFile) -> None:
    if source.member is None and source.path.stat().st_size == 0:
        raise InputError(source.name, "file is empty (0 bytes): expected a header line and rows")
    try:
        with _open_bytes(source) as handle:
            first_line = handle.readline(MAX_LINE_SIZE + 1)
    except UNREADABLE_ERRORS as error:
        raise InputError(source.name, f"cannot be decompressed: {error}", line=1) from None
    # A line may end with a lone carriage return too (DuckDB's reader ends a row there).
    first_line = first_line.split(b"\r", 1)[0]
    if not first_line.strip():
        raise InputError(source.name, "the first line is empty: expected the header", line=1)
    try:
        header = first_line.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError(source.name, "the header is not valid UTF-8", line=1) from None
    check_header(source, header)


def _read_through(source: SourceFile, unpack_to: Path | None) -> FileFacts:
    """One pass over the file's CSV bytes: hash them (the bytes as given: the .gz, or the zip member), count
    their lines, and, for a zip member, write them unpacked to `unpack_to`, the plain file DuckDB then reads.
    A .gz is read by DuckDB itself at the same time. A .gz expanding like a zip bomb is refused as it is
    read (and stops DuckDB's read of it: see _reader_errors_stop_the_insert); damaged compressed data is an
    InputError naming the file (and, for a .gz, the last line)."""
    compressed_gz = source.member is None and source.path.name.endswith(".gz")
    digest = None if compressed_gz else hashlib.sha256()  # a .gz is hashed as given, whole, below
    compressed_size = source.path.stat().st_size
    newlines, last_byte, has_nul, expanded = 0, b"\n", False, 0
    carriage_returns = crlf = 0  # counted only in files that have any (police.uk files end lines with LF)
    with _unpacked_file(source, unpack_to) as write:
        try:
            with _open_bytes(source) as handle:
                while chunk := handle.read(CHUNK_BYTES):
                    if digest:
                        digest.update(chunk)
                    newlines += chunk.count(b"\n")
                    has_nul = has_nul or b"\0" in chunk
                    if last_byte == b"\r" or b"\r" in chunk:
                        carriage_returns += chunk.count(b"\r")
                        crlf += chunk.count(b"\r\n") + (last_byte == b"\r" and chunk[:1] == b"\n")
                    last_byte = chunk[-1:]
                    expanded += len(chunk)
                    if compressed_gz:
                        _check_ratio(source, expanded, compressed_size)
                    write(chunk)
        except UNREADABLE_ERRORS as error:
            _refuse_unreadable(source, error)
    lines = newlines + (last_byte != b"\n")
    sha256 = digest.hexdigest() if digest else sha256_of(source.path)
    return FileFacts(sha256, max(lines - 1, 0), has_nul, carriage_returns != crlf)


@contextmanager
def _unpacked_file(source: SourceFile, target: Path | None) -> Iterator[Callable[[bytes], None]]:
    """A writer of the unpacked bytes to `target` (none for a plain file, which DuckDB reads where it is).
    A failed write is the disk's problem, never the input's: a WarehouseError (a full disk named as such)."""
    if target is None:
        yield lambda chunk: None
        return

    def write(chunk: bytes) -> None:
        try:
            _write_all(out, chunk)
        except OSError as error:
            raise WarehouseError(_unpacking_failed(source, target, error)) from None

    try:
        out = open(target, "wb", buffering=0)  # unbuffered: every failed write surfaces here, none at close
    except OSError as error:
        raise WarehouseError(_unpacking_failed(source, target, error)) from None
    with out:
        yield write


def _write_all(out: BinaryIO, chunk: bytes) -> None:
    view = memoryview(chunk)
    while view:
        view = view[out.write(view) :]


def _unpacking_failed(source: SourceFile, target: Path, error: OSError) -> str:
    if error.errno == errno.ENOSPC:
        return f"unpacking {source.name}: " + disk_full_message(target)
    return f"unpacking {source.name} into {target.parent} failed: {error.strerror or error}"


def _refuse_unreadable(source: SourceFile, error: BaseException) -> None:
    """Bytes that cannot be read or unpacked: an InputError naming the file, and for a .gz the last line
    that could be read (the line-by-line reader finds it)."""
    if source.member is not None:
        raise InputError(source.name, f"cannot be read from the archive (truncated or damaged): {error}") from None
    if source.path.name.endswith(".gz"):
        police_uk_diagnose.read_rows(source, source.path)
        raise InputError(source.name, f"cannot be decompressed: {error}") from None
    raise InputError(source.name, f"cannot be read: {error}") from None


def _unpack_target(source: SourceFile, scratch: Path) -> Path | None:
    """Where a zip member's CSV is unpacked for DuckDB; None for a plain file or a .gz, which DuckDB reads
    where it is (its own gzip reader costs less than writing the unpacked copy and reading it back)."""
    if source.member is not None:
        return scratch / source.member.replace("/", "_")
    return None


@contextmanager
def _disk_full_reported():
    """A full disk is the machine's problem, not the input's: say so, and which file could not be written."""
    try:
        yield
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        raise WarehouseError(disk_full_message(error.filename)) from None
    except duckdb.Error as error:
        if not _is_disk_full(error):
            raise
        written = re.search(r'write file "([^"]+)"', str(error))
        raise WarehouseError(disk_full_message(written[1] if written else None)) from None


def _is_disk_full(error: BaseException) -> bool:
    return "No space left on device" in str(error)


def disk_full_message(path: str | Path | None) -> str:
    where, free = "the warehouse or its scratch folder", ""
    if path:
        where = str(path)
        try:
            free = f" ({shutil.disk_usage(Path(path).parent).free / 2**20:,.1f} MiB free now)"
        except OSError:
            pass
    return (
        f"no space left on the disk while writing {where}{free}: free some space and run the ingest again. "
        "The input files were not the problem; nothing in the warehouse was changed."
    )


@dataclass(frozen=True)
class _BatchRead:
    """A batch being read by the reader threads: per file, the path DuckDB reads and its facts to come."""

    readable: dict[SourceFile, Path]
    facts: dict[SourceFile, Future[FileFacts]]

    def unpacked(self) -> list[Path]:
        return [path for source, path in self.readable.items() if path != source.path]


def _start_reading(readers: ThreadPoolExecutor, batch: Sequence[SourceFile], scratch: Path) -> _BatchRead:
    targets = {source: _unpack_target(source, scratch) for source in batch}
    return _BatchRead(
        readable={source: targets[source] or source.path for source in batch},
        facts={source: readers.submit(_read_through, source, targets[source]) for source in batch},
    )


def _load_in_one_transaction(
    con, sources, readers: ThreadPoolExecutor, scratch: Path, on_progress, availability: list[tuple], allow_shrink: bool
) -> IngestReport:
    ingested_at = datetime.now(UTC)
    report = IngestReport()
    files_done = rows_done = 0
    batches = [
        of_kind[start : start + FILES_PER_BATCH]
        for kind in KIND_TABLE
        if (of_kind := [source for source in sources if source.kind == kind])
        for start in range(0, len(of_kind), FILES_PER_BATCH)
    ]
    con.execute("BEGIN TRANSACTION")
    try:
        mapping_ready = lsoa21.prepare_code_map(con)
        counts: dict[SourceFile, tuple[int, int]] = {}
        sha256: dict[SourceFile, str] = {}
        # The next batch is read (unpacked) while DuckDB loads this one: scratch holds at most two batches.
        upcoming = _start_reading(readers, batches[0], scratch) if batches else None
        for number, batch in enumerate(batches):
            reading = upcoming
            upcoming = _start_reading(readers, batches[number + 1], scratch) if number + 1 < len(batches) else None
            try:
                for source, path in reading.readable.items():
                    if path != source.path:
                        reading.facts[source].result()  # unpacked before DuckDB reads it
                batch_counts = _load_batch(
                    con, batch[0].kind, batch, reading.readable, reading.facts, mapping_ready, allow_shrink, report
                )
            finally:
                for path in reading.unpacked():
                    path.unlink(missing_ok=True)
            counts.update(batch_counts)
            sha256.update({source: reading.facts[source].result().sha256 for source in batch})
            files_done += len(batch)
            rows_done += sum(loaded + quarantined for loaded, quarantined in batch_counts.values())
            if on_progress:
                on_progress(files_done, rows_done)
        # Once per run, not per batch: each is a scan of the table, which grows with every batch.
        for kind in {source.kind for source in sources}:
            if mapping_ready and KIND_TABLE[kind] in lsoa21.POLICE_TABLES_WITH_LSOA:
                lsoa21.resolve_splits(con, KIND_TABLE[kind])
        without_location = _rows_without_location(con, sources)
        for source in sources:
            loaded, quarantined = counts[source]
            report.units.append(
                UnitResult(
                    force=source.force,
                    month=source.month,
                    kind=source.kind,
                    source_file=source.name,
                    source_sha256=sha256[source],
                    rows_loaded=loaded,
                    rows_quarantined=quarantined,
                    rows_without_location=without_location.get((source.kind, source.force, source.month), 0),
                )
            )
        _record_units(con, report.units, ingested_at)
        if availability:
            con.executemany("INSERT OR REPLACE INTO police_uk_availability VALUES (?, ?, ?, ?, ?, ?, ?)", availability)
        con.execute("COMMIT")
    except BaseException:
        try:
            con.execute("ROLLBACK")
        except duckdb.Error:
            pass  # a failed write (a full disk) can end the transaction itself; nothing was committed
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
                          encoding = 'utf-8', null_padding = false,
                          max_line_size = {MAX_LINE_SIZE})
        ) AS r JOIN stage_file AS f USING (filename)
    """


def _row_month(kind: str) -> str:
    if kind == "stop-and-search":
        # The month as written (local time with its offset), not converted to the session's time zone.
        return "CASE WHEN try_cast(date_text AS TIMESTAMPTZ) IS NOT NULL THEN substr(date_text, 1, 7) END"
    return "month_text"


def _load_batch(con, kind: str, batch, readable, facts, mapping_ready: bool, allow_shrink: bool, report):
    """Load one batch in one pass over its bytes. Returns {source: (rows loaded, rows set aside)}.

    The earlier rows of the batch's units are deleted and the new rows inserted (a row of another month
    stops the insert), inside the run's transaction, so a refusal after this point still changes nothing.
    Each file's rows are at most its data lines, so when the rows inserted equal the batch's data lines,
    every file's rows equal its lines: none set aside, none lost. Otherwise each file's rows are counted
    again from its bytes, and a file whose rows differ from its lines is read line by line, which finds the
    rows set aside (and their lines) or the problem to report."""
    by_path = {str(readable[source]): source for source in batch}
    con.execute("CREATE OR REPLACE TEMP TABLE stage_file (filename VARCHAR, force VARCHAR, file_month VARCHAR)")
    con.execute(
        "INSERT INTO stage_file VALUES " + ", ".join(["(?, ?, ?)"] * len(batch)),
        [value for source in batch for value in (str(readable[source]), source.force, source.month)],
    )
    loaded_before = _rows_loaded_before(con, kind)
    _delete_units_being_replaced(con, kind)
    scan = _scan_sql(kind, batch)
    with _reader_errors_stop_the_insert(con, facts), _reporting_bad_input(batch, readable, by_path, facts):
        inserted = _insert_rows(con, kind, scan, list(by_path), mapping_ready)
    file_facts = {source: facts[source].result() for source in batch}
    if inserted == sum(f.data_lines for f in file_facts.values()) and all(
        f.rows_at_most_lines for f in file_facts.values()
    ):
        loaded = {source: file_facts[source].data_lines for source in batch}
    else:
        loaded = _rows_kept_per_file(con, scan, by_path)
    counts = {}
    for source in batch:
        quarantined = _account_for_every_row(con, source, readable[source], file_facts[source], loaded[source])
        counts[source] = (loaded[source], quarantined)
    _refuse_sharp_shrink(kind, counts, loaded_before, allow_shrink, report)
    return counts


def _rows_kept_per_file(con, scan: str, by_path: dict[str, SourceFile]) -> dict[SourceFile, int]:
    """{source: rows no quarantine rule sets aside}, read again from the batch's files (the rows the insert
    kept, file by file: a count from the bytes, not from the table, which grows with every batch)."""
    rows = con.execute(
        f"SELECT filename, count(*) FILTER (WHERE rule IS NULL) FROM ({scan}) GROUP BY filename", [list(by_path)]
    ).fetchall()
    kept = dict.fromkeys(by_path.values(), 0)
    kept.update({by_path[filename]: count for filename, count in rows})
    return kept


def _rows_without_location(con, sources: Sequence[SourceFile]) -> dict[tuple[str, str, str], int]:
    """{(kind, force, month): rows without a location} of the run's units, one scan per table."""
    counted = {}
    for kind, table in KIND_TABLE.items():
        units = sorted({(source.force, source.month) for source in sources if source.kind == kind})
        if not units:
            continue
        no_location = "t.latitude IS NULL" if kind == "stop-and-search" else "t.lsoa_code IS NULL"
        forces, months = ([unit[index] for unit in units] for index in (0, 1))
        rows = con.execute(
            f"""
            WITH unit AS (
                SELECT unnest(?::VARCHAR[]) AS force, CAST(unnest(?::VARCHAR[]) || '-01' AS DATE) AS month
            )
            SELECT t.force, strftime(t.month, '%Y-%m'), count(*) FILTER (WHERE {no_location})
            FROM {table} AS t JOIN unit USING (force, month)
            WHERE t.month BETWEEN CAST(? || '-01' AS DATE) AND CAST(? || '-01' AS DATE)
            GROUP BY ALL
            """,
            [forces, months, min(months), max(months)],
        ).fetchall()
        counted.update({(kind, force, month): count for force, month, count in rows})
    return counted


def _account_for_every_row(con, source: SourceFile, path: Path, facts: FileFacts, loaded: int) -> int:
    """Rows loaded plus rows set aside must equal the file's rows, or the file is refused: DuckDB skips a
    line longer than its read buffer without an error, so its own count cannot be trusted alone. Returns
    the number of rows set aside (and records them)."""
    if loaded == facts.data_lines and facts.rows_at_most_lines:
        return 0  # every line is a loaded row: none set aside, none lost
    # Fewer rows than lines: rows set aside, a quoted line break, blank lines, or rows lost. Read line by
    # line, which raises an InputError naming the line of a real problem, and otherwise counts exactly.
    rows, set_aside = police_uk_diagnose.read_rows(source, path)
    if loaded + len(set_aside) != rows:
        raise InputError(
            source.name,
            f"the fast reader loaded {loaded:,} rows and set aside {len(set_aside):,}, but the file holds "
            f"{rows:,} rows; refused so that no row is lost without notice",
        )
    _record_quarantine(con, source, set_aside)
    return len(set_aside)


def _rows_loaded_before(con, kind: str) -> dict[tuple[str, str], int]:
    """{(force, month): rows loaded plus set aside} of the batch's units as the warehouse holds them."""
    rows = con.execute(
        """
        SELECT f.force, f.file_month, u.rows_loaded + u.rows_quarantined FROM stage_file AS f
        JOIN ingest_unit AS u
          ON u.force = f.force AND u.month = CAST(f.file_month || '-01' AS DATE) AND u.kind = ?
        """,
        [kind],
    ).fetchall()
    return {(force, month): count for force, month, count in rows}


def _refuse_sharp_shrink(kind: str, counts, loaded_before, allow_shrink: bool, report: IngestReport) -> None:
    """A file with no rows, or far fewer than the month already loaded, replaces nothing unless the person
    says so (--allow-shrink); then it loads with a warning naming the month and both counts."""
    for source, (loaded, quarantined) in counts.items():
        rows, before = loaded + quarantined, loaded_before.get((source.force, source.month))
        if rows > 0 and (before is None or rows >= before * SHRINK_SHARE):
            continue
        unit = f"{source.force} {kind} {source.month}"
        held = f"{before:,} rows" if before is not None else "no rows yet"
        if allow_shrink:
            report.warnings.append(f"{unit}: now {rows:,} rows; the warehouse held {held} (--allow-shrink)")
            continue
        problem = "holds a header and no rows" if rows == 0 else f"holds {rows:,} rows"
        raise InputError(
            source.name,
            f"{problem} for {unit}, where the warehouse holds {held}: a month that shrinks this much is more "
            "likely a broken download than a correction. Check the file, or give --allow-shrink to load it anyway",
        )


# The insert stops at the first row of another month with this message, followed by the file's path.
MONTH_MISMATCH = "vru: a row of another month in "


@contextmanager
def _reader_errors_stop_the_insert(con, facts: dict[SourceFile, Future[FileFacts]]):
    """A file the reader refuses (a .gz expanding like a zip bomb, damaged bytes) stops DuckDB's insert at
    once rather than after DuckDB has read all of it; the reader's error is then the one reported."""
    armed = True

    def interrupt_on_error(future: Future[FileFacts]) -> None:
        if armed and not future.cancelled() and future.exception() is not None:
            con.interrupt()

    _raise_reader_error(facts)  # a reader that failed already: an interrupt now would find no query to stop
    for future in facts.values():
        future.add_done_callback(interrupt_on_error)
    try:
        yield
    finally:
        armed = False


def _raise_reader_error(facts: dict[SourceFile, Future[FileFacts]]) -> None:
    for future in facts.values():
        if future.done() and not future.cancelled() and future.exception() is not None:
            future.result()


@contextmanager
def _reporting_bad_input(batch: Sequence[SourceFile], readable, by_path: dict[str, SourceFile], facts):
    """Turn DuckDB's read errors into an InputError naming the file, line and column; a file the reader
    refused is reported as the reader found it."""
    try:
        yield
    except duckdb.Error as error:
        _raise_reader_error(facts)
        if _is_disk_full(error):
            raise
        text = str(error)
        if MONTH_MISMATCH in text:
            # A row from another month means the file is not what its name says: refuse the file.
            filename = text.split(MONTH_MISMATCH, 1)[1].strip().splitlines()[0]
            source = by_path[filename]
            police_uk_diagnose.raise_month_mismatch(source, readable[source])
        for source in batch:
            police_uk_diagnose.read_rows(source, readable[source])
        # DuckDB failed but no file has a problem the line-by-line reader can see: report DuckDB's words.
        raise InputError(", ".join(source.name for source in batch), f"could not be read: {error}") from None


def _record_quarantine(con, source: SourceFile, rows: Sequence[police_uk_diagnose.QuarantinedRow]) -> None:
    if not rows:
        return
    con.executemany(
        "INSERT INTO quarantine VALUES (?, CAST(? || '-01' AS DATE), ?, ?, ?, ?, ?, ?)",
        [
            (source.force, source.month, source.kind, source.name, row.line, row.column, row.reason, row.value)
            for row in rows
        ],
    )


def _delete_units_being_replaced(con, kind: str) -> None:
    """Remove the earlier rows of units in this batch; skipped when none was loaded before (first loads
    of big runs should not scan the table once per file)."""
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE replaced_units AS
        SELECT f.force, CAST(f.file_month || '-01' AS DATE) AS month FROM stage_file AS f
        JOIN ingest_unit AS u
          ON u.force = f.force AND u.month = CAST(f.file_month || '-01' AS DATE) AND u.kind = ?
        """,
        [kind],
    )
    if not con.execute("SELECT count(*) FROM replaced_units").fetchone()[0]:
        return
    for table, kind_filter in ((KIND_TABLE[kind], ""), ("quarantine", f"AND t.kind = '{kind}'")):
        con.execute(
            f"DELETE FROM {table} AS t USING replaced_units AS r "
            f"WHERE t.force = r.force AND t.month = r.month {kind_filter}"
        )


def _keep_or_stop(kind: str) -> str:
    """The insert's filter: rows no rule sets aside, and an error at the first row of another month."""
    return (
        f"CASE WHEN {_row_month(kind)} <> file_month THEN error('{MONTH_MISMATCH}' || filename) ELSE rule IS NULL END"
    )


def _insert_rows(con, kind: str, scan: str, files: list[str], mapping_ready: bool) -> int:
    """Insert the batch's rows that no quarantine rule sets aside; returns how many."""
    if kind == "stop-and-search":
        ((inserted,),) = con.execute(
            f"""
            INSERT INTO stop_search
            SELECT force, CAST(file_month || '-01' AS DATE), type, try_cast(date_text AS TIMESTAMPTZ),
                   part_of_policing_operation, policing_operation,
                   try_cast(latitude_text AS DOUBLE), try_cast(longitude_text AS DOUBLE),
                   gender, age_range, self_defined_ethnicity, officer_defined_ethnicity, legislation,
                   object_of_search, outcome, outcome_linked_to_object_of_search,
                   removal_of_more_than_outer_clothing
            FROM ({scan}) WHERE {_keep_or_stop(kind)}
            """,
            [files],
        ).fetchall()
        return inserted
    code, method = lsoa21.mapped_columns(mapping_ready)
    last = "s.crime_type, s.last_outcome_category, s.context" if kind == "street" else "s.outcome_type"
    ((inserted,),) = con.execute(
        f"""
        INSERT INTO {KIND_TABLE[kind]}
        SELECT s.force, CAST(s.file_month || '-01' AS DATE), s.crime_id, s.reported_by, s.falls_within,
               try_cast(s.longitude_text AS DOUBLE), try_cast(s.latitude_text AS DOUBLE), s.location,
               s.lsoa_code, s.lsoa_name, {code}, {method}, {last}
        FROM ({scan}) AS s {lsoa21.JOIN_CLAUSE if mapping_ready else ""}
        WHERE {_keep_or_stop(kind)}
        """,
        [files],
    ).fetchall()
    return inserted


def _record_units(con, units: Sequence[UnitResult], ingested_at: datetime) -> None:
    # One statement for all units: DuckDB runs executemany as one statement per row, far slower.
    con.execute(
        "INSERT OR REPLACE INTO ingest_unit VALUES "
        + ", ".join(["(?, CAST(? || '-01' AS DATE), ?, ?, ?, ?, ?, ?, ?)"] * len(units)),
        [
            value
            for unit in units
            for value in (
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
        ],
    )
