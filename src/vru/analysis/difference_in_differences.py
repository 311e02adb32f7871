"""An evaluation aid for an action tied to places: before and after, against comparison areas chosen by
similarity (difference in differences), with an interval, the assumptions in words, and a warning when the
areas were already moving apart before the action started.

Pure functions, no I/O. Method: docs/methods-monitoring.md.

* Comparison areas: the `k` areas nearest the treated areas' average profile, by Euclidean distance on
  standardised characteristics (z-scores over every candidate); treated areas are never candidates.
* Estimate: with T(t) and C(t) the monthly means of the treated and comparison areas and D(t) = T(t) − C(t),
  the effect is mean D after the start − mean D before it (the two-way fixed-effects estimate on a balanced
  panel). Its interval is Welch's t interval for that difference of means of D.
* Pre-trends: the slope of D(t) before the start; when its p-value is under `PRE_TREND_P` the areas were
  already diverging and the estimate is not to be trusted.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import stats

from vru.months import month_index

__all__ = ["ASSUMPTIONS", "DidResult", "choose_comparison_areas", "difference_in_differences"]

PRE_TREND_P = 0.1
MIN_PRE_MONTHS = 6
ASSUMPTIONS = (
    "Parallel trends: without the action, the treated areas would have changed as the comparison areas did. "
    "The months before the start are checked for this; it cannot be checked after.",
    "No spill-over: the action did not move crime into, or its benefit out to, the comparison areas.",
    "Nothing else changed only in the treated areas at the same time (another initiative, a policing "
    "operation, a change in how crimes are recorded or located).",
    "The comparison areas were chosen on characteristics before the start, not on what happened after it.",
    "Months are treated as independent: counts that run in streaks make the interval too narrow.",
    "Police.uk counts are crimes recorded and published, moved to an anonymous nearby point: a change in "
    "reporting looks like a change in crime.",
)


def choose_comparison_areas(
    characteristics: pd.DataFrame, treated: Sequence[str], k: int = 5, exclude: Sequence[str] = ()
) -> pd.DataFrame:
    """The `k` areas most like the treated ones. `characteristics` is indexed by area with numeric columns
    (deprivation score, population, the rate before the start ...). Returns `area`, `distance`, `rank`."""
    treated = list(dict.fromkeys(treated))
    unknown = [area for area in treated if area not in characteristics.index]
    if unknown:
        raise ValueError(f"treated areas without characteristics: {unknown}")
    numeric = characteristics.select_dtypes("number")
    if numeric.empty:
        raise ValueError("characteristics need at least one numeric column")
    if numeric.isna().any().any():
        missing = numeric.columns[numeric.isna().any()].tolist()
        raise ValueError(f"characteristics have missing values in {missing}")
    spread = numeric.std(ddof=0).replace(0, 1)
    scaled = (numeric - numeric.mean()) / spread
    centre = scaled.loc[treated].mean()
    candidates = scaled.drop(index=[*treated, *[a for a in exclude if a in scaled.index]])
    if len(candidates) < k:
        raise ValueError(f"only {len(candidates)} candidate comparison areas for {k} wanted")
    distance = np.sqrt(((candidates - centre) ** 2).sum(axis=1))
    chosen = distance.sort_values(kind="stable").head(k)
    return pd.DataFrame({"area": chosen.index, "distance": chosen.to_numpy(), "rank": range(1, k + 1)})


@dataclass(frozen=True)
class DidResult:
    start_month: str
    treated: list[str]
    comparison: list[str]
    pre_months: int
    post_months: int
    treated_before: float
    treated_after: float
    comparison_before: float
    comparison_after: float
    effect: float  # a month per area; negative is a fall relative to the comparison
    lower: float
    upper: float
    confidence: float
    relative_effect: float | None  # effect / treated_before
    pre_trend_slope: float
    pre_trend_p_value: float
    warnings: list[str] = field(default_factory=list)
    assumptions: tuple[str, ...] = ASSUMPTIONS

    @property
    def pre_trends_differ(self) -> bool:
        return self.pre_trend_p_value < PRE_TREND_P

    def describe(self) -> str:
        direction = "fewer" if self.effect < 0 else "more"
        text = (
            f"After {self.start_month}, the treated areas had {abs(self.effect):.1f} {direction} a month per area "
            f"than the comparison areas would suggest ({self.confidence:.0%} interval {self.lower:.1f} to "
            f"{self.upper:.1f}; {self.pre_months} months before, {self.post_months} after)."
        )
        if self.lower <= 0 <= self.upper:
            text += " The interval includes no change."
        return " ".join([text, *self.warnings])


def difference_in_differences(
    panel: pd.DataFrame,
    treated: Sequence[str],
    comparison: Sequence[str],
    start_month: str,
    *,
    confidence: float = 0.95,
) -> DidResult:
    """Difference in differences on `panel` (columns `area`, `month` 'YYYY-MM', `value`: a count or rate a
    month). Every area must have every month (a balanced panel); `start_month` is the action's first month."""
    for column in ("area", "month", "value"):
        if column not in panel.columns:
            raise ValueError(f"the panel needs a `{column}` column (has {list(panel.columns)})")
    treated, comparison = list(dict.fromkeys(treated)), list(dict.fromkeys(comparison))
    if not treated or not comparison:
        raise ValueError("name at least one treated and one comparison area")
    overlap = set(treated) & set(comparison)
    if overlap:
        raise ValueError(f"areas both treated and comparison: {sorted(overlap)}")
    frame = panel[panel["area"].isin([*treated, *comparison])]
    wide = frame.pivot_table(index="month", columns="area", values="value", aggfunc="sum")
    absent = [area for area in [*treated, *comparison] if area not in wide.columns]
    if absent:
        raise ValueError(f"areas with no rows in the panel: {absent}")
    gaps = wide.columns[wide.isna().any()].tolist()
    if gaps:
        raise ValueError(f"the panel is not balanced: {gaps} lack some months")
    wide = wide.sort_index()
    difference = wide[treated].mean(axis=1) - wide[comparison].mean(axis=1)
    before = difference[difference.index < start_month]
    after = difference[difference.index >= start_month]
    if len(before) < MIN_PRE_MONTHS or len(after) < 2:
        raise ValueError(
            f"need at least {MIN_PRE_MONTHS} months before {start_month} and 2 from it (have {len(before)} and "
            f"{len(after)})"
        )
    effect = float(after.mean() - before.mean())
    var_before, var_after = before.var(ddof=1) / len(before), after.var(ddof=1) / len(after)
    standard_error = float(np.sqrt(var_before + var_after))
    # Welch–Satterthwaite degrees of freedom (infinite when both sides are flat).
    denominator = var_before**2 / (len(before) - 1) + var_after**2 / (len(after) - 1)
    dof = (var_before + var_after) ** 2 / denominator if denominator > 0 else np.inf
    half_width = float(stats.t.ppf(0.5 + confidence / 2, dof)) * standard_error
    months = np.array([month_index(m) for m in before.index], dtype=float)
    trend = stats.linregress(months - months.mean(), before.to_numpy())
    pre_p = float(trend.pvalue) if np.isfinite(trend.pvalue) else 1.0
    treated_before = float(wide.loc[before.index, treated].mean(axis=1).mean())
    warnings = []
    if pre_p < PRE_TREND_P:
        warnings.append(
            f"Warning: before the start the treated and comparison areas were already moving apart "
            f"({trend.slope:+.2f} a month, p = {pre_p:.2g}): the parallel-trends assumption fails, so this "
            f"estimate is not to be trusted."
        )
    return DidResult(
        start_month=start_month,
        treated=treated,
        comparison=comparison,
        pre_months=len(before),
        post_months=len(after),
        treated_before=treated_before,
        treated_after=float(wide.loc[after.index, treated].mean(axis=1).mean()),
        comparison_before=float(wide.loc[before.index, comparison].mean(axis=1).mean()),
        comparison_after=float(wide.loc[after.index, comparison].mean(axis=1).mean()),
        effect=effect,
        lower=effect - half_width,
        upper=effect + half_width,
        confidence=confidence,
        relative_effect=effect / treated_before if treated_before else None,
        pre_trend_slope=float(trend.slope),
        pre_trend_p_value=pre_p,
        warnings=warnings,
    )
