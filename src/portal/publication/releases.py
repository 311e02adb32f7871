"""Publishing the needs assessment: a new draft from a bundle on the server, approval by a named role,
withdrawal; and which published assessment the public may see.

The draft is made by portal.insights (the same code as `manage.py publish_insights`); nothing here reads
the bundle's contents. An assessment published from the command line has no Release row yet: it is a draft
like any other, and gets its row when it is approved or withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.http import HttpRequest
from django.utils import timezone

from portal.accounts.audit import record_change
from portal.accounts.roles import ROLE_PERMISSIONS
from portal.insights.assessments import publish_assessment
from portal.insights.models import PublishedAssessment
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


def approve(request: HttpRequest, assessment: PublishedAssessment) -> Release:
    """Make the assessment public as the area's next version, recording who approved it, as which role,
    and when."""
    with transaction.atomic():
        release = release_of(assessment)
        latest = Release.objects.filter(area_code=release.area_code).aggregate(Max("version"))["version__max"]
        release.status = Release.Status.APPROVED
        release.version = release.version or (latest or 0) + 1
        release.approved_at = timezone.now()
        release.approved_by, release.approved_by_name = request.user, request.user.get_username()
        release.approved_as = approving_role(request.user)
        release.save()
        record_change(
            request,
            "approved",
            release,
            f"Approved as version {release.version} by the {release.approved_as} role: now public",
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
