"""Findings words and the board's priorities, on hand-made assessment summaries (known answers)."""

import pandas as pd

from vru.analysis import findings
from vru.analysis.level_shift import attribute_change, find_level_shift, find_share_shift
from vru.analysis.priorities import priorities
from vru.analysis.trend import month_range, seasonal_profile

MONTHS = month_range("2021-01", "2022-12")


def series(counts):
    return pd.DataFrame({"month": MONTHS, "count": counts})


def change_section(area, rest) -> dict:
    a, r = series(area), series(rest)
    verdict = attribute_change(find_level_shift(a), find_level_shift(r), find_share_shift(a, r))
    return {"area_shift": verdict.area_shift.to_dict(), "verdict": verdict.verdict, "text": verdict.text}


TREND_RISING = {
    "annual_change_percent": 15.9,
    "annual_change_lower": 11.6,
    "annual_change_upper": 20.3,
    "direction": "rising",
    "family": "negative_binomial",
    "seasonal_method": "month-of-year dummies",
    "p_value": 0.001,
}


def test_a_force_wide_step_is_not_called_rising():
    finding = findings.change_finding(TREND_RISING, change_section([100] * 12 + [130] * 12, [1000] * 12 + [1300] * 12))
    assert "rising" not in finding["text"] and "force-wide shift" in finding["text"]
    # The step itself passes its test (the result printed beside the finding); the text says whose it is.
    assert finding["significant"] is True
    assert round(finding["figure"]) == 30  # the step, +30%


def test_the_area_s_own_rise_is_called_so():
    finding = findings.change_finding(TREND_RISING, change_section([100] * 12 + [150] * 12, [1000] * 24))
    assert finding["significant"] is True and "rose" in finding["text"]


def test_no_seasonal_finding_from_months_seen_once():
    months = [m for m in month_range("2023-01", "2025-04") if m not in ("2024-07", "2024-08")]
    profile = seasonal_profile(pd.DataFrame({"month": months, "count": [5 if m == "2023-08" else 50 for m in months]}))
    assert findings.seasonal_finding(profile) is None


def summary_with(places, forecast_coverage=0.33) -> dict:
    summary = {
        "area": {"name": "Testtown"},
        "priority_places": {"places": places},
        "own_excess": {"method": "expected = residents x area rate"},
        "deprivation": {"imd2025": {"quintile_ratio": {"ratio": 1.2, "lower": 0.8, "upper": 1.9}}},
        "most_deprived_wards": [{"ward_name": "Twerton", "lsoas": 2, "count": 300}],
        "outcome_distribution": {"year": "2024", "groups": []},
        "backtest": {"coverage": forecast_coverage, "mae": 10},
    }
    summary["findings"] = [
        findings.own_excess_finding(summary),
        {"id": "deprivation", "significant": False, "text": "not significant"},
        findings.forecast_finding(summary["backtest"]),
    ]
    return summary


def test_priorities_name_places_high_on_their_own_with_owner_and_measure():
    places = [
        {
            "code": "E01000001",
            "lsoa21_name": "Testtown 007A",
            "ward_name": "Kingsmead",
            "count": 969,
            "expected": 135.0,
            "excess_ratio": 7.2,
        }
    ]
    result = priorities(summary_with(places))
    assert len(result) == 1  # deprivation's interval includes 1 and the forecast failed its test: not priorities
    first = result[0]
    assert first["finding"] == "own-excess" and first["link"] == "#finding-own-excess"
    assert "Kingsmead" in first["title"] and first["places"] == ["Kingsmead (Testtown 007A)"]
    assert first["owner"] and first["measure"] and first["action"]


def test_no_place_is_a_priority_when_none_is_high_on_its_own():
    assert priorities(summary_with([])) == []


def test_non_findings_move_out_of_the_summary():
    failed_forecast = findings.forecast_finding({"coverage": 0.33, "mae": 131})
    assert findings.in_summary(failed_forecast) is False
    assert findings.in_summary(findings.forecast_finding({"coverage": 0.9, "mae": 5})) is True
    not_significant = {"id": "night-time-economy", "significant": False, "figure": 1.09}
    assert findings.in_summary(not_significant) is False
    assert findings.in_summary({"id": "trend", "significant": False, "figure": 25.0}) is True
