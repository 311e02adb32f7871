"""vru.analysis.cost on tiny hand-made frames whose answers are worked out by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vru.analysis.cost import (
    VSO_COMPONENTS,
    ForceMix,
    cost_of_offences,
    estimate_cost_of_area_violence,
    force_mix,
    split_violence_and_sexual_offences,
)
from vru.errors import InputError
from vru.sources.unit_costs import read_unit_costs

UNIT_COSTS = pd.DataFrame(
    {
        "offence_group": [
            "Homicide", "Violence with injury", "Violence without injury", "Rape", "Other sexual offences"
        ],
        "key": ["homicide", "violence_with_injury", "violence_without_injury", "rape", "other_sexual_offences"],
        "unit_cost_gbp": [1_000_000.0, 10_000.0, 5_000.0, 40_000.0, 6_000.0],
        "price_year": ["2015/16"] * 5,
        "status": ["unverified_exact (headline verified)", "verified", "unverified", "verified", "verified"],
        "verified": [False, True, False, True, True],
        "source": ["test"] * 5,
    }
)  # fmt: skip


def mix(**editions: dict[str, float]) -> ForceMix:
    return ForceMix.from_counts({edition: counts for edition, counts in editions.items()}, "Testshire", "E23999999")


# Shares: homicide 0.001, VWI 0.3, VWOI 0.4, S&H 0.2, driving 0.009, sexual 0.09 in 2019-03 (total 1000).
LATEST = {
    "homicide": 1,
    "violence_with_injury": 300,
    "violence_without_injury": 400,
    "stalking_and_harassment": 200,
    "death_or_serious_injury_unlawful_driving": 9,
    "sexual_offences": 90,
}
# VWI 0.25, VWOI 0.45 in 2018-03; the rest as above.
EARLIER = {**LATEST, "violence_with_injury": 250, "violence_without_injury": 450}


def test_cost_arithmetic_and_statuses():
    result = cost_of_offences({"homicide": 2, "Violence with injury": 10, "shoplifting": 4}, UNIT_COSTS)
    assert result.total_gbp == 2 * 1_000_000 + 10 * 10_000
    assert result.price_year == "2015/16"
    assert result.deflator_ratio is None
    by_group = result.by_group.set_index("offence_group")
    assert by_group.loc["violence_with_injury", "cost_gbp"] == 100_000
    assert by_group.loc["homicide", "status"] == "unverified_exact (headline verified)"
    assert result.unverified_groups == ["homicide"]
    assert "shoplifting" in result.uncosted
    assert any("2015/16 prices" in note and "no GDP deflator" in note for note in result.notes)
    assert any("NOT verified" in note and "homicide" in note for note in result.notes)


def test_cost_accepts_a_frame_and_a_series():
    frame = pd.DataFrame({"offence_group": ["homicide", "homicide", "violence_with_injury"], "count": [1, 1, 3]})
    series = pd.Series({"homicide": 2, "violence_with_injury": 3})
    assert cost_of_offences(frame, UNIT_COSTS).total_gbp == cost_of_offences(series, UNIT_COSTS).total_gbp
    assert cost_of_offences(series, UNIT_COSTS).total_gbp == 2_030_000


def test_cost_uplift_needs_a_caller_supplied_deflator():
    result = cost_of_offences(
        {"violence_with_injury": 10}, UNIT_COSTS, deflator_ratio=1.1, price_year="2022/23", deflator_source="HMT"
    )
    assert result.total_gbp == pytest.approx(110_000)
    assert result.price_year == "2022/23" and result.base_price_year == "2015/16"
    assert any("1.1000" in note and "HMT" in note for note in result.notes)
    with pytest.raises(ValueError, match="needs a deflator_ratio"):
        cost_of_offences({"violence_with_injury": 10}, UNIT_COSTS, price_year="2022/23")
    with pytest.raises(ValueError, match="price_year"):
        cost_of_offences({"violence_with_injury": 10}, UNIT_COSTS, deflator_ratio=1.1)
    with pytest.raises(ValueError, match="positive"):
        cost_of_offences({"violence_with_injury": 10}, UNIT_COSTS, deflator_ratio=0, price_year="2022/23")


def test_unverified_costs_can_be_left_out_but_are_then_listed():
    result = cost_of_offences({"homicide": 1, "violence_with_injury": 1}, UNIT_COSTS, include_unverified=False)
    assert result.total_gbp == 10_000
    assert "not verified" in result.uncosted["homicide"]


def test_missing_count_is_not_costed_and_mixed_price_years_are_refused():
    result = cost_of_offences({"homicide": float("nan"), "violence_with_injury": 1}, UNIT_COSTS)
    assert result.total_gbp == 10_000 and result.uncosted["homicide"] == "count not available"
    mixed = UNIT_COSTS.assign(price_year=["2015/16", "2019/20", "2015/16", "2015/16", "2015/16"])
    with pytest.raises(ValueError, match="more than one price year"):
        cost_of_offences({"homicide": 1}, mixed)


@settings(max_examples=50, deadline=None)
@given(
    counts=st.dictionaries(
        st.sampled_from(["homicide", "violence_with_injury", "violence_without_injury", "rape"]),
        st.floats(min_value=0, max_value=1e6, allow_nan=False),
        min_size=1,
    ),
    factor=st.floats(min_value=0, max_value=100, allow_nan=False),
)
def test_cost_scales_linearly_with_counts(counts, factor):
    base = cost_of_offences(counts, UNIT_COSTS).total_gbp
    scaled = cost_of_offences({group: count * factor for group, count in counts.items()}, UNIT_COSTS).total_gbp
    assert scaled == pytest.approx(base * factor, rel=1e-9, abs=1e-6)


def test_split_shares_sum_to_the_total_and_low_le_central_le_high():
    force = mix(**{"2018-03": EARLIER, "2019-03": LATEST})
    split = split_violence_and_sexual_offences(2000, force, area_name="Smallville")
    parts = split.components.set_index("component")
    assert parts["central"].sum() == pytest.approx(2000)
    assert parts.loc["violence_with_injury", "central"] == pytest.approx(600)  # 0.3 of 2000, latest edition
    assert parts.loc["violence_with_injury", "low"] == pytest.approx(500)  # 0.25, 2018-03
    assert parts.loc["violence_without_injury", "high"] == pytest.approx(900)  # 0.45, 2018-03
    assert (parts["low"] <= parts["central"] + 1e-9).all() and (parts["central"] <= parts["high"] + 1e-9).all()
    assert split.central_edition == "2019-03" and split.editions == ["2018-03", "2019-03"]
    assert "assumes Smallville has the same mix" in split.assumption
    assert "Testshire" in split.assumption and "unlikely to hold exactly" in split.assumption
    assert "estimates, not counts" in split.assumption


@settings(max_examples=50, deadline=None)
@given(
    editions=st.lists(
        st.lists(
            st.integers(min_value=1, max_value=50_000), min_size=len(VSO_COMPONENTS), max_size=len(VSO_COMPONENTS)
        ),
        min_size=1,
        max_size=6,
    ),
    vso=st.floats(min_value=0, max_value=1e6, allow_nan=False),
)
def test_split_properties(editions, vso):
    force = ForceMix.from_counts(
        {f"20{10 + i}-03": dict(zip(VSO_COMPONENTS, counts, strict=True)) for i, counts in enumerate(editions)},
        "Anyshire",
    )
    parts = split_violence_and_sexual_offences(vso, force).components
    assert parts["central"].sum() == pytest.approx(vso, rel=1e-9, abs=1e-6)
    assert (parts["low"] <= parts["central"] * (1 + 1e-12) + 1e-9).all()
    assert (parts["central"] <= parts["high"] * (1 + 1e-12) + 1e-9).all()


def test_split_refuses_nonsense():
    force = mix(**{"2019-03": LATEST})
    with pytest.raises(ValueError):
        split_violence_and_sexual_offences(-1, force)
    with pytest.raises(ValueError, match="missing"):
        ForceMix.from_counts({"2019-03": {"homicide": 1}}, "Testshire")


def recorded(rows: list[tuple]) -> pd.DataFrame:
    """A tidy frame like vru.sources.recorded_crime's: (edition, table, period, group, count)."""
    return pd.DataFrame(
        [
            {
                "edition_end": edition,
                "table_id": table,
                "period_end": period,
                "pfa_code": "E23999999",
                "pfa_name": "Testshire",
                "offence_group": group,
                "count": count,
                "note": None,
                "source_file": "test.xlsx",
                "sheet": f"Table {table}",
            }
            for edition, table, period, group, count in rows
        ]
    ).astype({"count": "Int64"})


