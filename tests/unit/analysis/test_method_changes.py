"""What changed and why: 'before' figures recomputed with the old methods from a hand-made summary."""

import pytest

from vru.analysis.method_changes import method_changes
from vru.analysis.rates import rate_ratio


def test_before_and_after_by_hand():
    summary = {
        "period": {"months_present": 24},
        "deprivation": {
            "imd2025": {
                "rate_by_decile": [{"imd_decile": 1, "count": 48, "population": 1000, "rate_per_1000": 24.0}],
                "quintile_ratio": {
                    "ratio": 4.0,
                    "lower": 0.9,
                    "upper": 17.0,
                    "count_most_deprived": 80,
                    "population_most_deprived": 2000,
                    "count_least_deprived": 20,
                    "population_least_deprived": 2000,
                },
            }
        },
        "findings": [],
    }
    changes = {change["what"]: change for change in method_changes(summary)}
    assert changes["Rate in IMD decile 1"]["before"].startswith("48.0 per 1,000")  # 48 over 1,000 residents
    assert changes["Rate in IMD decile 1"]["after"].startswith("24.0 per 1,000 residents a year")
    old = rate_ratio(80, 2000, 20, 2000)
    assert f"{old.lower:.2f}" in changes["Most against least deprived fifth"]["before"]
    assert "0.90 to 17.00" in changes["Most against least deprived fifth"]["after"]
    assert changes["Rates per 1,000 aged 10-24"]["after"] == "not shown"
    assert old.lower == pytest.approx(2.45, abs=0.1)
