"""ONS time series CSVs (as the ONS website's CSV download writes them): a price index such as the GDP
deflator at market prices (CDID YBGB), loaded as reference data to put costs in current prices.

The file starts with metadata rows ("Title", "CDID", "Source dataset ID", "PreUnit", "Unit",
"Release date", "Next release", "Important notes"), then one row per period: "2024" (a year),
"2024 Q1" (a quarter) or "2024 JAN" (a month), and the value. Output columns (`COLUMNS`): series (the
CDID), title, period, period_type ("year", "quarter" or "month"), value, release_date, line (in the file).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd

from vru.errors import InputError
from vru.sources.geography import open_text

COLUMNS = ["series", "title", "period", "period_type", "value", "release_date", "line"]
METADATA = ("Title", "CDID", "Source dataset ID", "PreUnit", "Unit", "Release date", "Next release", "Important notes")
PERIODS = {
    "year": re.compile(r"^\d{4}$"),
    "quarter": re.compile(r"^\d{4} Q[1-4]$"),
    "month": re.compile(r"^\d{4} [A-Z]{3}$"),
}


def identify(header: list[str]) -> bool:
    """True for the first row of an ONS time series CSV ("Title", then the series title)."""
    return len(header) >= 2 and header[0].strip() == "Title"


def read_ons_series(path: str | Path) -> pd.DataFrame:
    """Every period of the series, with its CDID and title on every row (InputError naming line and column
    for a bad row)."""
    path = Path(path)
    metadata: dict[str, str] = {}
    rows = []
    try:
        with open_text(path) as stream:
            for line, row in enumerate(csv.reader(stream), start=1):
                if not row or not any(cell.strip() for cell in row):
                    continue
                label = row[0].strip()
                if label in METADATA:
                    metadata[label] = row[1].strip() if len(row) > 1 else ""
                    continue
                period_type = next((kind for kind, pattern in PERIODS.items() if pattern.match(label)), None)
                if period_type is None:
                    raise InputError(path, f"not a period (YYYY, YYYY Qn or YYYY MON): {label!r}", line, "period")
                try:
                    value = float(row[1])
                except (IndexError, ValueError):
                    raise InputError(path, f"not a number: {row[1:2]}", line, "value") from None
                rows.append((label, period_type, value, line))
    except UnicodeDecodeError as error:
        raise InputError(path, f"not a UTF-8 CSV file ({error})") from None
    if not metadata.get("CDID"):
        raise InputError(path, "no CDID row: not an ONS time series CSV", 2)
    if not rows:
        raise InputError(path, "no periods in the file")
    frame = pd.DataFrame(rows, columns=["period", "period_type", "value", "line"])
    frame.insert(0, "title", metadata.get("Title", ""))
    frame.insert(0, "series", metadata["CDID"])
    frame["release_date"] = metadata.get("Release date", "")
    duplicated = frame["period"].duplicated()
    if duplicated.any():
        first = frame[duplicated].iloc[0]
        raise InputError(path, f"period {first['period']} is given twice", int(first["line"]), "period")
    return frame[COLUMNS]
