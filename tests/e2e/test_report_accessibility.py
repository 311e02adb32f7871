"""The SNA report opened from disk in Chromium: axe-core finds no WCAG 2.2 AA violation and nothing scrolls
sideways, on a desktop and on phones (375 and 320 pixels), nothing is fetched from the network, and the page
works without JavaScript."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from vru.assessment import assess
from vru.profiles import get_profile
from vru.report import render_report
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.partner import load_partner_tables
from vru.warehouse.reference import load_reference

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def report_html(tmp_path_factory, demo_data: Path) -> Path:
    """report.html for B&NES from the committed demo extract (HTML only: the PDF is tested elsewhere)."""
    root = tmp_path_factory.mktemp("report-e2e")
    con = connect(root / "warehouse.duckdb")
    load_reference(con, [demo_data / "geography", demo_data / "deprivation", demo_data / "population"])
    load_partner_tables(con, [demo_data / "recorded_crime", demo_data / "partner_la"])
    ingest(con, [demo_data / "police_uk"])
    assess(con, "E06000022", "2023-01", "2025-04", get_profile(), root / "bundle", permutations=999)
    con.close()
    return render_report(root / "bundle", root / "report", ["html"], produced_on=date(2026, 11, 27)).html


def test_report_has_no_accessibility_violations(browser_page, report_html, look):
    page = browser_page
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(report_html.as_uri())
    assert page.title().startswith("Serious violence strategic needs assessment: Bath and North East Somerset")
    assert all(url.startswith("file://") for url in requests), requests  # no network, no CDN
    broken = page.evaluate("[...document.images].filter(img => !img.complete || img.naturalWidth === 0).length")
    assert broken == 0
    # At 1280, 375 and 320 pixels: axe-core (WCAG 2.2 AA and "region"), no sideways scroll, no console errors.
    look(page, "report-banes")


def test_report_reads_and_navigates_without_javascript(chromium_browser, report_html):
    context = chromium_browser.new_context(viewport={"width": 390, "height": 844}, java_script_enabled=False)
    page = context.new_page()
    page.goto(report_html.as_uri())
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip-link"
    page.keyboard.press("Enter")
    assert page.url.endswith("#main")
    page.click("nav.contents a[href='#where']")
    assert page.locator("#where-heading").is_visible()
    # Data tables behind <details> open without scripts.
    page.locator("details.figure-data summary").first.click()
    assert page.locator("details.figure-data table").first.is_visible()
    context.close()
