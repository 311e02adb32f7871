"""Load reference data — geography lookups and boundaries, deprivation, population, price indices — into
the warehouse.

`load_reference` finds the reference files among the files and folders it is given (folders are searched
recursively; a file is recognised by its columns, or a lookup by its name), reads and checks every one
before touching the warehouse, then replaces each table it has files for, whole, in ONE transaction: a
bad file, an error or a killed process leaves every table as it was. A table no file was given for is
left alone, so give all the files of a table together (both IMD editions, every boundary layer).
`ref_source` records each file's path, SHA-256, load time and rows for every table it built.

Two views are (re)created with the tables:
* `ref_imd_lsoa21`: IMD on LSOA 2021 codes. IoD2025 is published on them. IoD2019 (LSOA 2011) is carried
  over from the 2011 parent: for an unchanged or split LSOA its only parent; for a merged or complex one
  the MOST DEPRIVED parent (lowest IMD rank), all domains taken from that one parent. Ranks and deciles
  stay as published (no re-ranking), so they remain comparable with other published figures.
* `ref_population_lsoa21`: population total and aged 10-24 per LSOA 2021 and year.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import pandas as pd

from vru.errors import InputError
from vru.sources import deprivation, geography, population, prices
from vru.warehouse import lsoa21

# What a recognised file holds, and the table it fills.
KIND_TABLE = {
    "lsoa11_lsoa21": "ref_lsoa11_lsoa21",
    "lsoa21_area": "ref_lsoa21_area",
    "lad_csp_pfa": "ref_lad_csp_pfa",
    "boundary": "ref_boundary",
    "imd": "ref_imd",
    "population": "ref_population_age",
    "price_index": "ref_price_index",
}
TABLE_COLUMNS = {
    "ref_lsoa11_lsoa21": [
        "lsoa11_code", "lsoa11_name", "change_code", "lsoa21_code", "lsoa21_name", "lad22_code", "lad22_name",
    ],
    "ref_lsoa21_area": ["lsoa21_code", "lsoa21_name", "ward_code", "ward_name", "lad_code", "lad_name"],
    "ref_lad_csp_pfa": ["lad_code", "lad_name", "csp_code", "csp_name", "pfa_code", "pfa_name"],
    "ref_boundary": ["layer", "code", "name", "geometry_wkt"],
    "ref_imd": ["edition", "lsoa_code", "lsoa_vintage", "domain", "rank", "decile", "score"],
    "ref_population_age": ["lsoa21_code", "year", "age", "population", "method"],
    "ref_price_index": ["series", "title", "period", "period_type", "value", "release_date"],
}  # fmt: skip
TABLE_KEYS = {
    "ref_lsoa11_lsoa21": ["lsoa11_code", "lsoa21_code"],
    "ref_lsoa21_area": ["lsoa21_code"],
    "ref_lad_csp_pfa": ["lad_code", "csp_code"],
    "ref_boundary": ["layer", "code"],
    "ref_imd": ["edition", "lsoa_code", "domain"],
    "ref_price_index": ["series", "period"],
}
# Tables holding several independent parts (editions, layers, years): the summary names the parts, and
# warns when replacing the table drops one the warehouse had.
TABLE_PARTS = {
    "ref_imd": "edition",
    "ref_boundary": "layer",
    "ref_population_age": "year",
    "ref_price_index": "series",
}
CSV_SUFFIXES = (".csv", ".csv.gz")

IMD_LSOA21_VIEW = """
CREATE OR REPLACE VIEW ref_imd_lsoa21 AS
WITH parent AS (
    SELECT i.edition, l.lsoa21_code, l.lsoa11_code, l.change_code,
           count(*) OVER per_child AS lsoa11_parents,
           row_number() OVER (per_child ORDER BY i.rank, l.lsoa11_code) AS deprivation_order
    FROM ref_lsoa11_lsoa21 AS l
    JOIN ref_imd AS i ON i.lsoa_vintage = 2011 AND i.domain = 'imd' AND i.lsoa_code = l.lsoa11_code
    WINDOW per_child AS (PARTITION BY i.edition, l.lsoa21_code)
)
SELECT p.edition, p.lsoa21_code, i.domain, i.rank, i.decile, i.score,
       p.lsoa11_code AS from_lsoa11_code, p.lsoa11_parents,
       CASE p.change_code WHEN 'U' THEN 'unchanged' WHEN 'S' THEN 'split: value of the 2011 parent'
            ELSE 'merged or complex: most deprived 2011 parent' END AS method
