"""Level shifts in a monthly series, and whether a change is the area's own or shared with its force.

A straight-line trend fitted to a series that stepped up once reports a steady "rise" that is not there.
Here the question is asked directly:

* `find_level_shift`: a change-point model. For every candidate month k (at least `min_segment` months
  with data on each side) a Poisson model with one level before k and another from k is compared with
  one level throughout, by the likelihood-ratio statistic LR(k); the break is the k with the largest LR
  (the maximum-likelihood break). Because the largest of many LRs is not chi-squared, its p-value is a
  parametric (Monte Carlo) bootstrap of the same sup-LR search on series simulated under "no shift"
  with the over-dispersion the step model leaves (negative binomial, variance mu + alpha mu^2): Andrews'
  (1993) sup-LR test, with the null distribution simulated instead of tabulated. BIC of both models is
  reported too. The interval of the ratio after/before is quasi-Poisson (dispersion from the step
  model) at the chosen break, so it is conditional on that choice.
* `find_share_shift`: the same search on the area's share of the force's count (area against the REST
  of the force, binomial likelihood, beta-binomial over-dispersion). Seasons, recording practice and
  force-wide changes cancel in the share: a shift in it is the area's own.
* `area_rest_ratio`: the area / rest-of-force ratio month by month (the series behind the share test).
* `attribute_change`: "rising" or "falling" only for a shift in the area's share; a significant shift
  in the area that its share does not show is named a force-wide shift.
* `same_months_by_year`: totals over the calendar months that have data in every year (January-April
  for a series of January 2023 to April 2025 with July and August 2024 missing), year on year.

Months without data are absent rows (see `vru.analysis.trend`); none is filled. Pure functions, no I/O.
Method: docs/methods-temporal.md.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from vru.analysis.rates import _ToDict
from vru.analysis.records import json_safe
from vru.analysis.trend import _prepare

__all__ = [
    "ChangeAttribution",
    "LevelShift",
    "MIN_SEGMENT",
    "area_rest_ratio",
    "attribute_change",
    "find_level_shift",
    "find_share_shift",
    "same_months_by_year",
]

MIN_SEGMENT = 6
SIMULATIONS = 999
CONFIDENCE = 0.95
METHOD_LEVEL = (
    "change point search: Poisson likelihood ratio of two levels against one at every break month "
    "(at least {min_segment} months with data each side); p-value of the largest ratio (sup-LR) from "
    "{simulations} series simulated without a shift, with the step model's over-dispersion (negative binomial)"
)
METHOD_SHARE = (
    "change-point search on the area's share of the force (area against the rest of the force): binomial "
    "likelihood ratio at every break month; p-value of the largest from {simulations} beta-binomial series "
    "simulated without a shift"
)


@dataclass(frozen=True)
class LevelShift(_ToDict):
    """The most likely single level shift. `ratio` is after / before (mean per month, or rate with an
    exposure; for a share shift, the odds of a crime being in the area). `significant` when the sup-LR
    p-value is below 1 - confidence."""

    kind: str  # "level" or "share"
    break_month: str | None  # first month of the new level
    months_before: int
    months_after: int
    level_before: float | None
    level_after: float | None
    ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    lr_statistic: float | None
    p_value: float | None
    simulations: int
    dispersion: float | None
    bic_no_shift: float | None
    bic_shift: float | None
    significant: bool
    direction: str  # "up", "down" or "none"
    confidence: float
    method: str
    note: str = ""
    level_since: bool | None = None  # no further significant shift after the break (None: too short to test)


def _xlogy(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, x * np.log(np.where(y > 0, y, 1.0)), 0.0)


def _poisson_lr(y: np.ndarray, e: np.ndarray, ks: np.ndarray) -> np.ndarray:
    """LR(k) for two Poisson levels (split before row k) against one; y may be (sims, n)."""
    y = np.atleast_2d(y)
    cy, ce = np.cumsum(y, axis=1), np.cumsum(e)
    total_y, total_e = cy[:, -1:], ce[-1]
    y1, e1 = cy[:, ks - 1], ce[ks - 1]
    y2, e2 = total_y - y1, total_e - e1
    one = _xlogy(total_y, total_y / total_e)
    return 2 * (_xlogy(y1, y1 / e1) + _xlogy(y2, y2 / e2) - one)


def _binomial_lr(a: np.ndarray, n: np.ndarray, ks: np.ndarray) -> np.ndarray:
    """LR(k) for two binomial shares (split before row k) against one; a may be (sims, months)."""
    a = np.atleast_2d(a)
    ca, cn = np.cumsum(a, axis=1), np.cumsum(n)

    def loglik(successes, trials):
        failures = trials - successes
        return _xlogy(successes, successes / trials) + _xlogy(failures, failures / trials)

    a1, n1 = ca[:, ks - 1], cn[ks - 1]
    a2, n2 = ca[:, -1:] - a1, cn[-1] - n1
    return 2 * (loglik(a1, n1) + loglik(a2, n2) - loglik(ca[:, -1:], cn[-1]))


def _no_shift(kind: str, months: list[str], note: str, simulations: int, confidence: float, method: str) -> LevelShift:
    return LevelShift(
        kind=kind,
        break_month=None,
        months_before=0,
        months_after=0,
        level_before=None,
        level_after=None,
        ratio=None,
        ratio_lower=None,
        ratio_upper=None,
        lr_statistic=None,
        p_value=None,
        simulations=simulations,
        dispersion=None,
        bic_no_shift=None,
        bic_shift=None,
        significant=False,
        direction="none",
        confidence=confidence,
        method=method,
        note=note,
    )


def _candidates(n: int, min_segment: int) -> np.ndarray:
    return np.arange(min_segment, n - min_segment + 1)


def _direction(significant: bool, ratio: float) -> str:
    if not significant:
        return "none"
    return "up" if ratio > 1 else "down"


def find_level_shift(
    series: pd.DataFrame,
    expected_months: Sequence[str] | None = None,
    exposure=None,
    min_segment: int = MIN_SEGMENT,
    simulations: int = SIMULATIONS,
    seed: int | None = 12345,
    confidence: float = CONFIDENCE,
) -> LevelShift:
    """The most likely single shift in the level of a monthly count series, with its sup-LR test.

    `series` has month and count (one row per month with data). `exposure`: None (the level is the mean
    count per month) or the population per month as a mapping or a constant, so the level is a rate.
    """
    data = _prepare(series, expected_months)
    observed = data.observed
    months = observed["month"].tolist()
    method = METHOD_LEVEL.format(min_segment=min_segment, simulations=simulations)
    ks = _candidates(len(observed), min_segment)
    y = observed["count"].to_numpy(dtype=float)
    if exposure is None:
        e = np.ones(len(y))
    elif isinstance(exposure, int | float):
        e = np.full(len(y), float(exposure))
    else:
        e = np.array([float(dict(exposure)[m]) for m in months])
    if not len(ks):
        note = f"{len(observed)} months with data: at least {2 * min_segment} are needed to look for a shift"
        return _no_shift("level", months, note, simulations, confidence, method)
    if y.sum() == 0:
        return _no_shift("level", months, "no events: no shift to look for", simulations, confidence, method)
    lr = _poisson_lr(y, e, ks)[0]
    best = int(np.argmax(lr))
    k = int(ks[best])
    y1, y2, e1, e2 = y[:k].sum(), y[k:].sum(), e[:k].sum(), e[k:].sum()
    mu = np.concatenate([np.full(k, y1 / e1) * e[:k], np.full(len(y) - k, y2 / e2) * e[k:]])
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(np.sum(np.where(mu > 0, (y - mu) ** 2 / mu, 0.0)) / max(len(y) - 2, 1))
    # Simulate "no shift" with the step model's over-dispersion: NB2 with alpha from its Pearson dispersion.
    mu0 = y.sum() / e.sum() * e
    alpha = max(pearson - 1.0, 0.0) / float(np.mean(mu0))
    rng = np.random.default_rng(seed)
    shape = (simulations, len(y))
    lam = mu0 * rng.gamma(1 / alpha, alpha, size=shape) if alpha > 0 else np.broadcast_to(mu0, shape)
    simulated = _poisson_lr(rng.poisson(lam).astype(float), e, ks).max(axis=1)
    p_value = float((1 + np.sum(simulated >= lr[best] - 1e-9)) / (simulations + 1))
    ratio = (y2 / e2) / (y1 / e1) if y1 > 0 else math.inf
    lower = upper = None
    if y1 > 0 and y2 > 0:
        se = math.sqrt(max(pearson, 1.0) * (1 / y1 + 1 / y2))
        z = stats.norm.ppf(0.5 + confidence / 2)
        lower, upper = ratio * math.exp(-z * se), ratio * math.exp(z * se)
    loglik_one = float(np.sum(stats.poisson.logpmf(y, mu0)))
    loglik_two = float(np.sum(stats.poisson.logpmf(y, mu)))
    significant = p_value < 1 - confidence
    level_since = None
    if significant and len(y) - k >= 2 * min_segment:
        after = observed.iloc[k:][["month", "count"]]
        later = find_level_shift(
            after, None, None if exposure is None else exposure, min_segment, simulations, seed, confidence
        )
        level_since = not later.significant
    return LevelShift(
        kind="level",
        break_month=months[k],
        months_before=k,
        months_after=len(y) - k,
        level_before=y1 / e1,
        level_after=y2 / e2,
        ratio=ratio,
        ratio_lower=lower,
        ratio_upper=upper,
        lr_statistic=float(lr[best]),
        p_value=p_value,
        simulations=simulations,
        dispersion=pearson,
        bic_no_shift=-2 * loglik_one + 1 * math.log(len(y)),
        bic_shift=-2 * loglik_two + 3 * math.log(len(y)),
        significant=significant,
        direction=_direction(significant, ratio),
        confidence=confidence,
        method=method,
        level_since=level_since,
    )


def _aligned(area: pd.DataFrame, rest: pd.DataFrame) -> pd.DataFrame:
    frame = area[["month", "count"]].merge(rest[["month", "count"]], on="month", suffixes=("_area", "_rest"))
    frame["month"] = frame["month"].astype(str)
    return frame.sort_values("month").reset_index(drop=True)


def area_rest_ratio(area: pd.DataFrame, rest: pd.DataFrame) -> pd.DataFrame:
    """Month by month: the area's count, the rest of the force's, the area's share and the ratio area / rest
    (months with data on both sides only). The rest is the force without the area, never a total that
    contains it."""
    frame = _aligned(area, rest)
    total = frame["count_area"] + frame["count_rest"]
    frame["share"] = frame["count_area"] / total.where(total > 0)
    frame["ratio"] = frame["count_area"] / frame["count_rest"].where(frame["count_rest"] > 0)
    return frame


def find_share_shift(
    area: pd.DataFrame,
    rest: pd.DataFrame,
    min_segment: int = MIN_SEGMENT,
    simulations: int = SIMULATIONS,
    seed: int | None = 12345,
    confidence: float = CONFIDENCE,
) -> LevelShift:
    """The most likely single shift in the area's share of the force (area against the rest of the force).

    `area` and `rest` are monthly series (month, count); months with data on both sides are used.
    `level_before` and `level_after` are the shares; `ratio` the odds ratio after / before."""
    frame = _aligned(area, rest)
    months = frame["month"].tolist()
    method = METHOD_SHARE.format(simulations=simulations)
    a = frame["count_area"].to_numpy(dtype=float)
    n = a + frame["count_rest"].to_numpy(dtype=float)
    ks = _candidates(len(frame), min_segment)
    if not len(ks):
        note = f"{len(frame)} months with data on both sides: at least {2 * min_segment} are needed"
        return _no_shift("share", months, note, simulations, confidence, method)
    if a.sum() == 0 or a.sum() == n.sum() or np.any(n == 0):
        note = "the area has none or all of the force's count, or a month has none: no share to test"
        return _no_shift("share", months, note, simulations, confidence, method)
    lr = _binomial_lr(a, n, ks)[0]
    best = int(np.argmax(lr))
    k = int(ks[best])
    p1, p2 = a[:k].sum() / n[:k].sum(), a[k:].sum() / n[k:].sum()
    p = np.concatenate([np.full(k, p1), np.full(len(a) - k, p2)])
    with np.errstate(divide="ignore", invalid="ignore"):
        pearson = float(np.sum((a - n * p) ** 2 / (n * p * (1 - p))) / max(len(a) - 2, 1))
    p0 = a.sum() / n.sum()
    rho = min(max(pearson - 1.0, 0.0) / max(float(np.mean(n)) - 1.0, 1.0), 0.999)
    rng = np.random.default_rng(seed)
    shape = (simulations, len(a))
    if rho > 0:
        shares = rng.beta(p0 * (1 - rho) / rho, (1 - p0) * (1 - rho) / rho, size=shape)
    else:
        shares = np.full(shape, p0)
    simulated = _binomial_lr(rng.binomial(n.astype(np.int64), shares).astype(float), n, ks).max(axis=1)
    p_value = float((1 + np.sum(simulated >= lr[best] - 1e-9)) / (simulations + 1))
    a1, a2 = a[:k].sum(), a[k:].sum()
    b1, b2 = n[:k].sum() - a1, n[k:].sum() - a2
    ratio = (a2 / b2) / (a1 / b1) if min(a1, b1, b2) > 0 else math.inf
    lower = upper = None
    if min(a1, a2, b1, b2) > 0:
        se = math.sqrt(max(pearson, 1.0) * (1 / a1 + 1 / a2 + 1 / b1 + 1 / b2))
        z = stats.norm.ppf(0.5 + confidence / 2)
        lower, upper = ratio * math.exp(-z * se), ratio * math.exp(z * se)
    loglik_one = float(np.sum(stats.binom.logpmf(a, n, p0)))
    loglik_two = float(np.sum(stats.binom.logpmf(a, n, p)))
    significant = p_value < 1 - confidence
    return LevelShift(
        kind="share",
        break_month=months[k],
        months_before=k,
        months_after=len(a) - k,
        level_before=p1,
        level_after=p2,
        ratio=ratio,
        ratio_lower=lower,
        ratio_upper=upper,
        lr_statistic=float(lr[best]),
        p_value=p_value,
        simulations=simulations,
        dispersion=pearson,
        bic_no_shift=-2 * loglik_one + 1 * math.log(len(a)),
        bic_shift=-2 * loglik_two + 3 * math.log(len(a)),
        significant=significant,
        direction=_direction(significant, ratio),
        confidence=confidence,
        method=method,
    )


@dataclass(frozen=True)
class ChangeAttribution(_ToDict):
    """What the shifts say. `verdict`: "area's own rise", "area's own fall", "force-wide shift", "no level
    shift" or "not tested" (too few months); `direction` is "rising" or "falling" only for the area's own change."""

    verdict: str
    direction: str
    text: str
    area_shift: LevelShift
    rest_shift: LevelShift
    share_shift: LevelShift


