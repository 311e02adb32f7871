"""The public feedback form and the staff inbox."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import Truncator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts.audit import record_change
from portal.accounts.decorators import staff_permission_required
from portal.common.escaping import fill
from portal.common.formatting import govuk_datetime
from portal.common.pagination import govuk_pagination
from portal.common.ratelimit import client_address, take_submission, window_minutes
from portal.core.spreadsheets import csv_response
from portal.feedback.forms import (
    MESSAGE_MAX_LENGTH,
    AssignForm,
    FeedbackForm,
    FeedbackStatusForm,
    ReplyForm,
    StatusFilterForm,
)
from portal.feedback.models import FeedbackMessage, FeedbackReply
from portal.feedback.notify import email_reply, notify_team

PAGE_SIZE = 20  # summary cards: a phone screen holds about one, so 20 is a long enough page
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
            # The character count's data-maxlength, unformatted ("5000", not "5,000").
            "message_max_length": MESSAGE_MAX_LENGTH,
            "message_max_length_text": f"{MESSAGE_MAX_LENGTH:,}",
            "retention": retention_text(settings.FEEDBACK_RETENTION_DAYS),
            "privacy_url": privacy_url(),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def feedback_form(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        # Links may choose the topic ("Suggest a resource" on the partner dashboard: ?topic=resources).
        topic = request.GET.get("topic")
        return _form_page(
            request, FeedbackForm(initial={"topic": topic if topic in FeedbackMessage.Topic.values else None})
        )

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
            may_contact=form.may_contact,
            topic=data["topic"],
            message=data["message"],
        )
    notify_team(request, message)
    return redirect("feedback:thank_you")


@require_safe
def thank_you(request: HttpRequest) -> HttpResponse:
    return render(request, "feedback/thank_you.html", {"retention": retention_text(settings.FEEDBACK_RETENTION_DAYS)})


# --- Staff inbox ------------------------------------------------------------------------------------------


def _chosen(request: HttpRequest) -> tuple[StatusFilterForm, str, bool]:
    """The inbox's filter: (its form, the status chosen or "", whether only messages assigned to me)."""
    filter_form = StatusFilterForm(request.GET or None)
    valid = filter_form.is_valid()
    status = filter_form.cleaned_data["status"] if valid else ""
    return filter_form, status, valid and filter_form.cleaned_data["mine"]


# The inbox reads its two queries as plain SQL: built by the ORM, the counts and the page of cards cost
# about 0.4 ms a request in query building alone, an eighth of the page (benchmarks/portal.py; issue 11 asks
# for at most 5 times /healthz). Only what a card shows is read: never who last changed a message, nor anyone's
# other details.
INBOX_COUNTS_SQL = """
    SELECT status, CASE WHEN assigned_to_id = %s THEN 1 ELSE 0 END, count(*) FROM {messages} GROUP BY 1, 2
"""
INBOX_CARDS_SQL = """
    SELECT m.id, m.topic, m.received_at, m.status, m.message, u.username
    FROM {messages} AS m LEFT JOIN {users} AS u ON u.id = m.assigned_to_id
    {where}
    ORDER BY m.received_at DESC, m.id DESC
    LIMIT %s OFFSET %s
"""


def _tables() -> dict[str, str]:
    quote = connection.ops.quote_name
    return {"messages": quote(FeedbackMessage._meta.db_table), "users": quote(get_user_model()._meta.db_table)}


@dataclass(frozen=True)
class InboxCounts:
    """Messages by status, all of them and those assigned to the person reading: one query serves the status
    list's numbers and the count of whichever messages are shown."""

    all: dict[str, int]
    mine: dict[str, int]

    @classmethod
    def read(cls, user_id: int) -> InboxCounts:
        counts: dict[str, int] = {}
        mine: dict[str, int] = {}
        with connection.cursor() as cursor:
            cursor.execute(INBOX_COUNTS_SQL.format(**_tables()), [user_id])
            for status, assigned_to_me, number in cursor.fetchall():
                counts[status] = counts.get(status, 0) + number
                if assigned_to_me:
                    mine[status] = number
        return cls(counts, mine)

    def shown(self, status: str, only_mine: bool) -> int:
        counts = self.mine if only_mine else self.all
        return counts.get(status, 0) if status else sum(counts.values())


@dataclass(frozen=True)
class CardRows:
    """The messages shown, newest first, for a Paginator: each page it slices is one query."""

    status: str
    assigned_to: int | None

    def __getitem__(self, page: slice) -> list[tuple]:
        conditions, params = [], []
        if self.status:
            conditions.append("m.status = %s")
            params.append(self.status)
        if self.assigned_to is not None:
            conditions.append("m.assigned_to_id = %s")
            params.append(self.assigned_to)
        where = "WHERE " + " AND ".join(conditions) if conditions else ""
        with connection.cursor() as cursor:
            cursor.execute(
                INBOX_CARDS_SQL.format(where=where, **_tables()), [*params, page.stop - page.start, page.start]
            )
            return cursor.fetchall()


