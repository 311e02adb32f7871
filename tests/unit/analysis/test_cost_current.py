"""Cost in current prices with robbery and flags: a hand-made force mix and uplift, the real unit costs."""

from pathlib import Path

import pytest

from vru.analysis.cost import ForceMix
from vru.analysis.cost_current import cost_in_current_prices
from vru.analysis.prices import PriceUplift
from vru.sources.unit_costs import read_unit_costs

UNIT_COSTS = read_unit_costs(
    Path(__file__).resolve().parents[3] / "src" / "vru" / "reference_data" / "unit_costs_home_office_2018.csv"
)
MIX = ForceMix.from_counts(
    {
        "2019-03": {
            "homicide": 1,
            "violence_with_injury": 300,
            "violence_without_injury": 400,
            "stalking_and_harassment": 200,
            "death_or_serious_injury_unlawful_driving": 0,
            "sexual_offences": 99,
        }
    },
    "Testshire",
)
UPLIFT = PriceUplift(1.5, "2015/16", "2024/25", 80.0, 120.0, "TEST", "01-01-2026", "hand-made")


def test_violence_and_robbery_in_current_prices_by_hand():
    result = cost_in_current_prices({"2024-05 to 2025-04": 1000}, 50, MIX, UNIT_COSTS, UPLIFT, area_name="Testtown")
    assert result["price_year"] == "2024/25" and result["uplift"]["ratio"] == 1.5
    # 1 homicide x £3,217,740 + 300 x £14,050 + 400 x £5,930, in 2015/16 prices, x 1.5
    violence = (1 * 3_217_740 + 300 * 14_050 + 400 * 5_930) * 1.5
    assert result["violence"]["central"] == pytest.approx(violence, rel=1e-6)
    assert result["robbery"]["cost_gbp"] == pytest.approx(50 * 11_320 * 1.5)
    assert result["total"]["central"] == pytest.approx(violence + 50 * 11_320 * 1.5, rel=1e-6)
    flags = " ".join(flag["flag"] for flag in result["flags"])
    share = 3_217_740 * 1.5 / result["total"]["central"]
    assert f"{share:.0%} of the central estimate" in flags and "imputed" in flags
    assert (
        "homicide unit cost is not verified" in flags and "violence without injury unit cost is not verified" in flags
    )


def test_without_a_deflator_the_base_year_is_said_plainly():
    result = cost_in_current_prices({"a year": 1000}, 0, MIX, UNIT_COSTS, None)
    assert result["price_year"] == "2015/16" and result["uplift"] is None
    assert any("no GDP deflator is loaded" in flag["flag"] for flag in result["flags"])
