"""The one small-number rule of the report and the dashboard: counts of 1 to 4 are never printed, partner counts
under 5 (zero included) never, nor rates worked out from them."""

import math

import pytest

from vru.presentation import suppression


@pytest.mark.parametrize(
    ("count", "expected"),
    [
        (0, "0"),
        (1, "fewer than 5"),
        (4, "fewer than 5"),
        (4.6, "fewer than 5"),  # an estimate below 5 is suppressed even though it rounds to 5
        (1.9, "fewer than 5"),
        (5, "5"),
        (12644, "12,644"),
        (None, "not available"),
        (math.nan, "not available"),
    ],
)
def test_suppress(count, expected):
    assert suppression.suppress(count) == expected


def test_estimates_keep_their_decimals_when_shown():
    assert suppression.suppress(46.416667, 1) == "46.4"


def test_rates_from_suppressed_counts_are_withheld():
    assert suppression.withhold(3, "2.1") == "not shown"
    assert suppression.withhold(0, "0.0") == "0.0"
    assert suppression.withhold(7, "4.9") == "4.9"


def test_any_suppressed_and_the_note():
    assert suppression.any_suppressed([0, 12, 3])
    assert not suppression.any_suppressed([0, 5, None])
    assert "fewer than 5" in suppression.METHOD_NOTE
    assert suppression.SUPPRESSED == f"fewer than {suppression.THRESHOLD}"


@pytest.mark.parametrize(
    ("count", "partner", "text"),
    [
        (0, False, "0"),
        (4.9, False, "fewer than 5"),
        (0, True, "fewer than 5"),  # partner data: "under 5" includes zero
        (1.9, True, "fewer than 5"),
        (46.4, True, "46"),
        (5, True, "5"),
    ],
)
def test_partner_counts_under_5_are_withheld_zero_included(count, partner, text):
    assert suppression.suppress(count, partner=partner) == text


def test_what_is_not_a_count_is_never_suppressed():
    assert not suppression.is_suppressed(True) and not suppression.is_suppressed("n/a")
    assert not suppression.is_suppressed(None, partner=True)
