"""Publishing the needs assessment: a new draft from a bundle on the server, approval by a named role,
withdrawal; and which published assessment the public may see.

The draft is made by portal.insights (the same code as `manage.py publish_insights`); nothing here reads
the bundle's contents. An assessment published from the command line has no Release row yet: it is a draft
like any other, and gets its row when it is approved or withdrawn.
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts.audit import record_change
from portal.accounts.models import AuditEvent
from portal.accounts.roles import ROLE_PERMISSIONS
from portal.insights.models import PublishedAssessment
from portal.insights.reports import ApprovedReportError, render_approved_report, stored_bundle_dir, withhold_report
from portal.insights.storage import published_root
from portal.publication.models import Release

APPROVE_PERMISSION = "publication.approve_release"
REPORT_FILES = ("report.html", "report.pdf")


@dataclass(frozen=True)
class BundleOnServer:
    """A bundle folder `vru assess` wrote under VRU_VAR_DIR/bundle/, and its report under VRU_VAR_DIR/report/."""

    name: str
    bundle_dir: Path
    report_dir: Path | None

    @property
    def label(self) -> str:
        # Staff see the folders relative to the portal's data folder, never the server's own path.
        report = f" with the report in report/{self.name}" if self.report_dir else " (no report)"
        return f"bundle/{self.name}{report}"


def bundles_on_server() -> list[BundleOnServer]:
    bundle_root, report_root = settings.VAR_DIR / "bundle", settings.VAR_DIR / "report"
    found = []
    if bundle_root.is_dir():
        for folder in sorted(bundle_root.iterdir()):
            if folder.is_dir() and not folder.name.startswith(".") and (folder / "summary.json").is_file():
                report = report_root / folder.name
                has_report = any((report / name).is_file() for name in REPORT_FILES)
                found.append(BundleOnServer(folder.name, folder, report if has_report else None))
    return found


def publish_draft(request: HttpRequest, bundle: BundleOnServer) -> Release:
    """Store the bundle (and its report) as a draft that only staff see. Raises insights' BundleError,
    storing nothing, when the bundle cannot be published."""
    # Imported here: publishing loads the toolkit's bundle reader, which the web process otherwise never needs.
    from portal.insights.assessments import publish_assessment

    assessment = publish_assessment(bundle.bundle_dir, report_dir=bundle.report_dir, area_code=settings.VRU_AREA_CODE)
    with transaction.atomic():
        release = Release.objects.create(
            assessment=assessment,
            area_code=assessment.area_code,
            created_by=request.user,
            created_by_name=request.user.get_username(),
        )
        record_change(request, "drafted", release, f"Published a draft from bundle/{bundle.name} for staff to check")
    return release


def release_of(assessment: PublishedAssessment) -> Release:
    """The assessment's release; a draft one, made now, for an assessment published from the command line."""
    release, _ = Release.objects.get_or_create(
        assessment=assessment,
        defaults={"area_code": assessment.area_code, "created_at": assessment.published_at},
    )
    return release


def approving_role(user) -> str:
    """The name of the role through which `user` may approve (the first, in the order of ROLE_PERMISSIONS)."""
    names = set(user.groups.values_list("name", flat=True))
    for role, permissions in ROLE_PERMISSIONS.items():
        if role in names and APPROVE_PERMISSION in permissions:
            return role
    return "Superuser" if user.is_superuser else ""


# How an approval made with `manage.py approve_assessment` is recorded (whoever can run it controls the server).
COMMAND_LINE = "server command line"


def _approve(assessment: PublishedAssessment, *, user, name: str, role: str) -> Release:
    release = release_of(assessment)
    latest = Release.objects.filter(area_code=release.area_code).aggregate(Max("version"))["version__max"]
    release.status = Release.Status.APPROVED
    release.version = release.version or (latest or 0) + 1
    release.approved_at = timezone.now()
    release.approved_by, release.approved_by_name, release.approved_as = user, name, role
    release.save()
    return release


# What `vru report` writes on a report for the partnership board (vru/report/status.py): none of it may reach
# the public. Checked again in the approved report's text files, so that a change of wording in the toolkit
# can hide the report but never publish the draft label.
DRAFT_WORDS = ("not for publication", "draft for the partnership board")
TEXT_SUFFIXES = (".html", ".css")


def _withhold_draft_report(assessment: PublishedAssessment, release: Release) -> None:
    """At approval: the board's draft report stops being served at once; the approved one is to be rendered."""
    if assessment.report_files or stored_bundle_dir(assessment).is_dir():
        withhold_report(assessment)
        release.report_status, release.report_problem = Release.Report.PREPARING, ""
    else:
        release.report_status, release.report_problem = Release.Report.NONE, ""
    release.save(update_fields=["report_status", "report_problem"])


def _holds_draft_wording(assessment: PublishedAssessment) -> bool:
    folder = published_root() / assessment.report_dir
    for name in assessment.report_files or []:
        if name.endswith(TEXT_SUFFIXES):
            text = (folder / name).read_text(encoding="utf-8").lower()
            if any(words in text for words in DRAFT_WORDS):
                return True
    return False


