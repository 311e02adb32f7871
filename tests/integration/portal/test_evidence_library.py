"""The evidence library in the portal: loaded from the toolkit's file, the public good practice pages (unread
ratings shown as "not yet checked", harmful approaches flagged), and the audited staff pages."""

from __future__ import annotations

import csv
import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from portal.accounts.models import AuditEvent
from portal.accounts.users import assign_role
from portal.insights.evidence import LIBRARY_FILE
from portal.strategy.loading import load_evidence_library
from portal.strategy.models import Approach, Term, TermKind

pytestmark = pytest.mark.django_db


def text_of(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def sign_in(client, role: str | None = "editor"):
    user = get_user_model().objects.create_user(role or "no-role")
    if role:
        assign_role(user, role)
    client.force_login(user)
    return user


@pytest.fixture
def library(db):
    call_command("load_evidence_library", verbosity=0)
    return Approach.objects.all()


def test_the_shipped_file_is_loaded_once_and_staff_edits_win(library):
    with LIBRARY_FILE.open(encoding="utf-8") as handle:
        rows = {row["slug"]: row for row in csv.DictReader(handle)}
    assert set(library.values_list("slug", flat=True)) == set(rows)
    mentoring = Approach.objects.get(slug="mentoring")
    assert mentoring.impact_statement == rows["mentoring"]["impact_statement"]
    assert mentoring.evidence_rating is None and mentoring.cost_rating is None and not mentoring.verified
    assert Term.names(TermKind.THEME)["weapons"] == "Knife and weapon crime"
    mentoring.description = "Changed by staff"
    mentoring.save()
    assert load_evidence_library() == (0, len(rows))
    assert Approach.objects.get(slug="mentoring").description == "Changed by staff"


def test_public_list_groups_by_band_and_flags_harm(client, library):
    response = client.get("/good-practice/")
    assert response.status_code == 200
    text = text_of(response)
    assert "High impact: 30% or more less violence (YEF band)" in text
    assert "Approaches to avoid" in text and "Scared Straight and prison visits" in text
    assert text.index("Approaches to avoid") < text.index("Scared Straight and prison visits")
    filtered = text_of(client.get("/good-practice/?theme=weapons"))
    assert "Knife crime education programmes" in filtered and "Trauma-specific therapies" not in filtered
    # An unknown theme is ignored, not an error.
    assert client.get("/good-practice/?theme=<script>").status_code == 200


def test_detail_shows_unread_ratings_as_not_yet_checked_and_the_source(client, library):
    text = text_of(client.get("/good-practice/mentoring/"))
    assert "Evidence quality Not yet checked" in text and "Cost Not yet checked" in text
    assert "Age groups Not yet checked" in text and "Date read Not recorded" in text
    assert "average 21% reduction in violence" in text
    assert "Checked against the source Not yet" in text
    harmful = text_of(client.get("/good-practice/prison-awareness/"))
    assert "The evidence finds this approach harmful" in harmful


def test_staff_edit_is_audited_and_a_rejected_form_keeps_what_was_typed(client, library):
    sign_in(client, "editor")
    url = "/good-practice/staff/mentoring/edit/"
    page = client.get(url)
    assert page.status_code == 200 and "Not yet checked (nobody has read it from the source)" in text_of(page)
    entry = Approach.objects.get(slug="mentoring")
    form = {
        "name": entry.name,
        "toolkit": entry.toolkit,
        "description": entry.description,
        "impact_band": "moderate",
        "impact_statement": entry.impact_statement,
        "evidence_rating": "3",
        "cost_rating": "",
        "delivery_settings": entry.delivery_settings,
        "themes": entry.themes,
        "place_based": "false",
        "source_url": entry.source_url,
        "source_title": entry.source_title,
        "verified": "on",
    }
    rejected = client.post(url, form)
    assert rejected.status_code == 200
    assert "Enter the date you read the source" in text_of(rejected)
    assert 'value="3" checked' in rejected.content.decode()
    assert Approach.objects.get(slug="mentoring").evidence_rating is None

    form.update({"date_read_0": "1", "date_read_1": "12", "date_read_2": "2026"})
    saved = client.post(url, form)
    assert saved.status_code == 302
    entry.refresh_from_db()
    assert entry.evidence_rating == 3 and entry.verified and str(entry.date_read) == "2026-12-01"
    event = AuditEvent.objects.get(object_type="strategy.approach", object_id=str(entry.pk))
    assert "evidence quality" in event.summary and "date the source was read" in event.summary


def test_staff_pages_need_the_permission(client, library):
    assert client.get("/good-practice/staff/").status_code == 302  # to sign in
    sign_in(client, "partner")
    assert client.get("/good-practice/staff/").status_code == 403
    assert client.get("/good-practice/staff/mentoring/edit/").status_code == 403
