"""data.police.uk downloads: file kinds, explicit column schemas, file discovery and validation rules.

The three kinds are the monthly CSVs of the custom download and the bulk archive:
`YYYY-MM-<force>-street.csv`, `-outcomes.csv` and `-stop-and-search.csv`, plain, gzipped, in monthly
folders or inside the published .zip archives. Column names and order are checked, never sniffed.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from vru.errors import InputError

# Explicit schemas: (source column, warehouse column, DuckDB type). Coordinates are read as text and cast
# in SQL so that a bad value is quarantined with its row instead of failing the whole read.
STREET_COLUMNS = (
    ("Crime ID", "crime_id", "VARCHAR"),
    ("Month", "month_text", "VARCHAR"),
    ("Reported by", "reported_by", "VARCHAR"),
    ("Falls within", "falls_within", "VARCHAR"),
    ("Longitude", "longitude_text", "VARCHAR"),
    ("Latitude", "latitude_text", "VARCHAR"),
    ("Location", "location", "VARCHAR"),
    ("LSOA code", "lsoa_code", "VARCHAR"),
    ("LSOA name", "lsoa_name", "VARCHAR"),
    ("Crime type", "crime_type", "VARCHAR"),
    ("Last outcome category", "last_outcome_category", "VARCHAR"),
    ("Context", "context", "VARCHAR"),
)
OUTCOMES_COLUMNS = (
    ("Crime ID", "crime_id", "VARCHAR"),
    ("Month", "month_text", "VARCHAR"),
    ("Reported by", "reported_by", "VARCHAR"),
    ("Falls within", "falls_within", "VARCHAR"),
    ("Longitude", "longitude_text", "VARCHAR"),
    ("Latitude", "latitude_text", "VARCHAR"),
    ("Location", "location", "VARCHAR"),
    ("LSOA code", "lsoa_code", "VARCHAR"),
    ("LSOA name", "lsoa_name", "VARCHAR"),
    ("Outcome type", "outcome_type", "VARCHAR"),
)
STOP_SEARCH_COLUMNS = (
    ("Type", "type", "VARCHAR"),
    ("Date", "date_text", "VARCHAR"),
    ("Part of a policing operation", "part_of_policing_operation", "VARCHAR"),
    ("Policing operation", "policing_operation", "VARCHAR"),
    ("Latitude", "latitude_text", "VARCHAR"),
    ("Longitude", "longitude_text", "VARCHAR"),
    ("Gender", "gender", "VARCHAR"),
    ("Age range", "age_range", "VARCHAR"),
    ("Self-defined ethnicity", "self_defined_ethnicity", "VARCHAR"),
    ("Officer-defined ethnicity", "officer_defined_ethnicity", "VARCHAR"),
    ("Legislation", "legislation", "VARCHAR"),
    ("Object of search", "object_of_search", "VARCHAR"),
    ("Outcome", "outcome", "VARCHAR"),
    ("Outcome linked to object of search", "outcome_linked_to_object_of_search", "VARCHAR"),
    ("Removal of more than just outer clothing", "removal_of_more_than_outer_clothing", "VARCHAR"),
)

KIND_COLUMNS = {
    "street": STREET_COLUMNS,
    "outcomes": OUTCOMES_COLUMNS,
    "stop-and-search": STOP_SEARCH_COLUMNS,
}
KIND_TABLE = {"street": "street_crime", "outcomes": "outcome", "stop-and-search": "stop_search"}

# The 14 current street-crime categories, plus the two that older files used (kept as published:
# they cannot be split into today's categories).
CRIME_TYPES = frozenset(
    {
        "Anti-social behaviour",
        "Bicycle theft",
        "Burglary",
        "Criminal damage and arson",
        "Drugs",
        "Other theft",
        "Possession of weapons",
        "Public order",
        "Robbery",
        "Shoplifting",
        "Theft from the person",
        "Vehicle crime",
        "Violence and sexual offences",
        "Other crime",
    }
)
LEGACY_CRIME_TYPES = frozenset({"Violent crime", "Public disorder and weapons"})

# Great Britain with its islands (Scilly to Shetland), WGS84. police.uk covers England, Wales and
# Northern Ireland's British Transport Police rows are not in force files, so a point outside is an error.
GB_LONGITUDE = (-8.75, 1.8)
GB_LATITUDE = (49.8, 60.9)

# The longest line either reader accepts, in bytes: DuckDB's `max_line_size` (set explicitly in ingest) and
# the line-by-line checker's field limit. DuckDB's own default, 2 MiB.
MAX_LINE_SIZE = 2 * 1024 * 1024

FILE_NAME = re.compile(
    r"^(?P<month>\d{4}-\d{2})-(?P<force>[a-z0-9-]+?)-(?P<kind>street|outcomes|stop-and-search)\.csv(?:\.gz)?$"
)


@dataclass(frozen=True)
class SourceFile:
    """One police.uk CSV: on disk (plain or .gz) or a member of a .zip archive."""

    path: Path
    member: str | None
    month: str  # YYYY-MM, from the file name
    force: str
    kind: str

    @property
    def name(self) -> str:
        return f"{self.path}!{self.member}" if self.member else str(self.path)

    @property
    def columns(self) -> tuple[tuple[str, str, str], ...]:
        return KIND_COLUMNS[self.kind]


def parse_file_name(name: str, shown_as: str | None = None) -> tuple[str, str, str]:
    """(month, force, kind) from a police.uk file name, or an InputError naming the file."""
    match = FILE_NAME.match(Path(name).name)
    if not match:
        raise InputError(
            shown_as or name,
            "not a police.uk file name: expected YYYY-MM-<force>-street.csv, -outcomes.csv or "
            "-stop-and-search.csv (optionally .gz, or inside a data.police.uk .zip)",
        )
    month = match["month"]
    if not 1 <= int(month[5:]) <= 12:
        raise InputError(shown_as or name, f"month {month} in the file name is not a calendar month")
    return month, match["force"], match["kind"]


def discover(paths: Iterable[str | Path]) -> list[SourceFile]:
    """Every police.uk CSV under the given files, folders and .zip archives, in a stable order."""
    found: list[SourceFile] = []
    for given in paths:
        path = Path(given)
        if not path.exists():
            raise InputError(path, "no such file or folder")
        if path.is_dir():
            candidates = sorted(p for p in path.rglob("*") if p.is_file() and _looks_like_police_file(p))
            if not candidates:
                raise InputError(path, "folder holds no police.uk .csv, .csv.gz or .zip files")
            for candidate in candidates:
                found.extend(_expand(candidate))
        else:
            found.extend(_expand(path))
    return sorted(found, key=lambda source: (source.kind, source.force, source.month, source.name))


def _looks_like_police_file(path: Path) -> bool:
    return path.name.endswith((".csv", ".csv.gz", ".zip"))


def _expand(path: Path) -> Iterator[SourceFile]:
    if path.name.endswith(".zip"):
        yield from _zip_members(path)
        return
    month, force, kind = parse_file_name(path.name, shown_as=str(path))
    yield SourceFile(path=path, member=None, month=month, force=force, kind=kind)


def _zip_members(path: Path) -> Iterator[SourceFile]:
    try:
        with zipfile.ZipFile(path) as archive:
            names = archive.namelist()
    except zipfile.BadZipFile as error:
        raise InputError(path, f"not a readable .zip archive (truncated or damaged): {error}") from None
    members = [name for name in names if not name.endswith("/") and FILE_NAME.match(Path(name).name)]
    if not members:
        raise InputError(path, "archive holds no police.uk CSV files")
    for member in sorted(members):
        month, force, kind = parse_file_name(member, shown_as=f"{path}!{member}")
        yield SourceFile(path=path, member=member, month=month, force=force, kind=kind)


def check_header(source: SourceFile, header_line: str) -> None:
    """Raise an InputError naming line 1 and the first column that is missing, extra or out of order."""
    import csv

    header = next(csv.reader([header_line.lstrip("\ufeff").rstrip("\r\n")]), [])
    expected = [column for column, _, _ in source.columns]
    for position, column in enumerate(expected):
        if position >= len(header):
            raise InputError(source.name, f"header is missing column {column!r}", line=1, column=column)
        if header[position].strip() != column:
            found = header[position]
            if column in header:
                problem = f"column {column!r} is out of order (found {found!r} in position {position + 1})"
            else:
                problem = f"expected column {column!r} in position {position + 1}, found {found!r}"
            raise InputError(source.name, problem, line=1, column=column)
    if len(header) > len(expected):
        extra = header[len(expected)]
        raise InputError(source.name, f"unexpected extra column {extra!r}", line=1, column=extra)


# A coordinate as police.uk writes it: ASCII digits, an optional sign, point and exponent. One pattern for
# both checks (SQL and line by line), so they agree: Python's float() alone would accept a full-width
# digit ("\uff12"), "nan" or "1_0", which DuckDB's cast refuses or reads differently.
NUMBER_PATTERN = r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
_NUMBER = re.compile(NUMBER_PATTERN, re.ASCII)


def _number(text: str | None) -> float | None:
    return float(text) if text and _NUMBER.fullmatch(text) else None


def _in_great_britain(row: dict[str, str | None]) -> bool:
    longitude, latitude = _number(row["longitude_text"]), _number(row["latitude_text"])
    return (
        longitude is not None
        and latitude is not None
        and GB_LONGITUDE[0] <= longitude <= GB_LONGITUDE[1]
        and GB_LATITUDE[0] <= latitude <= GB_LATITUDE[1]
    )


def _has_both_coordinates(row: dict[str, str | None]) -> bool:
    return bool(row["longitude_text"]) and bool(row["latitude_text"])


def timestamp_or_none(text: str | None):
    from datetime import datetime

    try:
        return datetime.fromisoformat(text) if text else None
    except ValueError:
        return None


@dataclass(frozen=True)
class QuarantineRule:
    """A row-level problem that sets the row aside (counted, reported) while the rest of the file loads.

    Each rule is written twice on purpose, side by side: `sql` for the fast path over millions of rows,
    `applies` for the line-by-line pass that finds the line numbers; ingest checks both give the same count.
    """

    column: str
    reason: str
    sql: str
    applies: Callable[[dict[str, str | None]], bool]
    shown_value: Callable[[dict[str, str | None]], str]


def _coordinates_text(row: dict[str, str | None]) -> str:
    return f"{row['longitude_text'] or ''}, {row['latitude_text'] or ''}"


_KNOWN_TYPES_SQL = ", ".join("'" + name + "'" for name in sorted(CRIME_TYPES | LEGACY_CRIME_TYPES))
_HAS_BOTH_SQL = "(longitude_text IS NOT NULL AND latitude_text IS NOT NULL)"
_COORDINATE_RULES = (
    QuarantineRule(
        "Longitude",
        "coordinates are not numbers",
        f"{_HAS_BOTH_SQL} AND NOT (regexp_full_match(longitude_text, '{NUMBER_PATTERN}')"
        f" AND regexp_full_match(latitude_text, '{NUMBER_PATTERN}'))",
        lambda row: (
            _has_both_coordinates(row)
            and (_number(row["longitude_text"]) is None or _number(row["latitude_text"]) is None)
        ),
        _coordinates_text,
    ),
    QuarantineRule(
        "Longitude",
        "coordinates outside Great Britain",
        f"{_HAS_BOTH_SQL} AND NOT ("
        f"try_cast(longitude_text AS DOUBLE) BETWEEN {GB_LONGITUDE[0]} AND {GB_LONGITUDE[1]}"
        f" AND try_cast(latitude_text AS DOUBLE) BETWEEN {GB_LATITUDE[0]} AND {GB_LATITUDE[1]})",
        lambda row: _has_both_coordinates(row) and not _in_great_britain(row),
        _coordinates_text,
    ),
    QuarantineRule(
        "Latitude",
        "only one of longitude and latitude is given",
        "(longitude_text IS NULL) <> (latitude_text IS NULL)",
        lambda row: bool(row["longitude_text"]) != bool(row["latitude_text"]),
        _coordinates_text,
    ),
)
QUARANTINE_RULES: dict[str, tuple[QuarantineRule, ...]] = {
    "street": _COORDINATE_RULES
    + (
        QuarantineRule(
            "Crime type",
            "unknown crime type",
            f"crime_type IS NULL OR crime_type NOT IN ({_KNOWN_TYPES_SQL})",
            lambda row: row["crime_type"] not in CRIME_TYPES | LEGACY_CRIME_TYPES,
            lambda row: row["crime_type"] or "",
        ),
    ),
    "outcomes": _COORDINATE_RULES,
    "stop-and-search": _COORDINATE_RULES
    + (
        QuarantineRule(
            "Date",
            "date is not a date and time",
            "try_cast(date_text AS TIMESTAMPTZ) IS NULL",
            lambda row: timestamp_or_none(row["date_text"]) is None,
            lambda row: row["date_text"] or "",
        ),
    ),
}
