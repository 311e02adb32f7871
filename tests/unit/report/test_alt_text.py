"""Alternative text is written from the data drawn."""

from vru.report import alt_text


def test_monthly_series_names_the_range_the_extremes_and_the_gaps():
    months = ["2023-01", "2023-02", "2023-03", "2023-04", "2023-05"]
    counts = [367, 410, None, None, 493]
    text = alt_text.monthly_series(months, counts, ["2023-03", "2023-04"], "2023-01", "2023-05")
    assert text == (
        "Line chart of monthly counts from January 2023 to May 2023, rising from 367 to 493; lowest 367 in "
        "January 2023, highest 493 in May 2023; no data for March and April 2023 (shown as a gap, not joined "
        "across)."
    )


def test_monthly_series_falling_level_and_empty():
    assert "falling from 20 to 10" in alt_text.monthly_series(
        ["2024-01", "2024-02"], [20, 10], [], "2024-01", "2024-02"
    )
    assert "5 at the start and at the end" in alt_text.monthly_series(
        ["2024-01", "2024-02"], [5, 5], [], "2024-01", "2024-02"
    )
    assert alt_text.monthly_series(["2024-01"], [None], ["2024-01"], "2024-01", "2024-01").endswith(
        "no months have data."
    )


def test_bar_chart_and_missing_values():
    text = alt_text.rate_by_decile([1, 2, 3], [140.53, None, 236.98], "the rate per 1,000 residents a year")
    assert text == (
        "Bar chart of the rate per 1,000 residents a year by deprivation decile (1 = most deprived): highest "
        "decile 3 (237.0), lowest decile 1 (140.5); no value for decile 2."
    )
    seasonal = alt_text.seasonal_profile([1, 2, 5], [0.94, 0.95, 1.15])
    assert "highest May (1.15), lowest January (0.94)" in seasonal


def test_comparison_places_the_focus_area_and_the_force():
    text = alt_text.comparison(
        ["Bristol", "Bath", "Somerset"], [50.2, 29.7, 36.4], "Bath", "Avon and Somerset", 40.9, "rates"
    )
    assert text.startswith("Dot chart of rates for 3 partnerships: highest Bristol (50.2), lowest Bath (29.7)")
    assert "Bath is 3rd highest" in text
    assert text.endswith("the vertical line marks Avon and Somerset as a whole (40.9).")


def test_maps():
    text = alt_text.choropleth(
        118, "neighbourhoods (LSOAs)", "Bath", "rate per 1,000", 3.36, 213.48, 5, ["007A (Kingsmead)", "007B"]
    )
    assert text == (
        "Map of the 118 neighbourhoods (LSOAs) of Bath shaded by rate per 1,000 in 5 classes from 3.4 to 213.5; "
        "highest: 007A (Kingsmead) and 007B. Darker shading means a higher value."
    )
    assert "none is significant" in alt_text.hotspot_map(118, "areas", "Bath", [], [])
    hot = alt_text.hotspot_map(118, "areas", "Bath", ["007A", "012C"], ["001A"])
    assert "2 hot spots (007A and 012C), red with diagonal hatching" in hot
    assert "1 cold spot (001A), blue with dots" in hot
    assert alt_text.categorical_map(
        3, "areas", "Bath", "IMD decile", [("decile 1", 2), ("decile 2", 0), ("decile 3", 1)]
    ) == ("Map of the 3 areas of Bath shaded by IMD decile (decile 1: 2 and decile 3: 1).")


def test_concentration_and_forecast():
    text = alt_text.concentration_curve([(0.1, 0.343), (0.5, 0.85)], 118, "neighbourhoods")
    assert "the top 10% hold 34% and the top 50% hold 85%" in text
    unreliable = alt_text.forecast_chart("2025-04", ["2025-05", "2025-06"], [592, 534], [801, 733], False, 0.3333)
    assert "from 534 to 801 a month" in unreliable
    assert "held only 33% of actual months" in unreliable and "no forecast line" in unreliable
    assert "not be relied on" not in alt_text.forecast_chart("2025-04", ["2025-05"], [1], [2], True, 0.9)
