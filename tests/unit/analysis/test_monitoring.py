"""Monitoring measures on a hand-made area of three neighbourhoods: which places are chosen, zero months, the
baseline, and the notes for short baselines and missing months."""

import pandas as pd
import pytest

from vru.analysis.monitoring import monitoring_measures, series_measure
from vru.months import month_range

MONTHS = month_range("2024-01", "2024-12")
LSOAS = pd.DataFrame(
    {
        "lsoa21_code": ["E01000001", "E01000002", "E01000003"],
        "lsoa21_name": ["North 001A", "Centre 001B", "South 001C"],
        "population_10_24": [300, 200, 900],
    }
)


def counts() -> pd.DataFrame:
    rows = []
    for index, month in enumerate(MONTHS):
        rows.append((month, "E01000002", "Violence and sexual offences", 10 + index % 3))  # most violence
        rows.append((month, "E01000001", "Violence and sexual offences", 2))
        if index % 2:
            rows.append((month, "E01000003", "Robbery", 1))  # robbery in odd months only
    return pd.DataFrame(rows, columns=["month", "lsoa21_code", "crime_type", "count"])


def test_places_chosen_and_series_summed():
    table = monitoring_measures(counts(), LSOAS, MONTHS, "2024-06", area_name="Test")
    by_key = {measure["key"]: measure for measure in table["measures"]}
    # The top 5% of three LSOAs is one: most violence (Centre), most residents aged 10 to 24 (South).
    assert by_key["police-uk:robbery:priority-places"]["places"] == [{"code": "E01000002", "name": "Centre 001B"}]
    assert by_key["police-uk:robbery:young-people"]["places"] == [{"code": "E01000003", "name": "South 001C"}]
    violence = [point["value"] for point in by_key["police-uk:violence-and-sexual-offences:area"]["series"]]
    assert violence == [12 + index % 3 for index in range(12)]
    robbery = [point["value"] for point in by_key["police-uk:robbery:young-people"]["series"]]
    assert robbery == [0, 1] * 6  # months with no robbery count zero
    assert by_key["police-uk:robbery:priority-places"]["series"][0]["value"] == 0
    chart = by_key["police-uk:violence-and-sexual-offences:area"]["chart"]
    assert [point["baseline"] for point in chart["points"]] == [True] * 6 + [False] * 6
    assert chart["points"][0]["mean"] == pytest.approx(13)
    assert len(table["measures"]) == 12 and sum(not m["available"] for m in table["measures"]) == 3


def test_short_baseline_and_missing_months_are_said():
    series = pd.Series([5.0, 6.0, 7.0], index=["2024-01", "2024-02", "2024-04"])
    measure = series_measure("k", "Robbery", "s", "g", series, "2024-01", missing_months=["2024-03"])
    assert measure["chart"] is None and measure["detectable"] is None
    assert any("no control limits" in note for note in measure["notes"])
    assert any("2024-03" in note for note in measure["notes"])


def test_bad_frames_are_refused():
    with pytest.raises(ValueError, match="lacks the columns"):
        monitoring_measures(counts().drop(columns="count"), LSOAS, MONTHS, "2024-06")
    with pytest.raises(ValueError, match="no months with data"):
        monitoring_measures(counts(), LSOAS, MONTHS, "2023-06")
