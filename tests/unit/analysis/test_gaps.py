"""vru.analysis.gaps on tiny hand-made wards and services whose answers are worked out by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from vru.analysis import gaps
from vru.analysis.gaps import OpeningTime, Service

AS_OF = date(2026, 1, 1)


def lsoa_frame() -> pd.DataFrame:
    # Ward A: two LSOAs, 1,000 residents each; one is a hot spot and in IMD decile 1.
    # Ward B: one LSOA of 2,000 residents, decile 8, no cluster.
    return pd.DataFrame(
        {
            "lsoa21_code": ["L1", "L2", "L3"],
            "ward_code": ["A", "A", "B"],
            "population_total": [1000, 1000, 2000],
            "population_10_24": [400, 200, 200],
            "imd2025_decile": [1, 5, 8],
            "hotspot": ["hot spot", "not significant", "cold spot"],
            "moran_cluster": ["not significant", "Low-High", "High-High"],
            "latitude": [51.0, 51.0, 51.1],
            "longitude": [-2.0, -2.2, -2.1],
        }
    )


def ward_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "ward_code": ["A", "B"],
            "ward_name": ["Alpha", "Beta"],
            "population_total": [2000, 2000],
            "rate_per_1000": [20.0, 8.0],
            "rate_lower": [15.0, 6.0],
        }
    )


def need() -> pd.DataFrame:
    return gaps.need_by_ward(lsoa_frame(), ward_frame(), area_rate=10.0)


def test_need_components_match_hand_calculation():
    frame = need().set_index("ward_code")
    # Excess uses the lower bound: 15 / 10 - 1 = 0.5; ward B is below the area rate, so 0.
    assert frame.loc["A", "excess"] == pytest.approx(0.5)
    assert frame.loc["B", "excess"] == 0.0
    # Clusters: half of A's residents live in the hot spot; all of B's in a high-high cluster.
    assert frame.loc["A", "clusters"] == pytest.approx(0.5)
    assert frame.loc["B", "clusters"] == pytest.approx(1.0)
    # Deprivation: 1,000 of A's 2,000 in decile 1 or 2.
    assert frame.loc["A", "deprivation"] == pytest.approx(0.5)
    assert frame.loc["B", "deprivation"] == 0.0
    # Young people: area share 800 / 4000 = 0.2; A has 600 / 2000 = 0.3, 0.3 / 0.2 - 1 = 0.5; B 0.1, so 0.
    assert frame.loc["A", "young_people"] == pytest.approx(0.5)
    assert frame.loc["B", "young_people"] == 0.0


def test_area_rate_is_the_population_weighted_mean_of_ward_rates():
    # (20 * 2000 + 8 * 2000) / 4000 = 14: the total count over the total population.
    assert gaps.area_rate(ward_frame()) == pytest.approx(14.0)


def test_excess_is_capped_and_needs_a_positive_area_rate():
    ward = ward_frame().assign(rate_lower=[45.0, 6.0])
    assert gaps.need_by_ward(lsoa_frame(), ward, area_rate=10.0).loc[0, "excess"] == 1.0
    with pytest.raises(ValueError, match="area_rate"):
        gaps.need_by_ward(lsoa_frame(), ward_frame(), area_rate=0)


def test_missing_columns_are_named():
    with pytest.raises(ValueError, match="imd2025_decile"):
        gaps.need_by_ward(lsoa_frame().drop(columns="imd2025_decile"), ward_frame(), area_rate=10.0)


def test_population_weighted_centre():
    centres = gaps.population_weighted_centres(lsoa_frame()).set_index("ward_code")
    # Equal populations: the midpoint of the two LSOA centres.
    assert centres.loc["A", "latitude"] == pytest.approx(51.0)
    assert centres.loc["A", "longitude"] == pytest.approx(-2.1)
    weighted = lsoa_frame().assign(population_total=[3000, 1000, 2000])
    assert gaps.population_weighted_centres(weighted).loc[0, "longitude"] == pytest.approx(-2.05)


def test_distance_km_one_degree_of_latitude():
    # One degree of latitude on a sphere of radius 6371.0088 km is 111.195 km.
    assert gaps.distance_km((51.0, -2.0), (52.0, -2.0)) == pytest.approx(111.195, abs=0.01)


def test_opening_hours_and_the_share_of_need_hours_covered():
    friday_evening = OpeningTime(weekday=4, opens=18 * 60, closes=2 * 60)  # runs past midnight
    assert friday_evening.hours() == {(4, 18), (4, 19), (4, 20), (4, 21), (4, 22), (4, 23), (5, 0), (5, 1)}
    need_hours = [(4, 22), (4, 23), (5, 0), (5, 1), (5, 2), (5, 3)]
    assert gaps.hours_covered([friday_evening], need_hours) == pytest.approx(4 / 6)
    assert gaps.hours_covered([friday_evening], []) is None


def test_gap_table_scores_and_components():
    services = [
        # Serves everywhere, theme "youth", ages 11-18, one location at ward A's centre, funding ends in 6 months.
        Service(
            id="s1",
            themes=frozenset({"youth"}),
            minimum_age=11,
            maximum_age=18,
            locations=((51.0, -2.1),),
            capacity_per_week=30,
            funding_ends=date(2026, 7, 1),
        ),
        # Adults only: never counts for ages 10-24.
        Service(id="s2", themes=frozenset({"youth"}), minimum_age=25),
        # Another theme, only ward B.
        Service(id="s3", themes=frozenset({"domestic"}), wards=frozenset({"B"}), capacity_per_week=10),
    ]
    table = gaps.gap_table(
        need(),
        services,
        ["youth", "domestic"],
        as_of=AS_OF,
        centres=gaps.population_weighted_centres(lsoa_frame()),
    )
    rows = {(row["ward_code"], row["theme"]): row for row in table.to_dict("records")}
    assert len(rows) == 4

    a_youth = rows[("A", "youth")]
    assert a_youth["service_ids"] == ["s1"]
    assert a_youth["services"] == 0.5
    assert a_youth["nearest_km"] == pytest.approx(0.0, abs=1e-6)
    assert a_youth["distance"] == 1.0
    assert a_youth["hours"] is None  # no data say when need is highest
    assert a_youth["capacity_per_1000"] == pytest.approx(30 / 600 * 1000)
    assert a_youth["funding_ending_ids"] == ["s1"]
    assert a_youth["funding"] == 0.0
    # Need: mean of 0.5, 0.5, 0.5, 0.5 = 0.5.
    assert a_youth["need"] == pytest.approx(0.5)

    b_youth = rows[("B", "youth")]
    # B's capacity per 1,000 is 30 / 200 * 1000 = 150, the best for the theme, so 1; A's 50 / 150.
    assert b_youth["capacity"] == pytest.approx(1.0)
    assert a_youth["capacity"] == pytest.approx(50 / 150)
    # A's provision: mean of services 0.5, distance 1, capacity 1/3, funding 0 (hours unknown).
    assert a_youth["provision"] == pytest.approx((0.5 + 1 + 1 / 3 + 0) / 4)
    assert a_youth["gap"] == pytest.approx(0.5 * (1 - (0.5 + 1 + 1 / 3) / 4))

    a_domestic = rows[("A", "domestic")]
    assert a_domestic["service_count"] == 0
    assert a_domestic["provision"] == 0.0
    assert a_domestic["gap"] == pytest.approx(a_domestic["need"])
    assert any("No service" in reason for reason in a_domestic["reasons"])

    # Sorted by gap, largest first, ranked from 1.
    assert list(table["rank"]) == [1, 2, 3, 4]
    assert table["gap"].is_monotonic_decreasing
    assert (table.loc[0, "ward_code"], table.loc[0, "theme"]) == ("A", "domestic")


def test_partner_indicators_join_the_need_scaled_by_their_largest_value():
    indicators = pd.DataFrame(
        {"ward_code": ["A", "B"], "theme": ["domestic"] * 2, "indicator": ["refuge calls"] * 2, "value": [5, 10]}
    )
    table = gaps.gap_table(need(), [], ["domestic", "youth"], as_of=AS_OF, indicators=indicators)
    rows = {(row["ward_code"], row["theme"]): row for row in table.to_dict("records")}
    assert rows[("A", "domestic")]["indicator:refuge calls"] == pytest.approx(0.5)
    assert rows[("A", "domestic")]["need"] == pytest.approx((0.5 * 4 + 0.5) / 5)
    # Only for its theme.
    assert rows[("A", "youth")]["need"] == pytest.approx(0.5)


def test_need_hours_enter_the_provision():
    evening = Service(
        id="late",
        themes=frozenset({"night"}),
        opening=(OpeningTime(weekday=5, opens=20 * 60, closes=22 * 60),),
    )
    table = gaps.gap_table(need(), [evening], ["night"], as_of=AS_OF, need_hours={"night": [(5, 20), (5, 23)]})
    assert set(table["hours"]) == {0.5}
