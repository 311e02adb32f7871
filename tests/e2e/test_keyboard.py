"""Keyboard users: the first Tab reaches the skip link, and Enter on it moves focus to the main content."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_tab_reaches_the_skip_link_first_and_enter_moves_focus_to_main(browser_page, live_server):
    browser_page.goto(live_server.url + "/")
    browser_page.keyboard.press("Tab")
    focused = browser_page.evaluate(
        "({text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute('href')})"
    )
    assert focused == {"text": "Skip to main content", "href": "#main-content"}
    # A skip link is hidden until focused; focused, it must be on screen.
    assert browser_page.locator(".govuk-skip-link").is_visible()

    browser_page.keyboard.press("Enter")
    assert browser_page.evaluate("document.activeElement.id") == "main-content"
    assert browser_page.url.endswith("#main-content")
