"""Persistence of hot spots across years: persistent, emerging, diminishing, intermittent or never.

Pure functions, no I/O. The input is the set of hot-spot areas in each year (from
`vru.analysis.hotspots.getis_ord_gi_star`, run once per year); the output classifies every area.
Rules and caveats: docs/methods-spatial.md.

Rules, applied in this order to the years considered (sorted; "first" and "latest" are the earliest and
the most recent of them):

1. "never": hot in none of the years;
2. "persistent": hot in every year (with a single year, hot in it);
3. "emerging": hot in the latest year but not in the first;
4. "diminishing": hot in the first year but not in the latest;
5. "intermittent": otherwise (hot in the first and the latest years but not in every year between, or
   hot only in years between the first and the latest).

Years with fewer than 12 months of data are the caller's to flag (`partial_years`): they are kept in the
classification and carried into the result, so a report can say that, say, "emerging" rests on a
part-year. An area absent from a year's set (or with no row for that year) was not a hot spot that year.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

__all__ = ["CLASSES", "classify_persistence", "to_dict"]

PERSISTENT, EMERGING, DIMINISHING, INTERMITTENT, NEVER = (
    "persistent",
    "emerging",
    "diminishing",
    "intermittent",
    "never",
)
CLASSES = (PERSISTENT, EMERGING, DIMINISHING, INTERMITTENT, NEVER)

Year = int | str


def _year(value: Any) -> Year:
    """Plain int or str (numpy scalars from a DataFrame column become Python ones)."""
    if isinstance(value, bool):
        raise ValueError(f"a year cannot be a boolean, got {value}")
    if isinstance(value, np.integer | int):
        return int(value)
    if isinstance(value, str):
        return str(value)
    raise ValueError(f"a year must be an int or a str, got {value!r}")


def _sorted_years(years: Iterable[Year]) -> list[Year]:
    unique = list(dict.fromkeys(_year(year) for year in years))
    try:
        return sorted(unique)
    except TypeError:
        raise ValueError(f"years must all be of one type (all int or all str), got {unique}") from None


def _hot_sets(hotspot_by_year: Mapping[Year, Iterable[str]] | pd.DataFrame) -> dict[Year, set[str]]:
    if isinstance(hotspot_by_year, pd.DataFrame):
        missing = {"code", "year", "is_hot_spot"} - set(hotspot_by_year.columns)
        if missing:
            raise ValueError(f"the frame needs columns code, year, is_hot_spot; missing {sorted(missing)}")
        frame = hotspot_by_year
        flags = frame["is_hot_spot"]
        if flags.isna().any():
            raise ValueError("is_hot_spot has missing values")
        sets: dict[Year, set[str]] = {_year(year): set() for year in frame["year"].tolist()}
        for code, year, hot in zip(frame["code"], frame["year"].tolist(), flags, strict=True):
            if bool(hot):
                sets[_year(year)].add(str(code))
        return sets
    if isinstance(hotspot_by_year, Mapping):
        if any(isinstance(codes, str) for codes in hotspot_by_year.values()):
            raise TypeError("each year maps to a collection of codes, not a single string")
        return {_year(year): {str(code) for code in codes} for year, codes in hotspot_by_year.items()}
    raise TypeError("hotspot_by_year must be a mapping of year to codes or a DataFrame(code, year, is_hot_spot)")


def classify_persistence(
    hotspot_by_year: Mapping[Year, Iterable[str]] | pd.DataFrame,
    all_codes: Iterable[str],
    partial_years: Iterable[Year] = (),
) -> pd.DataFrame:
    """Classify every area by the years in which it was a hot spot.

    `hotspot_by_year` is either {year: codes that were hot spots that year} (every year considered must
    be a key, even with an empty set) or a DataFrame with columns code, year, is_hot_spot (the years
    considered are those present). `all_codes` lists every area of the study area, so areas that were
    never hot are classified too. `partial_years` lists considered years with fewer than 12 months of
    data.

    Returns one row per code (sorted) with columns code, years_hot (list of years, sorted), n_years_hot,
    n_years (years considered), classification (see the module docstring) and hot_in_partial_year
    (True when a year in which the area was hot is a partial year). `frame.attrs` holds `years` and
    `partial_years`.
    """
    sets = _hot_sets(hotspot_by_year)
    years = _sorted_years(sets)
    if not years:
        raise ValueError("no years to classify")
    codes = sorted(dict.fromkeys(str(code) for code in all_codes))
    known = set(codes)
    unknown = sorted(set().union(*sets.values()) - known)
    if unknown:
        raise ValueError(f"{len(unknown)} hot-spot codes are not in all_codes, e.g. {unknown[:5]}")
    partial = _sorted_years(partial_years)
    not_considered = [year for year in partial if year not in sets]
    if not_considered:
        raise ValueError(f"partial years {not_considered} are not among the years considered {years}")
    first, latest = years[0], years[-1]
    rows = []
    for code in codes:
        hot_years = [year for year in years if code in sets[year]]
        hot = set(hot_years)
        if not hot:
            label = NEVER
        elif len(hot) == len(years):
            label = PERSISTENT
        elif latest in hot and first not in hot:
            label = EMERGING
        elif first in hot and latest not in hot:
            label = DIMINISHING
        else:
            label = INTERMITTENT
        rows.append(
            {
                "code": code,
                "years_hot": hot_years,
                "n_years_hot": len(hot_years),
                "n_years": len(years),
                "classification": label,
                "hot_in_partial_year": any(year in hot for year in partial),
            }
        )
    frame = pd.DataFrame(
        rows,
        columns=["code", "years_hot", "n_years_hot", "n_years", "classification", "hot_in_partial_year"],
    )
    frame.attrs.update({"years": years, "partial_years": partial})
    return frame


def to_dict(frame: pd.DataFrame) -> dict[str, Any]:
    """JSON-safe export of a `classify_persistence` result: years, partial years, counts and rows."""
    counts = frame["classification"].value_counts()
    return {
        "years": list(frame.attrs.get("years", [])),
        "partial_years": list(frame.attrs.get("partial_years", [])),
        "counts": {label: int(counts.get(label, 0)) for label in CLASSES},
        "rows": [
            {
                "code": str(row.code),
                "years_hot": list(row.years_hot),
                "n_years_hot": int(row.n_years_hot),
                "n_years": int(row.n_years),
                "classification": str(row.classification),
                "hot_in_partial_year": bool(row.hot_in_partial_year),
            }
            for row in frame.itertuples(index=False)
        ],
    }
