"""The publication workflow: a draft published from the staff area, approved by a named role (who, as which
role, when), withdrawn; the public sees only the approved version. Uses the bundle `vru assess` writes from
the committed demo extract."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from portal.accounts.models import AuditEvent
from portal.accounts.users import assign_role
from portal.insights.assessments import publish_assessment
from portal.insights.models import PublishedAssessment
from portal.publication.models import Release
from portal.publication.releases import public_release

pytestmark = pytest.mark.django_db
LIST = "/staff/publication/"


@pytest.fixture
def var_dir(settings, tmp_path, demo_bundle) -> Path:
    """The portal's data folder, holding the demo bundle where `vru assess --out var/bundle/<area>` puts it."""
    settings.VAR_DIR = tmp_path / "var"
    shutil.copytree(demo_bundle, settings.VAR_DIR / "bundle" / "E06000022")
    return settings.VAR_DIR


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def sign_in(client, role: str, username: str | None = None):
    user = get_user_model().objects.create_user(username or role)
    assign_role(user, role)
    client.force_login(user)
    return user


@pytest.mark.parametrize(("role", "status"), [("partner", 403), ("editor", 200), ("approver", 200)])
def test_who_may_see_the_publication_pages(client, role, status, var_dir):
    sign_in(client, role)
    assert client.get(LIST).status_code == status


def test_an_editor_publishes_a_draft_from_the_staff_area_which_the_public_does_not_see(client, var_dir):
    editor = sign_in(client, "editor", "edith")
    page = client.get(LIST)
    # The bundle is offered by its folder in the data folder, never the server's path.
    assert "bundle/E06000022 (no report)" in text_of(page)
    assert str(var_dir) not in page.content.decode()

    response = client.post(LIST + "publish/", {"bundle": "E06000022"})
    assert response.status_code == 302
    assessment = PublishedAssessment.objects.get()
    release = Release.objects.get()
    assert (release.assessment, release.status, release.created_by) == (assessment, "draft", editor)
    assert public_release() is None
    event = AuditEvent.objects.get(action="drafted")
    assert event.summary == "Published a draft from bundle/E06000022 for staff to check"
    # An editor cannot approve.
    detail = client.get(f"{LIST}{assessment.pk}/")
    assert "Only someone with the Assessment approver role can approve it" in text_of(detail)
    assert client.post(f"{LIST}{assessment.pk}/", {"action": "approve"}).status_code == 403
    assert public_release() is None


def test_an_unknown_bundle_is_refused_and_nothing_is_stored(client, var_dir):
    sign_in(client, "editor")
    response = client.post(LIST + "publish/", {"bundle": "../../etc"})
    assert "Select one of the assessment bundles listed" in text_of(response)
    (var_dir / "bundle" / "E06000022" / "summary.json").write_text("{ not json")
    broken = client.post(LIST + "publish/", {"bundle": "E06000022"})
    assert broken.status_code == 422
    assert "The bundle could not be published" in text_of(broken) and "Nothing has been stored" in text_of(broken)
    assert not PublishedAssessment.objects.exists() and not Release.objects.exists()


def test_approval_records_who_as_which_role_and_when_and_makes_it_the_public_version(client, var_dir):
    first = publish_assessment(var_dir / "bundle" / "E06000022")  # from the command line: a draft
    second = publish_assessment(var_dir / "bundle" / "E06000022")
    approver = sign_in(client, "approver", "april")
    assert "Draft" in text_of(client.get(LIST))

    client.post(f"{LIST}{first.pk}/", {"action": "approve"})
    release = Release.objects.get(assessment=first)
    assert (release.status, release.version, release.approved_by) == ("approved", 1, approver)
    assert release.approved_as == "Assessment approver" and release.approved_at is not None
    assert public_release() == release
    assert AuditEvent.objects.get(action="approved").summary == (
        "Approved as version 1 by the Assessment approver role: now public"
    )
    # A newer draft does not replace what the public sees until it is approved.
    assert public_release().assessment == first
    client.post(f"{LIST}{second.pk}/", {"action": "approve"})
    assert public_release().assessment == second and public_release().version == 2
    text = text_of(client.get(LIST))
    assert re.search(r"The public sees version 2 ?, approved on \d+ \w+ \d{4} by april \(Assessment approver\)", text)

    # Withdrawing the newest shows the one approved before it again.
    client.post(f"{LIST}{second.pk}/", {"action": "withdraw"})
    assert public_release().assessment == first
    assert Release.objects.get(assessment=second).status == "withdrawn"
    assert AuditEvent.objects.filter(action="withdrawn").count() == 1


