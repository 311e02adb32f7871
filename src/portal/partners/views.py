"""Partner data in the staff area: a partner uploads files made from the templates, sees each file's
problems (line, column, why) or rows, and the data-quality scorecard, all for their own organisation only."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from portal.accounts.audit import record_change
from portal.accounts.decorators import staff_permission_required
from portal.accounts.models import Organisation
from portal.core.spreadsheets import csv_response
from portal.insights.partner_uploads import check_partner_file, export_table, scorecard, template_titles
from portal.partners.forms import PartnerUploadForm
from portal.partners.models import PartnerUpload

UPLOAD = "partners.add_partnerupload"
VIEW = "partners.view_partnerupload"


def _organisation(request: HttpRequest) -> Organisation:
    """The signed-in user's organisation (the first by name if several); a user who belongs to none sees no
    partner data at all."""
    organisation = request.user.organisations.order_by("name").first()
    if organisation is None:
        raise PermissionDenied
    return organisation


@staff_permission_required(VIEW, UPLOAD)
@require_http_methods(["GET", "POST"])
def upload_list(request: HttpRequest) -> HttpResponse:
    organisation = _organisation(request)
    form = PartnerUploadForm()
    if request.method == "POST":
        form = PartnerUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            data = upload.read()
            checked = check_partner_file(upload.name, data)
            saved = PartnerUpload.objects.create(
                organisation=organisation,
                uploaded_by=request.user,
                file_name=upload.name,
                sha256=hashlib.sha256(data).hexdigest(),
                kind=checked.kind,
                accepted=checked.accepted,
                rows=checked.rows,
                months=",".join(checked.months),
                problems=checked.problems,
                records=checked.records,
            )
            outcome = f"accepted, {checked.rows} rows" if checked.accepted else f"{len(checked.problems)} problem(s)"
            record_change(request, "created", saved, f"Uploaded: {outcome}")
            if checked.accepted:
                messages.success(request, f"{upload.name}: {checked.rows} rows accepted")
            else:
                messages.error(request, f"{upload.name}: not accepted, {len(checked.problems)} problem(s)")
            return redirect("partners:upload_detail", pk=saved.pk)
    uploads = organisation.partner_uploads.defer("records")
    accepted = organisation.partner_uploads.filter(accepted=True).order_by("uploaded_at", "pk")
    titles = template_titles()
    card = [
        {**row, "title": titles[row["kind"]]}
        for row in scorecard((organisation.name, u.kind, u.uploaded_at, u.records) for u in accepted)
    ]
    return render(
        request,
        "partners/upload_list.html",
        {
            "organisation": organisation,
            "form": form,
            "uploads": uploads,
            "scorecard": card,
            "retention_days": settings.PARTNER_UPLOAD_RETENTION_DAYS,
        },
        status=400 if form.errors else 200,
    )


@staff_permission_required(VIEW)
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(PartnerUpload, pk=pk, organisation=_organisation(request))
    kind_title = template_titles().get(upload.kind, "")
    return render(request, "partners/upload_detail.html", {"upload": upload, "kind_title": kind_title})


@staff_permission_required(VIEW, UPLOAD)
@require_http_methods(["GET", "POST"])
def upload_delete(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(PartnerUpload, pk=pk, organisation=_organisation(request))
    if request.method == "POST":
        name = upload.file_name
        record_change(request, "deleted", upload, "Deleted by the partner")
        upload.delete()
        messages.success(request, f"{name} deleted")
        return redirect("partners:uploads")
    return render(request, "partners/upload_delete.html", {"upload": upload})


@staff_permission_required(VIEW)
@require_http_methods(["GET"])
def upload_export(request: HttpRequest, pk: int) -> HttpResponse:
    """A copy of one of the organisation's uploads as CSV: an accepted file's rows in the template's
    columns, or a file that was not accepted as its list of problems (line, column, problem)."""
    upload = get_object_or_404(PartnerUpload, pk=pk, organisation=_organisation(request))
    if upload.accepted:
        header, rows = export_table(upload.kind, upload.records)
    else:
        header = ["line", "column", "problem"]
        rows = [[problem["line"], problem["column"], problem["problem"]] for problem in upload.problems]
    record_change(request, "exported", upload, "Downloaded a copy" if upload.accepted else "Downloaded the problems")
    stem = upload.file_name.rsplit(".", 1)[0]
    suffix = "" if upload.accepted else "-problems"
    # As every CSV download: the partner's free text (a location, a school name) that a spreadsheet would run
    # as a formula is written as text, with a quote in front.
    return csv_response(f"{_safe_file_name(stem + suffix)}.csv", header, rows)


def _safe_file_name(name: str) -> str:
    """The uploaded file's name as a download name: letters, digits, dot, dash and underscore only (the
    header cannot be broken by a quote or a line break in what the partner called the file)."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in name)
    return safe or "partner-upload"