def test_force_mix_from_recorded_crime_rows():
    rows = [("2019-03", "P1", "2019-03", group, count) for group, count in LATEST.items()]
    rows += [("2018-03", "P1", "2018-03", group, count) for group, count in EARLIER.items()]
    rows += [("2019-03", "P2", "2018-03", "violence_with_injury", 1)]  # not a P1 row: ignored
    force = force_mix(recorded(rows), "e23999999")
    assert force.editions == ["2018-03", "2019-03"]
    assert force.central["violence_with_injury"] == pytest.approx(0.3)
    assert force.low["violence_with_injury"] == pytest.approx(0.25)
    with pytest.raises(ValueError, match="no Table P1 rows"):
        force_mix(recorded(rows), "Elsewhere")


def test_area_cost_range_and_not_costed_components():
    force = mix(**{"2018-03": EARLIER, "2019-03": LATEST})
    estimate = estimate_cost_of_area_violence({"2023": 1000, "2024": 2000}, force, UNIT_COSTS, area_name="Smallville")
    # central 2024: 2000 x (0.001 x 1m + 0.3 x 10k + 0.4 x 5k) = 2000 x 6000 = 12m; 2023 half that
    assert estimate.total_central_gbp == pytest.approx(18_000_000)
    assert estimate.total_low_gbp <= estimate.total_central_gbp <= estimate.total_high_gbp
    # low: VWI 0.25, VWOI 0.4 -> 1000 + 2500 + 2000 = 5500 per offence
    assert estimate.total_low_gbp == pytest.approx(3000 * 5500)
    assert estimate.price_year == "2015/16"
    assert set(estimate.not_costed) == {
        "stalking_and_harassment",
        "death_or_serious_injury_unlawful_driving",
        "sexual_offences",
    }
    assert estimate.unit_cost_status["violence_without_injury"] == "unverified"
    low, high = estimate.sexual_offences_cost_range
    assert low == pytest.approx(3000 * 0.09 * 6_000) and high == pytest.approx(3000 * 0.09 * 40_000)
    assert any("Smallville" in text for text in estimate.assumptions)
    assert list(estimate.by_year["year"]) == ["2023", "2024"]


