"""Staff pages of the publication workflow: the list of published assessments with their status, publishing
a new draft from a bundle on the server, and approving or withdrawing one."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts.decorators import staff_permission_required
from portal.insights.models import PublishedAssessment
from portal.publication import releases
from portal.publication.forms import PublishDraftForm
from portal.publication.models import Release

# The columns of PublishedAssessment the list shows (its summary and tables are large: never loaded here).
LIST_FIELDS = ("pk", "area_code", "area_name", "published_at", "generated_at", "period_from", "period_to")


RELEASE_FIELDS = tuple(f"release__{field.name}" for field in Release._meta.concrete_fields)


def _rows() -> list[tuple[PublishedAssessment, Release | None]]:
    """Every published assessment, newest first, with its release (None: published from the command line), in
    one query."""
    assessments = PublishedAssessment.objects.select_related("release").only(*LIST_FIELDS, *RELEASE_FIELDS)
    rows = []
    for assessment in assessments.order_by("-published_at", "-pk"):
        try:
            rows.append((assessment, assessment.release))
        except Release.DoesNotExist:
            rows.append((assessment, None))
    return rows


def _public_of(rows: list[tuple[PublishedAssessment, Release | None]]) -> Release | None:
    """The release the public sees (as releases.public_release()), found among the rows every release is in."""
    approved = [
        release
        for _, release in rows
        if release is not None
        and release.status == Release.Status.APPROVED
        and release.area_code == settings.VRU_AREA_CODE
    ]
    return max(approved, key=lambda release: (release.approved_at, release.pk), default=None)


@require_safe
@staff_permission_required("publication.view_release")
def staff_list(request: HttpRequest) -> HttpResponse:
    rows = _rows()
    form = PublishDraftForm(bundles=releases.bundles_on_server())
    return render(
        request,
        "publication/staff_list.html",
        {
            "rows": rows,
            "public": _public_of(rows),
            "form": form,
            "can_publish": request.user.has_perm("publication.publish_release"),
        },
    )


@require_POST
@staff_permission_required("publication.view_release", "publication.publish_release")
def publish(request: HttpRequest) -> HttpResponse:
    from portal.insights.bundle import BundleError  # the toolkit's reader: loaded only when staff publish

    bundles = releases.bundles_on_server()
    form = PublishDraftForm(request.POST, bundles=bundles)
    error = ""
    if form.is_valid():
        try:
            release = releases.publish_draft(request, form.chosen())
        except BundleError as problem:
            error = f"The bundle could not be published: {problem}. Nothing has been stored."
        else:
            messages.success(request, "The draft has been published for staff to check. The public cannot see it.")
            return redirect("publication:staff_detail", pk=release.assessment_id)
    return render(
        request,
        "publication/staff_list.html",
        {
            "rows": _rows(),
            "public": releases.public_release(),
            "form": form,
            "publish_error": error,
            "can_publish": True,
        },
        status=200 if not error else 422,
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("publication.view_release")
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    assessment = get_object_or_404(
        PublishedAssessment.objects.only(*LIST_FIELDS, "toolkit_version", "report_files"), pk=pk
    )
    release = Release.objects.filter(assessment=assessment).first()
    can_approve = request.user.has_perm("publication.approve_release")
    if request.method == "POST":
        if not can_approve:
            raise PermissionDenied
        action = request.POST.get("action")
        if action == "approve" and (release is None or release.status != Release.Status.APPROVED):
            release = releases.approve(request, assessment)
            preparing = (
                " Its report (web page and PDF) is being prepared as the approved version: it takes about a "
                "minute, and appears on the dashboard when ready."
                if release.report_status == Release.Report.PREPARING
                else ""
            )
            messages.success(
                request,
                f"Approved as version {release.version}. The public dashboard now shows this assessment.{preparing}",
            )
        elif action == "withdraw" and release is not None and release.status == Release.Status.APPROVED:
            releases.withdraw(request, assessment)
            messages.success(request, "Withdrawn: the public no longer sees this version.")
        return redirect("publication:staff_detail", pk=assessment.pk)
    return render(
        request,
        "publication/staff_detail.html",
        {
            "assessment": assessment,
            "release": release,
            "public": releases.public_release(assessment.area_code),
            "can_approve": can_approve,
        },
    )
