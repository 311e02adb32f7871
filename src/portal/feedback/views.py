"""The public feedback form and the staff inbox."""

from __future__ import annotations

import csv
from datetime import datetime

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.audit import record_change
from portal.accounts.decorators import staff_permission_required
from portal.feedback.forms import FeedbackForm, FeedbackStatusForm, StatusFilterForm
from portal.feedback.models import FeedbackMessage
from portal.feedback.notify import notify_team
from portal.feedback.ratelimit import client_address, take_submission, window_minutes

PAGE_SIZE = 50
# URL names the privacy notice may have (it belongs to another app); the path is the fallback.
PRIVACY_URL_NAMES = ("core:privacy", "core:privacy_notice", "accounts:privacy")
PRIVACY_PATH = "/privacy/"


def privacy_url() -> str:
    for name in PRIVACY_URL_NAMES:
        try:
            return reverse(name)
        except NoReverseMatch:
            continue
    return PRIVACY_PATH


def retention_text(days: int) -> str:
    """365 -> "1 year (365 days)"; 30 -> "30 days"."""
    if days % 365 == 0:
        years = days // 365
        return f"{years} year{'s' if years != 1 else ''} ({days:,} days)"
    return f"{days:,} day{'s' if days != 1 else ''}"


def _form_page(request: HttpRequest, form: FeedbackForm, *, status: int = 200, rate_limited: bool = False):
    return render(
        request,
        "feedback/form.html",
        {
            "form": form,
            "errors": form.error_list() if form.is_bound else [],
            "rate_limited": rate_limited,
            "wait_minutes": window_minutes(),
            "topics": FeedbackMessage.Topic.choices,
            "retention": retention_text(settings.FEEDBACK_RETENTION_DAYS),
            "privacy_url": privacy_url(),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_form(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, FeedbackForm())

    form = FeedbackForm(request.POST)
    if form.is_bot:
        # A bot filled in the hidden field: look like success, keep nothing.
        return redirect("feedback:thank_you")
    if not form.is_valid():
        return _form_page(request, form)
    if not take_submission(client_address(request)):
        return _form_page(request, form, status=429, rate_limited=True)

    data = form.cleaned_data
    # Saved (and committed) before the thank-you page: the redirect happens only once the message is safe.
    with transaction.atomic():
        message = FeedbackMessage.objects.create(
            name=data["name"].strip(),
            email=data["email"],
            may_contact=bool(data["email"]) and data["may_contact"],
            topic=data["topic"],
            message=data["message"],
        )
    notify_team(request, message)
    return redirect("feedback:thank_you")


@require_safe
def thank_you(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/thank_you.html", {"retention": retention_text(settings.FEEDBACK_RETENTION_DAYS)})


# --- Staff inbox ------------------------------------------------------------------------------------------


def _filtered(request: HttpRequest):
    filter_form = StatusFilterForm(request.GET or None)
    status = filter_form.cleaned_data["status"] if filter_form.is_valid() else ""
    queryset = FeedbackMessage.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    return filter_form, status, queryset


@require_safe
@staff_permission_required("feedback.view_feedbackmessage")
def staff_list(request: HttpRequest) -> HttpResponse:
    filter_form, status, queryset = _filtered(request)
    page = Paginator(queryset.select_related("updated_by"), PAGE_SIZE).get_page(request.GET.get("page"))
    counts = dict(FeedbackMessage.objects.values_list("status").annotate(n=Count("id")).order_by())
    status_options = [("", "All messages", sum(counts.values()))] + [
        (value, label, counts.get(value, 0)) for value, label in FeedbackMessage.Status.choices
    ]
    return render(
        request,
        "feedback/staff_list.html",
        {
            "page": page,
            "status": status,
            "status_label": dict(FeedbackMessage.Status.choices).get(status, ""),
            "status_options": status_options,
            "filter_form": filter_form,
            "can_export": request.user.has_perm("feedback.export_feedbackmessage"),
            "retention_days": settings.FEEDBACK_RETENTION_DAYS,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("feedback.view_feedbackmessage")
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(FeedbackMessage.objects.select_related("updated_by"), pk=pk)
    can_change = request.user.has_perm("feedback.change_feedbackmessage")
    form = FeedbackStatusForm(instance=message) if can_change else None
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        old_status, old_notes = message.get_status_display(), message.staff_notes
        form = FeedbackStatusForm(request.POST, instance=message)
        if form.is_valid():
            changes = []
            if form.instance.get_status_display() != old_status:
                changes.append(f"status changed from {old_status} to {form.instance.get_status_display()}")
            if form.cleaned_data["staff_notes"] != old_notes:
                changes.append("staff notes edited")
            if changes:
                with transaction.atomic():
                    message = form.save(commit=False)
                    message.updated_by = request.user
                    message.updated_at = timezone.now()
                    message.save()
                    # The summary says what changed, never the notes' words (they may name people).
                    summary = "; ".join(changes)
                    record_change(request, "changed", message, summary[:1].upper() + summary[1:])
                messages.success(request, f"Saved: {'; '.join(changes)}.")
            else:
                messages.info(request, "Nothing was changed.")
            return redirect("feedback:staff_detail", pk=message.pk)
    return render(
        request,
        "feedback/staff_detail.html",
        {
            "message": message,
            "form": form,
            "statuses": FeedbackMessage.Status.choices,
            "can_delete": request.user.has_perm("feedback.delete_feedbackmessage"),
            "errors": [("status", error) for error in form.errors.get("status", [])] if form else [],
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("feedback.view_feedbackmessage", "feedback.delete_feedbackmessage")
def staff_delete(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(FeedbackMessage, pk=pk)
    if request.method == "POST":
        received = message.received_at
        with transaction.atomic():
            record_change(request, "deleted", message, f"Deleted a message received {received:%Y-%m-%d}")
            message.delete()
        messages.success(request, "The message was deleted.")
        return redirect("feedback:staff_list")
    return render(request, "feedback/staff_delete.html", {"message": message})


# Spreadsheet programs run a cell that starts with one of these as a formula ("CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
EXPORT_COLUMNS = [
    ("id", "ID"),
    ("received_at", "Received"),
    ("topic", "Topic"),
    ("message", "Message"),
    ("name", "Name"),
    ("email", "Email"),
    ("may_contact", "May contact"),
    ("status", "Status"),
    ("staff_notes", "Staff notes"),
    ("updated_by", "Updated by"),
    ("updated_at", "Updated"),
]


def safe_cell(value) -> str:
    """A value for a CSV cell that a spreadsheet shows as text: a leading = + - @ (or tab, carriage return)
    gets a single quote in front."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def _export_row(message: FeedbackMessage) -> list[str]:
    def moment(value: datetime | None) -> str:
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""

    values = {
        "id": message.pk,
        "received_at": moment(message.received_at),
        "topic": message.get_topic_display(),
        "message": message.message,
        "name": message.name,
        "email": message.email,
        "may_contact": "yes" if message.may_contact else "no",
        "status": message.get_status_display(),
        "staff_notes": message.staff_notes,
        "updated_by": message.updated_by.get_username() if message.updated_by else "",
        "updated_at": moment(message.updated_at),
    }
    return [safe_cell(values[key]) for key, _ in EXPORT_COLUMNS]


@require_safe
@staff_permission_required("feedback.view_feedbackmessage", "feedback.export_feedbackmessage")
def staff_export(request: HttpRequest) -> HttpResponse:
    _, status, queryset = _filtered(request)
    rows = list(queryset.select_related("updated_by"))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="feedback-{timezone.localdate():%Y-%m-%d}.csv"'
    # A byte order mark, so that Excel reads the file as UTF-8.
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow([heading for _, heading in EXPORT_COLUMNS])
    for message in rows:
        writer.writerow(_export_row(message))
    which = dict(FeedbackMessage.Status.choices).get(status, "all statuses")
    record_change(request, "exported", FeedbackMessage(), f"Exported {len(rows)} message(s) as CSV ({which})")
    return response
