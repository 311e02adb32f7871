"""vru.analysis.per_residents on small hand-made inputs with answers worked out by hand (not real data: the
real figures are checked in tests/integration/vru/test_licensing_real.py)."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from vru.analysis.per_residents import per_residents, pooled_per_residents

POPULATION = {"A": 20_000.0, "B": 50_000.0, "C": 10_000.0}


def made_up_rows(rows):
    return pd.DataFrame(rows, columns=["area_code", "year", "period", "value", "marker"])


def test_each_count_over_its_population():
    rows = made_up_rows([("A", 2020, "2019/20", 30.0, None), ("B", 2020, "2019/20", 100.0, None)])
    got = per_residents(rows, POPULATION, per=10_000).set_index("area_code")
    assert got.loc["A", "value"] == pytest.approx(15.0)  # 30 / 20,000 x 10,000
    assert got.loc["B", "value"] == pytest.approx(20.0)
    assert (got.loc["A", "numerator"], got.loc["A", "denominator"]) == (30.0, 20_000.0)


def test_a_marker_stays_a_marker_and_an_area_without_population_is_dropped():
    rows = made_up_rows([("A", 2020, "2019/20", None, "x"), ("Z", 2020, "2019/20", 5.0, None)])
    got = per_residents(rows, POPULATION)
    assert list(got["area_code"]) == ["A"]
    assert math.isnan(got["value"].iloc[0]) and got["marker"].iloc[0] == "x"


def test_pooled_leaves_out_areas_that_did_not_publish():
    rows = made_up_rows(
        [
            ("A", 2020, "2019/20", 30.0, None),
            ("B", 2020, "2019/20", 100.0, None),
            ("C", 2020, "2019/20", None, "x"),  # did not answer: out of numerator and denominator
            ("Z", 2020, "2019/20", 7.0, None),  # no population: out of both
            ("A", 2021, "2020/21", 40.0, None),
        ]
    )
    got = pooled_per_residents(rows, POPULATION).set_index("year")
    assert got.loc[2020, "value"] == pytest.approx(130 / 70_000 * 10_000)
    assert (got.loc[2020, "numerator"], got.loc[2020, "denominator"], got.loc[2020, "areas"]) == (130, 70_000, 2)
    assert got.loc[2021, "value"] == pytest.approx(20.0) and got.loc[2021, "period"] == "2020/21"
