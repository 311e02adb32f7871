"""The inbox's excerpt of a message is exactly Django's Truncator's, short cut or not."""

from __future__ import annotations

import pytest
from django.utils.text import Truncator

from portal.feedback.views import EXCERPT_LENGTH, _excerpt


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Short message",
        "x" * EXCERPT_LENGTH,
        "x" * (EXCERPT_LENGTH + 1),
        "A longer message about the website " * 5,
        "Cafe\u0301 " * 30,  # combining accents: Truncator counts them as no length
        "e\u0301" * EXCERPT_LENGTH,
        "e\u0301" * 40,  # short, but Truncator gives it back composed (NFC)
    ],
)
def test_the_excerpt_is_what_truncator_gives(text):
    assert _excerpt(text) == Truncator(text).chars(EXCERPT_LENGTH)
