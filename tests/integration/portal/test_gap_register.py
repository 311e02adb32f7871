"""The gap register from the demo assessment (real B&NES data): need checked against a plain pandas count
of the bundle's LSOA table, and the register changing when staff approve a mapped service and tag an answer."""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
import pytest
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import Organisation as PartnerOrganisation
from portal.accounts.users import create_staff_user
from portal.consultations.models import Answer, Consultation, Question, Response
from portal.directory.models import Organisation, Service
from portal.directory.themes import THEMES
from portal.gaps.models import GapEntry
from portal.gaps.register import ensure_current, rebuild
from portal.insights.assessments import publish_assessment

# The strategy and the gap register rest on the approved assessment: each one published here is approved.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("approve_on_publishing")]
PASSWORD = "a long enough pass phrase"
KINGSMEAD = "E05012471"


@pytest.fixture
def published(demo_bundle, settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    return publish_assessment(demo_bundle)


def test_every_ward_and_theme_is_scored_and_need_matches_the_bundle(published, demo_bundle):
    rebuild()
    wards = pd.read_parquet(demo_bundle / "ward.parquet")
    lsoa = pd.read_parquet(demo_bundle / "lsoa.parquet")
    assert GapEntry.objects.exclude(gap=None).count() == len(wards) * len(THEMES)
    # Independent count: the share of Kingsmead's residents in LSOAs that are hot spots or High-High clusters.
    ward_lsoas = lsoa[lsoa["ward_code"] == KINGSMEAD]
    in_cluster = ward_lsoas[(ward_lsoas["hotspot"] == "hot spot") | (ward_lsoas["moran_cluster"] == "High-High")]
    expected_clusters = in_cluster["population_total"].sum() / ward_lsoas["population_total"].sum()
    entry = GapEntry.objects.get(area_code=KINGSMEAD, theme="youth-support")
    assert entry.components["clusters"] == pytest.approx(expected_clusters, abs=1e-4)
    # Excess: the lower 95% bound of the ward rate against the population-weighted area rate.
    area_rate = (wards["rate_per_1000"] * wards["population_total"]).sum() / wards["population_total"].sum()
    row = wards.set_index("ward_code").loc[KINGSMEAD]
    assert entry.components["excess"] == pytest.approx(min(1, max(0, row["rate_lower"] / area_rate - 1)), abs=1e-4)
    # Seeded services have no coordinates, so distance is unknown everywhere, and said so.
    assert entry.components["distance"] is None and entry.components["nearest_km"] is None


def test_approving_a_mapped_service_and_tagging_an_answer_change_the_register(client, published):
    ensure_current()
    before = GapEntry.objects.get(area_code=KINGSMEAD, theme="education-employment")
    assert before.components["service_count"] == 0 and before.provision == 0

    partner = create_staff_user("pat", "pat@example.org", "partner", PASSWORD)
    partner_organisation = PartnerOrganisation.objects.create(name="Bath Youth Outreach", slug="bath-youth-outreach")
    partner_organisation.members.add(partner)
    organisation = Organisation.objects.create(
        name="Bath Youth Outreach", description="x", partner=partner_organisation
    )
    service = Service.objects.create(
        organisation=organisation,
        name="Kingsmead skills club",
        description="Training for young people.",
        minimum_age=14,
        maximum_age=21,
        capacity_per_week=30,
        proposed_by=partner,
    )
    service.attributes.create(taxonomy_term_id=THEMES[6].id)
    service.service_areas.create(uri=f"http://statistics.data.gov.uk/id/statistical-geography/{KINGSMEAD}")
    ensure_current()
    assert GapEntry.objects.get(pk=before.pk).provision == 0  # not published yet: no change

    editor = create_staff_user("eddie", "eddie@example.org", "editor", PASSWORD)
    client.force_login(editor)
    client.post(reverse("directory:staff_approve", args=[service.id]))
    page = client.get(reverse("gaps:register") + "?theme=education-employment")
    assert page.status_code == 200
    after = GapEntry.objects.get(pk=before.pk)
    assert after.components["service_count"] == 1 and after.provision > 0
    assert after.gap < before.gap

    consultation = Consultation.objects.create(
        title="Gaps", introduction="x", closes_on=timezone.localdate() + timedelta(days=5)
    )
    question = Question.objects.create(consultation=consultation, text="What is missing?", area_code=KINGSMEAD)
    response = Response.objects.create(
        consultation=consultation, channel="partners", organisation=partner_organisation, submitted_at=timezone.now()
    )
    answer = Answer.objects.create(response=response, question=question, text="Nothing for care leavers at night.")
    client.post(reverse("consultations:staff_tag", args=[answer.pk]), {"themes": ["family-support"]})
    page = client.get(reverse("gaps:register") + "?theme=family-support").content.decode()
    practice = GapEntry.objects.get(area_code=KINGSMEAD, theme="family-support")
    assert practice.practice_answers == 1 and practice.in_register
    assert practice.practice_evidence[0]["excerpt"] == "Nothing for care leavers at night."
    assert "Kingsmead" in page and 'id="gap-map-title"' in page


def test_staff_set_owner_and_status_and_rebuilds_keep_them(client, published):
    rebuild()
    editor = create_staff_user("eddie", "eddie@example.org", "editor", PASSWORD)
    client.force_login(editor)
    entry = GapEntry.objects.filter(in_register=True).first()
    response = client.post(
        reverse("gaps:entry", args=[entry.pk]), {"owner": editor.pk, "status": "in-progress", "note": "Commissioning"}
    )
    assert response.status_code == 302
    rebuild()
    entry.refresh_from_db()
    assert (entry.owner, entry.status, entry.note) == (editor, "in-progress", "Commissioning")

    partner = create_staff_user("pat", "pat@example.org", "partner", PASSWORD)
    client.force_login(partner)
    assert client.get(reverse("gaps:register")).status_code == 200
    client.post(reverse("gaps:entry", args=[entry.pk]), {"status": "addressed"})
    entry.refresh_from_db()
    assert entry.status == "in-progress"  # partners read the register; they cannot change it


def test_the_public_register_for_the_report_identifies_nobody(client, published, tmp_path, demo_bundle):
    import json
    import shutil

    from django.core.management import call_command

    editor = create_staff_user("eddie", "eddie@example.org", "editor", PASSWORD)
    partner_organisation = PartnerOrganisation.objects.create(name="Secret Youth Project", slug="secret")
    consultation = Consultation.objects.create(title="Gaps", introduction="x", closes_on=timezone.localdate())
    question = Question.objects.create(consultation=consultation, text="What is missing?", area_code=KINGSMEAD)
    response = Response.objects.create(
        consultation=consultation, channel="partners", organisation=partner_organisation, submitted_at=timezone.now()
    )
    Answer.objects.create(
        response=response, question=question, text="Ask J. Smith at 12 High St", themes=["exploitation"]
    )
    rebuild()
    entry = GapEntry.objects.get(area_code=KINGSMEAD, theme="exploitation")
    entry.owner, entry.note = editor, "Private note for staff"
    entry.save()

    bundle = tmp_path / "bundle"
    shutil.copytree(demo_bundle, bundle)
    call_command("export_gap_register", "--bundle", str(bundle))
    text = (bundle / "gaps.json").read_text()
    register = json.loads(text)
    for private in ("Secret Youth Project", "J. Smith", "High St", "eddie", "Private note", "What is missing?"):
        assert private not in text
    row = next(row for row in register["rows"] if row["area_code"] == KINGSMEAD and row["theme"] == "exploitation")
    assert row["practice_answers"] == "fewer than 5"
    assert register["consultations"]["partner_responses"] == "fewer than 5"
    assert register["directory"]["published_services"] == Service.objects.published().count() == 15
    # Rows in the register, largest gap first, each with the components behind its score.
    gaps = [row["gap"] for row in register["rows"] if row["gap"] is not None]
    assert gaps == sorted(gaps, reverse=True) and all(row["gap"] >= 0.25 for row in register["rows"][:3])
    assert set(register["rows"][0]["components"]) >= {"excess", "clusters", "deprivation", "services", "funding"}


def test_risk_factors_that_stand_out_raise_the_need_of_their_themes(published, demo_bundle):
    """The demo's factors standing out on the worse side (read here from the bundle's summary.json) add a
    need component of 1 to their themes in every ward: Kingsmead's need for education and employment is the
    mean of its four components and one per linked factor; other themes keep the four."""
    import json

    from vru.analysis.factor_need import FACTOR_THEMES

    rebuild()
    summary = json.loads((demo_bundle / "summary.json").read_text(encoding="utf-8"))
    worse = [f for f in summary["partner_factors"]["standouts"] if f["worse"] is True]
    themes = ("education-employment", "substance-misuse", "youth-support")
    linked = {theme: [f for f in worse if theme in FACTOR_THEMES[f["indicator"]]] for theme in themes}
    assert {f["indicator"] for f in linked["education-employment"]} == {"TotFixedEx", "TotPermEx", "CINFixedExclusion"}
    assert [f["indicator"] for f in linked["substance-misuse"]] == ["Hosp_Adm_Alc_<18yrs"] and not linked[
        "youth-support"
    ]
    for theme, factors in linked.items():
        entry = GapEntry.objects.get(area_code=KINGSMEAD, theme=theme)
        four = [entry.components[name] for name in ("excess", "clusters", "deprivation", "young_people")]
        known = [value for value in four if value is not None]
        assert entry.need == pytest.approx((sum(known) + len(factors)) / (len(known) + len(factors)), abs=1e-4)
        flagged = [reason for reason in entry.reasons if "stands out on" in reason]
        assert len(flagged) == len(factors)
        # Only the verdict crosses over: no partner count, only the years on the worse side and the source.
        assert all("of 9 years, the worse side (Department for Education" in reason for reason in flagged)
    # The public export (what the report's chapter reads) names the factors behind the need, as scores only.
    from portal.gaps.export import public_register

    row = next(
        row
        for row in public_register()["rows"]
        if row["area_code"] == KINGSMEAD and row["theme"] == "education-employment"
    )
    assert {name: value for name, value in row["components"].items() if name.startswith("indicator:")} == {
        f"indicator:risk factor: {factor['title']}": 1.0 for factor in linked["education-employment"]
    }
