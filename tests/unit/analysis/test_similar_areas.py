"""Most similar partnerships on hand-made characteristics with known distances."""

import math

import pandas as pd
import pytest

from vru.analysis.similar_areas import most_similar

FEATURES = pd.DataFrame(
    {
        "imd_score": [10.0, 12.0, 30.0, 11.0, None],
        "share_10_24": [0.18, 0.18, 0.20, 0.22, 0.19],
    },
    index=["A", "B", "C", "D", "W"],  # W: no English IMD score (a Welsh partnership)
)


def test_nearest_on_standardised_characteristics():
    result = most_similar(FEATURES, "A", ["imd_score", "share_10_24"], k=2)
    assert result["code"].tolist() == ["A", "B", "D"]
    assert result["rank"].tolist() == [0, 1, 2]
    complete = FEATURES.drop(index="W")
    sd = complete.std(ddof=0)
    expected_b = math.hypot((12 - 10) / sd["imd_score"], 0)
    expected_d = math.hypot((11 - 10) / sd["imd_score"], (0.22 - 0.18) / sd["share_10_24"])
    assert result.set_index("code").loc["B", "distance"] == pytest.approx(expected_b)
    assert result.set_index("code").loc["D", "distance"] == pytest.approx(expected_d)
    assert result.attrs["excluded"] == ["W"] and result.attrs["compared"] == 4


def test_a_focus_without_every_characteristic_is_refused():
    with pytest.raises(ValueError, match="W is not among"):
        most_similar(FEATURES, "W", ["imd_score", "share_10_24"])
    with pytest.raises(ValueError, match="no column"):
        most_similar(FEATURES, "A", ["density"])
