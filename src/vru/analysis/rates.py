"""Rates with exact Poisson intervals, and the exact comparison of two rates.

Pure functions, no I/O. Methods and formulae: docs/methods-temporal.md.

* `poisson_ci`: the exact (Garwood 1936) interval for a Poisson count, from chi-squared quantiles
  (Ulm 1990): lower = chi2(alpha/2; 2k) / 2 (0 when k = 0), upper = chi2(1 - alpha/2; 2k + 2) / 2.
* `person_years`: the one exposure every annual rate uses, population x months with data / 12, so a rate
  labelled "a year" is per person-year whatever the number of months counted.
* `rate_per`, `rates_table`: count / exposure x per, with the count's exact interval scaled alike;
  `annual_rate` is `rate_per` over `person_years`.
* `rate_ratio`: conditional on the total a + b, a ~ Binomial(a + b, pi) with
  pi = RR pop_a / (RR pop_a + pop_b); under equal rates pi0 = pop_a / (pop_a + pop_b). Exact binomial
  test of pi = pi0, Clopper-Pearson interval for pi mapped to RR = pi / (1 - pi) x pop_b / pop_a.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from vru.analysis.records import json_safe

__all__ = [
    "RateResult",
    "RatioResult",
    "annual_rate",
    "person_years",
    "poisson_ci",
    "rate_per",
    "rate_ratio",
    "rates_table",
]

RATIO_METHOD = "exact conditional binomial test; Clopper-Pearson interval mapped to the ratio scale"


def _check_confidence(confidence: float) -> float:
    if not 0 < confidence < 1:
        raise ValueError(f"confidence must be between 0 and 1 (exclusive), got {confidence}")
    return float(confidence)


def _is_missing(value: Any) -> bool:
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


class _ToDict:
    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe values (floats rounded, None for NaN or infinite)."""
        return json_safe(self)


def poisson_ci(count, confidence: float = 0.95):
    """Exact (Garwood) two-sided interval for the mean of a Poisson count.

    `count` may be a scalar (returns a pair of floats) or array-like (returns a pair of float arrays,
    NaN where the count is NaN). Counts must be non-negative.
    """
    alpha = 1 - _check_confidence(confidence)
    k = np.asarray(count, dtype=float)
    if np.any(k[~np.isnan(k)] < 0):
        raise ValueError("counts must be non-negative")
    with np.errstate(invalid="ignore"):
        lower = np.where(k > 0, stats.chi2.ppf(alpha / 2, 2 * np.where(k > 0, k, 1)) / 2, 0.0)
        upper = stats.chi2.ppf(1 - alpha / 2, 2 * k + 2) / 2
    lower = np.where(np.isnan(k), np.nan, lower)
    if k.ndim == 0:
        return float(lower), float(upper)
    return lower, upper


def person_years(population, months_with_data):
    """Person-years of exposure: residents x months with data / 12 (scalar or array-like, elementwise).

    Every rate "a year" goes through this: a count over 26 months divided by residents alone would be
    about 2.2 times a yearly rate. Months with data, not calendar months: a missing month adds no exposure.
    """
    months = np.asarray(months_with_data, dtype=float)
    if np.any(months[~np.isnan(months)] <= 0):
        raise ValueError(f"months with data must be positive, got {months_with_data}")
    exposure = np.asarray(population, dtype=float) * months / 12.0
    return float(exposure) if exposure.ndim == 0 else exposure


@dataclass(frozen=True)
class RateResult(_ToDict):
    count: float
    population: float | None
    rate: float | None
    lower: float | None
    upper: float | None
    per: float
    confidence: float
    note: str = ""


def rate_per(count, population, per: float = 1000, confidence: float = 0.95) -> RateResult:
    """Rate per `per` population with the exact Poisson interval of the count, scaled the same way.

    Population 0, negative or missing gives rate, lower and upper None, with the reason in `note`.
    """
    _check_confidence(confidence)
    if _is_missing(count):
        raise ValueError("count is missing")
    if count < 0:
        raise ValueError(f"count must be non-negative, got {count}")
    if _is_missing(population) or population <= 0:
        return RateResult(
            count=count,
            population=None if _is_missing(population) else float(population),
            rate=None,
            lower=None,
            upper=None,
            per=per,
            confidence=confidence,
            note="no rate: population is missing or not positive",
        )
    lower, upper = poisson_ci(count, confidence)
    scale = per / float(population)
    return RateResult(
        count=count,
        population=float(population),
        rate=count * scale,
        lower=lower * scale,
        upper=upper * scale,
        per=per,
        confidence=confidence,
    )


