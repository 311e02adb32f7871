"""Persistence classification on hand-made yearly hot-spot sets."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from vru.analysis.persistence import CLASSES, classify_persistence, to_dict

CODES = ["A", "B", "C", "D", "E", "F", "G", "H"]
HOT = {
    2023: {"A", "C", "D", "H"},
    2024: {"A", "E", "G", "H"},
    2025: {"A", "B", "D", "G"},
}
EXPECTED = {
    "A": "persistent",  # every year
    "B": "emerging",  # latest only
    "C": "diminishing",  # first only
    "D": "intermittent",  # first and latest, not the middle
    "E": "intermittent",  # middle only
    "F": "never",
    "G": "emerging",  # middle and latest
    "H": "diminishing",  # first and middle
}


def test_hand_made_years():
    result = classify_persistence(HOT, CODES)
    assert dict(zip(result["code"], result["classification"], strict=True)) == EXPECTED
    row = result.set_index("code").loc["D"]
    assert row["years_hot"] == [2023, 2025] and row["n_years_hot"] == 2 and row["n_years"] == 3
    assert result.attrs["years"] == [2023, 2024, 2025]


def test_frame_input_gives_the_same_answer():
    rows = [
        {"code": code, "year": year, "is_hot_spot": code in hot}
        for year, hot in HOT.items()
        for code in CODES
        if code != "F" or year == 2024  # a code with rows missing counts as not hot
    ]
    frame = classify_persistence(pd.DataFrame(rows), CODES)
    pd.testing.assert_frame_equal(frame, classify_persistence(HOT, CODES))


def test_partial_years_are_carried_into_the_result():
    result = classify_persistence(HOT, CODES, partial_years=[2025])
    assert result.attrs["partial_years"] == [2025]
    flags = dict(zip(result["code"], result["hot_in_partial_year"], strict=True))
    assert flags == {code: code in HOT[2025] for code in CODES}
    exported = to_dict(result)
    json.dumps(exported, allow_nan=False)
    assert exported["partial_years"] == [2025]
    assert exported["counts"] == {
        "persistent": 1,
        "emerging": 2,
        "diminishing": 2,
        "intermittent": 2,
        "never": 1,
    }


def test_one_year_and_string_years():
    one = classify_persistence({2024: {"A"}}, ["A", "B"])
    assert one["classification"].tolist() == ["persistent", "never"]
    named = classify_persistence({"2023-24": {"A"}, "2024-25": {"B"}, "2022-23": {"A"}}, ["A", "B"])
    assert named.attrs["years"] == ["2022-23", "2023-24", "2024-25"]
    assert named["classification"].tolist() == ["diminishing", "emerging"]


def test_bad_input_is_refused():
    with pytest.raises(ValueError, match="not in all_codes"):
        classify_persistence({2024: {"Z"}}, ["A"])
    with pytest.raises(ValueError, match="not among the years considered"):
        classify_persistence({2024: {"A"}}, ["A"], partial_years=[2020])
    with pytest.raises(ValueError, match="no years"):
        classify_persistence({}, ["A"])
    with pytest.raises(TypeError):
        classify_persistence({2024: "A"}, ["A"])


@given(
    st.dictionaries(
        st.integers(2015, 2030), st.sets(st.sampled_from(CODES), max_size=len(CODES)), min_size=1, max_size=6
    )
)
def test_rules_hold_for_any_years(hot):
    result = classify_persistence(hot, CODES).set_index("code")
    years = sorted(hot)
    assert set(result["classification"]) <= set(CLASSES)
    for code, row in result.iterrows():
        hot_years = [year for year in years if code in hot[year]]
        assert row["years_hot"] == hot_years
        label = row["classification"]
        if label == "never":
            assert not hot_years
        elif label == "persistent":
            assert hot_years == years
        elif label == "emerging":
            assert years[-1] in hot_years and years[0] not in hot_years
        elif label == "diminishing":
            assert years[0] in hot_years and years[-1] not in hot_years
        else:
            assert hot_years and hot_years != years
            assert (years[0] in hot_years) == (years[-1] in hot_years)
