"""Costs in current prices: financial-year values of a price index (the GDP deflator, ONS YBGB) and the
uplift from one price year to another, as HM Treasury's GDP deflators are built.

A financial year's value is the mean of its four quarters (2015/16 = 2015 Q2 to 2016 Q1). The latest
complete financial year is the last one whose four quarters are all in the series. Pure functions over the
series as `vru.sources.prices.read_ons_series` (or the warehouse's ref_price_index) gives it; no I/O.
Method: docs/cost.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from vru.analysis.rates import _ToDict

__all__ = ["PriceUplift", "financial_year_index", "latest_complete_financial_year", "uplift"]

FINANCIAL_YEAR = re.compile(r"^(\d{4})/(\d{2})$")


def _quarters(financial_year: str) -> list[str]:
    match = FINANCIAL_YEAR.match(financial_year)
    if not match or (int(match.group(1)) + 1) % 100 != int(match.group(2)):
        raise ValueError(f"not a financial year like 2015/16: {financial_year!r}")
    start = int(match.group(1))
    return [f"{start} Q2", f"{start} Q3", f"{start} Q4", f"{start + 1} Q1"]


def financial_year_index(series: pd.DataFrame, financial_year: str) -> float:
    """Mean of the financial year's four quarters (ValueError naming those missing)."""
    quarters = _quarters(financial_year)
    values = series[series["period_type"] == "quarter"].set_index("period")["value"]
    missing = [quarter for quarter in quarters if quarter not in values.index]
    if missing:
        raise ValueError(f"the price index has no value for {', '.join(missing)} (financial year {financial_year})")
    return float(values.loc[quarters].mean())


def latest_complete_financial_year(series: pd.DataFrame) -> str:
    """The last financial year whose four quarters are all in the series."""
    quarters = set(series.loc[series["period_type"] == "quarter", "period"])
    years = sorted({int(period[:4]) for period in quarters}, reverse=True)
    for start in years:
        year = f"{start}/{(start + 1) % 100:02d}"
        if set(_quarters(year)) <= quarters:
            return year
    raise ValueError("the price index has no complete financial year (four quarters, Q2 to the next Q1)")


@dataclass(frozen=True)
class PriceUplift(_ToDict):
    """Multiply a cost in `from_year` prices by `ratio` for `to_year` prices."""

    ratio: float
    from_year: str
    to_year: str
    index_from: float
    index_to: float
    series: str
    release_date: str
    method: str


def uplift(series: pd.DataFrame, from_year: str, to_year: str | None = None) -> PriceUplift:
    """The uplift from one financial year's prices to another's (default: the latest complete one)."""
    to_year = to_year or latest_complete_financial_year(series)
    index_from, index_to = financial_year_index(series, from_year), financial_year_index(series, to_year)
    name = str(series["series"].iloc[0]) if "series" in series and len(series) else ""
    release = str(series["release_date"].iloc[0]) if "release_date" in series and len(series) else ""
    return PriceUplift(
        ratio=index_to / index_from,
        from_year=from_year,
        to_year=to_year,
        index_from=index_from,
        index_to=index_to,
        series=name,
        release_date=release,
        method=(
            f"GDP deflator ({name}, ONS release {release}): mean of the four quarters of {to_year} over the "
            f"mean of the four quarters of {from_year}"
        ),
    )