def annual_rate(count, population, months_with_data, per: float = 1000, confidence: float = 0.95) -> RateResult:
    """Rate per `per` residents a year: `rate_per` over `person_years(population, months_with_data)`."""
    if _is_missing(population):
        return rate_per(count, population, per=per, confidence=confidence)
    return rate_per(count, person_years(population, months_with_data), per=per, confidence=confidence)


@dataclass(frozen=True)
class RatioResult(_ToDict):
    """Rate ratio (a / pop_a) / (b / pop_b). `ratio` or `upper` is infinite when b = 0 (None in to_dict)."""

    ratio: float | None
    lower: float
    upper: float
    p_value: float
    method: str
    count_a: float
    exposure_a: float
    count_b: float
    exposure_b: float
    confidence: float
    note: str = ""


def rate_ratio(count_a, pop_a, count_b, pop_b, confidence: float = 0.95) -> RatioResult:
    """Exact comparison of two Poisson rates (a per pop_a against b per pop_b).

    Zeros: a = 0 gives ratio 0 and lower 0; b = 0 gives an infinite ratio and upper bound; a = b = 0
    gives no ratio (None), the interval (0, inf) and p-value 1.
    """
    alpha = 1 - _check_confidence(confidence)
    for name, value in (("count_a", count_a), ("count_b", count_b)):
        if _is_missing(value) or value < 0 or float(value) != int(value):
            raise ValueError(f"{name} must be a non-negative whole number, got {value}")
    for name, value in (("pop_a", pop_a), ("pop_b", pop_b)):
        if _is_missing(value) or value <= 0:
            raise ValueError(f"{name} (the exposure) must be positive, got {value}")
    a, b = int(count_a), int(count_b)
    n = a + b
    exposure_ratio = float(pop_b) / float(pop_a)
    common = dict(
        method=RATIO_METHOD,
        count_a=a,
        exposure_a=float(pop_a),
        count_b=b,
        exposure_b=float(pop_b),
        confidence=confidence,
    )
    if n == 0:
        return RatioResult(
            ratio=None, lower=0.0, upper=math.inf, p_value=1.0, note="no events on either side", **common
        )
    pi0 = float(pop_a) / (float(pop_a) + float(pop_b))
    p_value = float(stats.binomtest(a, n, pi0, alternative="two-sided").pvalue)
    pi_low = 0.0 if a == 0 else float(stats.beta.ppf(alpha / 2, a, n - a + 1))
    pi_high = 1.0 if a == n else float(stats.beta.ppf(1 - alpha / 2, a + 1, n - a))

    def to_ratio(pi: float) -> float:
        return math.inf if pi >= 1 else pi / (1 - pi) * exposure_ratio

    ratio = math.inf if b == 0 else (a / float(pop_a)) / (b / float(pop_b))
    note = "no events on side b: the ratio and its upper bound are infinite" if b == 0 else ""
    return RatioResult(
        ratio=ratio, lower=to_ratio(pi_low), upper=to_ratio(pi_high), p_value=p_value, note=note, **common
    )


def rates_table(
    frame: pd.DataFrame,
    count_col: str,
    population_col: str,
    per: float = 1000,
    confidence: float = 0.95,
    *,
    months_with_data: float | None = None,
) -> pd.DataFrame:
    """A copy of `frame` with `rate`, `lower` and `upper` per `per` population (exact Poisson interval).

    With `months_with_data` the population column holds residents and the rates are per `per` residents a
    year (exposure `person_years`); without it the column is already the exposure.
    Rows whose population is missing or not positive get NaN in all three columns.
    """
    _check_confidence(confidence)
    counts = pd.to_numeric(frame[count_col], errors="raise").to_numpy(dtype=float)
    population = pd.to_numeric(frame[population_col], errors="raise").to_numpy(dtype=float)
    if months_with_data is not None:
        population = person_years(population, months_with_data)
    valid = np.isfinite(population) & (population > 0)
    scale = np.full(len(frame), np.nan)
    np.divide(per, population, out=scale, where=valid)
    lower, upper = poisson_ci(counts, confidence)
    out = frame.copy()
    out["rate"] = counts * scale
    out["lower"] = lower * scale
    out["upper"] = upper * scale
    return out
