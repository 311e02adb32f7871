"""The evidence library, monitoring and strategy pages in a real browser: axe-core at desktop and phone width,
nothing wider than the screen, no console errors, and an editor turning a candidate into an action. The data
are the committed demo extract's real B&NES rows, run through the toolkit."""

from __future__ import annotations

import json
from datetime import date

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from portal.insights.assessments import publish_assessment
from portal.publication.releases import approve_from_command_line
from portal.strategy.drafting import draft_strategy
from portal.strategy.evaluation import publish_evaluation
from portal.strategy.models import Action
from portal.strategy.monitoring import publish_monitoring
from tests.e2e.test_staff_journeys import make_user, sign_in
from vru.assessment import assess
from vru.evaluation import evaluation
from vru.monitoring import monitoring_table, write_monitoring
from vru.profiles import get_profile
from vru.warehouse import connect
from vru.warehouse.ingest import ingest
from vru.warehouse.reference import load_reference

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def toolkit_outputs(tmp_path_factory, demo_data):
    folder = tmp_path_factory.mktemp("strategy-e2e")
    con = connect(folder / "warehouse.duckdb")
    load_reference(con, [demo_data / "geography", demo_data / "deprivation", demo_data / "population"])
    ingest(con, [demo_data / "police_uk"])
    assess(con, "E06000022", "2023-01", "2025-04", get_profile(), folder / "bundle", permutations=99)
    monitoring = write_monitoring(
        monitoring_table(con, "E06000022", "2023-01", "2025-04", "2025-04"), folder / "monitoring.json"
    )
    # The evaluation aid for Kingsmead from September 2024, as `vru evaluate --out` writes it.
    result = evaluation(con, "E06000022", ["E05012471"], "2024-09", "2023-01", "2025-04")
    con.close()
    evaluated = folder / "evaluation.json"
    evaluated.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder / "bundle", monitoring, evaluated


@pytest.fixture
def published(transactional_db, toolkit_outputs, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    bundle, monitoring, _ = toolkit_outputs
    approve_from_command_line(publish_assessment(bundle), "Test approver")  # a strategy rests on an approved one
    publish_monitoring(monitoring)
    call_command("load_evidence_library", verbosity=0)
    return draft_strategy("E06000022", date(2027, 1, 1), date(2029, 12, 31))


def test_public_good_practice_and_monitoring(browser_page, live_server, look, published):
    page = browser_page
    page.goto(live_server.url + "/good-practice/")
    look(page, "good-practice")
    page.get_by_label("Show approaches for").select_option("weapons")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_text("Knife crime education programmes")).to_be_visible()
    page.get_by_role("link", name="Knife crime education programmes").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Knife crime education programmes")
    look(page, "good-practice-approach")
    page.goto(live_server.url + "/monitoring/")
    expect(
        page.get_by_role("img", name="Robbery, Whole area (Bath and North East Somerset)", exact=False)
    ).to_be_visible()
    look(page, "monitoring")
    page.goto(live_server.url + "/strategy/")
    look(page, "public-strategy-none-agreed")


def test_an_editor_turns_a_candidate_into_an_action(browser_page, live_server, look, published, toolkit_outputs):
    make_user("editor", username="edith")
    page = browser_page
    sign_in(page, live_server.url, "edith")
    page.goto(live_server.url + f"/strategy/staff/{published.pk}/")
    look(page, "strategy-draft")
    page.get_by_role("link", name="Turn into an action").first.click()
    look(page, "strategy-action-form")
    page.get_by_label("Owner").fill("Avon and Somerset Police")
    page.get_by_label("Budget in pounds (optional)").fill("45000")
    page.get_by_label("Robbery: Whole area", exact=False).check()
    page.get_by_role("button", name="Add action").click()
    expect(page.get_by_text("has been added to the strategy")).to_be_visible()
    page.get_by_role("link", name="no evaluation yet").click()
    expect(page.get_by_text("No evaluation has been published for this action yet.")).to_be_visible()
    look(page, "strategy-action-evaluation-none")
    publish_evaluation(toolkit_outputs[2], Action.objects.get().pk)
    page.reload()
    expect(page.get_by_role("region", name="Crimes a month", exact=False)).to_be_visible()
    look(page, "strategy-action-evaluation")
    page.goto(live_server.url + f"/strategy/staff/{published.pk}/board-pack/")
    look(page, "strategy-board-pack")
    page.goto(live_server.url + "/good-practice/staff/mentoring/edit/")
    look(page, "good-practice-staff-form")
