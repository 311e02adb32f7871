"""portal.common.escaping.fill escapes exactly as Django's format_html does."""

from __future__ import annotations

import pytest
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy

from portal.common.escaping import fill

TEMPLATE = '<a href="{url}" title="{title}">{text}</a>'
VALUES = [
    {"url": "/x?a=1&b=2", "title": 'He said "hi"', "text": "<script>alert('x')</script>"},
    {"url": "/", "title": mark_safe("<b>already safe</b>"), "text": 42},
    {"url": "/", "title": gettext_lazy("Lazy & translated"), "text": None},
    {"url": "javascript:alert(1)", "title": "it's", "text": "£5 & 10% – “quoted”"},
]


@pytest.mark.parametrize("values", VALUES)
def test_fill_is_format_html(values):
    filled = fill(TEMPLATE, **values)
    assert filled == format_html(TEMPLATE, **values)
    assert isinstance(filled, SafeString)


def test_fill_escapes_every_character_that_matters_in_html():
    assert fill("{v}", v="<>&\"'") == "&lt;&gt;&amp;&quot;&#x27;"