def test_administrators_approve_as_administrators(client, var_dir):
    assessment = publish_assessment(var_dir / "bundle" / "E06000022")
    sign_in(client, "administrator")
    client.post(f"{LIST}{assessment.pk}/", {"action": "approve"})
    assert Release.objects.get().approved_as == "Administrator"


def test_the_command_line_approval_names_the_person_and_the_route(var_dir, capsys):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="No assessment has been published"):
        call_command("approve_assessment", "--by", "Dana Demo")
    assessment = publish_assessment(var_dir / "bundle" / "E06000022")
    call_command("approve_assessment", "--by", "Dana Demo")
    release = public_release()
    assert release.assessment == assessment and release.version == 1
    assert (release.approved_by_name, release.approved_as) == ("Dana Demo", "server command line")
    event = AuditEvent.objects.get(action="approved")
    assert event.username == "Dana Demo" and "from the server command line" in event.summary


@pytest.fixture(scope="session")
def demo_report(demo_bundle, tmp_path_factory) -> Path:
    """The HTML report `vru report` renders from the demo bundle (as a draft for the partnership board)."""
    from vru.report.render import render_report

    folder = tmp_path_factory.getbasetemp() / "vru-demo-report"
    if not (folder / "report.html").is_file():
        render_report(demo_bundle, folder, formats=("html",))
    return folder


@pytest.fixture
def rendering_inline(monkeypatch):
    """The staff approval renders the approved report in a process of its own; here, in the test's process
    (the same function the process runs), so that the test's database is the one it writes to."""
    from portal.publication import releases

    monkeypatch.setattr(
        releases,
        "start_report_rendering",
        lambda pk: releases.render_public_report(PublishedAssessment.objects.get(pk=pk)),
    )


def test_the_public_never_gets_the_drafts_not_for_publication_wording(
    client, var_dir, demo_report, rendering_inline, django_capture_on_commit_callbacks
):
    shutil.copytree(demo_report, var_dir / "report" / "E06000022")
    assert "not for publication" in (demo_report / "report.html").read_text()
    sign_in(client, "editor")
    client.post(LIST + "publish/", {"bundle": "E06000022"})
    assessment = PublishedAssessment.objects.get()
    assert "report.html" in assessment.report_files
    # A draft: no public dashboard and no public report.
    assert client.get("/dashboard/report/report.html").status_code == 404
    assert "Version" not in text_of(client.get("/dashboard/"))

    sign_in(client, "approver", "april")
    with django_capture_on_commit_callbacks(execute=True):
        approved = client.post(f"{LIST}{assessment.pk}/", {"action": "approve"}, follow=True)
    assert "Its report (web page and PDF) is being prepared as the approved version" in text_of(approved)
    assert Release.objects.get().report_status == "ready"
    assert "Approved report Published" in text_of(client.get(f"{LIST}{assessment.pk}/"))
    client.logout()
    report = client.get("/dashboard/report/report.html")
    assert report.status_code == 200
    html = b"".join(report.streaming_content).decode() if report.streaming else report.content.decode()
    # Rendered again by `vru report` as approved: the version, the date and who approved it, on the cover.
    assert re.search(
        r"Status: version 1, approved for publication on \d{1,2} \w+ \d{4}\.</strong> "
        r"Approved by april \(Assessment approver\)\.",
        html,
    )
    for name in PublishedAssessment.objects.get().report_files:
        served = client.get(f"/dashboard/report/{name}")
        body = b"".join(served.streaming_content) if served.streaming else served.content
        assert b"not for publication" not in body.lower() and b"draft for the partnership board" not in body.lower()
    overview = text_of(client.get("/dashboard/"))
    assert re.search(r"Version 1, approved for publication on \d{1,2} \w+ \d{4}", overview)


def test_a_newer_drafts_report_replaces_an_older_drafts_but_never_the_approved_one(var_dir, demo_report):
    from portal.publication.releases import approve_from_command_line

    bundle = var_dir / "bundle" / "E06000022"
    approved = publish_assessment(bundle, report_dir=demo_report)
    approve_from_command_line(approved, "Dana Demo")
    old_draft = publish_assessment(bundle, report_dir=demo_report)
    new_draft = publish_assessment(bundle, report_dir=demo_report)
    reports = var_dir / "published" / "reports" / "E06000022"
    assert sorted(int(path.name) for path in reports.iterdir()) == [approved.pk, new_draft.pk]
    old_draft.refresh_from_db()
    assert old_draft.report_files == []
    assert public_release().assessment == approved


def pdf_text(path: Path) -> str:
    import subprocess

    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True, text=True).stdout


