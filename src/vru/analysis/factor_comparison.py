"""An area's risk and protective factors against England and its statistical neighbours, over the years.

For one indicator (`compare_factor`): the area's value each year beside England's and the median of its
statistical neighbours' published values, and two exact sign tests over the years where both are
published: is the area above (or below) the comparator more often than chance (each year equally likely
either side under the null hypothesis; ties dropped; two-sided binomial test)? Years where the publisher
gives a marker instead of a value are left out of the test, never counted as zero. The trend is the
Mann-Kendall test (Kendall's tau of value on year).

Whether a factor STANDS OUT is decided across all the factors of a chapter at once (`flag_standouts`):
the p-values against the statistical neighbours (England where an area has none) are adjusted for the
number of factors compared (Benjamini-Hochberg false discovery rate, vru.analysis.multiple_testing), and a
factor stands out when its adjusted p-value is at most 0.05. With the sign test, that needs at least six
comparable years all on one side (2 x 0.5^6 = 0.031) before any adjustment, so a single odd year never
makes a finding.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy.stats import binomtest, kendalltau

from vru.analysis.multiple_testing import benjamini_hochberg

SIGNIFICANCE = 0.05


@dataclass
class SignTest:
    years: int  # years with a value for both, not tied
    above: int  # years the area was above the comparator
    p_value: float  # two-sided exact binomial; 1.0 when there are no years

    @property
    def direction(self) -> str | None:
        if self.years == 0 or self.above * 2 == self.years:
            return None
        return "higher" if self.above * 2 > self.years else "lower"


@dataclass
class FactorComparison:
    indicator: str
    years: pd.DataFrame  # year, period, area, area_marker, england, neighbour_median, neighbours_published
    against_england: SignTest
    against_neighbours: SignTest | None  # None when the area has no statistical neighbours
    trend_tau: float | None
    trend_p_value: float | None
    polarity: str | None = None  # "low is good", "high is good" or None
    adjusted_p_value: float | None = None  # set by flag_standouts
    stands_out: bool = False
    notes: list[str] = field(default_factory=list)

    @property
    def deciding_test(self) -> SignTest:
        return self.against_neighbours if self.against_neighbours is not None else self.against_england

    @property
    def comparator(self) -> str:
        return "statistical neighbours" if self.against_neighbours is not None else "England"

    @property
    def worse(self) -> bool | None:
        """True when the direction it stands out in is the bad one for the indicator's polarity."""
        direction = self.deciding_test.direction
        if direction is None or self.polarity not in ("low is good", "high is good"):
            return None
        return (direction == "higher") == (self.polarity == "low is good")


def sign_test(area: pd.Series, comparator: pd.Series) -> SignTest:
    """Exact two-sided sign test of area against comparator over the index values both have."""
    both = pd.concat([area, comparator], axis=1, keys=["area", "comparator"]).dropna()
    differences = both["area"] - both["comparator"]
    differences = differences[differences != 0]
    years = len(differences)
    above = int((differences > 0).sum())
    p_value = binomtest(above, years, 0.5).pvalue if years else 1.0
    return SignTest(years, above, float(p_value))


def compare_factor(
    rows: pd.DataFrame,
    indicator: str,
    area: str,
    england: str,
    neighbours: list[str],
    polarity: str | None = None,
) -> FactorComparison:
    """rows: one indicator's `area_code`, `year`, `period`, `value` (missing with a `marker` where the
    publisher gives one) for the area, England and the neighbours."""
    rows = rows[rows["year"].notna()]
    by_area = {code: group.set_index("year") for code, group in rows.groupby("area_code")}
    empty = pd.DataFrame(columns=["period", "value", "marker"], index=pd.Index([], name="year"))
    own = by_area.get(area, empty)
    years = sorted(set(own.index) | set(by_area.get(england, empty).index))
    table = pd.DataFrame(index=pd.Index(years, name="year"))
    table["period"] = own["period"].reindex(years)
    table["area"] = pd.to_numeric(own["value"].reindex(years), errors="coerce")
    table["area_marker"] = own["marker"].reindex(years) if "marker" in own else None
    table["england"] = pd.to_numeric(by_area.get(england, empty)["value"].reindex(years), errors="coerce")
    neighbour_values = pd.DataFrame(
        {code: pd.to_numeric(by_area[code]["value"], errors="coerce") for code in neighbours if code in by_area}
    ).reindex(years)
    table["neighbour_median"] = neighbour_values.median(axis=1) if not neighbour_values.empty else np.nan
    table["neighbours_published"] = neighbour_values.notna().sum(axis=1) if not neighbour_values.empty else 0
    against_england = sign_test(table["area"], table["england"])
    against_neighbours = sign_test(table["area"], table["neighbour_median"]) if neighbours else None
    published = table["area"].dropna()
    tau = p_trend = None
    if len(published) >= 3 and published.nunique() > 1:
        result = kendalltau(published.index.to_numpy(dtype=float), published.to_numpy())
        tau, p_trend = float(result.statistic), float(result.pvalue)
    return FactorComparison(
        indicator,
        table.reset_index(),
        against_england,
        against_neighbours,
        tau,
        p_trend,
        polarity,
    )


def flag_standouts(comparisons: list[FactorComparison], level: float = SIGNIFICANCE) -> list[FactorComparison]:
    """Set `adjusted_p_value` and `stands_out` on each comparison (Benjamini-Hochberg over all of them)."""
    rejected, adjusted = benjamini_hochberg([comparison.deciding_test.p_value for comparison in comparisons], level)
    for comparison, significant, p_value in zip(comparisons, rejected, adjusted, strict=True):
        comparison.adjusted_p_value = float(p_value)
        comparison.stands_out = bool(significant) and comparison.deciding_test.direction is not None
    return comparisons
