"""The feedback form's rules, the CSV cell escaping and the notice text (no database)."""

from __future__ import annotations

import pytest

from portal.core.spreadsheets import safe_cell
from portal.feedback.forms import FeedbackForm
from portal.feedback.models import FeedbackMessage
from portal.feedback.notify import notice_text
from portal.feedback.views import retention_text

VALID = {"topic": "figures", "message": "Useful, thank you"}


def test_a_topic_and_a_message_are_enough():
    form = FeedbackForm(VALID)
    assert form.is_valid(), form.errors
    assert not form.is_bot


def test_errors_follow_the_order_of_the_page():
    form = FeedbackForm({"email": "nope"})
    assert not form.is_valid()
    assert [anchor for anchor, _ in form.error_list()] == ["topic", "message", "email"]


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"topic": "other-thing"}, "topic", "Select an option"),
        ({"message": "\n  \t"}, "message", "Enter your message"),
    ],
)
def test_the_rules(data, field, message):
    form = FeedbackForm(VALID | data)
    assert not form.is_valid()
    assert any(message in error for error in form.errors[field])


def test_an_email_address_means_the_sender_may_be_emailed():
    form = FeedbackForm(VALID | {"email": "a@example.org"})
    assert form.is_valid(), form.errors
    assert form.may_contact
    without = FeedbackForm(VALID)
    assert without.is_valid() and not without.may_contact


def test_a_filled_honeypot_marks_a_bot():
    assert FeedbackForm(VALID | {"website": "x"}).is_bot
    assert not FeedbackForm(VALID | {"website": "   "}).is_bot


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+44 1225 000000", "'+44 1225 000000"),
        ("-5", "'-5"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\tTab", "'\tTab"),
        ("\rReturn", "'\rReturn"),
        ("Plain = text", "Plain = text"),
        ("", ""),
        (None, ""),
        (12, "12"),
        (-2.5, "-2.5"),
    ],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


@pytest.mark.parametrize(
    ("days", "text"), [(365, "1 year (365 days)"), (730, "2 years (730 days)"), (30, "30 days"), (1, "1 day")]
)
def test_retention_text(days, text):
    assert retention_text(days) == text


def test_the_notice_names_the_topic_and_the_link_only():
    message = FeedbackMessage(pk=7, topic="resources", message="secret words", name="Sam", email="sam@example.org")
    subject, body = notice_text(message, "https://vru.example/feedback/staff/7/")
    assert "https://vru.example/feedback/staff/7/" in body
    assert "Resources, services or contacts" in body
    for private in ("secret words", "Sam", "sam@example.org"):
        assert private not in body and private not in subject


def test_the_audit_name_of_a_message_holds_no_personal_data():
    assert str(FeedbackMessage(pk=3, name="Sam", email="s@example.org", message="words")) == "Feedback message 3"
