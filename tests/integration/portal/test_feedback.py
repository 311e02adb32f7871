"""The public feedback form and the staff inbox (SQLite, or PostgreSQL with DATABASE_URL)."""

from __future__ import annotations

import csv
import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from portal.accounts.models import AuditEvent
from portal.accounts.users import create_staff_user
from portal.feedback.models import FeedbackMessage

pytestmark = pytest.mark.django_db
PASSWORD = "a long enough pass phrase"
FORM = {"topic": "website", "message": "The contacts page is missing the youth service.", "name": "", "email": ""}


@pytest.fixture(autouse=True)
def fresh_rate_limit():
    # The rate limit counts in Django's cache, which lives as long as the test process.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor(client):
    user = create_staff_user("edith", "edith@example.org", "editor", PASSWORD)
    client.force_login(user)
    return user


@pytest.fixture
def partner(client):
    user = create_staff_user("parveen", "parveen@example.org", "partner", PASSWORD)
    client.force_login(user)
    return user


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def message(**fields) -> FeedbackMessage:
    values = {"topic": "website", "message": "A message"} | fields
    return FeedbackMessage.objects.create(**values)


# --- The public form --------------------------------------------------------------------------------------


def test_the_form_states_the_retention_period_and_links_the_privacy_notice(client, settings):
    settings.FEEDBACK_RETENTION_DAYS = 365
    response = client.get(reverse("feedback:form"))
    assert response.status_code == 200
    text = text_of(response)
    assert "We keep it for 1 year (365 days), then delete it." in text
    assert 'href="/privacy/"' in response.content.decode() or "privacy" in response.content.decode()
    assert "call 999" in text


def test_a_message_is_saved_before_the_thank_you_page(client):
    response = client.post(reverse("feedback:form"), FORM)
    # POST-redirect-GET: by the time the browser is sent to the thank-you page, the message is in the database.
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:thank_you")
    saved = FeedbackMessage.objects.get()
    assert saved.message == FORM["message"]
    assert saved.topic == "website"
    assert saved.status == FeedbackMessage.Status.NEW
    assert saved.name == "" and saved.email == "" and not saved.may_contact
    assert "Message sent" in text_of(client.get(response["Location"]))


def test_an_email_address_given_is_a_request_for_a_reply_without_a_box_to_tick(client):
    # The box is labelled "if you would like a reply": no separate tick is asked for, so none can be missing.
    response = client.post(reverse("feedback:form"), FORM | {"name": "Sam", "email": "sam@example.org"})
    assert response.status_code == 302
    saved = FeedbackMessage.objects.get()
    assert (saved.name, saved.email, saved.may_contact) == ("Sam", "sam@example.org", True)


def test_the_message_box_is_a_govuk_character_count_that_states_the_limit_without_javascript(client):
    html = client.get(reverse("feedback:form")).content.decode()
    group = re.search(r'<div class="govuk-form-group govuk-character-count"[^>]*>', html).group(0)
    assert 'data-module="govuk-character-count"' in group and 'data-maxlength="5000"' in group
    # The static message is what people without JavaScript read; GOV.UK Frontend replaces it with a count.
    assert re.search(r'id="message-info"[^>]*>You can enter up to 5,000 characters<', html)
    assert 'aria-describedby="message-info message-hint"' in html
    assert 'name="may_contact"' not in html