FROM parent AS p
JOIN ref_imd AS i ON i.edition = p.edition AND i.lsoa_vintage = 2011 AND i.lsoa_code = p.lsoa11_code
WHERE p.deprivation_order = 1
UNION ALL
SELECT edition, lsoa_code, domain, rank, decile, score, NULL, NULL, 'published on LSOA 2021'
FROM ref_imd WHERE lsoa_vintage = 2021
"""
POPULATION_LSOA21_SELECT = """
SELECT lsoa21_code, year, sum(population) AS population_total,
       coalesce(sum(population) FILTER (WHERE age BETWEEN 10 AND 24), 0) AS population_10_24
FROM ref_population_age GROUP BY lsoa21_code, year
"""

# Progress callback: (what is being done, steps done, steps in all).
ProgressCallback = Callable[[str, int, int], None]


@dataclass
class SourceRecord:
    """One file behind a table: as ref_source records it."""

    path: str
    sha256: str
    rows: int


@dataclass
class TableLoad:
    table: str
    rows: int
    sources: list[SourceRecord]
    parts: list[str] = field(default_factory=list)  # e.g. ["2019", "2025"] for ref_imd editions
    parts_dropped: list[str] = field(default_factory=list)  # parts the table had before and lost


@dataclass
class PopulationCheck:
    """Apportioning check: the LSOA 2011 total must equal the LSOA 2021 total (up to float error)."""

    year: int
    lsoa11_areas: int
    lsoa11_total: float
    lsoa21_areas: int
    lsoa21_total: float

    @property
    def conserved(self) -> bool:
        return abs(self.lsoa11_total - self.lsoa21_total) <= 1e-6 * max(1.0, self.lsoa11_total)


@dataclass
class ReferenceLoadReport:
    tables: list[TableLoad] = field(default_factory=list)
    skipped: list[Path] = field(default_factory=list)  # files in the folders searched that are not ours
    population_checks: list[PopulationCheck] = field(default_factory=list)


@dataclass
class _Read:
    """A recognised file and what was read from it."""

    path: Path
    kind: str
    sha256: str
    frame: pd.DataFrame | None = None
    estimate: population.PopulationEstimate | None = None


def load_reference(
    con: duckdb.DuckDBPyConnection,
    directory_or_paths: str | Path | Iterable[str | Path],
    progress: ProgressCallback | None = None,
) -> ReferenceLoadReport:
    """Load every reference file under the given files and folders (InputError, and no change, if bad).

    `progress(what, done, total)` is called as files are read and tables written.
    """
    report = ReferenceLoadReport()
    candidates, explicit = find_candidates(directory_or_paths)
    tables_to_write = len(KIND_TABLE) + 1  # at most, plus views and commit
    steps = len(candidates) + tables_to_write
    reads: list[_Read] = []
    for done, path in enumerate(candidates):
        if progress:
            progress(f"reading {path.name}", done, steps)
        read = read_reference_file(path, named=path in explicit)
        if read is None:
            if path in explicit:
                raise InputError(path, "not a reference file this toolkit knows (see docs/data-sources.md)")
            report.skipped.append(path)
        else:
            reads.append(read)
    if not reads:
        raise InputError(", ".join(str(p) for p in _as_paths(directory_or_paths)), "no reference files found")

    frames = _combine_all(reads)
    sources = {
        table: [SourceRecord(str(r.path), r.sha256, len(r.frame)) for r in reads if KIND_TABLE[r.kind] == table]
        for table in frames
    }
    estimates = [read for read in reads if read.kind == "population"]
    if estimates:
        lookup, lookup_sources = _population_lookup(con, frames, sources, estimates[0].path)
        apportioned = []
        for read in estimates:
            frame = population.apportion_to_lsoa21(read.estimate, lookup, read.path)
            apportioned.append(frame)
            report.population_checks.append(
                PopulationCheck(
                    year=read.estimate.year,
                    lsoa11_areas=len(read.estimate.by_age),
                    lsoa11_total=float(read.estimate.by_age.to_numpy().sum()),
                    lsoa21_areas=frame["lsoa21_code"].nunique(),
                    lsoa21_total=float(frame["population"].sum()),
                )
            )
        frames["ref_population_age"] = _combine_population(apportioned, estimates)
        rows = len(frames["ref_population_age"])
        sources["ref_population_age"] = [
            SourceRecord(str(read.path), read.sha256, len(apportioned[index])) for index, read in enumerate(estimates)
        ] + [SourceRecord(record.path, record.sha256, rows) for record in lookup_sources]

    _write(con, frames, sources, report, progress, steps, len(candidates))
    return report


def find_candidates(directory_or_paths: str | Path | Iterable[str | Path]) -> tuple[list[Path], set[Path]]:
    """(files to open in a stable order, the subset named explicitly). Folders are searched recursively."""
    candidates: dict[Path, Path] = {}
    explicit: set[Path] = set()
    for given in _as_paths(directory_or_paths):
        if not given.exists():
            raise InputError(given, "no such file or folder")
        if given.is_dir():
            for path in sorted(p for p in given.rglob("*") if p.is_file()):
                candidates.setdefault(path.resolve(), path)
        else:
            candidates.setdefault(given.resolve(), given)
            explicit.add(given)
    return list(candidates.values()), explicit


def read_reference_file(path: Path, named: bool = False) -> _Read | None:
    """Recognise and read one file; None if it is not a reference file (checked by content, then name).

    A file that cannot even be opened as CSV text or JSON is not ours when found in a folder; when it was
    `named` explicitly, why it cannot be opened is the error to report.
    """
    name = path.name.casefold()
    if geography.is_geojson_name(path):
        collection = _open_unless_foreign(geography.read_geojson, path, named)
        if collection is None or geography.identify_boundaries(collection) is None:
            return None
        return _Read(path, "boundary", _sha256(path), frame=geography.read_boundaries(path, collection))
    if name.endswith(".xlsx"):
        if not deprivation.is_file1_workbook(path):
            return None
        return _Read(path, "imd", _sha256(path), frame=deprivation.read_imd_file1(path))
    if not name.endswith(CSV_SUFFIXES):
        return None
    header = _open_unless_foreign(geography.read_header, path, named)
    if header is None:
        return None
    if deprivation.identify(header):
        return _Read(path, "imd", _sha256(path), frame=deprivation.read_imd_csv(path, header))
    if prices.identify(header):
        return _Read(path, "price_index", _sha256(path), frame=prices.read_ons_series(path))
    if population.identify(header):
        return _Read(path, "population", _sha256(path), estimate=population.read_population(path))
    readers = {
        "lsoa11_lsoa21": geography.read_lsoa11_lsoa21,
        "lsoa21_area": geography.read_lsoa21_area,
        "lad_csp_pfa": geography.read_lad_csp_pfa,
    }
    kind = geography.identify_lookup(path, header)
    if kind is None:
        return None
    return _Read(path, kind, _sha256(path), frame=readers[kind](path))


def _open_unless_foreign(opener: Callable[[Path], object], path: Path, named: bool):
    try:
        return opener(path)
    except InputError:
        if named:
            raise
        return None


def ensure_reference_views(con: duckdb.DuckDBPyConnection) -> None:
    """Create (or re-create) the views over the reference tables."""
    con.execute(IMD_LSOA21_VIEW)
    con.execute(f"CREATE OR REPLACE VIEW ref_population_lsoa21 AS {POPULATION_LSOA21_SELECT}")


def price_index(con: duckdb.DuckDBPyConnection, series: str = "YBGB") -> pd.DataFrame:
    """One price index series from ref_price_index (empty when it is not loaded)."""
    return con.execute(
        "SELECT series, title, period, period_type, value, release_date FROM ref_price_index WHERE series = ? "
        "ORDER BY period",
        [series],
    ).df()


def population_by_lsoa21(con: duckdb.DuckDBPyConnection, year: int) -> pd.DataFrame:
    """lsoa21_code, population_total and population_10_24 (ages 10 to 24 inclusive) for a mid-year."""
    frame = con.execute(
        f"""
        SELECT lsoa21_code, population_total, population_10_24
        FROM ({POPULATION_LSOA21_SELECT}) WHERE year = ? ORDER BY lsoa21_code
        """,
        [year],
    ).df()
    if frame.empty:
        years = [row[0] for row in con.execute("SELECT DISTINCT year FROM ref_population_age ORDER BY 1").fetchall()]
        loaded = ", ".join(map(str, years)) or "none"
        raise LookupError(f"no population estimate for mid-{year} in the warehouse (years loaded: {loaded})")
    return frame


def _as_paths(directory_or_paths: str | Path | Iterable[str | Path]) -> list[Path]:
    if isinstance(directory_or_paths, str | Path):
        return [Path(directory_or_paths)]
    return [Path(path) for path in directory_or_paths]


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as stream:
        for chunk in iter(lambda: stream.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _combine_all(reads: list[_Read]) -> dict[str, pd.DataFrame]:
    """One frame per table. Files that overlap must agree on the rows they share (see `_combine`)."""
    frames = {}
    for kind, table in KIND_TABLE.items():
        parts = [(read.path, read.frame) for read in reads if read.kind == kind and read.frame is not None]
        if parts:
            frames[table] = _combine(table, parts)
    return frames


def _combine(table: str, parts: list[tuple[Path, pd.DataFrame]]) -> pd.DataFrame:
    """Stack the files' rows, keep one copy of rows given twice, and refuse files that disagree.

    IMD files may differ in what they hold for the same LSOA and domain (File 1 has no scores, File 7
    has): they must agree on rank and decile, and the row with a score is kept.
    """
    key = TABLE_KEYS[table]
    combined = pd.concat([frame.assign(_source=str(path)) for path, frame in parts], ignore_index=True).reset_index(
        drop=True
    )
    compared = TABLE_COLUMNS[table]
    if table == "ref_imd":
        combined = combined.sort_values("score", na_position="last", kind="stable")
        compared = [*key, "rank", "decile"]
    combined = combined.drop_duplicates(compared)
    clash = combined.duplicated(key, keep=False)
    if clash.any():
        rows = combined[clash].sort_values(key, kind="stable")
        first = rows.iloc[0]
        others = rows[(rows[key] == first[key]).all(axis=1)]["_source"].unique()
        files = " and ".join(others) if len(others) > 1 else f"{others[0]} (twice)"
        where = ", ".join(f"{name} {first[name]}" for name in key)
        raise InputError(files, f"give different {table} rows for {where}: give one file for each")
    return combined.sort_values(key, kind="stable")[TABLE_COLUMNS[table]].reset_index(drop=True)


def _combine_population(apportioned: list[pd.DataFrame], estimates: list[_Read]) -> pd.DataFrame:
    years = [read.estimate.year for read in estimates]
    repeated = sorted({year for year in years if years.count(year) > 1})
    if repeated:
        files = " and ".join(str(read.path) for read in estimates if read.estimate.year in repeated)
        raise InputError(files, f"more than one population file for mid-{repeated[0]}: give one")
    return pd.concat(apportioned, ignore_index=True)[TABLE_COLUMNS["ref_population_age"]]


def _population_lookup(con, frames, sources, population_path: Path) -> tuple[pd.DataFrame, list[SourceRecord]]:
    """The 2011→2021 lookup to apportion with: the one being loaded, else the one in the warehouse."""
    if "ref_lsoa11_lsoa21" in frames:
        return frames["ref_lsoa11_lsoa21"], sources["ref_lsoa11_lsoa21"]
    lookup = con.execute("SELECT lsoa11_code, lsoa21_code, change_code FROM ref_lsoa11_lsoa21").df()
    if lookup.empty:
        raise InputError(
            population_path,
            "apportioning to LSOA 2021 needs the LSOA 2011→2021 lookup: give it too "
            "(lookup_lsoa11_lsoa21_ltla22_EW.csv.gz or the ONS download), or load it first",
        )
    records = con.execute(
        "SELECT source_file, source_sha256 FROM ref_source WHERE table_name = 'ref_lsoa11_lsoa21'"
    ).fetchall()
    return lookup, [SourceRecord(path, sha256, 0) for path, sha256 in records]


def _parts(con, table: str) -> list[str]:
    column = TABLE_PARTS[table]
    return [str(row[0]) for row in con.execute(f"SELECT DISTINCT {column} FROM {table} ORDER BY 1").fetchall()]


def _replace_table(
    con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, sources: list[SourceRecord], loaded_at
) -> TableLoad:
    before = _parts(con, table) if table in TABLE_PARTS else []
    columns = ", ".join(TABLE_COLUMNS[table])
    con.execute(f"DELETE FROM {table}")
    con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM reference_{table}")
    con.execute("DELETE FROM ref_source WHERE table_name = ?", [table])
    con.executemany(
        "INSERT INTO ref_source VALUES (?, ?, ?, ?, ?)",
        [(table, record.path, record.sha256, loaded_at, record.rows) for record in sources],
    )
    after = _parts(con, table) if table in TABLE_PARTS else []
    return TableLoad(table, len(frame), sources, after, [part for part in before if part not in after])


def _write(
    con: duckdb.DuckDBPyConnection,
    frames: dict[str, pd.DataFrame],
    sources: dict[str, list[SourceRecord]],
    report: ReferenceLoadReport,
    progress: ProgressCallback | None,
    steps: int,
    done: int,
) -> None:
    loaded_at = datetime.now(UTC)
    remap_police = bool({"ref_lsoa11_lsoa21", "ref_lsoa21_area", "ref_boundary"} & frames.keys())
    # Registered before the transaction: unregistering inside an aborted one would hide the real error.
    for table, frame in frames.items():
        con.register(f"reference_{table}", frame)
    try:
        con.execute("BEGIN TRANSACTION")
        try:
            for table, frame in frames.items():
                if progress:
                    progress(f"writing {table}", done, steps)
                done += 1
                report.tables.append(_replace_table(con, table, frame, sources[table], loaded_at))
            if progress:
                progress("views" + (" and police LSOA 2021 codes" if remap_police else ""), done, steps)
            ensure_reference_views(con)
            if remap_police:
                lsoa21.remap_all(con)
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        for table in frames:
            con.unregister(f"reference_{table}")
    if progress:
        progress("done", steps, steps)