def approved_by_text(release: Release) -> str:
    """Who approved it, as the report's cover says: the name, then the role (or route) that allowed it."""
    return f"{release.approved_by_name} ({release.approved_as})" if release.approved_as else release.approved_by_name


def render_public_report(assessment: PublishedAssessment) -> Release:
    """Render the approved report (HTML and PDF, with the version, date and approver on them) and serve it.
    Takes tens of seconds: run by `approve_assessment` and `render_approved_report`, not in a web request.
    On failure nothing is served and the release says why."""
    release = release_of(assessment)
    if release.status != Release.Status.APPROVED:
        raise ValueError(f"{release} is not approved: only an approved assessment's report is rendered for the public")
    try:
        render_approved_report(
            assessment,
            version=release.version,
            approved_on=timezone.localdate(release.approved_at),
            approved_by=approved_by_text(release),
        )
    except ApprovedReportError as problem:
        release.report_status, release.report_problem = Release.Report.FAILED, str(problem)[:500]
    else:
        if _holds_draft_wording(assessment):
            withhold_report(assessment)
            release.report_status = Release.Report.FAILED
            release.report_problem = "the rendered report still holds the draft's wording: it is not served"
        else:
            release.report_status, release.report_problem = Release.Report.READY, ""
    release.save(update_fields=["report_status", "report_problem"])
    return release


def start_report_rendering(assessment_pk: int) -> None:
    """Render the approved report in a process of its own (`manage.py render_approved_report`), so that the
    approver's request answers at once and no web worker spends tens of seconds on a PDF."""
    import portal

    source_root = str(Path(portal.__file__).resolve().parent.parent)
    # The same settings and the same portal code as this process (the child's interpreter adds its own packages).
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": settings.SETTINGS_MODULE, "PYTHONPATH": source_root}
    subprocess.Popen(  # its messages go to the portal's own log (standard error)
        [sys.executable, "-m", "django", "render_approved_report", str(assessment_pk)],
        env=environment,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )


def approve(request: HttpRequest, assessment: PublishedAssessment) -> Release:
    """Make the assessment public as the area's next version, recording who approved it, as which role,
    and when. Its approved report is rendered in the background (start_report_rendering) once this is saved."""
    with transaction.atomic():
        release = _approve(
            assessment,
            user=request.user,
            name=request.user.get_username(),
            role=approving_role(request.user),
        )
        _withhold_draft_report(assessment, release)
        record_change(
            request,
            "approved",
            release,
            f"Approved as version {release.version} by the {release.approved_as} role: now public",
        )
        if release.report_status == Release.Report.PREPARING:
            transaction.on_commit(lambda: start_report_rendering(assessment.pk))
    return release


def approve_from_command_line(assessment: PublishedAssessment, name: str) -> Release:
    """As approve(), from the server; the approved report is rendered before this returns."""
    with transaction.atomic():
        release = _approve(assessment, user=None, name=name, role=COMMAND_LINE)
        _withhold_draft_report(assessment, release)
        AuditEvent.objects.create(
            username=name,
            action="approved",
            object_type=release._meta.label_lower,
            object_id=str(release.pk),
            object_repr=str(release)[:200],
            summary=f"Approved as version {release.version} from the {COMMAND_LINE}: now public",
        )
    if release.report_status == Release.Report.PREPARING:
        release = render_public_report(assessment)
    return release


def withdraw(request: HttpRequest, assessment: PublishedAssessment) -> Release:
    """Take an approved release off the public pages (the previous approved one, if any, shows again)."""
    with transaction.atomic():
        release = release_of(assessment)
        release.status = Release.Status.WITHDRAWN
        release.withdrawn_at, release.withdrawn_by_name = timezone.now(), request.user.get_username()
        release.save(update_fields=["status", "withdrawn_at", "withdrawn_by_name"])
        record_change(request, "withdrawn", release, "Withdrawn from the public pages")
    return release


def public_release(area_code: str | None = None) -> Release | None:
    """The release the public sees for the area (VRU_AREA_CODE by default): the newest approved one."""
    return Release.objects.public_for(area_code or settings.VRU_AREA_CODE)


def public_assessment_id(area_code: str | None = None) -> int | None:
    """The id of the assessment the public sees (one small query), or None before one is approved. What every
    reader of "the current assessment" uses (the gap register, the directory's wards, the strategy), so that a
    newer draft is never shown or built upon until it is approved."""
    return (
        Release.objects.approved()
        .filter(area_code=area_code or settings.VRU_AREA_CODE)
        .order_by("-approved_at", "-pk")
        .values_list("assessment_id", flat=True)
        .first()
    )


def public_assessment(area_code: str | None = None) -> PublishedAssessment | None:
    """The assessment the public sees for the area (see public_assessment_id), or None."""
    assessment_id = public_assessment_id(area_code)
    return None if assessment_id is None else PublishedAssessment.objects.get(pk=assessment_id)