@pytest.mark.slow  # renders the report's PDF twice (the draft, then the approved version): about 40 s
def test_make_demos_approval_serves_the_approved_pdf_and_never_the_drafts(client, var_dir, demo_bundle, tmp_path):
    """As scripts/demo.sh does: `vru report` (a draft), publish_insights, approve_assessment: the public PDF is
    the approved one, rendered again, with the approval on it and none of the draft's wording."""
    from django.core.management import call_command

    from vru.report.render import render_report

    draft = render_report(demo_bundle, var_dir / "report" / "E06000022")
    assert "not for publication" in pdf_text(draft.pdf).lower()
    call_command(
        "publish_insights", "--bundle", str(var_dir / "bundle" / "E06000022"), "--report", str(draft.pdf.parent)
    )
    assert client.get("/dashboard/report/report.pdf").status_code == 404  # a draft: nothing public
    # The bundle folder may go once published: the approval renders from the portal's own copy of it.
    shutil.rmtree(var_dir / "bundle")
    call_command("approve_assessment", "--by", "Dana Demo")
    assert public_release().report_status == "ready"

    served = client.get("/dashboard/report/report.pdf")
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    saved = tmp_path / "served.pdf"
    saved.write_bytes(b"".join(served.streaming_content))
    text = pdf_text(saved)
    assert "not for publication" not in text.lower() and "draft for the partnership board" not in text.lower()
    day = re.escape(f"{public_release().approved_at:%-d %B %Y}")
    assert re.search(rf"Status: version 1, approved for publication on {day}\.\s+Approved by Dana Demo", text)
    pages = text.split("\f")[:-1]
    # Every page after the cover carries the approval in its footer.
    assert all(
        f"Version 1, approved for publication on {public_release().approved_at:%-d %B %Y}" in page for page in pages[1:]
    )
    overview = text_of(client.get("/dashboard/"))
    assert "Download the needs assessment report (PDF" in overview


@pytest.fixture(scope="session")
def shorter_bundle(demo_bundle) -> Path:
    """A second real assessment from the same demo warehouse, of a shorter period (January 2023 to June 2024):
    different figures, so a page showing it instead of the approved one is seen."""
    from vru.assessment import assess
    from vru.profiles import get_profile
    from vru.warehouse import connect

    bundle = demo_bundle.parent / "bundle-2023-01-to-2024-06"
    if not (bundle / "summary.json").is_file():
        con = connect(demo_bundle.parent / "warehouse.duckdb")
        try:
            assess(con, "E06000022", "2023-01", "2024-06", get_profile(), bundle, permutations=99)
        finally:
            con.close()
    return bundle


def test_a_newer_unapproved_draft_is_never_shown_or_built_upon_anywhere_public(client, var_dir, shorter_bundle):
    from django.core.management import call_command

    from portal.directory.geography import codes_covering
    from portal.gaps.export import public_register
    from portal.gaps.register import approved_assessment, ensure_current
    from portal.publication.releases import approve_from_command_line
    from portal.strategy.drafting import StrategyError, draft_strategy

    approved = publish_assessment(var_dir / "bundle" / "E06000022")
    # Nothing approved yet: nothing public, and no strategy rests on a draft.
    assert public_release() is None and "January 2023" not in text_of(client.get("/dashboard/"))
    with pytest.raises(StrategyError, match="no needs assessment is approved"):
        draft_strategy("E06000022", date(2027, 1, 1), date(2029, 12, 31))
    approve_from_command_line(approved, "Dana Demo")
    newer_draft = publish_assessment(shorter_bundle)
    assert newer_draft.published_at >= approved.published_at and newer_draft.period_to == "2024-06"

    pages = {
        "/dashboard/": "January 2023 to April 2025",
        "/dashboard/wards/": "January 2023 to April 2025",
        "/dashboard/places/": "January 2023 to April 2025",
    }
    for url, period in pages.items():
        text = text_of(client.get(url))
        assert period in text, url
        assert "January 2023 to June 2024" not in text and "2023-01 to 2024-06" not in text, url
    # A ward's count on its profile is the approved assessment's, not the draft's.
    ward = max(approved.tables["ward"], key=lambda row: row["count"])
    draft_ward = next(row for row in newer_draft.tables["ward"] if row["ward_code"] == ward["ward_code"])
    assert draft_ward["count"] != ward["count"]
    profile = text_of(client.get(f"/dashboard/places/wards/{ward['ward_code']}/"))
    assert f"{ward['count']:,}" in profile and f"{draft_ward['count']:,}" not in profile
    # The gap register, the directory's wards and a new strategy rest on the approved assessment.
    assert approved_assessment() == approved
    assert ensure_current().fingerprint.startswith(f"a{approved.pk}|")
    call_command("load_evidence_library", verbosity=0)
    assert public_register()["assessment_period"] == ["2023-01", "2025-04"]
    assert "E06000022" in codes_covering(ward["ward_code"])
    assert draft_strategy("E06000022", date(2027, 1, 1), date(2029, 12, 31)).assessment == approved
