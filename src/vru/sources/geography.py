"""ONS Open Geography lookups and boundaries: read, validate and normalise into DataFrames.

Two spellings of every lookup are read: the column names of the files in ../shared/data/geography
(`lsoa21_code`, `ward24_code`, ...) and the headers of the ONS Open Geography portal downloads
(`LSOA21CD`, `WD24CD`, ...; extra columns such as `ObjectId` or Welsh names are ignored). Boundaries are
GeoJSON in WGS84, stored as WKT. docs/data-sources.md lists every accepted header.

The table-reading helpers here (`read_header`, `read_table`, ...) are shared by the deprivation and
population readers, which accept the same kinds of files (CSV, optionally gzipped, optionally with a BOM).
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely
from shapely.geometry import shape

from vru.errors import InputError

GZIP_MAGIC = b"\x1f\x8b"
LSOA_CODE = re.compile(r"^[EW]01\d{6}$")
# A GSS code: country letter and eight digits (E05 wards, E06-E09 and W06 districts, E22 CSPs, E23 PFAs).
GSS_CODE = re.compile(r"^[EWSNK]\d{8}$")
CHANGE_CODES = frozenset({"U", "S", "M", "X"})


@dataclass(frozen=True)
class Column:
    """A column we read, under the headers it may have (matched ignoring case, spaces and a BOM)."""

    name: str
    headers: tuple[str, ...]
    required: bool = True


@dataclass
class Table:
    """A file's rows, columns renamed to `Column.name`; `headers` maps each name to the file's header."""

    path: Path
    frame: pd.DataFrame
    headers: dict[str, str]

    def fail(self, row: int, name: str, problem: str) -> InputError:
        """An InputError at a row of `frame` (0-based): the header is line 1, so the row is line row + 2."""
        return InputError(self.path, problem, line=row + 2, column=self.headers.get(name, name))


LSOA11_LSOA21_COLUMNS = (
    Column("lsoa11_code", ("lsoa11_code", "LSOA11CD", "F_LSOA11CD")),
    Column("lsoa11_name", ("lsoa11_name", "LSOA11NM")),
    Column("change_code", ("change_code", "CHGIND")),
    Column("lsoa21_code", ("lsoa21_code", "LSOA21CD")),
    Column("lsoa21_name", ("lsoa21_name", "LSOA21NM")),
    Column("lad22_code", ("ltla22_code", "LAD22CD")),
    Column("lad22_name", ("ltla22_name", "LAD22NM")),
)
LSOA21_AREA_COLUMNS = (
    Column("lsoa21_code", ("lsoa21_code", "LSOA21CD")),
    Column("lsoa21_name", ("lsoa21_name", "LSOA21NM")),
    Column("ward_code", ("ward24_code", "WD24CD")),
    Column("ward_name", ("ward24_name", "WD24NM")),
    Column("lad_code", ("ltla24_code", "LAD24CD")),
    Column("lad_name", ("ltla24_name", "LAD24NM")),
)
LAD_CSP_PFA_COLUMNS = (
    Column("lad_code", ("ltla24_code", "LAD24CD")),
    Column("lad_name", ("ltla24_name", "LAD24NM")),
    Column("csp_code", ("csp24_code", "CSP24CD")),
    Column("csp_name", ("csp24_name", "CSP24NM")),
    Column("pfa_code", ("pfa24_code", "PFA24CD")),
    Column("pfa_name", ("pfa24_name", "PFA24NM")),
)

# Which lookup a CSV is: the columns that identify it (all present), and a file-name pattern so that a
# lookup with a column missing is reported as such rather than skipped as unrecognised.
LOOKUP_KINDS = {
    "lsoa11_lsoa21": (LSOA11_LSOA21_COLUMNS, ("lsoa11_code", "lsoa21_code"), r"lsoa(20)?11(to)?lsoa(20)?21"),
    "lsoa21_area": (LSOA21_AREA_COLUMNS, ("lsoa21_code", "ward_code"), r"lsoa(20)?21.*(ward|wd)"),
    "lad_csp_pfa": (LAD_CSP_PFA_COLUMNS, ("lad_code", "csp_code"), r"(lad|ltla).*(csp|communitysafety)"),
}

# Boundary layers, finest first: a file whose features carry several codes (an LSOA file that also
# names its district) is the finest layer it has codes for. Property names: shared files and ONS.
BOUNDARY_LAYERS = (
    ("lsoa21", re.compile(r"^lsoa21(_code|cd)$"), re.compile(r"^lsoa21(_name|nm)$")),
    ("lsoa11", re.compile(r"^lsoa11(_code|cd)$"), re.compile(r"^lsoa11(_name|nm)$")),
    ("ward", re.compile(r"^(ward|wd)\d\d(_code|cd)$"), re.compile(r"^(ward|wd)\d\d(_name|nm)$")),
    ("lad", re.compile(r"^(ltla|lad)\d\d(_code|cd)$"), re.compile(r"^(ltla|lad)\d\d(_name|nm)$")),
    ("pfa", re.compile(r"^pfa\d\d(_code|cd)$"), re.compile(r"^pfa\d\d(_name|nm)$")),
)
GEOJSON_SUFFIXES = (".geojson", ".geojson.gz", ".json")
WGS84_NAMES = ("crs84", "4326")


# ---------------------------------------------------------------------------------------------------
# Reading tables (shared with the deprivation and population readers)


def header_key(header: str) -> str:
    """How headers are compared: without a BOM or surrounding spaces, ignoring case."""
    return header.replace("\ufeff", "").strip().casefold()


def open_text(path: Path) -> io.TextIOWrapper:
    """A text stream over a plain or gzipped file (told apart by content, not name), dropping a BOM."""
    with open(path, "rb") as probe:
        gzipped = probe.read(2) == GZIP_MAGIC
    raw = gzip.open(path, "rb") if gzipped else open(path, "rb")
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def read_header(path: Path) -> list[str]:
    """The first line of a CSV as a list of headers (empty for an empty file)."""
    try:
        with open_text(path) as stream:
            return next(csv.reader(stream), [])
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError) as error:
        raise InputError(path, f"not a UTF-8 CSV file ({error})", line=1) from None


def match_columns(path: Path, header: Sequence[str], columns: Iterable[Column]) -> dict[str, str]:
    """Map each column's name to the file's header for it; a missing required column is an InputError."""
    by_key = {}
    for text in header:
        by_key.setdefault(header_key(text), text)
    found = {}
    for column in columns:
        matches = [by_key[header_key(alias)] for alias in column.headers if header_key(alias) in by_key]
        if matches:
            found[column.name] = matches[0]
        elif column.required:
            accepted = " or ".join(repr(alias) for alias in column.headers)
            raise InputError(path, f"missing required column (accepted headers: {accepted})", 1, column.name)
    return found


def has_columns(header: Sequence[str], columns: Iterable[Column], names: Iterable[str]) -> bool:
    """Whether the header has every column in `names` (under any of its accepted headers)."""
    keys = {header_key(text) for text in header}
    by_name = {column.name: column for column in columns}
    return all(any(header_key(alias) in keys for alias in by_name[name].headers) for name in names)


def read_table(path: Path, headers: dict[str, str]) -> Table:
    """Read the given columns of a CSV as text ("" becomes missing), renamed to our column names."""
    try:
        with open_text(path) as stream:
            frame = pd.read_csv(
                stream,
                dtype=str,
                usecols=list(headers.values()),
                keep_default_na=False,
                # Blank lines are kept as empty rows so that row numbers stay line numbers.
                skip_blank_lines=False,
            )
    except (UnicodeDecodeError, gzip.BadGzipFile, EOFError) as error:
        raise InputError(path, f"not a UTF-8 CSV file ({error})") from None
    except (pd.errors.ParserError, ValueError) as error:
        raise InputError(path, f"cannot be read as CSV ({error})") from None
    by_header = {header: name for name, header in headers.items()}
    frame = frame.rename(columns=by_header)
    frame = frame.apply(lambda values: values.str.strip()).replace("", None)
    return Table(path, frame[list(headers)], headers)


def check_codes(table: Table, name: str, pattern: re.Pattern[str], what: str, required: bool = True) -> None:
    """Every value of a code column matches `pattern` (and is present, when required)."""
    values = table.frame[name]
    missing = values.isna()
    if required and missing.any():
        raise table.fail(_first(missing), name, f"empty {what}")
    wrong = ~missing & ~values.fillna("").str.match(pattern)
    if wrong.any():
        row = _first(wrong)
        raise table.fail(row, name, f"{values.iloc[row]!r} is not a {what}")


def check_unique(table: Table, names: list[str], what: str) -> None:
    """No two rows share the values of `names`."""
    repeated = table.frame.duplicated(names)
    if repeated.any():
        row = _first(repeated)
        key = ", ".join(str(table.frame[name].iloc[row]) for name in names)
        raise table.fail(row, names[0], f"{what} {key} appears more than once")


def _first(mask: pd.Series) -> int:
    return int(mask.to_numpy().nonzero()[0][0])


# ---------------------------------------------------------------------------------------------------
# Lookups


def identify_lookup(path: Path, header: Sequence[str]) -> str | None:
    """Which lookup a CSV is (a key of LOOKUP_KINDS), from its columns or else its file name."""
    for kind, (columns, identifying, _) in LOOKUP_KINDS.items():
        if has_columns(header, columns, identifying):
            return kind
    plain_name = re.sub(r"[^a-z0-9]", "", path.name.casefold())
    for kind, (_, _, name_pattern) in LOOKUP_KINDS.items():
        if re.search(name_pattern, plain_name):
            return kind
    return None


def read_lsoa11_lsoa21(path: Path) -> pd.DataFrame:
    """LSOA 2011 → LSOA 2021 (→ LAD 2022): one row per (2011, 2021) pair, with the ONS change code."""
    table = read_table(path, match_columns(path, read_header(path), LSOA11_LSOA21_COLUMNS))
    check_codes(table, "lsoa11_code", LSOA_CODE, "LSOA code")
    check_codes(table, "lsoa21_code", LSOA_CODE, "LSOA code")
    check_codes(table, "lad22_code", GSS_CODE, "GSS code", required=False)
    change = table.frame["change_code"]
    wrong = ~change.isin(CHANGE_CODES)
    if wrong.any():
        row = _first(wrong)
        raise table.fail(row, "change_code", f"change code {change.iloc[row]!r} is not one of U, S, M, X")
    check_unique(table, ["lsoa11_code", "lsoa21_code"], "LSOA pair")
    return table.frame


def read_lsoa21_area(path: Path) -> pd.DataFrame:
    """LSOA 2021 → electoral ward 2024 → local authority district 2024 (best fit: one ward per LSOA)."""
    table = read_table(path, match_columns(path, read_header(path), LSOA21_AREA_COLUMNS))
    check_codes(table, "lsoa21_code", LSOA_CODE, "LSOA code")
    check_codes(table, "ward_code", GSS_CODE, "GSS code")
    check_codes(table, "lad_code", GSS_CODE, "GSS code")
    check_unique(table, ["lsoa21_code"], "LSOA")
    return table.frame


def read_lad_csp_pfa(path: Path) -> pd.DataFrame:
    """Local authority district → community safety partnership → police force area (2024).

    A district formed from several old districts keeps one row per partnership (e.g. Buckinghamshire has
    four), so a district may have several rows; the force area is the same on each.
    """
    table = read_table(path, match_columns(path, read_header(path), LAD_CSP_PFA_COLUMNS))
    for name in ("lad_code", "csp_code", "pfa_code"):
        check_codes(table, name, GSS_CODE, "GSS code")
    check_unique(table, ["lad_code", "csp_code"], "district and partnership")
    return table.frame


# ---------------------------------------------------------------------------------------------------
# Boundaries


def boundary_layer(properties: Iterable[str]) -> tuple[str, str, str | None] | None:
    """(layer, code property, name property) for a feature's property names, or None if no layer fits."""
    by_key = {header_key(name): name for name in properties}
    for layer, code_pattern, name_pattern in BOUNDARY_LAYERS:
        codes = [name for key, name in by_key.items() if code_pattern.match(key)]
        if codes:
            names = [name for key, name in by_key.items() if name_pattern.match(key)]
            return layer, codes[0], names[0] if names else None
    return None


