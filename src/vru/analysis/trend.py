"""Trend in monthly counts: a Poisson or negative binomial GLM, the latest 12 months against the previous
12, and the seasonal profile.

Pure functions, no I/O. Methods, formulae and the overdispersion rule: docs/methods-temporal.md.

A monthly series is a DataFrame with columns `month` ('YYYY-MM'), `count` and optionally `population`.
Months without data are ABSENT rows: every function lists them and none fills them.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from numbers import Real

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats

from vru.analysis.count_models import DISPERSION_THRESHOLD, OVERDISPERSION_RULE
from vru.analysis.count_models import fit_negative_binomial as _fit_negative_binomial
from vru.analysis.rates import _ToDict, rate_ratio
from vru.analysis.records import json_safe
from vru.months import month_from_index as _month_str
from vru.months import month_index as _month_index
from vru.months import month_range

__all__ = [
    "DISPERSION_THRESHOLD",
    "MIN_MONTHS_COMPARABLE",
    "PeriodComparison",
    "PeriodSide",
    "TrendModel",
    "TrendResult",
    "compare_latest_12",
    "fit_trend",
    "fit_trend_model",
    "month_range",
    "seasonal_pattern",
    "seasonal_profile",
]

# Seasonal terms by the number of observed months.
MIN_MONTHS_DUMMIES = 24
MIN_MONTHS_HARMONIC = 12
MIN_MONTHS_FIT = 3
SEASONAL_DUMMIES = "month-of-year dummies"
SEASONAL_HARMONIC = "harmonic (one sin/cos pair, 12-month period)"
SEASONAL_NONE = "none"
# compare_latest_12: fewer months present than this on either side makes the comparison not comparable.
MIN_MONTHS_COMPARABLE = 9
CONFIDENCE = 0.95


# --- input --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Series:
    expected: list[str]  # sorted, unique
    observed: pd.DataFrame  # month, count, index (int), population when given; sorted, within expected
    missing: list[str]  # expected months with no row
    ignored: list[str]  # rows whose month is not expected (not used)


def _prepare(series: pd.DataFrame, expected_months: Sequence[str] | None) -> _Series:
    for column in ("month", "count"):
        if column not in series.columns:
            raise ValueError(f"the series needs a `{column}` column (has {list(series.columns)})")
    frame = series.copy()
    frame["month"] = frame["month"].astype(str)
    frame["index"] = [_month_index(m) for m in frame["month"]]
    duplicated = sorted(set(frame.loc[frame["month"].duplicated(), "month"]))
    if duplicated:
        raise ValueError(f"the series has more than one row for {duplicated}: aggregate to one row per month")
    counts = pd.to_numeric(frame["count"], errors="raise")
    if counts.isna().any():
        raise ValueError("the series has missing counts: a month without data must be an absent row, not a NaN count")
    if (counts < 0).any() or (counts != np.floor(counts)).any():
        raise ValueError("counts must be non-negative whole numbers")
    frame["count"] = counts.astype("int64")
    if expected_months is None:
        if frame.empty:
            raise ValueError("an empty series needs explicit expected_months")
        expected = [_month_str(i) for i in range(frame["index"].min(), frame["index"].max() + 1)]
    else:
        expected = sorted({str(m) for m in expected_months}, key=_month_index)
        if not expected:
            raise ValueError("expected_months is empty")
    expected_set = set(expected)
    inside = frame["month"].isin(expected_set)
    ignored = sorted(frame.loc[~inside, "month"], key=_month_index)
    observed = frame.loc[inside].sort_values("index").reset_index(drop=True)
    present = set(observed["month"])
    missing = [m for m in expected if m not in present]
    return _Series(expected=expected, observed=observed, missing=missing, ignored=ignored)


def _population_lookup(series: pd.DataFrame, population) -> tuple[dict[str, float] | None, str]:
    """Population per month and a description of the offset.

    population None uses the series' `population` column when it has one (no offset otherwise); a number
    is a constant population; a mapping or pandas Series gives the population by 'YYYY-MM'.
    """
    if population is None:
        if "population" not in series.columns:
            return None, "none"
        values = dict(zip(series["month"].astype(str), pd.to_numeric(series["population"]), strict=True))
        return values, "log(population), from the series' population column"
    if isinstance(population, Real):
        if not population > 0:
            raise ValueError(f"population must be positive, got {population}")
        return {"*": float(population)}, f"log(population), constant {float(population):g}"
    if isinstance(population, pd.Series | Mapping):
        values = {str(k): float(v) for k, v in dict(population).items()}
        return values, "log(population), from the population given by month"
    raise TypeError("population must be None, a number, a mapping of month to population, or a pandas Series")


def _population_for(lookup: dict[str, float], month: str) -> float | None:
    value = lookup.get("*", lookup.get(month))
    if value is None or not math.isfinite(value):
        return None
    return value


# --- the model ----------------------------------------------------------------------------------------


def _design(index: np.ndarray, origin: int, seasonal_method: str) -> tuple[np.ndarray, list[str]]:
    """Intercept, time in years since `origin`, and the seasonal terms."""
    index = np.asarray(index, dtype=int)
    month_of_year = index % 12 + 1
    columns = [np.ones(len(index)), (index - origin) / 12.0]
    names = ["intercept", "time_years"]
    if seasonal_method == SEASONAL_DUMMIES:
        for m in range(2, 13):
            columns.append((month_of_year == m).astype(float))
            names.append(f"month_{m:02d}")
    elif seasonal_method == SEASONAL_HARMONIC:
        angle = 2 * np.pi * month_of_year / 12
        columns += [np.sin(angle), np.cos(angle)]
        names += ["sin_12", "cos_12"]
    return np.column_stack(columns), names


@dataclass(frozen=True)
class TrendResult(_ToDict):
    """A fitted trend. `annual_change_percent` = 100 (exp(b) - 1) for the time coefficient b (per year).

    `direction` is "rising" or "falling" only when the 95% interval of the annual change excludes 0.
    `n_parameters` counts the regression coefficients (intercept, time, seasonal terms); the negative
    binomial's `alpha` is reported separately. `dispersion` is the Poisson fit's Pearson chi2 / df.
    """

    family: str  # "poisson", "negative_binomial", "quasi_poisson" or "none" (no events)
    dispersion: float | None
    alpha: float | None
    overdispersion_rule: str
    annual_rate_ratio: float | None
    annual_change_percent: float | None
    annual_change_lower: float | None
    annual_change_upper: float | None
    p_value: float | None
    direction: str
    confidence: float
    months_used: int
    first_month: str
    last_month: str
    missing_months: list[str]
    ignored_months: list[str]
    seasonal_method: str
    seasonal_peak_month: int | None
    seasonal_rate_ratios: list[float] | None  # month of year 1..12, relative to their geometric mean
    n_parameters: int
    offset: str
    converged: bool
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class TrendModel:
    """The fitted model behind a TrendResult: what forecast.py needs to predict new months."""

    result: TrendResult
    columns: tuple[str, ...]
    params: np.ndarray | None  # regression coefficients (None when there were no events)
    cov: np.ndarray | None
    family: str
    alpha: float | None  # NB2 variance mu + alpha mu^2
    scale: float  # quasi-Poisson variance scale (1 otherwise)
    origin: int  # month index where time_years = 0 (the first expected month)
    seasonal_method: str
    population: dict[str, float] | None
    last_month: str  # last expected month
    observed: pd.DataFrame  # the rows used: month, count, index (and population)

    def design(self, months: Sequence[str]) -> np.ndarray:
        index = np.array([_month_index(m) for m in months], dtype=int)
        return _design(index, self.origin, self.seasonal_method)[0]

    def log_offset(self, months: Sequence[str]) -> tuple[np.ndarray, list[str]]:
        """log(population) for the months (0 without an offset) and the months whose population was
        carried forward from the last month with one."""
        if self.population is None:
            return np.zeros(len(months)), []
        known = self.observed.dropna(subset=["population"]) if "population" in self.observed else None
        fallback = None
        if "*" in self.population:
            fallback = self.population["*"]
        elif known is not None and len(known):
            fallback = float(known["population"].iloc[-1])
        values, carried = [], []
        for month in months:
            value = _population_for(self.population, month)
            if value is None or value <= 0:
                if fallback is None:
                    raise ValueError(f"no population for {month} and none to carry forward")
                value = fallback
                carried.append(month)
            values.append(value)
        return np.log(np.asarray(values, dtype=float)), carried


def _seasonal_method(observed_index: np.ndarray, seasonal: bool) -> tuple[str, list[str]]:
    notes: list[str] = []
    n = len(observed_index)
    if not seasonal:
        return SEASONAL_NONE, notes
    months_of_year = set((observed_index % 12 + 1).tolist())
    if n >= MIN_MONTHS_DUMMIES:
        if len(months_of_year) == 12:
            return SEASONAL_DUMMIES, notes
        notes.append(f"{n} months observed but not every month of the year: harmonic seasonal terms instead of dummies")
        return SEASONAL_HARMONIC, notes
    if n >= MIN_MONTHS_HARMONIC:
        return SEASONAL_HARMONIC, notes
    notes.append(f"only {n} months observed (fewer than {MIN_MONTHS_HARMONIC}): no seasonal terms")
    return SEASONAL_NONE, notes


def fit_trend_model(
    series: pd.DataFrame,
    expected_months: Sequence[str] | None = None,
    population=None,
    seasonal: bool = True,
) -> TrendModel:
    """Fit the trend model and keep what is needed to predict; `fit_trend` returns its `.result`."""
    data = _prepare(series, expected_months)
    lookup, offset_text = _population_lookup(series, population)
    observed = data.observed
    notes: list[str] = []
    if data.missing:
        notes.append(f"{len(data.missing)} expected month(s) have no data and are left out, not filled")
    if data.ignored:
        notes.append(f"{len(data.ignored)} row(s) outside the expected months are not used")
    n = len(observed)
    if n < MIN_MONTHS_FIT:
        raise ValueError(f"only {n} months observed: at least {MIN_MONTHS_FIT} are needed to fit a trend")
    index = observed["index"].to_numpy()
    method, seasonal_notes = _seasonal_method(index, seasonal)
    notes += seasonal_notes
    origin = _month_index(data.expected[0])
    X, names = _design(index, origin, method)
    y = observed["count"].to_numpy(dtype=float)
    if lookup is not None:
        pops = np.array([_population_for(lookup, m) or np.nan for m in observed["month"]], dtype=float)
        if not np.all(np.isfinite(pops) & (pops > 0)):
            bad = observed.loc[~(np.isfinite(pops) & (pops > 0)), "month"].tolist()
            raise ValueError(f"population missing or not positive for observed months {bad}")
        observed = observed.assign(population=pops)
        offset = np.log(pops)
    else:
        offset = np.zeros(n)

    base = dict(
        overdispersion_rule=OVERDISPERSION_RULE,
        confidence=CONFIDENCE,
        months_used=n,
        first_month=data.expected[0],
        last_month=data.expected[-1],
        missing_months=data.missing,
        ignored_months=data.ignored,
        seasonal_method=method,
        n_parameters=len(names),
        offset=offset_text,
    )
    model_base = dict(
        columns=tuple(names),
        origin=origin,
        seasonal_method=method,
        population=lookup,
        last_month=data.expected[-1],
        observed=observed,
    )
    if y.sum() == 0:
        result = TrendResult(
            family="none",
            dispersion=None,
            alpha=None,
            annual_rate_ratio=None,
            annual_change_percent=None,
            annual_change_lower=None,
            annual_change_upper=None,
            p_value=None,
            direction="no significant change",
            seasonal_peak_month=None,
            seasonal_rate_ratios=None,
            converged=False,
            notes=[*notes, "no events in any observed month: no model fitted"],
            **base,
        )
        return TrendModel(result=result, params=None, cov=None, family="none", alpha=None, scale=1.0, **model_base)

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        poisson_fit = sm.GLM(y, X, family=sm.families.Poisson(), offset=offset).fit()
    converged = bool(getattr(poisson_fit, "converged", True))
    dispersion = float(poisson_fit.pearson_chi2 / poisson_fit.df_resid)
    params = np.asarray(poisson_fit.params, dtype=float)
    cov = np.asarray(poisson_fit.cov_params(), dtype=float)
    family, alpha, scale = "poisson", None, 1.0
    if dispersion > DISPERSION_THRESHOLD:
        nb = _fit_negative_binomial(y, X, offset, poisson_fit, float(np.mean(poisson_fit.mu)))
        if nb is not None:
            params, cov, alpha = nb
            family = "negative_binomial"
        else:
            family, scale = "quasi_poisson", dispersion
            cov = cov * dispersion
            notes.append("the negative binomial fit did not converge: quasi-Poisson (Pearson scale) instead")

    b, se = params[1], math.sqrt(cov[1, 1])
    z = stats.norm.ppf(0.5 + CONFIDENCE / 2)
    low, high = b - z * se, b + z * se
    if low > 0:
        direction = "rising"
    elif high < 0:
        direction = "falling"
    else:
        direction = "no significant change"
    ratios, peak = None, None
    if method != SEASONAL_NONE:
        design12, _ = _design(np.arange(12), 0, method)  # index 0..11 is January..December of year 0
        seasonal_part = design12[:, 2:] @ params[2:]
        ratios = np.exp(seasonal_part - seasonal_part.mean()).tolist()
        peak = int(np.argmax(seasonal_part)) + 1
    if not converged:
        notes.append("the Poisson fit did not converge: treat the estimates with caution")
    result = TrendResult(
        family=family,
        dispersion=dispersion,
        alpha=alpha,
        annual_rate_ratio=math.exp(b),
        annual_change_percent=100 * math.expm1(b),
        annual_change_lower=100 * math.expm1(low),
        annual_change_upper=100 * math.expm1(high),
        p_value=float(2 * stats.norm.sf(abs(b / se))) if se > 0 else None,
        direction=direction,
        seasonal_peak_month=peak,
        seasonal_rate_ratios=ratios,
        converged=converged,
        notes=notes,
        **base,
    )
    return TrendModel(result=result, params=params, cov=cov, family=family, alpha=alpha, scale=scale, **model_base)


def fit_trend(
    series: pd.DataFrame,
    expected_months: Sequence[str] | None = None,
    population=None,
    seasonal: bool = True,
) -> TrendResult:
    """Annual change in monthly counts from a GLM with time (in years) and seasonal terms.

    expected_months: the months that should have data (None: every calendar month from the first to the
    last row). Those absent from `series` are listed in `missing_months` and left out of the fit.
    population: None (use the series' `population` column when present), a number, or population by month;
    log(population) is then the offset, so the annual change is in the rate.
    seasonal: month-of-year dummies with >= 24 observed months covering every month of the year, else one
    sin/cos pair with >= 12, else none.
    """
    return fit_trend_model(series, expected_months, population=population, seasonal=seasonal).result


# --- latest 12 months against the previous 12 ---------------------------------------------------------


@dataclass(frozen=True)
class PeriodSide(_ToDict):
    """One 12-month window. `months_present` counts the months compared (with data on both sides);
    `missing_months` have no data; `unmatched_months` have data but are left out because the same calendar
    month on the other side has none."""

    first_month: str
    last_month: str
    count: int
    months_present: int
    missing_months: list[str]
    mean_per_month: float | None
    unmatched_months: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class PeriodComparison(_ToDict):
    """Latest 12 calendar months against the previous 12, on the calendar months with data on both sides."""

    latest: PeriodSide
    previous: PeriodSide
    ratio: float | None
    ratio_lower: float | None
    ratio_upper: float | None
    p_value: float | None
    percent_change: float | None
    confidence: float
    method: str
    comparable: bool
    reason: str
    dispersion: float | None = None


def _side(observed: pd.DataFrame, months: list[str], matched: set[str]) -> PeriodSide:
    window = observed[observed["month"].isin(set(months))]
    rows = window[window["month"].isin(matched)]
    present = len(rows)
    count = int(rows["count"].sum())
    return PeriodSide(
        first_month=months[0],
        last_month=months[-1],
        count=count,
        months_present=present,
        missing_months=[m for m in months if m not in set(window["month"])],
        mean_per_month=count / present if present else None,
        unmatched_months=sorted(set(window["month"]) - matched, key=_month_index),
    )


EXACT_METHOD = "exact conditional binomial test; Clopper-Pearson interval (the same calendar months on both sides)"
QUASI_METHOD = (
    "Wald interval on the log ratio with quasi-Poisson variance (dispersion {dispersion:.2f} from the trend "
    "model) x (1/a + 1/b), the same calendar months on both sides"
)


def compare_latest_12(
    series: pd.DataFrame,
    expected_months: Sequence[str] | None = None,
    confidence: float = CONFIDENCE,
    dispersion: float | None = None,
) -> PeriodComparison:
    """The 12 calendar months ending with the last expected month against the 12 before them, like with like.

    Only calendar months with data on both sides are compared (a month missing on one side drops the same
    month of the year on the other), so a missing summer month cannot make one side look lower. Months of a
    window that are absent, or not expected, are listed as missing on that side.

    `dispersion` is the over-dispersion the trend model measured (Pearson chi2 / df). When it exceeds 1
    the interval and p-value are quasi-Poisson (variance x dispersion) on the log ratio; otherwise the
    exact conditional binomial test. `comparable` is False when fewer than 9 months are compared.
    """
    data = _prepare(series, expected_months)
    last = _month_index(data.expected[-1])
    latest_months = [_month_str(i) for i in range(last - 11, last + 1)]
    previous_months = [_month_str(i) for i in range(last - 23, last - 11)]
    present = set(data.observed["month"])
    matched_pairs = [
        (new, old) for new, old in zip(latest_months, previous_months, strict=True) if new in present and old in present
    ]
    latest = _side(data.observed, latest_months, {new for new, _ in matched_pairs})
    previous = _side(data.observed, previous_months, {old for _, old in matched_pairs})
    compared = len(matched_pairs)
    comparable = compared >= MIN_MONTHS_COMPARABLE
    if comparable:
        reason = f"{compared} of 12 calendar months have data on both sides (at least {MIN_MONTHS_COMPARABLE})"
        if compared < 12:
            reason += "; the other months are left out on both sides, not filled"
    else:
        reason = (
            f"only {compared} calendar months have data on both sides (fewer than {MIN_MONTHS_COMPARABLE}): "
            "not comparable"
        )
    phi = max(1.0, float(dispersion)) if dispersion is not None and math.isfinite(dispersion) else 1.0
    ratio = lower = upper = p_value = percent = None
    a, b = latest.count, previous.count
    method = EXACT_METHOD if phi == 1.0 else QUASI_METHOD.format(dispersion=phi)
    if compared and phi == 1.0:
        rr = rate_ratio(a, compared, b, compared, confidence)
        ratio, lower, upper, p_value = rr.ratio, rr.lower, rr.upper, rr.p_value
    elif compared and a > 0 and b > 0:
        log_ratio = math.log(a / b)
        se = math.sqrt(phi * (1 / a + 1 / b))
        z = stats.norm.ppf(0.5 + confidence / 2)
        ratio, lower, upper = a / b, math.exp(log_ratio - z * se), math.exp(log_ratio + z * se)
        p_value = float(2 * stats.norm.sf(abs(log_ratio / se)))
    if ratio is not None and math.isfinite(ratio):
        percent = 100 * (ratio - 1)
    return PeriodComparison(
        latest=latest,
        previous=previous,
        ratio=ratio,
        ratio_lower=lower,
        ratio_upper=upper,
        p_value=p_value,
        percent_change=percent,
        confidence=confidence,
        method=method,
        comparable=comparable,
        reason=reason,
        dispersion=dispersion,
    )


# --- seasonal profile ---------------------------------------------------------------------------------


def seasonal_profile(series: pd.DataFrame) -> list[dict]:
    """Mean count per month of the year over the observed months only, and its index.

    Returns 12 dicts {month_of_year, mean_count, months_observed, index}; `index` is the mean count over
    the mean of the monthly means (so months observed more often do not weigh more). A month of the year
    with no observation has mean_count and index None. No adjustment for trend: see fit_trend's
    seasonal_rate_ratios for that.
    """
    data = _prepare(series, None) if len(series) else None
    observed = data.observed if data is not None else pd.DataFrame({"index": [], "count": []})
    month_of_year = observed["index"].to_numpy(dtype=int) % 12 + 1
    counts = observed["count"].to_numpy(dtype=float)
    means: dict[int, float | None] = {}
    observed_n: dict[int, int] = {}
    for m in range(1, 13):
        chosen = counts[month_of_year == m]
        observed_n[m] = len(chosen)
        means[m] = float(chosen.mean()) if len(chosen) else None
    present = [v for v in means.values() if v is not None]
    overall = float(np.mean(present)) if present else None
    profile = []
    for m in range(1, 13):
        index = means[m] / overall if means[m] is not None and overall else None
        profile.append({"month_of_year": m, "mean_count": means[m], "months_observed": observed_n[m], "index": index})
    return json_safe(profile)


MIN_OBSERVATIONS_SEASONAL = 2


def seasonal_pattern(profile: list[dict], min_observations: int = MIN_OBSERVATIONS_SEASONAL) -> dict:
    """The peak and low months of a `seasonal_profile`, only among months of the year observed at least
    `min_observations` times: a low or peak resting on one observation is not a pattern.

    Returns {reportable, peak_month, peak_index, low_month, low_index, months_used, single_observation_months,
    reason}; reportable is False (with the reason) when fewer than 12 months of the year qualify."""
    qualifying = [m for m in profile if m["index"] is not None and m["months_observed"] >= min_observations]
    single = [m["month_of_year"] for m in profile if m["index"] is not None and m["months_observed"] < min_observations]
    result = {
        "reportable": False,
        "peak_month": None,
        "peak_index": None,
        "low_month": None,
        "low_index": None,
        "months_used": [m["month_of_year"] for m in qualifying],
        "single_observation_months": single,
        "reason": "",
    }
    if len(qualifying) < 12:
        result["reason"] = (
            f"only {len(qualifying)} months of the year are observed at least {min_observations} times: "
            "no seasonal pattern is claimed"
        )
        return result
    peak = max(qualifying, key=lambda m: m["index"])
    low = min(qualifying, key=lambda m: m["index"])
    result.update(
        reportable=True,
        peak_month=peak["month_of_year"],
        peak_index=peak["index"],
        low_month=low["month_of_year"],
        low_index=low["index"],
        reason=f"every month of the year observed at least {min_observations} times",
    )
    return json_safe(result)
