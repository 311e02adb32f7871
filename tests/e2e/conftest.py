"""Browser tests: Playwright (sync API) driving Debian's Chromium against pytest-django's live_server."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in this thread; without this, Django refuses database access
# from it (for fixtures that create test data) as "unsafe from an async context".
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

from playwright.sync_api import Browser, Page, sync_playwright  # noqa: E402

REPOSITORY = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
AXE_SOURCE_FILE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.0, 2.1 and 2.2, levels A and AA (the accessibility statement's target is WCAG 2.2 AA).
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
# Best-practice rules checked too: "region" (all content inside landmarks, issue 11).
AXE_EXTRA_RULES = {"region": {"enabled": True}}
FAKE_COVERAGE_REPORT = REPOSITORY / "tests" / "unit" / "portal" / "fakes" / "coverage_report_e06000022.json"
# Set to a folder to keep a screenshot of each page the tests look at, for people to check by eye.
SCREENSHOT_DIR = os.environ.get("E2E_SCREENSHOT_DIR")


def _missing(reason: str) -> None:
    # In CI a missing browser must fail the run, not quietly skip the browser tests.
    if os.environ.get("CI") == "true":
        pytest.fail(reason)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def chromium_browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        _missing(f"{CHROMIUM} is not installed (apt-get install chromium; scripts/setup.sh does this as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def browser_page(chromium_browser: Browser) -> Iterator[Page]:
    """A page in a fresh browser context, with the real Content Security Policy in force.

    `page.console_errors` collects console errors and uncaught exceptions (the browser reports CSP
    violations as console errors), and files the page asked for that did not load (a page's own 404
    status is not one of them).
    """
    context = chromium_browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []

    def on_console(message) -> None:
        # Failed loads are reported below with their URL; the console says only "Failed to load resource".
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            page.console_errors.append(message.text)

    def on_response(response) -> None:
        if response.status >= 400 and not response.request.is_navigation_request():
            page.console_errors.append(f"{response.status} for {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: page.console_errors.append(str(error)))
    page.on("response", on_response)

    def on_request_failed(request) -> None:
        # Chromium cancels a request still in flight when the page navigates away ("net::ERR_ABORTED"),
        # typically the favicon: that is the test moving on, not the page failing.
        if request.failure == "net::ERR_ABORTED":
            return
        page.console_errors.append(f"failed: {request.url} ({request.failure})")

    page.on("requestfailed", on_request_failed)
    yield page
    context.close()


@pytest.fixture
def published_coverage(transactional_db):
    from portal.insights.publishing import publish_coverage_report

    return publish_coverage_report(
        json.loads(FAKE_COVERAGE_REPORT.read_text()),
        area_code="E06000022",
        warehouse_path="/srv/vru/var/warehouse.duckdb",
    )


@pytest.fixture
def accessibility_problems():
    """A function: the axe-core violations on a page, described for an assertion message ("" if none)."""
    return lambda page: describe(axe_violations(page))


@pytest.fixture
def take_screenshot():
    return screenshot


def axe_violations(page: Page) -> list[dict]:
    """Run axe-core on the page as it stands and return its violations of AXE_TAGS rules and of
    AXE_EXTRA_RULES (best-practice ones such as "region": all content inside landmarks).

    axe is evaluated through the DevTools protocol, which the page's Content Security Policy does not
    apply to, so the page is checked with its real policy (no bypass_csp) and no script tag is added.
    """
    if not AXE_SOURCE_FILE.exists():
        _missing(f"{AXE_SOURCE_FILE} is missing: run `npm ci`")
    page.evaluate(AXE_SOURCE_FILE.read_text() + "\n;true")
    result = page.evaluate(
        "([tags, rules]) => axe.run(document, {runOnly: {type: 'tag', values: tags}, rules, "
        "resultTypes: ['violations']})",
        [AXE_TAGS, AXE_EXTRA_RULES],
    )
    return result["violations"]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} {violation['helpUrl']}")
        lines += [f"    {node['target']}: {node['failureSummary']}" for node in violation["nodes"]]
    return "\n".join(lines)


def screenshot(page: Page, name: str) -> None:
    if SCREENSHOT_DIR:
        Path(SCREENSHOT_DIR).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(SCREENSHOT_DIR) / f"{name}.png"), full_page=True)


# Every page is checked at each width: desktop, phone, and the 320 CSS pixels of WCAG's reflow criterion (1.4.10:
# a 1280-pixel page zoomed to 400%), where nothing may scroll sideways but a table in its own focusable box.
WIDTHS = {"desktop": 1280, "phone": 375, "small phone": 320}


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def check_page(page: Page, name: str, widths: dict[str, int] = WIDTHS) -> None:
    """The page as it stands, at each width: no axe-core violations (WCAG 2.2 A and AA, and the best-practice
    "region" rule: nothing outside a landmark), nothing wider than the screen, no console errors; a
    screenshot of each when E2E_SCREENSHOT_DIR is set."""
    for label, width in widths.items():
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"{name}-{label.replace(' ', '-')}")
        problems = describe(axe_violations(page))
        assert not problems, f"{name} at {width} pixels:\n{problems}"
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{name} is {scroll_width} pixels wide at {width}: it scrolls sideways"
    page.set_viewport_size({"width": WIDTHS["desktop"], "height": 900})
    assert page.console_errors == []


@pytest.fixture
def look():
    """`check_page`: every page a browser test opens goes through it, public, staff and error pages alike."""
    return check_page
