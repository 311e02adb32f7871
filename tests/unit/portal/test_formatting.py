"""portal.common.formatting: GOV.UK-style words for numbers, months and times."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from portal.common.formatting import govuk_datetime, join_words, month_label, thousands


@pytest.mark.parametrize(
    ("words", "joined"),
    [([], ""), (["July 2024"], "July 2024"), (["A", "B"], "A and B"), (["A", "B", "C"], "A, B and C")],
)
def test_join_words(words, joined):
    assert join_words(words) == joined


def test_month_label_and_thousands():
    assert month_label("2024-07") == "July 2024"
    assert thousands(1234567) == "1,234,567"


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        (datetime(2026, 11, 26, 8, 19, tzinfo=UTC), "26 November 2026 at 8:19am"),
        (datetime(2026, 11, 26, 13, 5, tzinfo=UTC), "26 November 2026 at 1:05pm"),
        (datetime(2026, 11, 26, 12, 0, tzinfo=UTC), "26 November 2026 at midday"),
        (datetime(2026, 11, 26, 0, 0, tzinfo=UTC), "26 November 2026 at midnight"),
        # British Summer Time: 23:30 UTC on 30 June is 00:30 on 1 July in the UK.
        (datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "1 July 2026 at 12:30am"),
        (None, ""),
    ],
)
def test_govuk_datetime_is_in_uk_time(moment, words):
    assert govuk_datetime(moment) == words
