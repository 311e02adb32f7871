"""The report's number, date and month formatting on tiny hand-made inputs."""

import math

import pytest

from vru.presentation import formatting as f


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (12644, 0, "12,644"),
        (4801.37, 1, "4,801.4"),
        (0.5, 0, "1"),  # half away from zero, not banker's rounding
        (2.5, 0, "3"),
        (-32096053.2, 0, "\u221232,096,053"),
        (-0.04, 1, "0.0"),  # no "-0.0"
        (None, 0, "not available"),
        (math.nan, 0, "not available"),
        (math.inf, 1, "not available"),
    ],
)
def test_thousands(value, decimals, expected):
    assert f.thousands(value, decimals) == expected


def test_percentages_and_ratios():
    assert f.percent(0.2378) == "24%"
    assert f.percent(0.2378, 1) == "23.8%"
    assert f.percent(None) == "not available"
    assert f.percent_value(15.8603) == "15.9%"
    assert f.signed_percent(15.8603) == "+15.9%"
    assert f.signed_percent(-4.195563) == "\u22124.2%"
    assert f.signed_percent(0.01) == "0.0%"
    assert f.ratio(1.1556) == "1.16"


def test_money():
    assert f.gbp(14050) == "\u00a314,050"
    assert f.gbp(-5.4) == "\u2212\u00a35"
    assert f.gbp_millions(43689499.377) == "\u00a343.7m"
    assert f.gbp_millions(765_000_000) == "\u00a3765.0m"
    assert f.gbp_millions(-32096053.19) == "\u2212\u00a332.1m"
    assert f.gbp_millions(None) == "not available"


def test_p_values_and_intervals():
    assert f.p_value(0.0) == "p < 0.001"
    assert f.p_value(2.478e-14) == "p < 0.001"
    assert f.p_value(0.0036) == "p = 0.004"
    assert f.p_value(0.2712) == "p = 0.27"
    # Never rounded across the 0.05 line: 0.052 is not "p = 0.05", 0.0496 is not "p = 0.05" either.
    assert f.p_value(0.052) == "p = 0.052"
    assert f.p_value(0.0496) == "p = 0.050"
    assert f.p_value(0.0449) == "p = 0.045"
    assert f.p_value(None) == "p not available"
    assert f.confidence_label(0.95) == "95% CI"
    assert f.interval(25.5866, 27.0263) == "25.6 to 27.0"
    assert f.interval(11.5569, 20.3298, 1, "%") == "11.6% to 20.3%"
    assert f.interval(None, 3) == "not available"


def test_months_and_dates():
    assert f.month_name("2024-07") == "July 2024"
    assert f.month_name("July") == "not available"
    assert f.month_of_year(5) == "May"
    assert f.month_list(["2024-08", "2024-07"]) == "July and August 2024"
    assert f.month_list(["2023-12", "2024-01", "2024-02"]) == "December 2023 and January and February 2024"
    assert f.month_list([]) == "none"
    assert f.period("2023-01", "2025-04") == "January 2023 to April 2025"
    assert f.long_date("2026-11-26T13:52:10Z") == "26 November 2026"
    assert f.long_date(None) == "not available"


def test_words():
    assert f.join_words(["a"]) == "a"
    assert f.join_words(["a", "b", "c"]) == "a, b and c"
    assert f.plural(1, "month") == "1 month"
    assert f.plural(1038, "neighbourhood") == "1,038 neighbourhoods"
    assert f.sentence("violence_with_injury") == "Violence with injury"
    assert f.yes_no(True) == "yes"
    assert f.yes_no(None) == "not available"


def test_tidy_numbers_shortens_only_long_decimals():
    text = "exact 95% interval (0.7143203807108576, 0.7397197017366097), p = 2.478e-14, Gini 0.43, 12,644"
    assert f.tidy_numbers(text) == "exact 95% interval (0.714, 0.74), p < 0.001, Gini 0.43, 12,644"
    assert f.tidy_text("negative_binomial regression") == "negative binomial regression"
    assert f.tidy_numbers(None) == "not available"


def test_tidy_numbers_keeps_published_decimals():
    assert f.tidy_numbers("scaled by 1.0149 (used: 11,523.3)") == "scaled by 1.0149 (used: 11,523.3)"


def test_missing_months_are_police_uks_gap_only_where_a_check_said_so():
    from vru.presentation.formatting import missing_months_text

    checked = [
        {"month": "2024-07", "status": "not published by police.uk", "checked_at": "2026-12-02T09:00:00+00:00"},
        {"month": "2024-08", "status": "not published by police.uk", "checked_at": "2026-12-02T09:00:00+00:00"},
        {"month": "2024-05", "status": "not in the loaded data", "checked_at": None},
    ]
    assert missing_months_text(["2024-05", "2024-07", "2024-08"], checked) == (
        "July and August 2024 are not published by police.uk (checked 2 December 2026); "
        "May 2024 is not in the loaded data"
    )
    # A bundle without the check (or a month missing from it): never claimed to be police.uk's gap.
    assert missing_months_text(["2024-07", "2024-08"]) == "July and August 2024 are not in the loaded data"
    assert missing_months_text([]) == ""
