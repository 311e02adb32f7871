"""Home Office unit costs of crime (reference data): read and check, keeping every row's provenance.

The file (../shared/reference/unit_costs_home_office_2018.csv) has the columns ``offence_group``,
``unit_cost_gbp``, ``price_year``, ``status`` and ``source``: one cost per offence, in the price year
given (2015/16 for Home Office Research Report 99, 2018). ``status`` is kept EXACTLY as published in the
file ("verified", "unverified", "unverified_exact (report headline "£3.2m" verified)"); ``verified`` is
True only for the plain status "verified", so anything else is carried as unverified and every output
built from it can say so (docs/cost.md).

Output columns (`COLUMNS`): ``offence_group`` (as published), ``key`` (snake_case, the name the cost
analysis matches counts on), ``unit_cost_gbp`` (float), ``price_year``, ``status``, ``verified``,
``source``, ``source_file``, ``line`` (in the file; the header is line 1).
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from vru.errors import InputError, read_text
from vru.offences import offence_key

REQUIRED = ("offence_group", "unit_cost_gbp", "price_year", "status", "source")
COLUMNS = [
    "offence_group",
    "key",
    "unit_cost_gbp",
    "price_year",
    "status",
    "verified",
    "source",
    "source_file",
    "line",
]
PRICE_YEAR = re.compile(r"^\d{4}/\d{2}$")
VERIFIED = "verified"


def read_unit_costs(path: str | Path) -> pd.DataFrame:
    """The unit costs, one row per offence group, with price year, status and source on every row."""
    path = Path(path)
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise InputError(path, "empty file: expected a header line", line=1)
    header = [name.strip() for name in header]
    for name in REQUIRED:
        if name not in header:
            raise InputError(path, f"no {name!r} column (header: {', '.join(header)})", line=1, column=name)
    records = []
    seen: dict[str, int] = {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            raise InputError(path, f"{len(row)} fields where the header has {len(header)}", line=line)
        values = {name: cell.strip() for name, cell in zip(header, row, strict=True)}
        key = offence_key(values["offence_group"])
        if not key:
            raise InputError(path, "empty offence group", line=line, column="offence_group")
        if key in seen:
            raise InputError(path, f"{values['offence_group']!r} appears twice (also line {seen[key]})", line=line)
        seen[key] = line
        try:
            cost = float(values["unit_cost_gbp"].replace(",", "").lstrip("£"))
        except ValueError:
            cost = float("nan")
        if not cost > 0:
            raise InputError(
                path,
                f"{values['unit_cost_gbp']!r} is not a positive amount in pounds",
                line=line,
                column="unit_cost_gbp",
            )
        if not PRICE_YEAR.match(values["price_year"]):
            raise InputError(
                path, f"{values['price_year']!r} is not a price year like 2015/16", line=line, column="price_year"
            )
        if not values["status"]:
            raise InputError(path, "empty status (verified or unverified)", line=line, column="status")
        records.append(
            {
                "offence_group": values["offence_group"],
                "key": key,
                "unit_cost_gbp": cost,
                "price_year": values["price_year"],
                "status": values["status"],
                "verified": values["status"].casefold() == VERIFIED,
                "source": values["source"],
                "source_file": str(path),
                "line": line,
            }
        )
    if not records:
        raise InputError(path, "no unit costs under the header", line=2)
    return pd.DataFrame.from_records(records, columns=COLUMNS)
