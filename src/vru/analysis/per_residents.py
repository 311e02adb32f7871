"""Counts published without a denominator, per residents.

Pure functions, no I/O. Some partner publications give numbers only (the Home Office licensing tables give
licences per licensing authority): to compare areas of different sizes, each count is divided by the area's
population.

* `per_residents`: each row's count / its area's population x `per`; the count becomes the numerator and the
  population the denominator. A row whose area has no population is dropped (it cannot be compared); a
  publisher's marker stays a marker (no value, never zero).
* `pooled_per_residents`: one comparator row per year from many areas together (England from its licensing
  authorities): the sum of the counts of the areas that published a number that year and have a population,
  over the sum of those areas' populations, x `per`. Areas that did not publish leave both sums, so the
  comparator is not lowered by non-response.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd


def per_residents(rows: pd.DataFrame, population: Mapping[str, float], per: float = 10_000) -> pd.DataFrame:
    """rows: `area_code` and `value` (missing where the publisher gives a marker), any other columns kept."""
    denominators = rows["area_code"].map(population)
    kept = rows[denominators.notna()].copy()
    kept["numerator"] = kept["value"]
    kept["denominator"] = denominators[denominators.notna()].astype(float)
    kept["value"] = kept["numerator"] / kept["denominator"] * per
    return kept


def pooled_per_residents(rows: pd.DataFrame, population: Mapping[str, float], per: float = 10_000) -> pd.DataFrame:
    """rows: `area_code`, `year`, `period`, `value` of the areas pooled. One row per year: year, period,
    value (the pooled rate), numerator, denominator, areas (how many were pooled)."""
    counted = rows[rows["value"].notna()].assign(population=rows["area_code"].map(population))
    counted = counted[counted["population"].notna()]
    pooled = counted.groupby("year").agg(
        period=("period", "first"),
        numerator=("value", "sum"),
        denominator=("population", "sum"),
        areas=("area_code", "nunique"),
    )
    pooled["value"] = pooled["numerator"] / pooled["denominator"] * per
    return pooled.reset_index()[["year", "period", "value", "numerator", "denominator", "areas"]]
