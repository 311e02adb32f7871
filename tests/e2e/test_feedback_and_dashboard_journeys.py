"""Feedback and dashboard journeys in a real browser, and axe-core checks of their pages.

Each page is checked at desktop (1280 pixels), phone (375) and small phone (320) widths; with E2E_SCREENSHOT_DIR set,
a full-page screenshot of each is kept at each width for people to look at.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from portal.accounts.users import assign_role

pytestmark = [pytest.mark.browser]

REPOSITORY = Path(__file__).resolve().parents[2]
DEMO = REPOSITORY / "data" / "demo"
PASSWORD = "correct horse battery staple"
MESSAGE = "Please add the youth service's drop-in times to the resources page."


# --- Helpers ----------------------------------------------------------------------------------------------


def make_user(role: str, username: str):
    user = get_user_model().objects.create_user(username, password=PASSWORD)
    assign_role(user, role)
    return user


def sign_in(page: Page, base_url: str, username: str, path: str = "/staff/sign-in/") -> None:
    page.goto(base_url + path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def fill_feedback(page: Page, message: str = MESSAGE) -> None:
    page.get_by_label("Resources, services or contacts").check()
    page.get_by_label("Your message").fill(message)


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def demo_bundle(tmp_path_factory) -> Path:
    """An assessment bundle from the committed demo extract (as tests/integration/portal builds it)."""
    from vru.assessment import assess
    from vru.profiles import get_profile
    from vru.warehouse import connect
    from vru.warehouse.ingest import ingest
    from vru.warehouse.partner import load_partner_tables
    from vru.warehouse.reference import load_reference

    directory = tmp_path_factory.getbasetemp() / "vru-demo-bundle"
    bundle = directory / "bundle"
    if not (bundle / "summary.json").is_file():
        con = connect(directory / "warehouse.duckdb")
        try:
            load_reference(con, [DEMO / "geography", DEMO / "deprivation", DEMO / "population"])
            load_partner_tables(con, [DEMO / "recorded_crime", DEMO / "partner_la"])
            ingest(con, [DEMO / "police_uk"])
            assess(con, "E06000022", "2023-01", "2025-04", get_profile(), bundle, permutations=99)
        finally:
            con.close()
    return bundle


@pytest.fixture
def published_assessment(transactional_db, demo_bundle, settings, tmp_path):
    from portal.insights.assessments import publish_assessment
    from portal.publication.releases import approve_from_command_line

    settings.VAR_DIR = tmp_path / "var"
    assessment = publish_assessment(demo_bundle)
    approve_from_command_line(assessment, "Test approver")  # the public sees approved assessments only
    return assessment


# --- Feedback survives a server restart -----------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`manage.py runserver --noreload` in its own process, on its own SQLite database."""

    def __init__(self, directory: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        environment = {
            name: value
            for name, value in os.environ.items()
            if not name.startswith(("DJANGO_", "VRU_")) and name != "DATABASE_URL"
        }
        environment.update(
            DJANGO_DEBUG="true",  # plain http on this machine: session cookies without HTTPS
            DJANGO_SECRET_KEY="only-for-the-restart-test",
            DATABASE_URL=f"sqlite:///{directory / 'portal.sqlite3'}",
            VRU_VAR_DIR=str(directory / "var"),
            DJANGO_LOG_LEVEL="WARNING",
            VRU_NEW_USER_PASSWORD=PASSWORD,
        )
        self.environment = environment
        self.process: subprocess.Popen | None = None

    def manage(self, *arguments: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *arguments],
            cwd=REPOSITORY,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "manage.py", "runserver", f"127.0.0.1:{self.port}", "--noreload"],
            cwd=REPOSITORY,
            env=self.environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            assert self.process.poll() is None, "the server stopped while starting"
            time.sleep(0.2)
        raise AssertionError("the server did not start within 60 seconds")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None


@pytest.fixture
def server(tmp_path):
    running = Server(tmp_path)
    running.manage("migrate", "--noinput")
    yield running
    running.stop()


def test_feedback_survives_a_server_restart(server, chromium_browser):
    server.start()
    context = chromium_browser.new_context()
    page = context.new_page()
    try:
        page.goto(server.url + "/feedback/")
        fill_feedback(page)
        page.get_by_role("button", name="Send message").click()
        expect(page.get_by_role("heading", name="Message sent")).to_be_visible()
    finally:
        context.close()

    server.stop()
    assert "Created the VRU editor account" in server.manage(
        "create_staff_user", "--username", "edith", "--email", "edith@example.org", "--role", "editor"
    )
    server.start()

    context = chromium_browser.new_context()
    page = context.new_page()
    try:
        sign_in(page, server.url, "edith", path="/staff/sign-in/?next=/feedback/staff/")
        expect(page).to_have_url(server.url + "/feedback/staff/")
        expect(page.get_by_role("heading", name="Feedback inbox", level=1)).to_be_visible()
        expect(page.get_by_text(MESSAGE[:60])).to_be_visible()
        page.get_by_role("link", name=re.compile(r"Message \d+")).first.click()
        expect(page.get_by_text(MESSAGE)).to_be_visible()
    finally:
        context.close()


