"""Issue 11's journeys in a real browser: the analyst (pick a ward, read its profile, download its tables), the
editor (add a page with a preview, add a local contact and
be warned about a duplicate address, handle feedback: assign and reply) and the partner (ask for an account,
an administrator approves it, choose a password, see the organisation's work). Each checks the order of what
is shown, and each page axe-core with zero violations (best-practice "region" included) at 1280, 375 and 320
pixels, with no horizontal scroll."""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.core import mail
from playwright.sync_api import Page, expect
from test_feedback_and_dashboard_journeys import demo_bundle  # noqa: F401 (the session fixture)
from test_staff_journeys import make_user, sign_in

from portal.accounts.models import Organisation
from portal.feedback.models import FeedbackMessage

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def seeded_content(transactional_db):
    """Browser tests empty the database after each test, migrated rows included: put the seeds back."""
    importlib.import_module("portal.core.migrations.0002_seed_pages").seed_pages(django_apps, None)


def top(page: Page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def test_an_editor_adds_a_page_after_previewing_it(browser_page, live_server, look):
    make_user("editor", username="edith")
    page = browser_page
    sign_in(page, live_server.url, "edith", path="/staff/sign-in/?next=/staff/pages/")
    page.get_by_role("link", name="Add a page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add a page")
    page.get_by_label("Title").fill("Our partners")
    page.get_by_label("Summary").fill("Who the unit works with.")
    page.get_by_label("Page text").fill(
        "## Statutory partners\n\n- Bath and North East Somerset Council\n- Avon and Somerset Police"
    )
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("12")
    page.get_by_label("Year").fill("2026")
    page.get_by_role("button", name="Preview").click()

    # The preview comes first, then the form with what was typed, then the buttons.
    preview = page.get_by_role("region", name="Preview: not saved yet")
    expect(preview.get_by_role("heading", name="Statutory partners")).to_be_visible()
    expect(preview.get_by_role("listitem")).to_have_text(
        ["Bath and North East Somerset Council", "Avon and Somerset Police"]
    )
    assert top(page, ".portal-preview") < top(page, "#id_title") < top(page, "button[name=preview]")
    expect(page.get_by_label("Page text")).to_have_value(re.compile("Avon and Somerset Police$"))
    look(page, "editor-page-preview")

    page.get_by_role("button", name="Add page").click()
    expect(page.get_by_role("alert")).to_contain_text("“Our partners” has been added.")
    page.goto(live_server.url + "/about/our-partners/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Our partners")


def test_an_editor_adds_a_contact_and_is_warned_about_an_address_already_held(browser_page, live_server, look):
    make_user("editor", username="edith")
    page = browser_page
    sign_in(page, live_server.url, "edith", path="/staff/sign-in/?next=/worried-about-someone/staff/contacts/")

    def fill_contact(name: str, url: str) -> None:
        page.get_by_role("link", name="Add a local contact").click()
        page.get_by_label("Name").fill(name)
        page.get_by_label("When to use it").fill("Young people aged 13 to 17 who want to talk to a youth worker.")
        page.get_by_label("Website").fill(url)
        page.get_by_label("Bath and North East Somerset").check()
        page.get_by_label("Support service").check()

    # A made-up contact for a form test: it is never published.
    fill_contact("Example youth drop-in", "https://www.example.org/drop-in/")
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("alert")).to_contain_text("“Example youth drop-in” has been added.")

    fill_contact("Drop-in, entered again", "http://example.org/drop-in")
    page.get_by_role("button", name="Add contact").click()
    warning = page.locator(".govuk-warning-text").filter(has_text="Another local contact already has this web address")
    expect(warning).to_be_visible()
    # The warning and its "save it anyway" box come just before the buttons.
    assert (
        top(page, "#id_published")
        < top(page, ".govuk-warning-text")
        < top(page, "#save_anyway")
        < top(page, "button[name=preview]")
    )
    look(page, "editor-contact-duplicate-warning")
    page.get_by_label("Save it anyway").check()
    page.get_by_role("button", name="Add contact").click()
    expect(page.get_by_role("alert")).to_contain_text("“Drop-in, entered again” has been added.")


def test_an_editor_assigns_and_replies_to_feedback(browser_page, live_server, look):
    make_user("editor", username="edith")
    # A made-up message (a form test): the sender gave an address, so a reply is emailed.
    message = FeedbackMessage.objects.create(
        topic="resources", message="Please add the youth drop-in at https://www.example.org/a-very-long-address-"
        "that-must-wrap-on-a-phone-screen/", email="sam@example.org", may_contact=True,
    )  # fmt: skip
    page = browser_page
    sign_in(page, live_server.url, "edith", path="/staff/sign-in/?next=/feedback/staff/")
    look(page, "feedback-inbox")

    page.get_by_role("link", name=f"Message {message.pk}").click()
    # What staff read first, then what they do: the message, the replies, then the forms.
    headings = page.locator("main h2").all_inner_texts()
    assert (
        headings.index("Message")
        < headings.index("Assigned to")
        < headings.index("Replies")
        < headings.index("Reply")
        < headings.index("Status")
    )
    page.get_by_label("Assigned to").select_option(label="edith")
    page.get_by_role("button", name="Assign").click()
    expect(page.get_by_role("alert")).to_contain_text("Assigned to edith.")
    page.get_by_label("Reply").fill("Thank you: we have added it.")
    page.get_by_role("button", name="Send reply").click()
    expect(page.get_by_role("alert")).to_contain_text("Your reply has been emailed to the sender and recorded.")
    expect(page.locator(".govuk-summary-card").filter(has_text="(emailed)")).to_contain_text(
        "Thank you: we have added it."
    )
    assert [email.to for email in mail.outbox] == [["sam@example.org"]]
    look(page, "feedback-message-replied")

    page.goto(live_server.url + "/feedback/staff/?mine=on")
    expect(page.get_by_role("link", name=f"Message {message.pk}")).to_be_visible()


