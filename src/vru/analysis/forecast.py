"""Forecasts of monthly counts from the trend model, with simulated prediction intervals, and a backtest.

Pure functions, no I/O. The model is trend.fit_trend_model's (the same fit as trend.fit_trend). Method:
docs/methods-temporal.md.

Prediction intervals carry both sources of uncertainty: coefficients are drawn from the fitted
multivariate normal N(beta_hat, V) (seeded), and a count is drawn for each from the fitted family
(Poisson; negative binomial as a gamma-Poisson mixture; quasi-Poisson as a gamma-Poisson mixture with
variance scale x mean). The point forecast is the plug-in mean exp(x' beta_hat + offset).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from vru.analysis.rates import _check_confidence, _ToDict
from vru.analysis.trend import (
    TrendModel,
    TrendResult,
    _month_index,
    _month_str,
    _prepare,
    fit_trend_model,
    month_range,
)

__all__ = ["Backtest", "BacktestMonth", "Forecast", "ForecastMonth", "backtest", "forecast"]

N_SIMULATIONS = 5000
_MAX_MEAN = 1e12  # keeps simulated means finite when a coefficient draw is extreme


@dataclass(frozen=True)
class ForecastMonth(_ToDict):
    month: str
    mean: float
    lower: float
    upper: float
    population: float | None  # the population used in the offset (None without one)
    population_carried_forward: bool


@dataclass(frozen=True)
class Forecast(_ToDict):
    months: list[ForecastMonth]
    horizon: int
    confidence: float
    family: str
    n_simulations: int
    seed: int
    population_note: str
    model: TrendResult
    notes: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BacktestMonth(_ToDict):
    month: str
    actual: int
    predicted: float
    lower: float
    upper: float
    inside: bool


@dataclass(frozen=True)
class Backtest(_ToDict):
    """Held-out months against their forecasts. MAPE (percent) skips months whose actual count is 0."""

    rows: list[BacktestMonth]
    horizon: int
    training_first_month: str
    training_last_month: str
    mae: float
    mape: float | None
    mape_months: int
    coverage: float  # share of held-out actuals inside [lower, upper]
    confidence: float
    family: str
    n_simulations: int
    seed: int
    model: TrendResult
    notes: list[str] = field(default_factory=list)


def _simulate(
    model: TrendModel, months: list[str], confidence: float, n_simulations: int, seed: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, list[str]]:
    """Plug-in means, interval bounds, populations used (NaN without offset) and carried-forward months."""
    if model.params is None:
        raise ValueError("no events in the observed months: there is no model to forecast from")
    X = model.design(months)
    log_offset, carried = model.log_offset(months)
    mean = np.exp(X @ model.params + log_offset)
    rng = np.random.default_rng(seed)
    betas = rng.multivariate_normal(model.params, model.cov, size=n_simulations, method="svd")
    mu = np.minimum(np.exp(betas @ X.T + log_offset), _MAX_MEAN)
    if model.family == "negative_binomial":
        shape = 1.0 / model.alpha
        draws = rng.poisson(rng.gamma(shape, mu / shape))
    elif model.family == "quasi_poisson" and model.scale > 1:
        extra = model.scale - 1  # gamma-Poisson with variance mu + extra * mu = scale * mu
        draws = rng.poisson(rng.gamma(mu / extra, extra))
    else:
        draws = rng.poisson(mu)
    tail = (1 - confidence) / 2
    lower = np.quantile(draws, tail, axis=0, method="inverted_cdf").astype(float)
    upper = np.quantile(draws, 1 - tail, axis=0, method="inverted_cdf").astype(float)
    population = np.exp(log_offset) if model.population is not None else np.full(len(months), np.nan)
    return mean, lower, upper, population, carried


def forecast(
    series: pd.DataFrame,
    expected_months: Sequence[str] | None = None,
    horizon: int = 6,
    population=None,
    confidence: float = 0.95,
    seed: int = 0,
    n_simulations: int = N_SIMULATIONS,
    seasonal: bool = True,
) -> Forecast:
    """Forecast the `horizon` calendar months after the last expected month.

    The model is fit_trend's (same arguments). With a population offset, a forecast month uses the
    population given for it (population mapping) or else the last known value, carried forward and listed
    in `population_note`. Raises ValueError when the series has no events.
    """
    _check_confidence(confidence)
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}")
    model = fit_trend_model(series, expected_months, population=population, seasonal=seasonal)
    start = _month_index(model.last_month) + 1
    months = [_month_str(i) for i in range(start, start + horizon)]
    mean, lower, upper, pops, carried = _simulate(model, months, confidence, n_simulations, seed)
    rows = [
        ForecastMonth(
            month=m,
            mean=float(mean[i]),
            lower=float(lower[i]),
            upper=float(upper[i]),
            population=None if np.isnan(pops[i]) else float(pops[i]),
            population_carried_forward=m in carried,
        )
        for i, m in enumerate(months)
    ]
    if model.population is None:
        note = "no population offset: counts are forecast directly"
    elif carried:
        note = f"population carried forward from the last known value for {', '.join(carried)}"
    else:
        note = "population given for every forecast month"
    return Forecast(
        months=rows,
        horizon=horizon,
        confidence=confidence,
        family=model.family,
        n_simulations=n_simulations,
        seed=seed,
        population_note=note,
        model=model.result,
        notes=list(model.result.notes),
    )


def backtest(
    series: pd.DataFrame,
    expected_months: Sequence[str] | None = None,
    horizon: int = 6,
    population=None,
    confidence: float = 0.95,
    seed: int = 0,
    n_simulations: int = N_SIMULATIONS,
    seasonal: bool = True,
) -> Backtest:
    """Hold out the last `horizon` months present, fit on the months before them, forecast and compare.

    The training range is every expected month before the first held-out month; forecasts run over the
    calendar months to the last held-out month, and only held-out (present) months are scored.
    """
    _check_confidence(confidence)
    if horizon < 1:
        raise ValueError(f"horizon must be at least 1, got {horizon}")
    data = _prepare(series, expected_months)
    observed = data.observed
    if len(observed) <= horizon:
        raise ValueError(f"{len(observed)} months present: too few to hold out {horizon}")
    held = observed.iloc[-horizon:]
    first_held = int(held["index"].iloc[0])
    train_expected = [m for m in data.expected if _month_index(m) < first_held]
    train = series[series["month"].astype(str).isin(set(train_expected))]
    if population is None and "population" in series.columns:
        # Held-out months keep their own population: it is known, and it is not what is being predicted.
        population = dict(zip(series["month"].astype(str), pd.to_numeric(series["population"]), strict=True))
    model = fit_trend_model(train, train_expected, population=population, seasonal=seasonal)
    months = month_range(_month_str(_month_index(model.last_month) + 1), held["month"].iloc[-1])
    mean, lower, upper, _, carried = _simulate(model, months, confidence, n_simulations, seed)
    position = {m: i for i, m in enumerate(months)}
    rows = []
    for month, actual in zip(held["month"], held["count"], strict=True):
        i = position[month]
        rows.append(
            BacktestMonth(
                month=month,
                actual=int(actual),
                predicted=float(mean[i]),
                lower=float(lower[i]),
                upper=float(upper[i]),
                inside=bool(lower[i] <= actual <= upper[i]),
            )
        )
    actual = np.array([r.actual for r in rows], dtype=float)
    predicted = np.array([r.predicted for r in rows])
    errors = np.abs(actual - predicted)
    nonzero = actual > 0
    notes = list(model.result.notes)
    if carried:
        notes.append(f"population carried forward for {', '.join(carried)}")
    if not nonzero.all():
        notes.append(f"MAPE skips {int((~nonzero).sum())} held-out month(s) with an actual count of 0")
    return Backtest(
        rows=rows,
        horizon=horizon,
        training_first_month=train_expected[0],
        training_last_month=train_expected[-1],
        mae=float(errors.mean()),
        mape=float(100 * np.mean(errors[nonzero] / actual[nonzero])) if nonzero.any() else None,
        mape_months=int(nonzero.sum()),
        coverage=float(np.mean([r.inside for r in rows])),
        confidence=confidence,
        family=model.family,
        n_simulations=n_simulations,
        seed=seed,
        model=model.result,
        notes=notes,
    )