# --- Who may see the inbox --------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_partner_cannot_reach_the_staff_inbox(browser_page, live_server):
    make_user("partner", "parveen")
    sign_in(browser_page, live_server.url, "parveen")
    response = browser_page.goto(live_server.url + "/feedback/staff/")
    assert response.status == 403
    expect(browser_page.get_by_text(MESSAGE)).to_have_count(0)
    # The staff area offers them no link to it.
    browser_page.goto(live_server.url + "/staff/")
    expect(browser_page.get_by_role("link", name="Feedback inbox")).to_have_count(0)


# --- Accessibility of every page ------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_the_feedback_form_its_errors_and_the_thank_you_page(browser_page, live_server, look):
    page = browser_page
    page.goto(live_server.url + "/feedback/")
    look(page, "feedback-form")

    # Errors: the summary takes focus and links to each field; what was typed stays.
    page.get_by_label("Your message").fill("Kept after the error")
    page.get_by_label("Your email address, if you would like a reply").fill("not-an-address")
    page.get_by_role("button", name="Send message").click()
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary.get_by_role("link", name="Select what your message is about")).to_be_visible()
    expect(page.get_by_label("Your message")).to_have_value("Kept after the error")
    look(page, "feedback-form-errors")
    summary.get_by_role("link", name="Select what your message is about").click()
    expect(page.locator("#topic")).to_be_focused()

    # The honeypot cannot be reached with the keyboard.
    assert page.locator("#website").get_attribute("tabindex") == "-1"
    expect(page.locator("#website")).not_to_be_in_viewport()

    page.get_by_label("Your email address, if you would like a reply").fill("")
    fill_feedback(page)
    page.get_by_role("button", name="Send message").click()
    expect(page.get_by_role("heading", name="Message sent")).to_be_visible()
    look(page, "feedback-thank-you")


@pytest.mark.django_db(transaction=True)
def test_the_inbox_list_and_detail(browser_page, live_server, look):
    from portal.feedback.models import FeedbackMessage

    FeedbackMessage.objects.create(
        topic="website", message=MESSAGE, name="Sam", email="sam@example.org", may_contact=True
    )
    FeedbackMessage.objects.create(topic="other", message="A second message", status="done")
    make_user("editor", "edith")
    page = browser_page
    sign_in(page, live_server.url, "edith", path="/staff/sign-in/?next=/feedback/staff/")
    expect(page.get_by_role("heading", name="Feedback inbox", level=1)).to_be_visible()
    look(page, "feedback-inbox")

    page.get_by_role("link", name=re.compile(r"Message \d+ about this website")).click()
    expect(page.get_by_text(MESSAGE)).to_be_visible()
    look(page, "feedback-inbox-message")

    page.get_by_label("In progress").check()
    page.get_by_label("Staff notes").fill("Replied by email")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved: status changed from New to In progress; staff notes edited.")).to_be_visible()
    look(page, "feedback-inbox-message-saved")

    page.get_by_role("link", name="Delete this message").click()
    look(page, "feedback-inbox-delete")
    page.get_by_role("button", name="Delete message").click()
    expect(page.get_by_text("The message was deleted.")).to_be_visible()
    expect(page.get_by_text(MESSAGE[:60])).to_have_count(0)


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_pages(browser_page, live_server, look, published_assessment):
    page = browser_page
    page.goto(live_server.url + "/dashboard/")
    expect(page.get_by_role("heading", name="Serious violence in Bath and North East Somerset")).to_be_visible()
    expect(page.get_by_role("img", name=re.compile(r"^Crimes in the definition each month"))).to_be_visible()
    expect(page.get_by_role("heading", name="Priorities for the partnership")).to_be_visible()
    expect(page.get_by_role("table", name=re.compile(r"^Places named as priorities"))).to_be_visible()
    look(page, "dashboard-overview")
    page.get_by_text("Show the monthly figures as a table").click()
    expect(page.get_by_role("table", name=re.compile(r"^Crimes counted each month"))).to_be_visible()

    for link, name in [
        ("Neighbourhoods", "dashboard-neighbourhoods"),
        ("Wards", "dashboard-wards"),
        ("Hot spots", "dashboard-hot-spots"),
        ("Comparison with other areas", "dashboard-comparison"),
    ]:
        page.get_by_role("navigation", name="Needs assessment pages").get_by_role("link", name=link).click()
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        look(page, name)
    expect(page.get_by_role("heading", name="England and Wales and similar partnerships")).to_be_visible()


@pytest.mark.django_db(transaction=True)
def test_the_staff_dashboard_page(browser_page, live_server, look, published_assessment):
    make_user("partner", "parveen")
    sign_in(browser_page, live_server.url, "parveen", path="/staff/sign-in/?next=/dashboard/staff/")
    expect(browser_page.get_by_role("heading", name="Staff detail", level=1)).to_be_visible()
    look(browser_page, "dashboard-staff")


@pytest.mark.django_db(transaction=True)
def test_the_dashboard_before_anything_is_published(browser_page, live_server, look):
    browser_page.goto(live_server.url + "/dashboard/")
    expect(browser_page.get_by_text("has not been published to this website yet")).to_be_visible()
    look(browser_page, "dashboard-not-published")
