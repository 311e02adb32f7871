"""Publishing the needs assessment: a new draft from a bundle on the server, approval by a named role,
withdrawal; and which published assessment the public may see.

The draft is made by portal.insights (the same code as `manage.py publish_insights`); nothing here reads
the bundle's contents. An assessment published from the command line has no Release row yet: it is a draft
like any other, and gets its row when it is approved or withdrawn.
"""

from __future__ import annotations

import re
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
from portal.insights.signals import assessment_published
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


# What `vru report` writes on a report for the partnership board (report.html.j2 and report.css): none of it may
# reach the public.
DRAFT_WORDS = ("not for publication", "draft for the partnership board")
STATUS_PARAGRAPH = re.compile(r'<p class="status">.*?</p>', re.S)
TEXT_SUFFIXES = (".html", ".css")


def _report_for_the_public(assessment: PublishedAssessment, release: Release) -> None:
    """The stored report was rendered as the board's draft. For the public, its status line says which version
    was approved and when; the PDF, every page of which is marked as a draft, is not served. A text file that
    still holds draft wording after that is not served either, so a change in the report's wording can hide
    the report but never publish the draft label. Then the dashboard is built again with the files left."""
    files = list(assessment.report_files or [])
    if not files:
        return
    approved = f"Version {release.version}, approved for publication on {release.approved_at:%-d %B %Y}"
    folder = published_root() / assessment.report_dir
    kept = []
    for name in files:
        if name.endswith(".pdf"):
            continue
        if name.endswith(TEXT_SUFFIXES):
            path = folder / name
            text = STATUS_PARAGRAPH.sub(f'<p class="status"><strong>Status: {approved}.</strong></p>', path.read_text())
            text = re.sub(r"Draft for the partnership board", approved, text)
            if any(words in text.lower() for words in DRAFT_WORDS):
                continue
            path.write_text(text)
        kept.append(name)
    assessment.report_files = kept
    assessment.save(update_fields=["report_files"])
    assessment_published.send(sender=PublishedAssessment, assessment=assessment)


def approve(request: HttpRequest, assessment: PublishedAssessment) -> Release:
    """Make the assessment public as the area's next version, recording who approved it, as which role,
    and when."""
    with transaction.atomic():
        release = _approve(
            assessment,
            user=request.user,
            name=request.user.get_username(),
            role=approving_role(request.user),
        )
        _report_for_the_public(assessment, release)
        record_change(
            request,
            "approved",
            release,
            f"Approved as version {release.version} by the {release.approved_as} role: now public",
        )
    return release


def approve_from_command_line(assessment: PublishedAssessment, name: str) -> Release:
    with transaction.atomic():
        release = _approve(assessment, user=None, name=name, role=COMMAND_LINE)
        _report_for_the_public(assessment, release)
        AuditEvent.objects.create(
            username=name,
            action="approved",
            object_type=release._meta.label_lower,
            object_id=str(release.pk),
            object_repr=str(release)[:200],
            summary=f"Approved as version {release.version} from the {COMMAND_LINE}: now public",
        )
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