def _moment(value: datetime | str) -> datetime:
    """A timestamp as the driver gives it: aware (PostgreSQL), or naive or text in UTC as Django stores it in
    SQLite."""
    moment = datetime.fromisoformat(value) if isinstance(value, str) else value
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


# The GOV.UK tag colour of each status.
STATUS_TAGS = {"new": "govuk-tag--blue", "in_progress": "govuk-tag--yellow", "done": "govuk-tag--green"}


# Labels by value, read once: what get_topic_display() and get_status_display() say, without their per-call
# lookup work (40 calls a page).
TOPIC_LABELS = {value: str(label) for value, label in FeedbackMessage.Topic.choices}
STATUS_LABELS = {value: str(label) for value, label in FeedbackMessage.Status.choices}
EXCERPT_LENGTH = 90


def _excerpt(text: str) -> str:
    """Truncator(text).chars(EXCERPT_LENGTH), without its cost when the text is short enough already (a text
    of at most that many code points is never cut) and composed (Truncator gives back the NFC form)."""
    if len(text) <= EXCERPT_LENGTH and unicodedata.is_normalized("NFC", text):
        return text
    return Truncator(text).chars(EXCERPT_LENGTH)


# One summary card per message rather than a table: on a phone it stacks instead of scrolling sideways. Filled
# in Python (`fill` escapes every value) rather than by the template: 20 cards of ten template variables each
# were a third of the page's time (benchmarks/portal.py; issue 11 asks for at most 5 times /healthz).
CARD_HTML = (
    '<div class="govuk-summary-card">'
    '<div class="govuk-summary-card__title-wrapper"><h3 class="govuk-summary-card__title">'
    '<a class="govuk-link" href="{url}">Message {pk}<span class="govuk-visually-hidden"> about {topic_lower}</span></a>'
    "</h3></div>"
    '<div class="govuk-summary-card__content"><dl class="govuk-summary-list">'
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Status</dt>'
    '<dd class="govuk-summary-list__value"><strong class="govuk-tag {status_tag}">{status}</strong></dd></div>'
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Received</dt>'
    '<dd class="govuk-summary-list__value">{received}</dd></div>'
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Topic</dt>'
    '<dd class="govuk-summary-list__value">{topic}</dd></div>'
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Assigned to</dt>'
    '<dd class="govuk-summary-list__value">{assigned_to}</dd></div>'
    '<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">Message</dt>'
    '<dd class="govuk-summary-list__value portal-wrap-anywhere">{excerpt}</dd></div>'
    "</dl></div></div>\n"
)


def _card(row: tuple, detail_url: str) -> SafeString:
    """The inbox's card for a message (a row of INBOX_CARDS_SQL). `detail_url`: a message's address with {pk}
    for its number (reversed once for the page)."""
    pk, topic_value, received_at, status, message, assigned_to = row
    topic = TOPIC_LABELS.get(topic_value, topic_value)
    return fill(
        CARD_HTML,
        pk=pk,
        url=detail_url.format(pk=pk),
        topic=topic,
        topic_lower=topic.lower(),
        received=govuk_datetime(_moment(received_at)),
        status=STATUS_LABELS.get(status, status),
        status_tag=STATUS_TAGS.get(status, "govuk-tag--grey"),
        assigned_to=assigned_to if assigned_to is not None else "Nobody",
        excerpt=_excerpt(message),
    )


