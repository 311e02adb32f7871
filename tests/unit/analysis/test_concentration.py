"""Concentration shares, Gini, Lorenz curve and repeat locations on hand-made counts."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vru.analysis.concentration import (
    concentration_shares,
    gini,
    lorenz_curve,
    to_records,
    top_repeat_locations,
)


def units(values) -> pd.Series:
    return pd.Series(values, index=[f"U{i:03d}" for i in range(len(values))], dtype=float)


def test_all_incidents_in_one_unit():
    counts = units([10] + [0] * 19)
    result = concentration_shares(counts)
    top5, top10 = result["groups"]
    assert result["n_units"] == 20 and result["total"] == 10
    assert top5["units"] == 1 and top5["share_of_incidents"] == 1.0 and top5["codes"] == ["U000"]
    assert top10["units"] == 2 and top10["share_of_incidents"] == 1.0
    assert gini(counts) == pytest.approx(19 / 20)  # (n - 1) / n
    json.dumps(result, allow_nan=False)


def test_equal_counts():
    counts = units([3] * 40)
    assert gini(counts) == pytest.approx(0.0)
    top5, top10 = concentration_shares(counts)["groups"]
    assert (top5["units"], top5["share_of_incidents"]) == (2, 0.05)
    assert (top10["units"], top10["share_of_incidents"]) == (4, 0.1)
    curve = lorenz_curve(counts)
    np.testing.assert_allclose(curve["share_of_incidents"], curve["share_of_units"])


def test_top_group_size_is_the_ceiling_and_ties_go_by_code():
    # ceil(0.05 x 118) = 6 and ceil(0.10 x 118) = 12 (B&NES LSOAs); 0.1 x 30 is 3, not 4.
    assert [g["units"] for g in concentration_shares(units([1] * 118))["groups"]] == [6, 12]
    assert concentration_shares(units([1] * 30), shares=(0.1,))["groups"][0]["units"] == 3
    tied = pd.Series({"B": 5.0, "A": 5.0, "C": 1.0, "D": 0.0})
    group = concentration_shares(tied, shares=(0.25,))["groups"][0]
    assert group["codes"] == ["A"] and group["share_of_incidents"] == pytest.approx(5 / 11, abs=1e-4)


def test_gini_and_lorenz_known_values():
    counts = units([0, 3, 0, 1])
    # sorted 0, 0, 1, 3: sum (2i - n - 1) x_(i) = 1 x 1 + 3 x 3 = 10, over n x total = 16
    assert gini(counts) == pytest.approx(0.625)
    curve = lorenz_curve(counts)
    assert curve.iloc[0].tolist() == [0.0, 0.0] and curve.iloc[-1].tolist() == [1.0, 1.0]
    np.testing.assert_allclose(curve["share_of_units"], [0, 0.25, 0.5, 0.75, 1])
    np.testing.assert_allclose(curve["share_of_incidents"], [0, 0, 0, 0.25, 1])
    assert math.isnan(gini(units([0, 0, 0])))
    json.dumps(to_records(curve), allow_nan=False)


def test_bad_counts_are_refused():
    with pytest.raises(ValueError, match="non-negative"):
        gini(units([1, -1]))
    with pytest.raises(ValueError, match="finite"):
        concentration_shares(units([1, np.nan]))
    with pytest.raises(ValueError, match="no units"):
        gini([])


def test_top_repeat_locations_ranks_ties_by_name_and_sums_repeats():
    frame = pd.DataFrame(
        {
            "location": [
                "On or near Milsom Street",
                "On or near Abbey Green",
                "On or near Kingsmead Square",
                "On or near Abbey Green",
                "On or near Bus Station",
            ],
            "lsoa21_code": ["E01014370", "E01014370", "E01014371", "E01014370", "E01014372"],
            "count": [7, 4, 7, 3, 1],
        }
    )
    top = top_repeat_locations(frame, n=3)
    assert top["location"].tolist() == [
        "On or near Abbey Green",  # 4 + 3 = 7, ties broken by name
        "On or near Kingsmead Square",
        "On or near Milsom Street",
    ]
    assert top["rank"].tolist() == [1, 2, 3] and top["count"].tolist() == [7, 7, 7]
    assert top["share_of_incidents"].tolist() == pytest.approx([7 / 22] * 3)
    records = to_records(top)
    json.dumps(records, allow_nan=False)
    assert records[0] == {
        "rank": 1,
        "location": "On or near Abbey Green",
        "lsoa21_code": "E01014370",
        "count": 7,
        "share_of_incidents": 0.3182,
    }


count_lists = st.lists(st.integers(0, 1000), min_size=1, max_size=200)


@given(count_lists)
def test_shares_are_proportions_and_grow_with_the_group(values):
    result = concentration_shares(units(values))
    top5, top10 = result["groups"]
    if sum(values) == 0:
        assert top5["share_of_incidents"] is None and top10["share_of_incidents"] is None
        return
    assert 0 <= top5["share_of_incidents"] <= top10["share_of_incidents"] <= 1
    assert 1 <= top5["units"] <= top10["units"] <= len(values)
    assert top5["share_of_incidents"] >= top5["units"] / len(values) - 1e-4  # the top hold at least their share


@given(count_lists)
def test_gini_is_in_unit_interval_and_agrees_with_the_lorenz_area(values):
    g = gini(units(values))
    if sum(values) == 0:
        assert math.isnan(g)
        return
    n = len(values)
    assert -1e-12 <= g <= (n - 1) / n + 1e-12
    # Mean absolute difference over twice the mean.
    x = np.asarray(values, dtype=float)
    assert g == pytest.approx(np.abs(x[:, None] - x[None, :]).sum() / (2 * n * n * x.mean()), abs=1e-9)
    curve = lorenz_curve(units(values))
    assert np.all(np.diff(curve["share_of_incidents"]) >= -1e-12)
    area = np.sum((curve["share_of_incidents"].to_numpy()[1:] + curve["share_of_incidents"].to_numpy()[:-1]) / 2 / n)
    assert g == pytest.approx(1 - 2 * area, abs=1e-9)


@given(
    st.lists(
        st.tuples(
            st.sampled_from(["On or near A", "On or near B", "On or near C"]),
            st.sampled_from(["E1", "E2"]),
            st.integers(0, 50),
        ),
        min_size=1,
        max_size=40,
    )
)
def test_aggregation_conserves_counts(rows):
    frame = pd.DataFrame(rows, columns=["location", "lsoa21_code", "count"])
    everything = top_repeat_locations(frame, n=len(frame))
    assert everything["count"].sum() == frame["count"].sum()
    assert not everything.duplicated(["location", "lsoa21_code"]).any()
    assert everything["count"].is_monotonic_decreasing