UNIT_COST_CSV = """offence_group,unit_cost_gbp,price_year,status,source
Homicide,3217740,2015/16,"unverified_exact (report headline ""£3.2m"" verified)","Home Office RR99 (2018)"
Violence with injury,14050,2015/16,verified,"Home Office RR99 (2018)"
Violence without injury,5930,2015/16,unverified,"Home Office RR99 (2018)"
"""


def test_unit_costs_keep_price_year_status_and_source(tmp_path):
    path = tmp_path / "unit_costs.csv"
    path.write_text(UNIT_COST_CSV, encoding="utf-8")
    costs = read_unit_costs(path).set_index("key")
    assert costs.loc["homicide", "status"] == 'unverified_exact (report headline "£3.2m" verified)'
    assert not costs.loc["homicide", "verified"] and not costs.loc["violence_without_injury", "verified"]
    assert costs.loc["violence_with_injury", "verified"]
    assert set(costs["price_year"]) == {"2015/16"} and set(costs["source"]) == {"Home Office RR99 (2018)"}
    assert costs.loc["violence_with_injury", "unit_cost_gbp"] == 14050
    assert costs.loc["violence_with_injury", "line"] == 3
    result = cost_of_offences({"homicide": 1, "violence_with_injury": 2}, read_unit_costs(path))
    assert result.total_gbp == 3217740 + 2 * 14050 and result.unverified_groups == ["homicide"]


@pytest.mark.parametrize(
    ("text", "line", "column"),
    [
        ("offence_group,unit_cost_gbp,price_year,source\nHomicide,1,2015/16,x\n", 1, "status"),
        (
            "offence_group,unit_cost_gbp,price_year,status,source\nHomicide,lots,2015/16,verified,x\n",
            2,
            "unit_cost_gbp",
        ),
        ("offence_group,unit_cost_gbp,price_year,status,source\nHomicide,1,2015,verified,x\n", 2, "price_year"),
        ("offence_group,unit_cost_gbp,price_year,status,source\nHomicide,1,2015/16,,x\n", 2, "status"),
    ],
)
def test_bad_unit_costs_name_line_and_column(tmp_path, text, line, column):
    path = tmp_path / "unit_costs.csv"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_unit_costs(path)
    assert (caught.value.line, caught.value.column) == (line, column)