def test_the_phase_banner_sends_feedback_to_the_form_not_to_an_email_address(client):
    html = client.get(reverse("core:accessibility_statement")).content.decode()
    banner = re.search(r'<div class="govuk-phase-banner"[^>]*>(.*?)</div>', html, re.S).group(1)
    assert f'href="{reverse("feedback:form")}"' in banner
    assert "mailto:" not in banner


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"topic": ""}, "Select what your message is about"),
        ({"message": "   "}, "Enter your message"),
        ({"message": "x" * 5001}, "Your message must be 5,000 characters or fewer"),
        ({"email": "not an address"}, "Enter an email address in the correct format"),
    ],
)
def test_a_rejected_form_explains_and_keeps_what_was_typed(client, changes, error):
    data = FORM | {"name": "Sam Example"} | changes
    response = client.post(reverse("feedback:form"), data)
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "There is a problem" in text
    assert "<title>Error: " in html
    assert error in text
    # The error appears twice: in the summary and by the field.
    assert text.count(error) == 2
    # What was typed is still there.
    assert 'value="Sam Example"' in html
    if data["message"].strip() and len(data["message"]) <= 5000:
        assert data["message"] in html
    if data.get("email"):
        assert f'value="{data["email"]}"' in html
    assert FeedbackMessage.objects.count() == 0


