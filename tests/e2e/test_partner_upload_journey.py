"""A partner uploads a SYNTHETIC file (tests/data/partner_synthetic, made-up records) in a real browser: the
problems page and the scorecard page pass axe-core at desktop and phone widths, and work by keyboard-free
form submission (no JavaScript needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from portal.accounts.models import Organisation
from portal.accounts.users import assign_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "correct horse battery staple"
SYNTHETIC = Path(__file__).resolve().parents[1] / "data" / "partner_synthetic"


def test_a_partner_uploads_a_bad_then_a_good_file(browser_page, live_server, look):
    user = get_user_model().objects.create_user("parveen", password=PASSWORD)
    assign_role(user, "partner")
    Organisation.objects.create(name="Synthetic hospital", slug="synthetic-hospital").members.add(user)
    page = browser_page
    page.goto(live_server.url + "/staff/partner-data/")
    page.get_by_label("Username").fill("parveen")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")
    look(page, "partner-data-empty")

    page.get_by_label("Upload a partner data file").set_input_files(str(SYNTHETIC / "synthetic_bad_many.csv"))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("table")).to_contain_text("attendance_date")
    look(page, "partner-data-problems")

    page.goto(live_server.url + "/staff/partner-data/")
    page.get_by_label("Upload a partner data file").set_input_files(str(SYNTHETIC / "synthetic_ed_assault_good.csv"))
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and check").click()
    page.wait_for_load_state("networkidle")
    expect(page.locator("body")).to_contain_text("6 rows accepted")
    page.goto(live_server.url + "/staff/partner-data/")
    page.wait_for_load_state("networkidle")
    expect(page.get_by_role("table")).to_contain_text("2024-01")
    look(page, "partner-data-scorecard")
