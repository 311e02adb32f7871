"""Staff edit the unit's pages: who may, the form's errors, what is saved, and the audit trail of each save."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from portal.accounts.models import AuditEvent
from portal.accounts.users import assign_role
from portal.core.models import Page
from tests.integration.portal.conftest import BrowserFormClient

pytestmark = pytest.mark.django_db

LIST = "/staff/pages/"
EDIT = "/staff/pages/what-the-unit-does/edit/"
ROLES = ["editor", "partner", "administrator"]


def text_of(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def sign_in(client, role: str | None):
    """Sign `client` in as a new user with `role` (None: an account in no role); returns the user."""
    user = get_user_model().objects.create_user(role or "no-role")
    if role:
        assign_role(user, role)
    client.force_login(user)
    return user


def valid_form(page: Page, **changes) -> dict:
    data = {
        "title": page.title,
        "summary": page.summary,
        "body": page.body,
        "last_reviewed_day": str(page.last_reviewed.day),
        "last_reviewed_month": str(page.last_reviewed.month),
        "last_reviewed_year": str(page.last_reviewed.year),
        "published": "on" if page.published else "",
    }
    data.update(changes)
    if not data["published"]:
        del data["published"]  # an unticked checkbox is not sent
    return data


@pytest.fixture
def page() -> Page:
    return Page.objects.get(slug="what-the-unit-does")


@pytest.mark.parametrize("path", [LIST, EDIT])
def test_anonymous_visitors_are_sent_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/staff/sign-in/?next={path}"


@pytest.mark.parametrize("path", [LIST, EDIT])
@pytest.mark.parametrize(("role", "status"), [("editor", 200), ("administrator", 200), ("partner", 403), (None, 403)])
def test_only_roles_with_change_page_can_open_the_pages(client, path, role, status):
    sign_in(client, role)
    response = client.get(path)
    assert response.status_code == status
    if status == 200:
        assert "no-store" in response["Cache-Control"]  # staff pages are never cached
    if status == 403:
        assert "You do not have permission to see this page" in text_of(response)
        assert '<main class="govuk-main-wrapper" id="main-content">' in response.content.decode()


@pytest.mark.parametrize("role", [None, "partner"])
def test_a_post_without_permission_changes_nothing(client, page, role):
    if role:
        sign_in(client, role)
    response = client.post(EDIT, valid_form(page, title="Defaced"))
    assert response.status_code == (403 if role else 302)
    page.refresh_from_db()
    assert page.title != "Defaced"
    assert not AuditEvent.objects.exists()


def test_unknown_page_is_not_found(client):
    sign_in(client, "editor")
    assert client.get("/staff/pages/no-such-page/edit/").status_code == 404


def test_page_list_shows_every_page_with_status_and_edit_links(client):
    Page.objects.filter(slug="contact-the-team").update(published=False)
    sign_in(client, "editor")
    response = client.get(LIST)
    html = response.content.decode()
    for slug in ["introduction", "why-the-vru-was-set-up", "what-the-unit-does", "contact-the-team"]:
        assert f'href="/staff/pages/{slug}/edit/"' in html
    assert html.count("Not published") == 1
    assert "26 November 2026" in text_of(response)


def test_edit_form_is_filled_in_with_the_page(client, page):
    sign_in(client, "editor")
    html = client.get(EDIT).content.decode()
    assert f'value="{page.title}"' in unescape(html)
    assert 'name="last_reviewed_day" type="text" inputmode="numeric" value="26"' in html
    assert 'name="last_reviewed_year" type="text" inputmode="numeric" value="2026"' in html
    assert 'name="published" type="checkbox" value="on" checked' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "How to format the page text" in html


def test_saving_changes_the_page_the_public_sees_and_records_who_changed_what(client, page):
    editor = sign_in(client, "editor")
    new_body = "We are carrying out a needs assessment.\n\n- first step\n- second step"
    response = client.post(EDIT, valid_form(page, title="What the unit does", body=new_body))
    assert response.status_code == 302
    assert response["Location"] == LIST

    page.refresh_from_db()
    assert page.title == "What the unit does"
    assert page.body == new_body
    assert page.updated_by == editor

    event = AuditEvent.objects.get()
    assert (event.user, event.username, event.action) == (editor, "editor", "changed")
    assert (event.object_type, event.object_id, event.object_repr) == ("core.page", str(page.pk), "What the unit does")
    assert event.summary == "Changed the title and page text."
    assert "first step" not in event.summary  # which fields changed, never the text

    confirmation = client.get(LIST)
    assert "“What the unit does” has been saved." in text_of(confirmation)
    assert "govuk-notification-banner--success" in confirmation.content.decode()

    client.logout()
    public = client.get("/about/what-the-unit-does/").content.decode()
    assert '<ul class="govuk-list govuk-list--bullet"><li>first step</li><li>second step</li></ul>' in public


def test_windows_line_endings_from_the_browser_are_not_a_change(client, page):
    sign_in(client, "editor")
    client.post(EDIT, valid_form(page, body=page.body.replace("\n", "\r\n")))
    assert not AuditEvent.objects.exists()
    assert "\r" not in Page.objects.get(pk=page.pk).body


def test_saving_without_changes_records_nothing(client, page):
    sign_in(client, "editor")
    response = client.post(EDIT, valid_form(page), follow=True)
    assert "You did not change anything on" in text_of(response)
    assert not AuditEvent.objects.exists()


def test_review_date_and_unpublishing_are_recorded(client, page):
    sign_in(client, "administrator")
    reviewed = timezone.localdate() - timedelta(days=400)
    client.post(
        EDIT,
        valid_form(
            page,
            last_reviewed_day=str(reviewed.day),
            last_reviewed_month=str(reviewed.month),
            last_reviewed_year=str(reviewed.year),
            published="",
        ),
    )
    page.refresh_from_db()
    assert page.last_reviewed == reviewed
    assert not page.published
    assert AuditEvent.objects.get().summary == "Changed the date last reviewed. Hid the page from the public."

    client.post(EDIT, valid_form(page, published="on"))
    assert AuditEvent.objects.order_by("-id").first().summary == "Published the page."


def test_errors_keep_what_was_typed_and_are_summarised_with_links(client, page):
    sign_in(client, "editor")
    typed = "My new text, typed with care & <not lost>.\n\nSecond paragraph."
    response = client.post(EDIT, valid_form(page, title="", summary="A summary I typed", body=typed))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Edit" in html
    assert '<div class="govuk-error-summary" data-module="govuk-error-summary">' in html
    assert '<li><a href="#id_title">Enter a title</a></li>' in html
    assert '<span class="govuk-visually-hidden">Error:</span> Enter a title' in html
    assert 'class="govuk-input govuk-input--error" id="id_title"' in html
    assert 'aria-describedby="title-hint title-error"' in html
    # What was typed comes back, escaped.
    assert "My new text, typed with care &amp; &lt;not lost&gt;.\n\nSecond paragraph.</textarea>" in html
    assert "A summary I typed</textarea>" in html
    page.refresh_from_db()
    assert page.title != ""
    assert not AuditEvent.objects.exists()


def test_too_long_title(client, page):
    sign_in(client, "editor")
    html = client.post(EDIT, valid_form(page, title="x" * 121)).content.decode()
    assert "Title must be 120 characters or fewer" in html


def test_html_and_unsafe_links_in_the_page_text_are_refused(client, page):
    sign_in(client, "editor")
    body = "Some <b>bold</b> text and a [bad link](javascript:alert(1))."
    html = unescape(client.post(EDIT, valid_form(page, body=body)).content.decode())
    assert '<a href="#id_body">Page text cannot contain HTML, such as <b> and </b>: use the formatting' in html
    assert "The link “bad link” must go to an address starting with https://" in html
    assert Page.objects.get(pk=page.pk).body == page.body


@pytest.mark.parametrize(
    ("day", "month", "year", "message", "boxes_in_error"),
    [
        ("", "", "", "Enter the date the page was last reviewed", ["day", "month", "year"]),
        ("12", "", "2026", "Date last reviewed must include a month", ["month"]),
        ("", "", "2026", "Date last reviewed must include a day and month", ["day", "month"]),
        ("31", "2", "2026", "Date last reviewed must be a real date", ["day"]),
        ("1", "13", "2026", "Date last reviewed must be a real date", ["month"]),
        ("1", "March", "2026", "Date last reviewed must be a real date", ["month"]),
        ("1", "3", "26", "Year must include 4 numbers", ["year"]),
        ("1", "1", "2999", "Date last reviewed must be today or in the past", ["day", "month", "year"]),
    ],
)
def test_date_last_reviewed_errors(client, page, day, month, year, message, boxes_in_error):
    sign_in(client, "editor")
    form = valid_form(page, last_reviewed_day=day, last_reviewed_month=month, last_reviewed_year=year)
    html = client.post(EDIT, form).content.decode()
    assert f'<li><a href="#id_last_reviewed_{boxes_in_error[0]}">{message}</a></li>' in html
    assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in html
    for part in ["day", "month", "year"]:
        marked = re.search(rf'govuk-input--error" id="id_last_reviewed_{part}"', html) is not None
        assert marked == (part in boxes_in_error), part
    kept = f'id="id_last_reviewed_month" name="last_reviewed_month" type="text" inputmode="numeric" value="{month}"'
    assert kept in html


def test_the_form_needs_its_csrf_token(page):
    client = BrowserFormClient(enforce_csrf_checks=True)
    sign_in(client, "editor")
    response = client.post(EDIT, valid_form(page, title="No token"))
    assert response.status_code == 403
    assert "Sorry, we could not send your form" in text_of(response)
    assert " style=" not in response.content.decode()
    assert Page.objects.get(pk=page.pk).title != "No token"


def test_staff_see_an_edit_link_on_public_pages_and_the_public_does_not(client):
    html = client.get("/about/contact-the-team/").content.decode()
    assert "/staff/pages/contact-the-team/edit/" not in html
    sign_in(client, "editor")
    html = client.get("/about/contact-the-team/").content.decode()
    assert 'href="/staff/pages/contact-the-team/edit/"' in html


# --- Adding a page, and previewing before saving ----------------------------------------------------------

ADD = "/staff/pages/add/"
NEW_PAGE = {
    "title": "Our partners",
    "summary": "Who the unit works with.",
    "body": "## Statutory partners\n\n- Bath and North East Somerset Council\n- Avon and Somerset Police",
    "last_reviewed_day": "1",
    "last_reviewed_month": "12",
    "last_reviewed_year": "2026",
    "published": "on",
}


@pytest.mark.parametrize(("role", "status"), [("editor", 200), ("administrator", 200), ("partner", 403)])
def test_only_editors_and_administrators_may_add_pages(client, role, status):
    sign_in(client, role)
    assert client.get(ADD).status_code == status
    if status == 403:
        assert client.post(ADD, NEW_PAGE).status_code == 403
        assert not Page.objects.filter(title="Our partners").exists()


def test_a_preview_shows_the_page_as_it_will_look_and_saves_nothing(client):
    sign_in(client, "editor")
    response = client.post(ADD, NEW_PAGE | {"preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('aria-labelledby="preview-heading"')
    preview = html[start : html.index("<form", start)]
    # The markup is rendered as the public page will render it; the form below keeps what was typed.
    assert '<h2 class="govuk-heading-m">Statutory partners</h2>' in preview
    assert "<li>Avon and Somerset Police</li>" in preview
    assert "Avon and Somerset Police</textarea>" in html
    assert not Page.objects.filter(title="Our partners").exists()
    assert not AuditEvent.objects.exists()


def test_a_preview_with_a_mistake_shows_the_error_not_a_preview(client):
    sign_in(client, "editor")
    response = client.post(ADD, NEW_PAGE | {"preview": "1", "body": "<script>x</script>"})
    assert "There is a problem" in text_of(response)
    assert "preview-heading" not in response.content.decode()


def test_adding_a_page_publishes_it_under_about_and_is_audited(client):
    sign_in(client, "editor")
    response = client.post(ADD, NEW_PAGE)
    assert response.status_code == 302
    page = Page.objects.get(title="Our partners")
    assert page.slug == "our-partners"
    assert client.get("/about/our-partners/").status_code == 200
    assert "Our partners" in text_of(client.get("/about/"))
    event = AuditEvent.objects.get(action="created")
    assert event.object_id == str(page.pk) and event.summary == "Added the page. Published it."
    # A second page with the same title gets its own address.
    client.post(ADD, NEW_PAGE)
    assert Page.objects.filter(title="Our partners").count() == 2
    assert Page.objects.filter(slug="our-partners-2").exists()


def test_a_preview_of_an_edit_leaves_the_stored_page_as_it_was(client, page):
    sign_in(client, "editor")
    before = page.body
    response = client.post(EDIT, valid_form(page, body="A shorter text.", preview="1"))
    assert response.status_code == 200
    assert "A shorter text." in response.content.decode()
    page.refresh_from_db()
    assert page.body == before
