"""Build data/demo/: the Bath and North East Somerset (B&NES) extract of ../shared/data, reproducibly.

    .venv/bin/python scripts/build_demo_data.py [--shared PATH] [--out PATH]

Every kept row or GeoJSON feature is the exact bytes of its source line (never re-quoted or re-written),
files keep the shared files' formats and column names (so the same loaders read both), and gzip is
written with no file name and mtime 0: two runs give byte-identical files, listed in SHA256SUMS.
Writes README.md with the provenance, filters and row counts, and the OGL v3 attribution.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
BANES_LAD = "E06000022"
BANES_LSOA_NAME_PREFIX = "Bath and North East Somerset"
SUMS_NAME = "SHA256SUMS"
GEOJSON_FEATURES_OPEN = '"features": ['
README_HEAD = """# Demo extract: Bath and North East Somerset

Real public data for Bath and North East Somerset (B&NES, local authority E06000022), cut from the
shared data set (`../shared/data`, described in its PROVENANCE.md) by `scripts/build_demo_data.py`.
Do not edit these files by hand: run `.venv/bin/python scripts/build_demo_data.py`, which writes the
same bytes every time (`SHA256SUMS` lists them; a test rebuilds and compares). Kept rows and features
are copied byte-for-byte from the source lines, in source order; `.gz` files are gzip with mtime 0.
Two exceptions: the DfE LAIT indicator bank (`partner_la/lait/bds_long_0.parquet`, Parquet): its kept
rows are written again by pyarrow, unchanged, in source order; and the Home Office licensing workbook
(ODS, 2.1 MB, not kept whole): two of its tables cut to CSV (`partner_la/licensing/`), the title rows and
the kept rows in sheet order, four columns each, every cell as calamine reads it (header line breaks as
spaces, whole numbers without a decimal point); `vru partner` reads these as it reads the workbook.

B&NES codes: the {lsoa21} LSOA 2021 codes whose local authority is E06000022 in the LSOA 2021 → ward
2024 → LAD 2024 lookup; their {lsoa11} LSOA 2011 parents in the LSOA 2011 → 2021 lookup; the {wards}
wards 2024 of those LSOAs.

## Licence and attribution

Contains public sector information licensed under the Open Government Licence v3.0.

Boundaries (`geography/*.geojson`): Source: Office for National Statistics licensed under the OGL v3.0.
Contains OS data © Crown copyright and database right 2024.

Publishers: police.uk data, Home Office (data.police.uk); deprivation, Ministry of Housing, Communities
and Local Government (English Indices of Deprivation 2019 and 2025); population and geography, Office
for National Statistics (mid-2020 LSOA population estimates; ONS Open Geography lookups and boundaries).
Partner indicators (`partner_la/`, see docs/partner-data.md): Department for Education (LAIT indicator
bank, children looked after, children in need, NEET and participation); Office for National Statistics
(homicide offences per million, from the Home Office Homicide Index); Home Office (Alcohol and late night
refreshment licensing, England and Wales, 31 March 2022, published 13 October 2022: tables 2 and 3).

## Files

