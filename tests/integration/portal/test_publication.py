"""The publication workflow: a draft published from the staff area, approved by a named role (who, as which
role, when), withdrawn; the public sees only the approved version. Uses the bundle `vru assess` writes from
the committed demo extract."""

from __future__ import annotations

import re
import shutil
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


@pytest.fixture(scope="session")
def demo_bundle(tmp_path_factory) -> Path:
    # The same bundle as test_publish_insights.py (built once per session in the same folder).
    from test_publish_insights import build_demo_bundle

    return build_demo_bundle(tmp_path_factory.getbasetemp() / "vru-demo-bundle")


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


def test_the_public_never_gets_the_drafts_not_for_publication_wording(client, var_dir, demo_report):
    shutil.copytree(demo_report, var_dir / "report" / "E06000022")
    assert "not for publication" in (demo_report / "report.html").read_text()
    sign_in(client, "editor")
    client.post(LIST + "publish/", {"bundle": "E06000022"})
    assessment = PublishedAssessment.objects.get()
    assert "report.html" in assessment.report_files
    # A draft: no public dashboard and no public report.
    assert client.get("/dashboard/report/report.html").status_code == 404
    assert "Version" not in text_of(client.get("/dashboard/"))

    sign_in(client, "approver")
    client.post(f"{LIST}{assessment.pk}/", {"action": "approve"})
    client.logout()
    report = client.get("/dashboard/report/report.html")
    assert report.status_code == 200
    html = b"".join(report.streaming_content).decode() if report.streaming else report.content.decode()
    assert re.search(r"Status: Version 1, approved for publication on \d{1,2} \w+ \d{4}\.", html)
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
