"""Staff journeys in a real browser, and axe-core checks of every page the core and accounts apps add.

Each page is checked at desktop (1280 pixels), phone (375) and small phone (320) widths; with E2E_SCREENSHOT_DIR
set, a full-page screenshot of each is kept at each width for people to look at.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from portal.accounts.users import assign_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def seeded_pages(transactional_db):
    """The pages the data migration seeds. Browser tests empty the database after each test (they cannot run
    in a transaction), which removes migrated data, so put the seed back."""
    seed = importlib.import_module("portal.core.migrations.0002_seed_pages")
    seed.seed_pages(django_apps, None)


def make_user(role: str | None, username: str | None = None):
    user = get_user_model().objects.create_user(username or role or "no-role", password=PASSWORD)
    if role:
        assign_role(user, role)
    return user


def sign_in(page: Page, base_url: str, username: str, password: str = PASSWORD, path: str = "/staff/sign-in/"):
    page.goto(base_url + path)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    # Let the page finish loading, its icon too (fetched after the load event), before the next step
    # navigates away: a request cut short counts as a failed load.
    page.wait_for_load_state("networkidle")


def test_a_staff_editor_signs_in_and_edits_a_page(browser_page, live_server, look):
    make_user("editor", username="edith")
    page = browser_page

    # Asking for a staff page first leads to signing in, then back to that page.
    page.goto(live_server.url + "/staff/pages/")
    expect(page).to_have_url(re.compile(r"/staff/sign-in/\?next=/staff/pages/$"))
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(live_server.url + "/staff/pages/")
    expect(page.get_by_text("Signed in as edith")).to_be_visible()

    page.get_by_role("link", name="Edit What the Bath & North East Somerset Violence Reduction Unit does").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "What the Bath & North East Somerset Violence Reduction Unit does"
    )
    body = page.get_by_label("Page text")
    body.fill(body.input_value() + "\n\n## Our next steps\n\n- publish the needs assessment\n- consult partners")
    page.get_by_role("button", name="Save page").click()

    expect(page).to_have_url(live_server.url + "/staff/pages/")
    expect(page.get_by_role("alert")).to_contain_text(
        "“What the Bath & North East Somerset Violence Reduction Unit does” has been saved."
    )
    page.wait_for_load_state("networkidle")

    # The public page shows the new text ...
    page.goto(live_server.url + "/about/what-the-unit-does/")
    expect(page.get_by_role("heading", name="Our next steps")).to_be_visible()
    expect(page.get_by_role("listitem").filter(has_text="publish the needs assessment")).to_be_visible()

    # ... and the audit trail lists the change, by whom, without the text.
    page.get_by_role("link", name="Staff area").click()
    page.get_by_role("link", name="Audit trail").click()
    # Creating edith's account and giving her the role are in the trail too (role changes are audited).
    row = page.get_by_role("row").filter(has_text="edith").filter(has_text="Changed page")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("Changed page “What the Bath & North East Somerset Violence Reduction Unit does”")
    expect(row).to_contain_text("Changed the page text.")
    expect(row).not_to_contain_text("needs assessment")
    assert page.console_errors == []

    # Signing out is a form button (a POST).
    page.get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    page.goto(live_server.url + "/staff/")
    expect(page).to_have_url(re.compile(r"/staff/sign-in/"))


@pytest.mark.parametrize(
    ("path", "name"),
    [
        ("/about/", "about-index"),
        ("/about/why-the-vru-was-set-up/", "about-why"),
        ("/about/what-the-unit-does/", "about-what"),
        ("/about/contact-the-team/", "about-contact"),
        ("/privacy/", "privacy-notice"),
        ("/accessibility-statement/", "accessibility-statement-full"),
        ("/", "home-with-introduction"),
    ],
)
def test_public_pages(browser_page, live_server, look, path, name):
    response = browser_page.goto(live_server.url + path)
    assert response.status == 200
    look(browser_page, name)


def test_sign_in_page_and_its_error_state(browser_page, live_server, look):
    make_user("editor")
    browser_page.goto(live_server.url + "/staff/sign-in/")
    look(browser_page, "sign-in")

    browser_page.get_by_role("button", name="Sign in").click()
    expect(browser_page.get_by_role("alert")).to_contain_text("Enter your username")
    # GOV.UK Frontend moves focus to the error summary.
    expect(browser_page.locator(".govuk-error-summary")).to_be_focused()
    look(browser_page, "sign-in-empty")

    sign_in(browser_page, live_server.url, "editor", "not the password")
    expect(browser_page.get_by_role("alert")).to_contain_text("Enter a correct username and password")
    expect(browser_page.get_by_label("Username")).to_have_value("editor")
    look(browser_page, "sign-in-wrong-password")
    # The error summary's link moves focus to the field.
    browser_page.get_by_role("link", name="Enter a correct username and password").click()
    expect(browser_page.get_by_label("Username")).to_be_focused()


def test_lockout_page(browser_page, live_server, look):
    make_user("editor")
    for attempt in range(5):
        sign_in(browser_page, live_server.url, "editor", f"wrong {attempt}")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("You cannot sign in at the moment")
    expect(browser_page.get_by_text("You can try again in 30 minutes.")).to_be_visible()
    look(browser_page, "lockout")


@pytest.mark.parametrize("role", ["editor", "partner", "administrator"])
def test_staff_index_for_each_role(browser_page, live_server, look, role):
    make_user(role)
    sign_in(browser_page, live_server.url, role)
    expect(browser_page).to_have_url(live_server.url + "/staff/")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Staff area")
    look(browser_page, f"staff-index-{role}")


def test_page_list_edit_form_and_its_error_state(browser_page, live_server, look):
    make_user("editor")
    sign_in(browser_page, live_server.url, "editor", path="/staff/sign-in/?next=/staff/pages/")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("Pages")
    look(browser_page, "staff-pages")

    browser_page.get_by_role("link", name="Edit Why the Violence Reduction Unit has been set up").click()
    look(browser_page, "edit-page")
    browser_page.get_by_text("How to format the page text", exact=True).click()
    expect(browser_page.get_by_text("for a heading, or")).to_be_visible()
    look(browser_page, "edit-page-format-help-open")

    browser_page.get_by_label("Title").fill("")
    browser_page.get_by_label("Page text").fill("Typed text <b>kept</b> on error.")
    browser_page.get_by_label("Month").fill("13")
    browser_page.get_by_role("button", name="Save page").click()
    summary = browser_page.get_by_role("alert")
    expect(summary).to_contain_text("Enter a title")
    expect(summary).to_contain_text("Page text cannot contain HTML, such as <b> and </b>")
    expect(summary).to_contain_text("Date last reviewed must be a real date")
    expect(browser_page.get_by_label("Page text")).to_have_value("Typed text <b>kept</b> on error.")
    expect(browser_page.get_by_label("Month")).to_have_value("13")
    assert browser_page.title().startswith("Error: ")
    look(browser_page, "edit-page-errors")


def test_audit_trail_page(browser_page, live_server, look):
    make_user("administrator")
    sign_in(browser_page, live_server.url, "administrator", path="/staff/sign-in/?next=/staff/pages/")
    browser_page.get_by_role("link", name="Edit Contact the team").click()
    browser_page.get_by_label("Summary").fill("How to reach the team.")
    browser_page.get_by_role("button", name="Save page").click()
    expect(browser_page.get_by_role("alert")).to_contain_text("has been saved")
    browser_page.wait_for_load_state("networkidle")
    browser_page.goto(live_server.url + "/staff/audit/")
    expect(browser_page.get_by_role("row").filter(has_text="Changed the summary.")).to_have_count(1)
    look(browser_page, "audit-trail")


def test_permission_denied_page(browser_page, live_server, look):
    make_user("partner")
    sign_in(browser_page, live_server.url, "partner", path="/staff/sign-in/?next=/staff/pages/")
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("You do not have permission to see this page")
    look(browser_page, "permission-denied")


def test_signed_out_page(browser_page, live_server, look):
    make_user("editor")
    sign_in(browser_page, live_server.url, "editor")
    browser_page.get_by_role("button", name="Sign out").click()
    expect(browser_page.get_by_role("heading", level=1)).to_have_text("You have signed out")
    look(browser_page, "signed-out")


def test_the_staff_bar_on_a_phone(browser_page, live_server, look):
    make_user("editor")
    sign_in(browser_page, live_server.url, "editor")
    browser_page.goto(live_server.url + "/about/what-the-unit-does/")
    expect(browser_page.get_by_role("link", name="Edit this page")).to_be_visible()
    look(browser_page, "about-what-signed-in")