| file | from (../shared/data/) | rows kept | of | filter |
|---|---|---:|---:|---|
"""


@dataclass
class Output:
    """One file written: where it came from, how it was filtered, how many rows or features it kept."""

    path: str  # relative to the output folder
    source: str  # relative to the shared folder
    source_sha256: str
    rule: str
    kept: int
    total: int


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--out", type=Path, default=REPO_ROOT / "data" / "demo")
    arguments = parser.parse_args()
    outputs = build(arguments.shared.resolve(), arguments.out)
    size = sum((arguments.out / output.path).stat().st_size for output in outputs)
    print(f"wrote {len(outputs)} files ({size / 1e6:.2f} MB) and {SUMS_NAME} to {arguments.out}")


def build(shared: Path, out: Path) -> list[Output]:
    """Write every demo file, README.md and SHA256SUMS under `out`; returns what was written."""
    _remove_previous_build(out)
    ward_lookup = shared / "geography" / "lookup_lsoa21_ward24_ltla24_EW.csv.gz"
    lsoa_lookup = shared / "geography" / "lookup_lsoa11_lsoa21_ltla22_EW.csv.gz"
    banes_area = [row for row in _rows(ward_lookup) if row["ltla24_code"] == BANES_LAD]
    lsoa21_codes = {row["lsoa21_code"] for row in banes_area}
    ward_codes = {row["ward24_code"] for row in banes_area}
    lsoa11_codes = {row["lsoa11_code"] for row in _rows(lsoa_lookup) if row["lsoa21_code"] in lsoa21_codes}

    outputs = []
    for source in sorted((shared / "police_uk" / "street").glob("*-street.csv.gz")):
        in_banes = lambda row: row["LSOA name"].startswith(BANES_LSOA_NAME_PREFIX)  # noqa: E731
        rule = f'`LSOA name` starts with "{BANES_LSOA_NAME_PREFIX}"'
        outputs.append(_filter_csv(shared, source, out, f"police_uk/street/{source.name}", in_banes, rule))
    csv_extracts = (
        (ward_lookup, "geography/lookup_lsoa21_ward24_ltla24_banes.csv.gz", "ltla24_code", {BANES_LAD}),
        (lsoa_lookup, "geography/lookup_lsoa11_lsoa21_ltla22_banes.csv.gz", "lsoa21_code", lsoa21_codes),
        (
            shared / "deprivation" / "imd2019_england_lsoa11.csv.gz",
            "deprivation/imd2019_banes_lsoa11.csv.gz",
            "lsoa11_code",
            lsoa11_codes,
        ),
        (
            shared / "deprivation" / "imd2025_england_lsoa21.csv.gz",
            "deprivation/imd2025_banes_lsoa21.csv.gz",
            "lsoa21_code",
            lsoa21_codes,
        ),
        (
            shared / "population" / "population20_lsoa11_single_year_of_age_EW.csv.gz",
            "population/population20_lsoa11_single_year_of_age_banes.csv.gz",
            "lsoa11_code",
            lsoa11_codes,
        ),
    )
    for source, target, column, codes in csv_extracts:
        outputs.append(
            _filter_csv(shared, source, out, target, lambda row, c=column, k=codes: row[c] in k, _rule(column, codes))
        )
    csp_lookup = shared / "geography" / "lookup_ltla24_csp24_pfa24_EW.csv"
    outputs.append(_copy(shared, csp_lookup, out, f"geography/{csp_lookup.name}"))
    geojson_extracts = (
        ("lsoa21_boundaries_banes.geojson", "lsoa21_boundaries_banes", "lsoa21_code", lsoa21_codes),
        (
            "wards22_boundaries_avon_and_somerset.geojson",
            "wards22_boundaries_banes",
            "ward22_code",
            ward_codes,
        ),
        (
            "ltla24_boundaries_avon_and_somerset.geojson",
            "ltla24_boundaries_banes",
            "ltla24_code",
            {BANES_LAD},
        ),
    )
    for source_name, name, code_property, codes in geojson_extracts:
        outputs.append(_filter_geojson(shared, shared / "geography" / source_name, out, name, code_property, codes))
    # Home Office recorded crime by police force area (ONS tables): force level only, so kept whole; they
    # give the force's offence mix and the cost-of-violence headline check.
    for workbook in sorted((shared / "recorded_crime" / "ons_pfa_tables").glob("*.xlsx")):
        outputs.append(
            _copy(shared, workbook, out, f"recorded_crime/{workbook.name}", "whole workbook, unmodified (force level)")
        )
    # Licensed premises for the night-time economy: the B&NES "Open Pubs" extract (December 2016), whole.
    open_pubs = shared / "bathhacked_datastore" / "Open_Pubs_-_Bath__North_East_Somerset.csv"
    outputs.append(
        _copy(shared, open_pubs, out, f"night_time_economy/{open_pubs.name}", "whole file, unmodified (dated 2016)")
    )
    outputs += _partner_la(shared, out)
    # The GDP deflator (ONS YBGB) puts costs in current prices: national, so kept whole.
    deflator = shared / "prices" / "ons_ybgb_gdp_deflator.csv"
    outputs.append(_copy(shared, deflator, out, f"prices/{deflator.name}", "whole file, unmodified (national series)"))
    counts = {"lsoa21": len(lsoa21_codes), "lsoa11": len(lsoa11_codes), "wards": len(ward_codes)}
    _write(out / "README.md", _readme(outputs, counts).encode())
    written = sorted([output.path for output in outputs] + ["README.md"])
    sums = "".join(f"{_sha256((out / path).read_bytes())}  {path}\n" for path in written)
    _write(out / SUMS_NAME, sums.encode())
    return outputs


PARTNER_LA_CSV = (
    "children_social_care/c3_factors_identified_at_end_of_assessment_2018_to_2023.csv",
    "children_social_care/cla_number_and_rate_per_10k_children.csv",
    "children_social_care/la_conviction_health_outcome_cla.csv.gz",
    "children_social_care/la_children_who_were_missing_or_away_from_placement_without_authorisation.csv.gz",
    "children_social_care/permanent_exclusions_and_suspensions_la.csv",
    "neet/UD_NEETNK_LA_dashboard_2023_final.csv",
    "neet/UD_NEETNK_LA_dashboard_final.csv",
)
ENGLAND = "E92000001"
SOUTH_WEST = "E12000009"
AVON_AND_SOMERSET_PFA = "E23000036"
PARTNER_LOOKUPS = REPO_ROOT / "src" / "vru" / "sources"


def _partner_la(shared: Path, out: Path) -> list[Output]:
    """Partner indicators for B&NES, its ten DfE statistical neighbours, the South West and England: the
    rows the risk-factor chapter compares (the codes from the lookups the loader uses)."""
    with (PARTNER_LOOKUPS / "dfe_statistical_neighbours_2025.csv").open(encoding="utf-8") as handle:
        neighbours = {row["neighbour_code"] for row in csv.DictReader(handle) if row["area_code"] == BANES_LAD}
    codes = {BANES_LAD, *neighbours}
    areas = codes | {ENGLAND, SOUTH_WEST}
    rule = f"England, the South West, B&NES and its {len(neighbours)} DfE statistical neighbours"
    outputs = []
    for name in PARTNER_LA_CSV:
        source = shared / "partner_la" / name
        target = "partner_la/" + name.removesuffix(".gz") + ".gz"
        keep = lambda row: (  # noqa: E731
            row["geographic_level"] == "National"
            or (row["geographic_level"] == "Regional" and row["region_code"] == SOUTH_WEST)
            or row["new_la_code"] in codes
        )
        outputs.append(_filter_csv(shared, source, out, target, keep, rule))
    homicide = shared / "partner_la" / "crime" / "homicide-offences.csv"
    force_rule = "Avon and Somerset police force area, England, England and Wales"
    outputs.append(
        _filter_csv(
            shared,
            homicide,
            out,
            "partner_la/crime/homicide-offences.csv.gz",
            lambda row: row["areacd"] in {AVON_AND_SOMERSET_PFA, ENGLAND, "K04000001"},
            force_rule,
        )
    )
    outputs.append(_lait(shared, out, areas, rule))
    outputs += _licensing(shared, out)
    dictionary = shared / "partner_la" / "lait" / "lait_data_dictionary.csv"
    outputs.append(
        _filter_csv(shared, dictionary, out, "partner_la/lait/lait_data_dictionary.csv.gz", lambda row: True, "all")
    )
    return outputs


def _lait(shared: Path, out: Path, areas: set[str], rule: str) -> Output:
    """The LAIT indicator bank is Parquet: the rows of the areas' DfE numbers, rewritten with pyarrow (zstd;
    the same input and pyarrow version give the same bytes)."""
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    with (PARTNER_LOOKUPS / "partner_area_lookup.csv").open(encoding="utf-8") as handle:
        numbers = [
            float(row["key"])
            for row in csv.DictReader(handle)
            if row["scheme"] == "dfe_la_number" and row["area_code"] in areas
        ]
    source = shared / "partner_la" / "lait" / "bds_long_0.parquet"
    table = pq.read_table(source)
    kept = table.filter(pc.is_in(table["LA Number"], value_set=pa.array(numbers)))
    target = "partner_la/lait/bds_long_0.parquet"
    buffer = io.BytesIO()
    pq.write_table(kept, buffer, compression="zstd")
    _write(out / target, buffer.getvalue())
    return Output(target, _relative(source, shared), _sha256(source.read_bytes()), rule, kept.num_rows, table.num_rows)


LICENSING_WORKBOOK = "licensing/alcohol_latr_night_licensing_tables_2022.ods"
# The sheet, and the one column kept beside Year, Region and Licensing authority (columns A-C).
LICENSING_COLUMNS = {
    "Table_2": "Total Premises licences",
    "Table_3": "Premises licences with late night refreshment",
}
LICENSING_HEADER_ROW = 7  # as vru.sources.partner_la reads it: rows 0-6 are the title and notes


def _licensing(shared: Path, out: Path) -> list[Output]:
    """The Home Office licensing workbook (ODS, 2.1 MB) cut to the two columns the risk-factor chapter uses,
    one CSV per table, for the England and Wales total and every licensing authority in England (the England
    figure is pooled over them). Each kept cell is written as calamine reads it: text as it is (header cells
    with their line breaks as spaces, as the loader reads them, so a CSV line is a sheet row), whole numbers
    without a decimal point."""
    import pandas as pd

    source = shared / "partner_la" / LICENSING_WORKBOOK
    sheets = pd.read_excel(source, engine="calamine", sheet_name=list(LICENSING_COLUMNS), header=None, dtype=object)
    outputs = []
    for sheet, column in LICENSING_COLUMNS.items():
        table = sheets[sheet]
        header = [" ".join(str(cell).split()) for cell in table.iloc[LICENSING_HEADER_ROW]]
        columns = [0, 1, 2, header.index(column)]
        body = table.iloc[LICENSING_HEADER_ROW + 1 :]
        year = body[0].astype(str).str.fullmatch(r"\d{4}/\d{2}")
        authority = body[2].notna()
        kept = body[year & authority & ((body[2] == "*Total") | (body[1] != "Wales"))]
        lines = io.StringIO()
        writer = csv.writer(lines, lineterminator="\n")
        for _, row in table.iloc[: LICENSING_HEADER_ROW + 1].iterrows():
            writer.writerow([_sheet_cell(row[position], one_line=True) for position in columns])
        for _, row in kept.iterrows():
            writer.writerow([_sheet_cell(row[position]) for position in columns])
        target = f"partner_la/licensing/alcohol_latr_night_licensing_tables_2022_{sheet.lower()}.csv.gz"
        _write(out / target, _gzip(lines.getvalue().encode()))
        rule = (
            f"sheet {sheet}, columns Year, Region, Licensing authority and {column}: the England and Wales "
            "total and every licensing authority in England"
        )
        total = int((year & authority).sum())
        outputs.append(Output(target, LICENSING_WORKBOOK.join(["partner_la/", ""]), _sha256(source.read_bytes()),
                              rule, len(kept), total))  # fmt: skip
    return outputs


def _sheet_cell(value: object, one_line: bool = False) -> str:
    if value is None or (isinstance(value, float) and value != value):  # a blank cell (NaN)
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    if "\n" in text and not one_line:
        raise ValueError(f"a line break inside a data cell: {text!r}")
    return " ".join(text.split()) if one_line else text


def _remove_previous_build(out: Path) -> None:
    # Only files a previous run listed: anything else in the folder is not ours to delete.
    sums = out / SUMS_NAME
    if sums.exists():
        for line in sums.read_text().splitlines():
            (out / line.split("  ", 1)[1]).unlink(missing_ok=True)
        sums.unlink()


def _rows(path: Path) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(_read(path).decode("utf-8-sig"))))


def _read(path: Path) -> bytes:
    data = path.read_bytes()
    return gzip.decompress(data) if path.name.endswith(".gz") else data


def _records(data: bytes) -> list[bytes]:
    """The CSV records of a file as their exact bytes, line ending included.

    A quoted field may hold a line break, so a record ends at a line end with an even count of quotes.
    """
    records, pending = [], b""
    for line in data.splitlines(keepends=True):
        pending += line
        if pending.count(b'"') % 2 == 0:
            records.append(pending)
            pending = b""
    if pending:
        raise ValueError("the file ends inside a quoted field")
    return records


def _filter_csv(
    shared: Path, source: Path, out: Path, target: str, keep: Callable[[dict[str, str]], bool], rule: str
) -> Output:
    data = _read(source)
    header, *records = _records(data)
    names = next(csv.reader([header.decode("utf-8-sig")]))
    kept = [record for record in records if keep(_fields(names, record))]
    _write(out / target, _gzip(header + b"".join(kept)))
    return Output(target, _relative(source, shared), _sha256(source.read_bytes()), rule, len(kept), len(records))


def _fields(names: list[str], record: bytes) -> dict[str, str]:
    return dict(zip(names, next(csv.reader(io.StringIO(record.decode()))), strict=True))


def _filter_geojson(shared: Path, source: Path, out: Path, name: str, code_property: str, codes: set[str]) -> Output:
    """Keep the features whose code is in `codes`, copying their lines as they are.

    The shared GeoJSON files are GDAL-written: one feature per line between `"features": [` and `]`.
    The collection's `"name"` member is set to the new file's name.
    """
    lines = source.read_bytes().decode().split("\n")
    opening = lines.index(GEOJSON_FEATURES_OPEN)
    closing = lines.index("]", opening)
    features = [line.removesuffix(",") for line in lines[opening + 1 : closing]]
    kept = [line for line in features if json.loads(line)["properties"][code_property] in codes]
    head = [f'"name": "{name}",' if line.startswith('"name": ') else line for line in lines[: opening + 1]]
    text = "\n".join([*head, ",\n".join(kept), *lines[closing:]])
    if len(json.loads(text)["features"]) != len(kept):
        raise ValueError(f"{source}: not one feature per line; cannot copy features as they are")
    target = f"geography/{name}.geojson"
    _write(out / target, text.encode())
    rule = _rule(code_property, codes)
    return Output(target, _relative(source, shared), _sha256(source.read_bytes()), rule, len(kept), len(features))


def _copy(
    shared: Path, source: Path, out: Path, target: str, rule: str = "whole file (small; names every area)"
) -> Output:
    data = source.read_bytes()
    _write(out / target, data)
    rows = len(_records(data)) - 1 if source.suffix == ".csv" else 0
    return Output(target, _relative(source, shared), _sha256(data), rule, rows, rows)


def _rule(column: str, codes: set[str]) -> str:
    if codes == {BANES_LAD}:
        return f"`{column}` = {BANES_LAD} (B&NES)"
    return f"`{column}` is one of the {len(codes)} B&NES codes"


def _gzip(data: bytes) -> bytes:
    buffer = io.BytesIO()
    # No file name and mtime 0 in the header: the same input always gives the same bytes.
    with gzip.GzipFile(filename="", mode="wb", fileobj=buffer, compresslevel=9, mtime=0) as stream:
        stream.write(data)
    return buffer.getvalue()


def _write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _relative(path: Path, root: Path) -> str:
    return path.resolve().relative_to(root).as_posix()


def _readme(outputs: list[Output], counts: dict[str, int]) -> str:
    police = [output for output in outputs if output.path.startswith("police_uk/")]
    others = [output for output in outputs if not output.path.startswith("police_uk/")]
    lines = README_HEAD.format(**counts).splitlines()
    for output in others:
        lines.append(f"| {output.path} | {output.source} | {output.kept:,} | {output.total:,} | {output.rule} |")
    lines += [
        "",
        "Rows are data rows (the header is also kept); for GeoJSON, features.",
        "",
        "### police.uk street-level crime",
        "",
        f"One file per month, the Avon and Somerset file cut to rows whose `LSOA name` starts with "
        f'"{BANES_LSOA_NAME_PREFIX}" (rows without a location have no LSOA and are not included).',
        "Months 2024-07 and 2024-08 are missing in the source, so they are missing here.",
        "",
        "| file | rows kept | of |",
        "|---|---:|---:|",
    ]
    for output in police:
        lines.append(f"| {output.path} | {output.kept:,} | {output.total:,} |")
    total_kept = sum(output.kept for output in police)
    total_rows = sum(output.total for output in police)
    lines += [
        f"| all {len(police)} months | {total_kept:,} | {total_rows:,} |",
        "",
        "## Source checksums",
        "",
    ]
    lines += ["SHA-256 of each source file in ../shared/data (compare with its SHA256SUMS):", ""]
    sources = {output.source: output.source_sha256 for output in outputs}  # one line per source file
    for source, sha256 in sorted(sources.items()):
        lines.append(f"* `{source}`: `{sha256}`")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
