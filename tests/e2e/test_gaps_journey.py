"""The gaps journey in a real browser: a partner maps a service and answers a consultation; staff approve the
service and tag the answer; the gap register changes. Every page on the way is checked with axe-core at
desktop and phone widths (`look`)."""

from __future__ import annotations

import importlib
import re
from datetime import timedelta

import pytest
from django.apps import apps as django_apps
from django.utils import timezone
from playwright.sync_api import Page, expect
from test_feedback_and_dashboard_journeys import demo_bundle, published_assessment  # noqa: F401
from test_staff_journeys import make_user, sign_in

from portal.accounts.models import Organisation
from portal.consultations.models import Consultation, Question
from portal.gaps.models import GapEntry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
KINGSMEAD = "E05012471"


@pytest.fixture(autouse=True)
def seeded_directory(transactional_db):
    """Browser tests empty the database after each test, which removes migrated data: put the seed back."""
    importlib.import_module("portal.directory.migrations.0002_seed_directory").seed(django_apps, None)


def sign_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()


def register_row(page: Page, base_url: str, theme: str, area: str = "Kingsmead"):
    page.goto(f"{base_url}/gaps/?theme={theme}")
    return page.get_by_role("row").filter(has=page.get_by_role("link", name=re.compile(f"^{area}")))


def test_partner_maps_and_answers_staff_approve_and_tag_and_the_register_changes(
    browser_page,
    live_server,
    look,
    published_assessment,  # noqa: F811
):
    page = browser_page
    partner = make_user("partner", username="pat")
    organisation = Organisation.objects.create(name="Bath Youth Outreach", slug="bath-youth-outreach")
    organisation.members.add(partner)
    make_user("editor", username="edith")
    consultation = Consultation.objects.create(
        title="Gaps in support for young people",
        introduction="Tell us what is missing, and where.",
        closes_on=timezone.localdate() + timedelta(days=14),
    )
    Question.objects.create(
        consultation=consultation, text="What is missing for young people in Kingsmead?", area_code=KINGSMEAD
    )

    # Before: staff see no provision for education and employment in Kingsmead.
    sign_in(page, live_server.url, "edith")
    row = register_row(page, live_server.url, "education-employment")
    expect(row).to_contain_text("0.00")
    look(page, "gap-register")
    sign_out(page)

    # A partner describes a service.
    sign_in(page, live_server.url, "pat")
    page.goto(live_server.url + "/services/mapping/")
    look(page, "mapping-list")
    page.get_by_role("button", name="Describe a service").click()
    page.get_by_label("Name of the service").fill("Kingsmead skills club")
    page.get_by_label("What it does").fill("Training and work tasters for young people, after school.")
    page.get_by_label("Education and employment").check()
    page.get_by_label("Youngest age served").fill("14")
    page.get_by_label("Oldest age served").fill("21")
    page.get_by_label("Where it serves").fill(KINGSMEAD)
    page.get_by_label("Places a week").fill("30")
    look(page, "mapping-form")
    page.get_by_role("button", name="Send to the unit").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Staff will check it")
    expect(page.get_by_text("Waiting for the unit")).to_be_visible()

    # ... and answers the consultation: a draft first, then sends it.
    page.goto(live_server.url + "/consultations/")
    page.get_by_role("link", name="Gaps in support for young people").click()
    answer = "Nothing for care leavers in the evenings."
    page.get_by_label("What is missing for young people in Kingsmead?").fill(answer)
    page.get_by_role("button", name="Save as draft").click()
    expect(page.get_by_label("What is missing for young people in Kingsmead?")).to_have_value(answer)
    look(page, "consultation-answer")
    page.get_by_role("button", name="Send your organisation's answers").click()
    expect(page.get_by_text("Sent", exact=True)).to_be_visible()
    sign_out(page)

    # Staff approve the service and tag the answer.
    sign_in(page, live_server.url, "edith")
    page.goto(live_server.url + "/services/staff/")
    look(page, "directory-staff")
    page.get_by_role("button", name="Approve Kingsmead skills club").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("is now in the public directory")
    page.goto(live_server.url + "/consultations/staff/")
    page.get_by_role("link", name="Gaps in support for young people").click()
    look(page, "consultation-results")
    page.get_by_label("Family support").check()
    page.get_by_role("button", name=re.compile("Save themes")).click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The themes have been saved")

    # The register has changed: Kingsmead's education and employment gap has closed below the threshold (so it
    # leaves the register), and a practice gap for family support has come in.
    row = register_row(page, live_server.url, "education-employment")
    expect(row).to_have_count(0)
    entry = GapEntry.objects.get(area_code=KINGSMEAD, theme="education-employment")
    assert entry.provision > 0 and entry.components["service_count"] == 1 and not entry.in_register
    row = register_row(page, live_server.url, "family-support")
    expect(row.locator("td").nth(5)).to_have_text("1")  # practice answers
    page.get_by_role("link", name=re.compile("^Kingsmead")).first.click()
    expect(page.get_by_text(answer)).to_be_visible()
    look(page, "gap-entry")

    # The public see the approved service in the directory and the API.
    page.goto(live_server.url + "/services/?theme=education-employment")
    expect(page.get_by_role("link", name="Kingsmead skills club")).to_be_visible()
    look(page, "directory-public")
