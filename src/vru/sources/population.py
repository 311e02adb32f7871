"""ONS small-area population estimates by single year of age on LSOA 2011, apportioned to LSOA 2021.

The file read is a CSV with `lsoa11_code` (or `LSOA11CD`), optionally `lsoa11_name` and
`total_population`, and one column per single year of age, `0` ... `89`, then `90` or `90+` (90 and over).
The mid-year comes from the file name (`population20_...` or `...mid-2020...`).

Apportioning to LSOA 2021 follows the ONS change code of the 2011→2021 lookup:
* U (unchanged): the same population;
* S (one 2011 LSOA split into several): divided equally among the 2021 LSOAs. This is an ASSUMPTION:
  the lookup carries no weights, so the split keeps the parent's total but not how people were spread;
* M (several 2011 LSOAs merged into one): summed;
* X (complex): each 2011 LSOA's population divided equally among the 2021 LSOAs it maps to, then summed.
All four are one rule — each 2011 LSOA shares its population equally among the 2021 LSOAs it maps to and
each 2021 LSOA sums its shares — so the total is conserved whenever every 2011 LSOA is in the lookup.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from vru.errors import InputError
from vru.sources.geography import (
    LSOA_CODE,
    Column,
    check_codes,
    check_unique,
    has_columns,
    match_columns,
    read_header,
    read_table,
)

OLDEST = 90  # the last age column is "90 and over"
AGES = tuple(range(OLDEST + 1))
COLUMNS = (
    Column("lsoa11_code", ("lsoa11_code", "LSOA11CD")),
    Column("lsoa11_name", ("lsoa11_name", "LSOA11NM"), required=False),
    Column("total_population", ("total_population",), required=False),
    *(Column(str(age), (str(age),)) for age in AGES[:-1]),
    Column(str(OLDEST), (str(OLDEST), f"{OLDEST}+")),
)
METHOD_BY_CHANGE = {"U": "unchanged", "S": "split_equal_share", "M": "merged_sum", "X": "complex_equal_share"}
# "population20_lsoa11...", "mid-2020", "mid_2020_persons"...: a 2- or 4-digit year after the word.
YEAR_IN_NAME = re.compile(r"(?:population|mid)[-_ ]?(\d{4}|\d{2})(?!\d)")


def identify(header: Sequence[str]) -> bool:
    """Whether a CSV header is a single-year-of-age LSOA 2011 population file."""
    return has_columns(header, COLUMNS, ("lsoa11_code", "0", str(OLDEST)))


def mid_year(path: Path) -> int:
    """The mid-year of the estimate, from the file name."""
    match = YEAR_IN_NAME.search(path.name.casefold())
    if not match:
        raise InputError(
            path, "cannot tell the mid-year from the file name: name it like population20_... or mid-2020_..."
        )
    year = int(match[1])
    return year if year > 999 else 2000 + year


@dataclass(frozen=True)
class PopulationEstimate:
    """One mid-year estimate: `by_age` has one row per LSOA 2011 (the index) and a column per age 0..90."""

    year: int
    by_age: pd.DataFrame


def read_population(path: Path) -> PopulationEstimate:
    """A single-year-of-age LSOA 2011 population file (90 means 90 and over)."""
    year = mid_year(path)
    table = read_table(path, match_columns(path, read_header(path), COLUMNS))
    check_codes(table, "lsoa11_code", LSOA_CODE, "LSOA code")
    check_unique(table, ["lsoa11_code"], "LSOA")
    ages = [str(age) for age in AGES]
    counts = table.frame[ages].apply(pd.to_numeric, errors="coerce").astype(float)
    for age in ages:
        wrong = counts[age].isna() | (counts[age] < 0)
        if wrong.any():
            row = int(wrong.to_numpy().nonzero()[0][0])
            value = table.frame[age].iloc[row]
            raise table.fail(row, age, f"{value!r} is not a population count (a number of at least 0)")
    if "total_population" in table.headers:
        stated = pd.to_numeric(table.frame["total_population"], errors="coerce")
        wrong = (stated - counts.sum(axis=1)).abs().gt(0.5) | stated.isna()
        if wrong.any():
            row = int(wrong.to_numpy().nonzero()[0][0])
            raise table.fail(
                row,
                "total_population",
                f"total {table.frame['total_population'].iloc[row]!r} is not the sum of the ages "
                f"({counts.iloc[row].sum():g})",
            )
    counts.columns = list(AGES)
    counts.index = pd.Index(table.frame["lsoa11_code"], name="lsoa11_code")
    return PopulationEstimate(year, counts)


def apportion_to_lsoa21(estimate: PopulationEstimate, lookup: pd.DataFrame, source: str | Path) -> pd.DataFrame:
    """Population on LSOA 2021: rows (year, lsoa21_code, age, population, method), by code then age.

    `lookup` has lsoa11_code, lsoa21_code and change_code. `method` names how each 2021 LSOA got its
    population (METHOD_BY_CHANGE, several joined by "+" should one 2021 LSOA have parents with different
    change codes). A 2011 LSOA missing from the lookup would be lost, so it is an InputError naming
    `source` (the population file).
    """
    by_age = estimate.by_age
    pairs = lookup[["lsoa11_code", "lsoa21_code", "change_code"]].drop_duplicates(["lsoa11_code", "lsoa21_code"])
    unknown = sorted(set(by_age.index) - set(pairs["lsoa11_code"]))
    if unknown:
        shown = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise InputError(source, f"LSOA 2011 codes not in the 2011→2021 lookup: {shown}")
    pairs = pairs[pairs["lsoa11_code"].isin(by_age.index)]
    share = 1 / pairs.groupby("lsoa11_code")["lsoa21_code"].transform("size").to_numpy()
    shares = by_age.loc[pairs["lsoa11_code"]].to_numpy() * share[:, None]
    summed = pd.DataFrame(shares, columns=by_age.columns).groupby(pairs["lsoa21_code"].to_numpy()).sum()
    methods = (
        pairs.assign(method=pairs["change_code"].map(METHOD_BY_CHANGE))
        .drop_duplicates(["lsoa21_code", "method"])
        .sort_values(["lsoa21_code", "method"])
        .groupby("lsoa21_code")["method"]
        .agg("+".join)
    )
    codes = summed.index.to_numpy()
    ages = summed.columns.to_numpy()
    return pd.DataFrame(
        {
            "year": estimate.year,
            "lsoa21_code": codes.repeat(len(ages)),
            "age": np.tile(ages.astype("int64"), len(codes)),
            "population": summed.to_numpy().ravel(),
            "method": methods.reindex(codes).to_numpy().repeat(len(ages)),
        }
    )
