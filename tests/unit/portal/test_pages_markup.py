"""The small markup of the unit's pages: what it turns into HTML, and that nothing else gets through."""

from __future__ import annotations

import re
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from portal.common.formatting import duration_words, govuk_date
from portal.core.markup import problems, render


def test_paragraphs_are_separated_by_blank_lines_and_lines_within_one_are_joined():
    html = render("First line\nof the first paragraph.\n\nSecond paragraph.")
    assert html == (
        '<p class="govuk-body">First line of the first paragraph.</p>\n<p class="govuk-body">Second paragraph.</p>'
    )


def test_headings_lists_and_quotations():
    html = render(
        "## Why\n\nThe unit could:\n\n- alleviate suffering\n- save money, and\n\n### Steps\n\n1. assess\n2. plan\n\n"
        "> First quoted paragraph\n> goes on.\n>\n> Second quoted paragraph."
    )
    assert '<h2 class="govuk-heading-m">Why</h2>' in html
    assert '<h3 class="govuk-heading-s">Steps</h3>' in html
    assert '<ul class="govuk-list govuk-list--bullet"><li>alleviate suffering</li><li>save money, and</li></ul>' in html
    assert '<ol class="govuk-list govuk-list--number"><li>assess</li><li>plan</li></ol>' in html
    assert (
        '<blockquote class="govuk-inset-text"><p class="govuk-body">First quoted paragraph goes on.</p>'
        '<p class="govuk-body">Second quoted paragraph.</p></blockquote>'
    ) in html


def test_a_list_can_follow_its_introduction_without_a_blank_line():
    html = render("A response that could\n- alleviate suffering\n- improve wellbeing")
    assert html.startswith('<p class="govuk-body">A response that could</p>\n<ul')
    assert html.count("<li>") == 2


def test_links_and_email_addresses():
    html = render(
        "See the [PCC website](https://www.avonandsomerset-pcc.gov.uk/), [our resources](/resources/) "
        "or email VRU_Project@bathnes.gov.uk."
    )
    assert '<a class="govuk-link" href="https://www.avonandsomerset-pcc.gov.uk/">PCC website</a>' in html
    assert '<a class="govuk-link" href="/resources/">our resources</a>' in html
    assert '<a class="govuk-link" href="mailto:VRU_Project@bathnes.gov.uk">VRU_Project@bathnes.gov.uk</a>.' in html


def test_an_email_address_inside_a_link_is_not_linked_twice():
    html = render("[Email us](mailto:VRU_Project@bathnes.gov.uk?subject=Hello)")
    assert html == (
        '<p class="govuk-body"><a class="govuk-link" href="mailto:VRU_Project@bathnes.gov.uk?subject=Hello">'
        "Email us</a></p>"
    )


def test_html_is_shown_as_text_never_as_html():
    html = render('<script>alert(1)</script>\n\n<a href="x" onclick="y">click</a> & <b>bold</b>')
    assert "<script" not in html and "<b>" not in html and "<a href" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&amp;" in html


def test_unsafe_links_keep_only_their_words():
    for href in ("javascript:alert(1)", "//evil.example/", "data:text/html,x", "vbscript:x", "ftp://x.example/"):
        html = render(f"[click here]({href})")
        assert html == '<p class="govuk-body">click here</p>', href


def test_a_backslash_cannot_turn_a_site_path_into_another_website():
    """Browsers read "\\" as "/" in an address: "/\\evil.example" would go to //evil.example."""
    for href in ("/\\evil.example/", "/\\/evil.example", "/resources\\..\\x"):
        html = render(f"[Click]({href})")
        assert "<a " not in html, href
        assert problems(f"[Click]({href})"), href


def test_quotes_in_a_link_address_cannot_break_out_of_the_attribute():
    html = render('[x](https://example.org/"onmouseover="alert(1))')
    assert 'onmouseover="' not in html


def test_problems_name_html_tags_and_links_the_renderer_will_not_make():
    found = problems("Hello <b>there</b>\n\n[Bad](javascript:alert(1)) and [Good](https://example.org/)")
    assert found == [
        "Page text cannot contain HTML, such as <b> and </b>: use the formatting described under the box",
        "The link “Bad” must go to an address starting with https://, http://, mailto: or / (a page on this website)",
    ]
    many = problems("<p><b><i><u>x</u></i></b></p>")
    assert many == [
        "Page text cannot contain HTML, such as <p>, <b> and <i> and others: use the formatting described under the box"
    ]  # noqa: E501
    assert problems("Prices < £5 and > £1, a -> b") == []


ALLOWED_TAG = re.compile(
    r'^</?(p|h2|h3|ul|ol|li|blockquote|a)( class="[a-z0-9 _-]+")?( href="[^"<>]*")?( class="govuk-link")?>$'
)


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_whatever_is_typed_only_our_own_tags_come_out(text):
    html = render(text)
    for tag in re.findall(r"<[^>]*>", html):
        assert ALLOWED_TAG.match(tag), tag
    for href in re.findall(r'href="([^"]*)"', html):
        assert re.match(r"^(https?://|mailto:|/(?!/)|#)", href, re.IGNORECASE), href


@given(st.lists(st.sampled_from(["<", ">", "&", '"', "'", "[", "]", "(", ")", "x", "\n", "- ", "## ", "> "])))
def test_special_characters_are_always_escaped(pieces):
    html = str(render("".join(pieces)))
    text_only = re.sub(r"<[^>]*>", "", html)
    assert "<" not in text_only and ">" not in text_only and '"' not in text_only


def test_govuk_date():
    assert govuk_date(date(2026, 11, 26)) == "26 November 2026"
    assert govuk_date(None) == ""


def test_duration_words():
    assert duration_words(timedelta(minutes=30)) == "30 minutes"
    assert duration_words(timedelta(hours=1)) == "1 hour"
    assert duration_words(timedelta(days=1, hours=2, minutes=1)) == "1 day 2 hours 1 minute"
    assert duration_words(timedelta(weeks=2)) == "14 days"
    assert duration_words(timedelta(seconds=10)) == "less than a minute"


def test_a_link_address_may_contain_brackets():
    html = render("[Bath](https://en.wikipedia.org/wiki/Bath_(city)).")
    assert html == (
        '<p class="govuk-body"><a class="govuk-link" href="https://en.wikipedia.org/wiki/Bath_(city)">Bath</a>.</p>'
    )
