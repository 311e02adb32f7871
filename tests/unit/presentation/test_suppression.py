"""The one suppression rule: counts of 1 to 4 are never printed, nor rates worked out from them."""

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
