"""English Indices of Deprivation (MHCLG): IoD2019 on LSOA 2011 and IoD2025 on LSOA 2021, in long form.

Files read (docs/data-sources.md has the details):
* the shared CSVs (humaniverse/IMD layout): `lsoa11_code` or `lsoa21_code`, then `IMD_rank`, `IMD_decile`,
  `Income_rank`, ... and, where published, `..._score`;
* MHCLG "File 7" CSVs (all ranks, scores and deciles) of IoD2019 and IoD2025: `LSOA code (2011)` or
  `LSOA code (2021)`, `Index of Multiple Deprivation (IMD) Score`, `Income Rank (where 1 is most
  deprived)`, ...; sub-domains, supplementary indices and population denominators are ignored;
* the MHCLG IoD2019 "File 1" workbook (sheet `IMD2019`): IMD rank and decile only.

The edition follows the LSOA vintage of the code column: 2011 codes are IoD2019, 2021 codes IoD2025.
Ranks and deciles are kept as published: rank 1 and decile 1 are the most deprived.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pandas as pd

from vru.errors import InputError
from vru.sources.geography import LSOA_CODE, Table, check_codes, check_unique, header_key, read_table

DOMAINS = ("imd", "income", "employment", "education", "health", "crime", "housing", "environment")
MEASURES = ("rank", "decile", "score")
EDITION_BY_VINTAGE = {2011: 2019, 2021: 2025}
CODE_HEADERS = {"lsoa11_code": 2011, "lsoa code (2011)": 2011, "lsoa21_code": 2021, "lsoa code (2021)": 2021}
FILE1_SHEET = "IMD2019"

# Shared layout: <Prefix>_<measure>. The barriers domain was renamed between the two releases.
SHARED_MEASURE = re.compile(r"^(?P<label>[a-z_]+)_(?P<measure>rank|decile|score)$")
SHARED_PREFIXES = {
    "imd": ("IMD",),
    "income": ("Income",),
    "employment": ("Employment",),
    "education": ("Education",),
    "health": ("Health",),
    "crime": ("Crime",),
    "housing": ("Housing_and_Access", "Housing_and_Services"),
    "environment": ("Environment",),
}
# MHCLG layout: "<Domain> Score", "<Domain> Score (rate)", "<Domain> Rank (where 1 is most deprived)", ...
MHCLG_MEASURE = re.compile(r"^(?P<label>.+?) (?P<measure>score|rank|decile)(?: \(.*\))?$")
MHCLG_LABELS = {
    "imd": "Index of Multiple Deprivation (IMD)",
    "income": "Income",
    "employment": "Employment",
    "education": "Education, Skills and Training",
    "health": "Health Deprivation and Disability",
    "crime": "Crime",
    "housing": "Barriers to Housing and Services",
    "environment": "Living Environment",
}
MHCLG_SUFFIXES = {
    "rank": "Rank (where 1 is most deprived)",
    "decile": "Decile (where 1 is most deprived 10% of LSOAs)",
}
LAYOUTS = (
    (
        SHARED_MEASURE,
        {prefix.casefold(): domain for domain, names in SHARED_PREFIXES.items() for prefix in names},
    ),
    (MHCLG_MEASURE, {label.casefold(): domain for domain, label in MHCLG_LABELS.items()}),
)


def measure_headers(header: Sequence[str]) -> dict[str, str]:
    """Map "<domain>_<measure>" (e.g. "housing_rank") to the file's header for it, in either layout."""
    found: dict[str, str] = {}
    for text in header:
        key = header_key(text)
        for pattern, domains in LAYOUTS:
            match = pattern.match(key)
            if match and match["label"] in domains:
                found.setdefault(f"{domains[match['label']]}_{match['measure']}", text)
                break
    return found


def code_header(header: Sequence[str]) -> tuple[str, int] | None:
    """The LSOA code column's header and its vintage (2011 or 2021), if the file has one."""
    for text in header:
        vintage = CODE_HEADERS.get(header_key(text))
        if vintage:
            return text, vintage
    return None


def identify(header: Sequence[str]) -> bool:
    """Whether a CSV header is an IMD file we read: an LSOA code column and an IMD rank column."""
    return code_header(header) is not None and "imd_rank" in measure_headers(header)