def test_the_honeypot_discards_bots_silently(client):
    response = client.post(reverse("feedback:form"), FORM | {"website": "http://spam.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("feedback:thank_you")
    assert FeedbackMessage.objects.count() == 0


def test_the_honeypot_is_hidden_from_people(client):
    html = client.get(reverse("feedback:form")).content.decode()
    hidden = re.search(r'<div class="govuk-visually-hidden" aria-hidden="true">(.*?)</div>', html, re.S)
    assert hidden and 'name="website"' in hidden.group(1)
    assert 'tabindex="-1"' in hidden.group(1)
    assert "style=" not in html


def test_the_rate_limit_keeps_the_text_and_says_what_to_do(client, settings):
    settings.FEEDBACK_RATE_LIMIT = 5
    for number in range(5):
        assert client.post(reverse("feedback:form"), FORM | {"message": f"Message {number}"}).status_code == 302
    response = client.post(reverse("feedback:form"), FORM | {"message": "The sixth message"})
    assert response.status_code == 429
    text = text_of(response)
    assert "You have sent several messages in the last few minutes. Wait 10 minutes" in text
    assert "The sixth message" in response.content.decode()
    assert FeedbackMessage.objects.count() == 5
    # Another address is not limited.
    other = client.post(reverse("feedback:form"), FORM, REMOTE_ADDR="192.0.2.7")
    assert other.status_code == 302


def test_no_notice_is_sent_without_an_address(client, settings):
    settings.VRU_FEEDBACK_NOTIFY_EMAIL = ""
    client.post(reverse("feedback:form"), FORM)
    assert mail.outbox == []


def test_the_notice_links_to_the_message_but_does_not_contain_it(client, settings):
    settings.VRU_FEEDBACK_NOTIFY_EMAIL = "team@example.org"
    client.post(reverse("feedback:form"), FORM | {"name": "Sam Example", "email": "sam@example.org"})
    saved = FeedbackMessage.objects.get()
    [notice] = mail.outbox
    assert notice.to == ["team@example.org"]
    assert f"/feedback/staff/{saved.pk}/" in notice.body
    assert "This website" in notice.body
    for private in (FORM["message"], "Sam Example", "sam@example.org"):
        assert private not in notice.body and private not in notice.subject


def test_a_failing_mail_server_does_not_lose_the_message(client, settings):
    settings.VRU_FEEDBACK_NOTIFY_EMAIL = "team@example.org"
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    response = client.post(reverse("feedback:form"), FORM)
    assert response.status_code == 302
    assert FeedbackMessage.objects.count() == 1


# --- Who may use the inbox ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["feedback:staff_list", "feedback:staff_export"])
def test_anonymous_visitors_are_sent_to_sign_in(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert "next=" in response["Location"]


def test_a_partner_cannot_reach_the_inbox(client, partner):
    item = message()
    for url in (
        reverse("feedback:staff_list"),
        reverse("feedback:staff_detail", args=[item.pk]),
        reverse("feedback:staff_export"),
        reverse("feedback:staff_delete", args=[item.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("feedback:staff_delete", args=[item.pk])).status_code == 403
    assert FeedbackMessage.objects.filter(pk=item.pk).exists()


# --- The inbox --------------------------------------------------------------------------------------------


def test_the_inbox_lists_and_filters_by_status(client, editor):
    message(message="First message", status="new")
    message(message="Second message", status="done")
    response = client.get(reverse("feedback:staff_list"))
    assert response.status_code == 200
    text = text_of(response)
    assert "First message" in text and "Second message" in text
    assert "All messages (2)" in text and "New (1)" in text and "Done (1)" in text
    filtered = text_of(client.get(reverse("feedback:staff_list"), {"status": "done"}))
    assert "Second message" in filtered and "First message" not in filtered
    # Staff pages are never cached.
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_the_inbox_counts_orders_and_pages_each_filter_as_the_database_holds_it(client, editor):
    # 47 messages (SYNTHETIC), every third done, every fifth assigned to the editor, a minute apart.
    colleague = create_staff_user("colin", "colin@example.org", "editor", PASSWORD)
    start = timezone.now() - timedelta(days=1)
    for number in range(47):
        item = message(
            message=f"Message text {number}",
            status="done" if number % 3 == 0 else "new",
            assigned_to=editor if number % 5 == 0 else colleague if number % 7 == 0 else None,
        )
        FeedbackMessage.objects.filter(pk=item.pk).update(received_at=start + timedelta(minutes=number))
    first = text_of(client.get(reverse("feedback:staff_list")))
    assert "All messages (47)" in first and "New (31)" in first and "Done (16)" in first
    assert "All messages: 47" in first
    for query, expected in [
        ({}, FeedbackMessage.objects.all()),
        ({"status": "done"}, FeedbackMessage.objects.filter(status="done")),
        ({"mine": "on"}, FeedbackMessage.objects.filter(assigned_to=editor)),
        ({"status": "new", "mine": "on"}, FeedbackMessage.objects.filter(status="new", assigned_to=editor)),
    ]:
        newest_first = list(expected.order_by("-received_at", "-id").values_list("pk", flat=True))
        shown = []
        for page in (1, 2, 3):
            text = text_of(client.get(reverse("feedback:staff_list"), {**query, "page": page}))
            assert f": {len(newest_first)}" in text
            shown += [int(number) for number in re.findall(r"Message (\d+) about", text)]
            if len(shown) >= len(newest_first):
                break
        assert shown == newest_first, query
    # Each card says who it is assigned to, and when it arrived (UK time, GOV.UK style).
    newest = FeedbackMessage.objects.order_by("-received_at").first()
    card = text_of(client.get(reverse("feedback:staff_list")))
    assert "Nobody" in card and "colin" in card
    received = timezone.localtime(newest.received_at)
    assert f"{received.day} " in card and f"{received.year} at " in card


def test_the_detail_page_saves_status_and_notes_and_audits_without_personal_data(client, editor):
    item = message(name="Sam Example", email="sam@example.org", may_contact=True, message="Please call me")
    page = client.get(reverse("feedback:staff_detail", args=[item.pk]))
    assert "Sam Example" in text_of(page) and "mailto:sam@example.org" in page.content.decode()

    response = client.post(
        reverse("feedback:staff_detail", args=[item.pk]),
        {"status": "in_progress", "staff_notes": "Rang Sam Example back"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == "in_progress"
    assert item.staff_notes == "Rang Sam Example back"
    assert item.updated_by == editor and item.updated_at is not None
    event = AuditEvent.objects.get(action="changed")
    assert event.object_type == "feedback.feedbackmessage" and event.object_id == str(item.pk)
    assert event.summary == "Status changed from New to In progress; staff notes edited"
    for private in ("Sam", "sam@example.org", "Please call me", "Rang"):
        assert private not in event.summary and private not in event.object_repr


def test_saving_nothing_new_records_nothing(client, editor):
    item = message()
    client.post(reverse("feedback:staff_detail", args=[item.pk]), {"status": "new", "staff_notes": ""})
    assert not AuditEvent.objects.exists()


def test_an_invalid_status_is_refused_with_an_error(client, editor):
    item = message()
    response = client.post(reverse("feedback:staff_detail", args=[item.pk]), {"status": "lost", "staff_notes": ""})
    assert response.status_code == 200
    assert "Select a status" in text_of(response)
    item.refresh_from_db()
    assert item.status == "new"


def test_a_message_is_assigned_to_someone_who_handles_feedback_and_audited(client, editor):
    colleague = create_staff_user("colin", "colin@example.org", "editor", PASSWORD)
    partner = create_staff_user("parveen", "parveen@example.org", "partner", PASSWORD)
    item = message()
    page = text_of(client.get(reverse("feedback:staff_detail", args=[item.pk])))
    # Only people who may handle feedback are offered.
    assert "colin" in page and "parveen" not in page
    refused = client.post(reverse("feedback:staff_assign", args=[item.pk]), {"assigned_to": partner.pk})
    assert refused.status_code == 200
    assert "Select a member of staff who handles feedback" in text_of(refused)

    response = client.post(reverse("feedback:staff_assign", args=[item.pk]), {"assigned_to": colleague.pk})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.assigned_to == colleague
    assert AuditEvent.objects.get(action="assigned").summary == "Assigned to colin"
    # "Assigned to me" shows it to colin only.
    client.force_login(colleague)
    assert f"Message {item.pk}" in text_of(client.get(reverse("feedback:staff_list"), {"mine": "on"}))
    client.force_login(editor)
    assert f"Message {item.pk}" not in text_of(client.get(reverse("feedback:staff_list"), {"mine": "on"}))


def test_a_reply_is_emailed_only_to_someone_who_gave_an_address(client, editor, settings):
    settings.VRU_CONTACT_EMAIL = "vru@example.org"
    asked = message(email="sam@example.org", may_contact=True)
    anonymous = message()
    response = client.post(reverse("feedback:staff_reply", args=[asked.pk]), {"text": "Thank you: we added it."})
    assert response.status_code == 302
    [sent] = mail.outbox
    assert sent.to == ["sam@example.org"] and sent.reply_to == ["vru@example.org"]
    assert "Thank you: we added it." in sent.body
    reply = asked.replies.get()
    assert reply.written_by == editor and reply.emailed_at is not None

    client.post(reverse("feedback:staff_reply", args=[anonymous.pk]), {"text": "Noted after a phone call."})
    assert len(mail.outbox) == 1
    assert anonymous.replies.get().emailed_at is None
    summaries = list(AuditEvent.objects.filter(action="replied").order_by("id").values_list("summary", flat=True))
    assert summaries == [
        "Reply emailed to the sender",
        "Reply recorded, not emailed (the sender did not ask for a reply by email)",
    ]
    for summary in summaries:
        assert "Thank you" not in summary and "sam@" not in summary
    detail = text_of(client.get(reverse("feedback:staff_detail", args=[asked.pk])))
    assert "Thank you: we added it." in detail and "(emailed)" in detail


def test_an_empty_reply_is_refused_and_a_failing_mail_server_keeps_the_reply(client, editor, settings):
    item = message(email="sam@example.org", may_contact=True)
    refused = client.post(reverse("feedback:staff_reply", args=[item.pk]), {"text": "  "})
    assert refused.status_code == 200 and "Enter your reply" in text_of(refused)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens on the discard port
    client.post(reverse("feedback:staff_reply", args=[item.pk]), {"text": "Kept even so"})
    reply = item.replies.get()
    assert reply.text == "Kept even so" and reply.emailed_at is None
    assert AuditEvent.objects.get(action="replied").summary == "Reply recorded; the email could not be sent"


def test_a_partner_cannot_assign_or_reply(client, partner):
    item = message(email="sam@example.org", may_contact=True)
    assert client.post(reverse("feedback:staff_reply", args=[item.pk]), {"text": "x"}).status_code == 403
    assert client.post(reverse("feedback:staff_assign", args=[item.pk]), {"assigned_to": ""}).status_code == 403
    assert not item.replies.exists() and mail.outbox == []


def test_delete_asks_first_then_deletes_and_audits(client, editor):
    item = message(message="Delete me")
    confirm = client.get(reverse("feedback:staff_delete", args=[item.pk]))
    assert confirm.status_code == 200
    assert f"Are you sure you want to delete message {item.pk}?" in text_of(confirm)
    assert FeedbackMessage.objects.filter(pk=item.pk).exists()

    response = client.post(reverse("feedback:staff_delete", args=[item.pk]))
    assert response.status_code == 302
    assert not FeedbackMessage.objects.filter(pk=item.pk).exists()
    event = AuditEvent.objects.get(action="deleted")
    assert event.object_id == str(item.pk)
    assert "Delete me" not in event.summary


def test_export_escapes_formulas_and_is_audited(client, editor):
    message(message='=HYPERLINK("http://evil.example","click")', name="+44 1225", email="")
    message(message="-2+3", name="@SUM(A1)", staff_notes="\tnote")
    message(message="Plain text, with a comma", name="Sam")
    response = client.get(reverse("feedback:staff_export"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert len(rows) == 3
    by_message = {row["Message"]: row for row in rows}
    assert '\'=HYPERLINK("http://evil.example","click")' in by_message
    assert by_message['\'=HYPERLINK("http://evil.example","click")']["Name"] == "'+44 1225"
    assert by_message["'-2+3"]["Name"] == "'@SUM(A1)"
    assert by_message["'-2+3"]["Staff notes"] == "'\tnote"
    assert by_message["Plain text, with a comma"]["Name"] == "Sam"
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    event = AuditEvent.objects.get(action="exported")
    assert event.summary == "Exported 3 message(s) as CSV (all statuses)"


def test_export_follows_the_status_filter(client, editor):
    message(message="New one", status="new")
    message(message="Done one", status="done")
    response = client.get(reverse("feedback:staff_export"), {"status": "done"})
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["Message"] for row in rows] == ["Done one"]


# --- Retention --------------------------------------------------------------------------------------------


def test_purge_deletes_only_messages_past_the_retention_period(settings, capsys):
    settings.FEEDBACK_RETENTION_DAYS = 30
    now = timezone.now()
    old = message(message="old", received_at=now - timedelta(days=31))
    edge = message(message="just inside", received_at=now - timedelta(days=29, hours=23))
    new = message(message="new", received_at=now)

    call_command("purge_feedback", "--dry-run")
    assert "Would delete 1 feedback message(s)" in capsys.readouterr().out
    assert FeedbackMessage.objects.count() == 3

    call_command("purge_feedback")
    assert "Deleted 1 feedback message(s)" in capsys.readouterr().out
    remaining = set(FeedbackMessage.objects.values_list("pk", flat=True))
    assert remaining == {edge.pk, new.pk}
    assert old.pk not in remaining


def test_purge_counts_messages_not_their_replies_and_audits_each(settings, capsys):
    settings.FEEDBACK_RETENTION_DAYS = 30
    old = message(message="old", received_at=timezone.now() - timedelta(days=31))
    old.replies.create(text="a reply", written_by_name="staff")  # deleted with it, not counted
    call_command("purge_feedback")
    assert "Deleted 1 feedback message(s)" in capsys.readouterr().out
    assert not FeedbackMessage.objects.exists()
    event = AuditEvent.objects.get(action="deleted", object_id=str(old.pk))
    assert event.username == "retention period" and event.object_repr == f"Feedback message {old.pk}"


def test_purge_with_nothing_to_delete_says_so(capsys):
    message()
    call_command("purge_feedback")
    assert "Deleted 0 feedback message(s)" in capsys.readouterr().out
