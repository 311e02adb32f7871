"""The audit trail page (/staff/audit/): who may read it, what it shows, and its pages."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.test import RequestFactory

from portal.accounts.audit import record_change
from portal.accounts.models import AuditEvent
from portal.accounts.users import assign_role
from portal.core.models import Page

pytestmark = pytest.mark.django_db

AUDIT = "/staff/audit/"


def text_of(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def sign_in(client, role: str | None):
    user = get_user_model().objects.create_user(role or "no-role")
    if role:
        assign_role(user, role)
    client.force_login(user)
    return user


def add_events(count: int, user) -> None:
    page = Page.objects.get(slug="contact-the-team")
    AuditEvent.objects.bulk_create(
        AuditEvent(
            user=user,
            username=user.username,
            action="changed",
            object_type="core.page",
            object_id=str(page.pk),
            object_repr=page.title,
            summary=f"Change number {number}.",
        )
        for number in range(1, count + 1)
    )


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(AUDIT)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/sign-in/?next={AUDIT}"


@pytest.mark.parametrize(("role", "status"), [("editor", 200), ("administrator", 200), ("partner", 403), (None, 403)])
def test_who_may_read_the_audit_trail(client, role, status):
    sign_in(client, role)
    assert client.get(AUDIT).status_code == status


def test_empty_audit_trail(client):
    sign_in(client, "editor")
    assert "No changes have been recorded yet." in text_of(client.get(AUDIT))


def test_an_event_shows_when_who_what_and_the_summary(client):
    editor = sign_in(client, "editor")
    request = RequestFactory().post("/")
    request.user = editor
    page = Page.objects.get(slug="contact-the-team")
    record_change(request, "changed", page, summary="Changed the page text.")
    text = text_of(client.get(AUDIT))
    assert "Changed page “Contact the team”" in text
    assert "Changed the page text." in text
    assert " editor " in text


def test_an_event_about_a_model_that_no_longer_exists_still_shows(client):
    sign_in(client, "editor")
    AuditEvent.objects.create(
        username="someone", action="deleted", object_type="gone.thing", object_id="1", object_repr="Old"
    )
    assert "Deleted gone.thing “Old”" in text_of(client.get(AUDIT))


def test_the_audit_trail_is_paginated_newest_first(client):
    editor = sign_in(client, "editor")
    add_events(120, editor)

    first = client.get(AUDIT)
    text = text_of(first)
    assert "Changes 1 to 50 of 120" in text
    assert text.index("Change number 120.") < text.index("Change number 71.")
    assert "Change number 70." not in text
    html = first.content.decode()
    assert '<nav class="govuk-pagination" aria-label="Pages of the audit trail">' in html
    assert 'href="?page=2" rel="next"' in html
    assert 'rel="prev"' not in html
    assert 'aria-label="Page 1" aria-current="page"' in html

    second = client.get(AUDIT + "?page=2")
    assert "Changes 51 to 100 of 120" in text_of(second)
    assert "<title>Audit trail (page 2 of 3)" in second.content.decode()
    assert 'href="?page=1" rel="prev"' in second.content.decode()

    assert "Changes 101 to 120 of 120" in text_of(client.get(AUDIT + "?page=999"))  # past the end: the last
    assert "Changes 1 to 50 of 120" in text_of(client.get(AUDIT + "?page=nonsense"))


def test_pagination_shows_ellipses_between_distant_pages(client):
    editor = sign_in(client, "editor")
    add_events(50 * 9, editor)
    html = client.get(AUDIT + "?page=5").content.decode()
    numbers = re.findall(r'aria-label="Page (\d+)"', html)
    assert numbers == ["1", "4", "5", "6", "9"]
    assert html.count("govuk-pagination__item--ellipses") == 2