def _month_name(month: str) -> str:
    names = "January February March April May June July August September October November December".split()
    return f"{names[int(month[5:]) - 1]} {month[:4]}"


def attribute_change(area_shift: LevelShift, rest_shift: LevelShift, share_shift: LevelShift) -> ChangeAttribution:
    """Say "rising" only for a change that is the area's own (a significant shift in its share of the force);
    name a force-wide shift plainly when the area's level moved with the rest of the force."""
    shifts = dict(area_shift=area_shift, rest_shift=rest_shift, share_shift=share_shift)
    if share_shift.significant:
        up = share_shift.ratio > 1
        text = (
            f"The area's share of the force's count {'rose' if up else 'fell'} from "
            f"{share_shift.level_before:.1%} to {share_shift.level_after:.1%} from "
            f"{_month_name(share_shift.break_month)} (sup-LR test p = {share_shift.p_value:.3f}): a change of the "
            "area's own, not shared by the rest of the force."
        )
        verdict = "area's own rise" if up else "area's own fall"
        return ChangeAttribution(verdict, "rising" if up else "falling", text, **shifts)
    if area_shift.significant:
        moved = "up" if area_shift.ratio > 1 else "down"
        percent = abs(area_shift.ratio - 1) * 100
        rest_text = (
            f"the rest of the force shifted {rest_shift.direction} by {abs(rest_shift.ratio - 1) * 100:.0f}% "
            f"from {_month_name(rest_shift.break_month)}"
            if rest_shift.significant
            else "the area's share of the force did not change"
        )
        since = " and has been level since" if area_shift.level_since else ""
        text = (
            f"The level stepped {moved} by about {percent:.0f}% from {_month_name(area_shift.break_month)}{since}; "
            f"{rest_text}. This is a force-wide shift, which suggests a change in recording or reporting rather "
            "than a local escalation: the area's share of the force did not change significantly."
        )
        return ChangeAttribution("force-wide shift", "no change of the area's own", text, **shifts)
    if area_shift.break_month is None:
        text = f"Level shifts were not tested: {area_shift.note}."
        return ChangeAttribution("not tested", "no significant change", text, **shifts)
    text = "No significant shift in the level of the series, and none in the area's share of the force."
    return ChangeAttribution("no level shift", "no significant change", text, **shifts)


def same_months_by_year(series: pd.DataFrame) -> dict:
    """Totals per calendar year over the months of the year that have data in every year of the series,
    and the change year on year: like with like when years are partial or have gaps."""
    data = _prepare(series, None)
    observed = data.observed.assign(year=lambda f: f["month"].str[:4], moy=lambda f: f["month"].str[5:])
    years = sorted(observed["year"].unique())
    common = sorted(set.intersection(*(set(observed.loc[observed["year"] == y, "moy"]) for y in years)))
    rows = []
    for year in years:
        count = int(observed.loc[(observed["year"] == year) & observed["moy"].isin(common), "count"].sum())
        previous = rows[-1]["count"] if rows else None
        change = 100 * (count / previous - 1) if previous else None
        rows.append({"year": year, "count": count, "change_percent": change})
    return json_safe({"months_of_year": [int(m) for m in common], "years": rows})