@require_safe
@staff_permission_required("feedback.view_feedbackmessage")
def staff_list(request: HttpRequest) -> HttpResponse:
    filter_form, status, only_mine = _chosen(request)
    counts = InboxCounts.read(request.user.pk)
    paginator = Paginator(CardRows(status, request.user.pk if only_mine else None), PAGE_SIZE)
    paginator.count = counts.shown(status, only_mine)
    page = paginator.get_page(request.GET.get("page"))
    detail_url = reverse("feedback:staff_detail", args=[0]).replace("/0/", "/{pk}/")
    status_options = [("", "All messages", sum(counts.all.values()))] + [
        (value, label, counts.all.get(value, 0)) for value, label in FeedbackMessage.Status.choices
    ]
    return render(
        request,
        "feedback/staff_list.html",
        {
            "page": page,
            "cards": [_card(message, detail_url) for message in page.object_list],
            "status": status,
            "status_label": dict(FeedbackMessage.Status.choices).get(status, ""),
            "status_options": status_options,
            "filter_form": filter_form,
            "mine": only_mine,
            "pagination": govuk_pagination(page, request),
            "can_export": request.user.has_perm("feedback.export_feedbackmessage"),
            "retention_days": settings.FEEDBACK_RETENTION_DAYS,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("feedback.view_feedbackmessage")
def staff_detail(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(FeedbackMessage.objects.select_related("updated_by", "assigned_to"), pk=pk)
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
    errors = [("status", error) for error in form.errors.get("status", [])] if form else []
    return _detail_page(request, message, form=form, errors=errors)


def _detail_page(
    request: HttpRequest,
    message: FeedbackMessage,
    *,
    form: FeedbackStatusForm | None = None,
    assign_form: AssignForm | None = None,
    reply_form: ReplyForm | None = None,
    errors: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """One message with its three forms (status and notes, assignment, reply); a form given is shown as sent,
    with its errors, the others fresh."""
    can_change = request.user.has_perm("feedback.change_feedbackmessage")
    if can_change:
        form = form or FeedbackStatusForm(instance=message)
        assign_form = assign_form or AssignForm(initial={"assigned_to": message.assigned_to_id})
        reply_form = reply_form or ReplyForm()
    return render(
        request,
        "feedback/staff_detail.html",
        {
            "message": message,
            "replies": list(message.replies.all()),
            "form": form,
            "assign_form": assign_form,
            "reply_form": reply_form,
            "statuses": FeedbackMessage.Status.choices,
            "can_delete": request.user.has_perm("feedback.delete_feedbackmessage"),
            "errors": errors or [],
        },
        status=status,
    )


@require_POST
@staff_permission_required("feedback.view_feedbackmessage", "feedback.change_feedbackmessage")
def staff_assign(request: HttpRequest, pk: int) -> HttpResponse:
    message = get_object_or_404(FeedbackMessage.objects.select_related("assigned_to"), pk=pk)
    form = AssignForm(request.POST)
    if not form.is_valid():
        errors = [("assigned_to", error) for error in form.errors.get("assigned_to", [])]
        return _detail_page(request, message, assign_form=form, errors=errors)
    handler = form.cleaned_data["assigned_to"]
    if handler == message.assigned_to:
        messages.info(request, "Nothing was changed.")
        return redirect("feedback:staff_detail", pk=message.pk)
    with transaction.atomic():
        message.assigned_to = handler
        message.updated_by, message.updated_at = request.user, timezone.now()
        message.save(update_fields=["assigned_to", "updated_by", "updated_at"])
        # A staff username is not the sender's personal data: the trail may say who has the message.
        summary = f"Assigned to {handler.get_username()}" if handler else "No longer assigned to anyone"
        record_change(request, "assigned", message, summary)
    messages.success(request, f"{summary}.")
    return redirect("feedback:staff_detail", pk=message.pk)


@require_POST
@staff_permission_required("feedback.view_feedbackmessage", "feedback.change_feedbackmessage")
def staff_reply(request: HttpRequest, pk: int) -> HttpResponse:
    """Record a reply; email it only when the sender gave an address and asked for a reply."""
    message = get_object_or_404(FeedbackMessage.objects.select_related("assigned_to"), pk=pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        errors = [("reply-text", error) for error in form.errors.get("text", [])]
        return _detail_page(request, message, reply_form=form, errors=errors)
    words = form.cleaned_data["text"]
    with transaction.atomic():
        reply = FeedbackReply.objects.create(
            message=message, written_by=request.user, written_by_name=request.user.get_username(), text=words
        )
    # Sent after the reply is committed: a failing mail server never loses what staff wrote.
    sent = email_reply(message, words)
    with transaction.atomic():
        if sent:
            reply.emailed_at = timezone.now()
            reply.save(update_fields=["emailed_at"])
            outcome = "Reply emailed to the sender"
        elif message.can_email_reply:
            outcome = "Reply recorded; the email could not be sent"
        else:
            outcome = "Reply recorded, not emailed (the sender did not ask for a reply by email)"
        record_change(request, "replied", message, outcome)
    if sent:
        messages.success(request, "Your reply has been emailed to the sender and recorded.")
    elif message.can_email_reply:
        messages.warning(request, "Your reply has been recorded, but the email could not be sent. Try again later.")
    else:
        messages.success(
            request, "Your reply has been recorded. It was not emailed: the sender did not ask for a reply."
        )
    return redirect("feedback:staff_detail", pk=message.pk)


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
    ("assigned_to", "Assigned to"),
    ("replies", "Replies"),
    ("updated_by", "Updated by"),
    ("updated_at", "Updated"),
]


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
        "assigned_to": message.assigned_to.get_username() if message.assigned_to else "",
        "replies": "\n\n".join(
            f"{moment(reply.written_at)} {reply.written_by_name}"
            f"{' (emailed)' if reply.emailed_at else ''}: {reply.text}"
            for reply in message.replies.all()
        ),
        "updated_by": message.updated_by.get_username() if message.updated_by else "",
        "updated_at": moment(message.updated_at),
    }
    return [values[key] for key, _ in EXPORT_COLUMNS]


@require_safe
@staff_permission_required("feedback.view_feedbackmessage", "feedback.export_feedbackmessage")
def staff_export(request: HttpRequest) -> HttpResponse:
    _, status, only_mine = _chosen(request)
    queryset = FeedbackMessage.objects.all()
    if status:
        queryset = queryset.filter(status=status)
    if only_mine:
        queryset = queryset.filter(assigned_to=request.user)
    rows = list(queryset.select_related("updated_by", "assigned_to").prefetch_related("replies"))
    response = csv_response(
        f"feedback-{timezone.localdate():%Y-%m-%d}.csv",
        [heading for _, heading in EXPORT_COLUMNS],
        (_export_row(message) for message in rows),
    )
    which = dict(FeedbackMessage.Status.choices).get(status, "all statuses")
    record_change(request, "exported", FeedbackMessage(), f"Exported {len(rows)} message(s) as CSV ({which})")
    return response