def is_file1_workbook(path: Path) -> bool:
    """Whether an .xlsx file is the IoD2019 File 1 workbook (it has an `IMD2019` sheet)."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return False
    try:
        return FILE1_SHEET in workbook.sheetnames
    finally:
        workbook.close()


def read_imd_csv(path: Path, header: Sequence[str]) -> pd.DataFrame:
    """An IMD CSV (shared layout or MHCLG File 7) as long rows; see `to_long`."""
    found = code_header(header)
    if found is None:
        raise InputError(
            path,
            "missing required column (accepted headers: 'lsoa11_code', 'lsoa21_code', "
            "'LSOA code (2011)' or 'LSOA code (2021)')",
            line=1,
            column="lsoa_code",
        )
    columns = {"lsoa_code": found[0], **measure_headers(header)}
    return to_long(read_table(path, columns), found[1])


def read_imd_file1(path: Path) -> pd.DataFrame:
    """The MHCLG IoD2019 File 1 workbook (sheet IMD2019: IMD rank and decile) as long rows."""
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise InputError(path, f"not an Excel workbook ({error})") from None
    try:
        if FILE1_SHEET not in workbook.sheetnames:
            raise InputError(path, f"no sheet named {FILE1_SHEET!r} (the IoD2019 File 1 workbook has one)")
        rows = workbook[FILE1_SHEET].iter_rows(values_only=True)
        header = ["" if value is None else str(value) for value in next(rows, ())]
        values = list(rows)
    finally:
        workbook.close()
    # Excel often reports formatted but empty rows after the data; inner rows stay so lines stay lines.
    while values and all(value is None for value in values[-1]):
        values.pop()
    found = code_header(header)
    if found is None:
        raise InputError(path, "missing required column", line=1, column="LSOA code (2011)")
    columns = {"lsoa_code": found[0], **measure_headers(header)}
    frame = pd.DataFrame(values, columns=header, dtype=object)[list(columns.values())]
    frame.columns = list(columns)
    frame = frame.apply(lambda column: column.map(lambda value: None if value is None else str(value).strip()))
    return to_long(Table(path, frame.replace("", None), columns), found[1])


def to_long(table: Table, vintage: int) -> pd.DataFrame:
    """Rows (edition, lsoa_code, lsoa_vintage, domain, rank, decile, score), one per LSOA and domain.

    Every domain the file has must have a rank and a decile (the score is optional: File 1 and the
    IoD2019 shared CSV have none); the IMD itself is required.
    """
    check_codes(table, "lsoa_code", LSOA_CODE, "LSOA code")
    check_unique(table, ["lsoa_code"], "LSOA")
    domains = [
        domain
        for domain in DOMAINS
        if domain == "imd" or any(f"{domain}_{measure}" in table.headers for measure in MEASURES)
    ]
    parts = []
    for domain in domains:
        for measure in ("rank", "decile"):
            if f"{domain}_{measure}" not in table.headers:
                raise InputError(
                    table.path,
                    "missing required column",
                    line=1,
                    column=_expected_header(table, domain, measure, vintage),
                )
        rank = _numbers(table, f"{domain}_rank", "a whole number of at least 1", whole=True, low=1)
        decile = _numbers(table, f"{domain}_decile", "a whole number from 1 to 10", whole=True, low=1, high=10)
        score = _numbers(table, f"{domain}_score", "a number") if f"{domain}_score" in table.headers else None
        parts.append(
            pd.DataFrame(
                {
                    "lsoa_code": table.frame["lsoa_code"],
                    "domain": domain,
                    "rank": rank.astype("Int64"),
                    "decile": decile.astype("Int64"),
                    "score": score if score is not None else pd.Series(float("nan"), index=table.frame.index),
                }
            )
        )
    frame = pd.concat(parts, ignore_index=True)
    frame.insert(0, "edition", EDITION_BY_VINTAGE[vintage])
    frame.insert(2, "lsoa_vintage", vintage)
    return frame


def _numbers(
    table: Table,
    name: str,
    expected: str,
    whole: bool = False,
    low: int | None = None,
    high: int | None = None,
) -> pd.Series:
    text = table.frame[name]
    values = pd.to_numeric(text, errors="coerce").astype(float)
    wrong = values.isna()
    if whole:
        wrong |= values % 1 != 0
    if low is not None:
        wrong |= values < low
    if high is not None:
        wrong |= values > high
    if wrong.any():
        row = int(wrong.to_numpy().nonzero()[0][0])
        raise table.fail(row, name, f"{text.iloc[row]!r} is not {expected}")
    return values


def _expected_header(table: Table, domain: str, measure: str, vintage: int) -> str:
    """The header a missing column has in the file's layout, to name it in the error."""
    if header_key(table.headers["lsoa_code"]).startswith("lsoa code"):
        return f"{MHCLG_LABELS[domain]} {MHCLG_SUFFIXES[measure]}"
    prefixes = SHARED_PREFIXES[domain]
    return f"{prefixes[0] if vintage == 2011 else prefixes[-1]}_{measure}"