def is_geojson_name(path: Path) -> bool:
    return path.name.casefold().endswith(GEOJSON_SUFFIXES)


def read_geojson(path: Path) -> dict:
    """A GeoJSON file (plain or gzipped) as a dict; an InputError if it is not JSON."""
    try:
        with open_text(path) as stream:
            loaded = json.load(stream)
    except (UnicodeDecodeError, json.JSONDecodeError, gzip.BadGzipFile, EOFError) as error:
        raise InputError(path, f"not GeoJSON ({error})") from None
    if not isinstance(loaded, dict):
        raise InputError(path, "not a GeoJSON object")
    return loaded


def identify_boundaries(collection: dict) -> str | None:
    """The layer of a GeoJSON FeatureCollection, or None if its features carry no code we know."""
    features = collection.get("features") if collection.get("type") == "FeatureCollection" else None
    if not features or not isinstance(features[0], dict):
        return None
    found = boundary_layer((features[0].get("properties") or {}).keys())
    return found[0] if found else None


def read_boundaries(path: Path, collection: dict | None = None) -> pd.DataFrame:
    """A GeoJSON FeatureCollection in WGS84 as rows (layer, code, name, geometry_wkt).

    The layer comes from the code property (`lsoa21_code` / `LSOA21CD` → lsoa21, `ward22_code` /
    `WD24CD` → ward, `ltla24_code` / `LAD24CD` → lad, `pfa20_code` / `PFA24CD` → pfa, ...). Geometry is kept
    as published, at full precision. Pass `collection` when the file has already been parsed.
    """
    if collection is None:
        collection = read_geojson(path)
    if identify_boundaries(collection) is None:
        raise InputError(
            path,
            "not a GeoJSON FeatureCollection whose features have a code property we know "
            "(e.g. lsoa21_code, LSOA21CD, WD24CD, LAD24CD, PFA24CD)",
        )
    _check_wgs84(path, collection)
    features = collection["features"]
    layer, code_property, name_property = boundary_layer((features[0].get("properties") or {}).keys())
    rows = []
    for number, feature in enumerate(features, start=1):
        properties = feature.get("properties") or {}
        code = str(properties.get(code_property) or "").strip()
        if not GSS_CODE.match(code):
            raise InputError(path, f"feature {number}: {code!r} is not a GSS code", column=code_property)
        try:
            geometry = shape(feature["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError, shapely.errors.ShapelyError) as error:
            raise InputError(path, f"feature {number} ({code}): unreadable geometry ({error})") from None
        if geometry.is_empty:
            raise InputError(path, f"feature {number} ({code}): empty geometry")
        _check_lon_lat(path, number, code, geometry.bounds)
        name = properties.get(name_property) if name_property else None
        rows.append((layer, code, None if name is None else str(name).strip(), geometry.wkt))
    frame = pd.DataFrame(rows, columns=["layer", "code", "name", "geometry_wkt"])
    repeated = frame.duplicated("code")
    if repeated.any():
        row = _first(repeated)
        raise InputError(path, f"feature {row + 1}: code {frame['code'].iloc[row]} appears twice")
    return frame


def _check_wgs84(path: Path, collection: dict) -> None:
    # RFC 7946 GeoJSON is WGS84; older files name their CRS, and ONS also publishes British National Grid.
    crs_name = str(((collection.get("crs") or {}).get("properties") or {}).get("name", "crs84")).casefold()
    if not any(marker in crs_name for marker in WGS84_NAMES):
        raise InputError(path, f"coordinates are in {crs_name}; download the WGS84 (EPSG:4326) GeoJSON instead")


def _check_lon_lat(path: Path, number: int, code: str, bounds: tuple[float, float, float, float]) -> None:
    west, south, east, north = bounds
    if not (-180 <= west <= east <= 180 and -90 <= south <= north <= 90):
        raise InputError(
            path,
            f"feature {number} ({code}): coordinates are not longitude/latitude "
            "(British National Grid?); download the WGS84 (EPSG:4326) GeoJSON instead",
        )