def test_the_feedback_form_counts_characters_and_keeps_an_error_state_accessible(browser_page, live_server, look):
    page = browser_page
    page.goto(live_server.url + "/feedback/")
    look(page, "feedback-form")
    page.get_by_label("Your message").fill("Hello")
    # GOV.UK Frontend's character count replaces the static limit with what is left.
    expect(page.locator(".govuk-character-count__status")).to_have_text("You have 4,995 characters remaining")
    page.get_by_label("Your email address, if you would like a reply (optional)").fill("sam@example.org")
    page.get_by_role("button", name="Send message").click()
    # The only problem is the missing topic: an email address needs no box ticked.
    expect(page.locator(".govuk-error-summary__list li")).to_have_text(["Select what your message is about"])
    look(page, "feedback-form-error")


def test_a_partner_asks_for_an_account_and_finds_their_organisations_work(browser_page, live_server, look):
    page = browser_page
    page.goto(live_server.url + "/staff/sign-in/")
    page.get_by_role("link", name="ask for a partner account").click()
    look(page, "request-account")
    page.get_by_role("button", name="Send request").click()
    expect(page.locator(".govuk-error-summary__list li").first).to_have_text("Enter your full name")
    look(page, "request-account-errors")
    # A made-up person (a journey test).
    page.get_by_label("Full name").fill("Priya Example")
    page.get_by_label("Work email address").fill("priya@school.example.org")
    page.get_by_label("Organisation").fill("Example Secondary School")
    page.get_by_label("Job title").fill("Designated safeguarding lead")
    page.get_by_label("What will you use the account for?").fill("Keeping our support sessions up to date.")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Request sent")

    # An administrator approves it into a new organisation.
    make_user("administrator", username="ada")
    sign_in(page, live_server.url, "ada", path="/staff/sign-in/?next=/staff/account-requests/")
    page.get_by_role("link", name=re.compile(r"Request \d+")).click()
    look(page, "account-request-decide")
    page.get_by_label("Name of the new organisation").fill("Example Secondary School")
    page.get_by_role("button", name="Approve and email the password link").click()
    expect(page.get_by_role("alert")).to_contain_text("has been made, and its password link emailed")
    page.get_by_role("button", name="Sign out").click()

    # The partner chooses a password from the emailed link and signs in.
    link = re.search(r"https?://\S+/staff/set-password/\S+", mail.outbox[-1].body).group(0)
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose your password")
    look(page, "set-password")
    page.get_by_label("New password", exact=True).fill("three random words together")
    page.get_by_label("New password confirmation").fill("three random words together")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Password saved")
    sign_in(page, live_server.url, "priya", "three random words together")
    page.get_by_role("link", name="Your organisation’s work").click()

    # The organisation and its people first, then the tasks, in order.
    headings = page.locator("main h2, main h3").all_inner_texts()
    assert headings[:2] == ["Example Secondary School", "What you can do"]
    assert headings[2:5] == [
        "Suggest a resource, service or contact",
        "Read the needs assessment in detail",
        "Ask for an account for a colleague",
    ]
    expect(page.get_by_text("Priya Example (priya) (you)")).to_be_visible()
    assert Organisation.objects.get().members.get().username == "priya"
    look(page, "partner-dashboard")
    page.get_by_role("link", name="Suggest a resource, service or contact").click()
    expect(page.get_by_label("Resources, services or contacts")).to_be_checked()


@pytest.fixture
def approved_assessment(transactional_db, demo_bundle, settings, tmp_path):  # noqa: F811 (the imported fixture)
    from portal.insights.assessments import publish_assessment
    from portal.publication.releases import approve_from_command_line

    settings.VAR_DIR = tmp_path / "var"
    assessment = publish_assessment(demo_bundle)
    approve_from_command_line(assessment, "Dana Demo")
    return assessment


def test_an_analyst_picks_a_ward_reads_its_profile_and_downloads_its_tables(
    browser_page, live_server, look, approved_assessment
):
    ward = min(approved_assessment.tables["ward"], key=lambda row: row["rank"])  # the highest rate
    page = browser_page
    page.goto(live_server.url + "/dashboard/places/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wards and neighbourhoods")
    look(page, "places-picker")
    page.get_by_label("Ward", exact=True).select_option(label=ward["ward_name"])
    page.get_by_role("button", name="Show the ward").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(ward["ward_name"])
    # First the figures, then the findings, then the tables (each followed by its download), then the definitions.
    expect(page.locator("main dl").first).to_contain_text(f"Rank among {len(approved_assessment.tables['ward'])} wards")
    order = [
        ".govuk-summary-list",
        f"text=Key findings that mention {ward['ward_name']}",
        "#years-caption",
        "a[href$='/years.csv']",
        "#categories-caption",
        "a[href$='/categories.csv']",
        "#neighbourhoods-caption",
        "a[href$='/neighbourhoods.csv']",
        "#about-the-figures",
    ]
    positions = [top(page, selector) for selector in order]
    assert positions == sorted(positions), positions
    look(page, "places-ward-profile")
    with page.expect_download() as download:
        page.locator("a[href$='/neighbourhoods.csv']").click()
    assert download.value.suggested_filename == f"{ward['ward_code']}-neighbourhoods.csv"

    page.locator("table", has=page.locator("#neighbourhoods-caption")).get_by_role("link").first.click()
    expect(page.get_by_text(f"In the ward of {ward['ward_name']}")).to_be_visible()
    look(page, "places-neighbourhood-profile")
