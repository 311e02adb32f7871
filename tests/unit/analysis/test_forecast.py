"""Forecasts and backtests on tiny hand-made series with known answers.

The series are synthetic on purpose (method tests): noiseless formulas or seeded draws from a known model.
"""

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vru.analysis.forecast import backtest, forecast
from vru.analysis.trend import month_range

MONTHS_36 = month_range("2022-01", "2024-12")


def series(months, counts, population=None):
    frame = pd.DataFrame({"month": list(months), "count": np.asarray(counts, dtype=int)})
    if population is not None:
        frame["population"] = np.asarray(population, dtype=float)
    return frame


def seasonal_counts(n=36, level=200.0, yearly=1.05):
    t = np.arange(n)
    return np.round(level * yearly ** (t / 12) * np.exp(0.2 * np.cos(2 * np.pi * t / 12)))


def test_flat_noiseless_series_forecasts_its_level_for_the_next_calendar_months():
    result = forecast(series(MONTHS_36, [100] * 36), MONTHS_36, horizon=6, n_simulations=2000)
    assert [m.month for m in result.months] == month_range("2025-01", "2025-06")
    for month in result.months:
        assert month.mean == pytest.approx(100.0, rel=1e-6)
        assert month.lower <= month.mean <= month.upper
        # Poisson(100) alone gives roughly 81..120; parameter uncertainty widens it a little.
        assert 70 <= month.lower <= 84 and 117 <= month.upper <= 132
    assert result.family == "poisson" and "no population offset" in result.population_note
    json.dumps(result.to_dict(), allow_nan=False)


def test_forecast_follows_a_known_trend_and_season():
    counts = seasonal_counts(48)
    months = month_range("2021-01", "2024-12")
    result = forecast(series(months, counts), months, horizon=3, n_simulations=1000)
    truth = seasonal_counts(51)[48:]
    assert [m.mean for m in result.months] == pytest.approx(truth, rel=0.02)


@settings(max_examples=8, deadline=None)
@given(st.integers(min_value=0, max_value=2**31), st.sampled_from([0.8, 0.95]))
def test_intervals_contain_the_mean(seed, confidence):
    result = forecast(series(MONTHS_36, seasonal_counts()), MONTHS_36, confidence=confidence, seed=seed)
    for month in result.months:
        assert month.lower <= month.mean <= month.upper


def test_results_are_reproducible_with_the_same_seed():
    frame = series(MONTHS_36, seasonal_counts())
    first = forecast(frame, MONTHS_36, seed=42, n_simulations=1000).to_dict()
    again = forecast(frame, MONTHS_36, seed=42, n_simulations=1000).to_dict()
    assert first == again
    assert backtest(frame, MONTHS_36, seed=3, n_simulations=1000) == backtest(
        frame, MONTHS_36, seed=3, n_simulations=1000
    )


def test_negative_binomial_intervals_are_wider_than_poisson():
    rng = np.random.default_rng(5)
    overdispersed = rng.negative_binomial(5, 5 / 105, 36)
    nb = forecast(series(MONTHS_36, overdispersed), MONTHS_36, n_simulations=2000)
    poisson = forecast(series(MONTHS_36, [100] * 36), MONTHS_36, n_simulations=2000)
    assert nb.family == "negative_binomial"
    assert nb.months[0].upper - nb.months[0].lower > 2 * (poisson.months[0].upper - poisson.months[0].lower)


def test_population_is_carried_forward_and_said_so():
    population = np.linspace(10_000, 12_000, 36)
    frame = series(MONTHS_36, np.round(population / 100), population)
    result = forecast(frame, MONTHS_36, horizon=2, n_simulations=500)
    assert all(m.population_carried_forward for m in result.months)
    assert result.months[0].population == pytest.approx(12_000)
    assert result.months[0].mean == pytest.approx(120, rel=0.01)
    assert "carried forward" in result.population_note and "2025-01" in result.population_note
    given_population = forecast(
        frame,
        MONTHS_36,
        horizon=1,
        population={**dict(zip(MONTHS_36, population, strict=True)), "2025-01": 13_000},
    )
    assert not given_population.months[0].population_carried_forward
    assert given_population.months[0].mean == pytest.approx(130, rel=0.01)


def test_a_series_without_events_cannot_be_forecast():
    with pytest.raises(ValueError, match="no events"):
        forecast(series(MONTHS_36[:12], [0] * 12))


def test_backtest_on_a_known_pattern_scores_the_last_months_present():
    frame = series(MONTHS_36, seasonal_counts())
    result = backtest(frame, MONTHS_36, horizon=6, n_simulations=1000)
    assert [r.month for r in result.rows] == MONTHS_36[-6:]
    assert result.training_last_month == "2024-06"
    assert 0 <= result.coverage <= 1 and result.mae >= 0
    assert result.coverage == 1.0  # noiseless: the truth sits at the centre of each interval
    assert result.mae < 3 and result.mape < 2
    assert result.rows[0].actual == int(seasonal_counts()[30])
    json.dumps(result.to_dict(), allow_nan=False)


def test_backtest_holds_out_months_present_across_a_gap_and_skips_zero_actuals_in_mape():
    counts = np.full(36, 3)
    counts[-1] = 0
    frame = series(MONTHS_36, counts)
    frame = frame[frame["month"] != "2024-10"]
    result = backtest(frame, MONTHS_36, horizon=4, n_simulations=500)
    assert [r.month for r in result.rows] == ["2024-08", "2024-09", "2024-11", "2024-12"]
    assert result.training_last_month == "2024-07"
    assert result.mape_months == 3
    assert any("MAPE skips 1" in note for note in result.notes)
    assert result.mae == pytest.approx(np.mean(np.abs(np.array([3, 3, 3, 0]) - [r.predicted for r in result.rows])))


def test_backtest_needs_more_months_than_it_holds_out():
    with pytest.raises(ValueError, match="too few"):
        backtest(series(MONTHS_36[:6], [5] * 6), horizon=6)


def test_quasi_poisson_fallback_when_the_negative_binomial_fit_fails(monkeypatch):
    import vru.analysis.trend as trend

    rng = np.random.default_rng(5)
    frame = series(MONTHS_36, rng.negative_binomial(5, 5 / 105, 36))
    monkeypatch.setattr(trend, "_fit_negative_binomial", lambda *args: None)
    result = forecast(frame, MONTHS_36, horizon=2, n_simulations=1000)
    assert result.family == "quasi_poisson"
    assert any("quasi-Poisson" in note for note in result.model.notes)
    assert result.months[0].lower <= result.months[0].mean <= result.months[0].upper
