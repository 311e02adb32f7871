"""The resource library: the seeded resources, search on this database, filters, the public pages and the
staff pages (permissions, form errors, audit trail). Runs on SQLite and, with DATABASE_URL, PostgreSQL."""

from __future__ import annotations

import csv
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from portal.accounts.models import AuditEvent
from portal.accounts.users import assign_role
from portal.resources.models import Resource, Topic
from portal.resources.search import Filters, apply_filters

pytestmark = pytest.mark.django_db

SEED = Path(__file__).resolve().parents[3] / "src" / "portal" / "resources" / "seed" / "resources.csv"
INDEX = "/resources/"
STAFF = "/resources/staff/"


def text_of(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"\s+([,.])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))))


def titles_listed(response) -> list[str]:
    html = response.content.decode()
    return [unescape(title) for title in re.findall(r'<h3 class="govuk-heading-s[^"]*"><a [^>]*>([^<]+)</a>', html)]


def sign_in(client, role: str | None = "editor"):
    user = get_user_model().objects.create_user(role or "no-role")
    if role:
        assign_role(user, role)
    client.force_login(user)
    return user


# --- Seeded content ----------------------------------------------------------------------------------------


def test_all_53_vetted_resources_are_seeded_with_the_page_and_staff_only_notes():
    with SEED.open(newline="", encoding="utf-8") as handle:
        rows = {row["url"]: row for row in csv.DictReader(handle)}
    resources = list(Resource.objects.all())
    assert len(resources) == 53
    assert {resource.url for resource in resources} == set(rows)
    for resource in resources:
        row = rows[resource.url]
        assert resource.title == row["title"]
        assert resource.summary == row["facts"] != ""
        assert resource.source_evidence == row["source_excerpt"] != ""
        assert resource.notes == row["notes"]
        assert resource.last_checked is None  # nobody on the staff has checked it yet
        assert not resource.retired
        assert resource.audiences.exists() and resource.stages.exists() and resource.topics.exists()


def test_the_csv_words_are_mapped_to_the_portals_lists():
    faq = Resource.objects.get(title="Frequently Asked Questions")
    assert {audience.slug for audience in faq.audiences.all()} == {
        "professionals",
        "community-groups",
        "parents-and-carers",
        "young-people",
        "adults",
    }
    assert {topic.slug for topic in faq.topics.all()} == {"general", "knife-crime", "county-lines", "modern-slavery"}
    assert faq.local_area == "avon-and-somerset"
    nspcc = Resource.objects.get(slug="protecting-children-from-county-lines")
    assert [topic.name for topic in nspcc.topics.all()] == ["County lines and child criminal exploitation"]
    assert nspcc.local_area == "national" and nspcc.kind == "guidance"
    missing = Resource.objects.get(slug="if-your-child-is-missing")
    assert "missing-children" in {topic.slug for topic in missing.topics.all()}


# --- Filters (search itself: test_resource_search.py) --------------------------------------------------------


def slugs(queryset) -> list[str]:
    return [resource.slug for resource in queryset]


def test_filters_within_a_list_are_or_and_across_lists_are_and():
    county = apply_filters(Resource.objects.live(), Filters(topics=["county-lines"]))
    knife = apply_filters(Resource.objects.live(), Filters(topics=["knife-crime"]))
    either = apply_filters(Resource.objects.live(), Filters(topics=["county-lines", "knife-crime"]))
    assert set(slugs(either)) == set(slugs(county)) | set(slugs(knife))
    assert len(slugs(either)) == len(set(slugs(either)))  # each once, however many topics match
    both = apply_filters(Resource.objects.live(), Filters(topics=["county-lines"], audiences=["professionals"]))
    for resource in both:
        assert resource.topics.filter(slug="county-lines").exists()
        assert resource.audiences.filter(slug="professionals").exists()


# --- Public pages ------------------------------------------------------------------------------------------


def test_the_list_shows_every_live_resource_across_pages(client):
    first = client.get(INDEX)
    assert first.status_code == 200
    text = text_of(first)
    assert "53 resources" in text
    assert len(titles_listed(first)) == 20
    assert "Last checked: not yet checked by our staff" in text
    html = first.content.decode()
    assert html.count('rel="noopener noreferrer"') >= 20
    assert 'aria-label="Page 2"' in html and 'rel="next"' in html
    third = client.get(INDEX + "?page=3")
    assert len(titles_listed(third)) == 13
    assert 'aria-current="page">3<' in third.content.decode()


def test_filtering_county_lines_for_professionals(client):
    response = client.get(INDEX, {"topic": "county-lines", "audience": "professionals"})
    listed = titles_listed(response)
    assert "Protecting children from county lines" in listed
    for title in listed:
        resource = Resource.objects.get(title=title)
        assert resource.topics.filter(slug="county-lines").exists()
        assert resource.audiences.filter(slug="professionals").exists()
    text = text_of(response)
    assert f"{len(listed)} resources" in text
    html = response.content.decode()
    assert 'value="county-lines" checked' in html and 'value="professionals" checked' in html
    assert html.count('<details class="govuk-details govuk-!-margin-bottom-4" open>') == 2  # the lists in use
    assert "Topic (1 selected)" in text
    # Each active filter has a link that removes it and keeps the other.
    assert 'href="?audience=professionals">Remove<span class="govuk-visually-hidden"> topic:' in html
    assert 'href="?topic=county-lines">Remove<span class="govuk-visually-hidden"> who it is for:' in html
    assert "Clear all filters and search" in text


def test_search_and_filters_together_and_unknown_values_ignored(client):
    response = client.get(INDEX, {"q": "helpline", "type": ["helpline", "no-such-type"], "topic": "nonsense"})
    listed = titles_listed(response)
    assert listed and all(Resource.objects.get(title=title).kind == "helpline" for title in listed)
    text = text_of(response)
    assert "Search helpline Remove" in text
    assert "nonsense" not in text and "no-such-type" not in text


def test_no_results_says_what_to_try(client):
    text = text_of(client.get(INDEX, {"q": "zzzqqq"}))
    assert "No resources found" in text and "removing some filters" in text


def test_a_page_number_out_of_range_shows_the_last_page(client):
    assert client.get(INDEX, {"page": "99"}).status_code == 200
    assert client.get(INDEX, {"page": "x"}).status_code == 200


def test_the_detail_page_shows_the_source_and_last_checked(client):
    resource = Resource.objects.get(slug="protecting-children-from-county-lines")
    response = client.get(f"/resources/{resource.slug}/")
    assert response.status_code == 200
    text = text_of(response)
    assert resource.summary in text
    assert "Last checked not yet checked by our staff" in text
    assert "Go to the page on learning.nspcc.org.uk" in text
    # What the page said and the reviewer's notes are for staff only.
    assert resource.source_evidence not in text and resource.notes not in text
    assert f'href="{resource.url}" rel="noopener noreferrer"' in response.content.decode()
    assert 'data-module="govuk-exit-this-page"' in response.content.decode()


def test_retired_resources_are_not_public(client):
    resource = Resource.objects.get(slug="mentoring-plus-referral-faqs")
    resource.retired = True
    resource.save()
    assert client.get(f"/resources/{resource.slug}/").status_code == 404
    assert "Mentoring Plus: referral FAQs" not in titles_listed(client.get(INDEX, {"q": "mentoring"}))
    assert "52 resources" in text_of(client.get(INDEX))


def test_public_pages_set_no_cookie(client):
    for url in [INDEX, INDEX + "?q=knife&topic=knife-crime", "/resources/mentoring-plus-referral-faqs/"]:
        response = client.get(url)
        assert response.cookies == {}, url


# --- Staff pages -------------------------------------------------------------------------------------------


def valid_post(**changes) -> dict:
    data = {
        "title": "Knife crime: a guide for youth workers",
        "summary": "How youth workers can talk to young people about knives.",
        "organisation": "Example Trust",
        "url": "https://www.example.org/knife-guide",
        "organisation_url": "",
        "kind": "guidance",
        "audiences": [str(pk) for pk in Resource.audiences.field.related_model.objects.filter(
            slug__in=["professionals", "community-groups"]).values_list("pk", flat=True)],
        "stages": [str(pk) for pk in Resource.stages.field.related_model.objects.filter(
            slug="prevent").values_list("pk", flat=True)],
        "topics": [str(pk) for pk in Topic.objects.filter(slug="knife-crime").values_list("pk", flat=True)],
        "local_area": "banes",
        "source_evidence": "Read on the Trust's site.",
        "last_checked_0": "20",
        "last_checked_1": "11",
        "last_checked_2": "2026",
    }  # fmt: skip
    data.update(changes)
    return data


def test_staff_pages_need_signing_in_and_the_permission(client):
    assert client.get(STAFF).status_code == 302
    assert client.get(STAFF)["Location"].startswith("/staff/sign-in/")
    sign_in(client, "partner")
    assert client.get(STAFF).status_code == 403
    assert client.get(STAFF + "add/").status_code == 403
    assert client.post("/resources/staff/mentoring-plus-referral-faqs/retire/", {"action": "retire"}).status_code == 403


def test_an_editor_sees_every_resource_including_retired(client):
    Resource.objects.filter(slug="mentoring-plus-referral-faqs").update(retired=True)
    sign_in(client)
    response = client.get(STAFF)
    assert response.status_code == 200
    text = text_of(response)
    assert "52 resources on the public resource pages, 1 retired" in text
    assert "Mentoring Plus: referral FAQs (change) Mentoring Plus Retired" in text
    assert response["Cache-Control"].startswith("max-age=0")


def test_adding_a_resource_is_audited_and_shown(client):
    user = sign_in(client)
    response = client.post(STAFF + "add/", valid_post())
    assert response.status_code == 302 and response["Location"] == STAFF
    resource = Resource.objects.get(title="Knife crime: a guide for youth workers")
    assert resource.slug == "knife-crime-a-guide-for-youth-workers"
    assert resource.created_by == user and resource.updated_by == user
    assert resource.last_checked == date(2026, 11, 20)
    assert {audience.slug for audience in resource.audiences.all()} == {"professionals", "community-groups"}
    event = AuditEvent.objects.get()
    assert (event.action, event.object_type, event.object_id, event.username) == (
        "created",
        "resources.resource",
        str(resource.pk),
        user.username,
    )
    assert "has been added" in text_of(client.get(STAFF))
    assert client.get(f"/resources/{resource.slug}/").status_code == 200


def test_a_second_resource_with_the_same_title_gets_its_own_address(client):
    sign_in(client)
    client.post(STAFF + "add/", valid_post(title="County Lines"))
    assert Resource.objects.filter(title="County Lines").count() == 2
    assert Resource.objects.filter(slug="county-lines-2").exists()
    client.post(STAFF + "add/", valid_post(title="Staff", url="https://www.example.org/staff-guide"))
    assert Resource.objects.get(title="Staff").slug == "staff-2"  # /resources/staff/ is the staff list


NEWS_ITEM = (
    "https://www.avonandsomerset.police.uk/news/2025/11/knife-crime-falls-as-police-step-up-prevention-education"
)


def test_a_press_release_is_refused_when_added_and_the_form_keeps_what_was_typed(client):
    sign_in(client)
    response = client.post(STAFF + "add/", valid_post(url=NEWS_ITEM, summary="Typed <i>and kept</i>"))
    assert response.status_code == 200
    assert not Resource.objects.filter(url=NEWS_ITEM).exists() and not AuditEvent.objects.exists()
    html = response.content.decode()
    summary = html[html.index("govuk-error-summary") :]
    assert "This link is a news item or press release (its address is in the site&#x27;s /news/ section)" in summary
    assert 'href="#id_url"' in summary  # the summary links the field
    assert f'value="{NEWS_ITEM}"' in html
    assert "Typed &lt;i&gt;and kept&lt;/i&gt;" in html
    assert 'value="Knife crime: a guide for youth workers"' in html
    assert html.count("checked") >= 3  # the audiences and topic ticked stay ticked


def test_a_resource_cannot_be_changed_to_a_press_release(client):
    sign_in(client)
    resource = Resource.objects.get(slug="mentoring-plus-referral-faqs")
    data = valid_post(title=resource.title, url="https://mentoringplus.net/press-releases/new-mentors")
    response = client.post(f"{STAFF}{resource.slug}/edit/", data)
    assert response.status_code == 200
    assert "/press-releases/ section" in response.content.decode()
    resource.refresh_from_db()
    assert resource.url == "https://mentoringplus.net/about-us/faqs"


def test_form_errors_keep_what_was_typed_and_are_summarised(client):
    sign_in(client)
    response = client.post(
        STAFF + "add/",
        valid_post(
            title="",
            url="not a link",
            topics=[],
            kind="",
            last_checked_0="31",
            last_checked_1="2",
            summary="Kept <b>as typed</b>",
        ),
    )
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert "<title>Error: Add a resource" in html
    assert "There is a problem" in text
    for message, anchor in [
        ("Enter the title", "id_title"),
        ("Enter a link in the right format, like https://www.example.org/page", "id_url"),
        ("Select the type of resource", "id_kind_0"),
        ("Select at least one topic", "id_topics_0"),
        ("Enter a real date, for example 26 11 2026", "id_last_checked_0"),
    ]:
        assert f'<a href="#{anchor}">{message}</a>' in html
        assert f'<span class="govuk-visually-hidden">Error:</span> {message}' in html
    assert ">Kept &lt;b&gt;as typed&lt;/b&gt;</textarea>" in html
    assert 'value="not a link"' in html
    assert 'name="last_checked_0" type="text" inputmode="numeric" value="31"' in html
    assert 'value="Example Trust"' in html
    assert Resource.objects.count() == 53 and not AuditEvent.objects.exists()


def test_a_future_date_is_refused(client):
    sign_in(client)
    response = client.post(STAFF + "add/", valid_post(last_checked_2="2099"))
    assert "The date must be today or in the past" in text_of(response)


def test_editing_is_audited_with_the_fields_changed_and_not_their_values(client):
    user = sign_in(client)
    resource = Resource.objects.get(slug="mentoring-plus-referral-faqs")
    form = client.get(f"{STAFF}{resource.slug}/edit/")
    assert form.status_code == 200
    assert f'value="{resource.title}"' in form.content.decode()
    data = valid_post(
        title=resource.title,
        summary="A new summary in our own words.",
        organisation=resource.organisation,
        url=resource.url,
    )
    response = client.post(f"{STAFF}{resource.slug}/edit/", data)
    assert response.status_code == 302
    resource.refresh_from_db()
    assert resource.summary == "A new summary in our own words." and resource.updated_by == user
    assert resource.slug == "mentoring-plus-referral-faqs"  # the address does not change
    event = AuditEvent.objects.get()
    assert event.action == "changed" and event.summary.startswith("Changed: ")
    assert "summary" in event.summary and "A new summary" not in event.summary


def test_saving_without_changes_records_nothing(client):
    sign_in(client)
    resource = Resource.objects.get(slug="what-is-a-marac")
    data = {
        "title": resource.title,
        "summary": resource.summary,
        "organisation": resource.organisation,
        "url": resource.url,
        "organisation_url": resource.organisation_url,
        "kind": resource.kind,
        "audiences": [str(a.pk) for a in resource.audiences.all()],
        "stages": [str(s.pk) for s in resource.stages.all()],
        "topics": [str(t.pk) for t in resource.topics.all()],
        "local_area": resource.local_area,
        "source_evidence": resource.source_evidence,
        "last_checked_0": "",
        "last_checked_1": "",
        "last_checked_2": "",
        "notes": resource.notes,
    }
    assert client.post(f"{STAFF}{resource.slug}/edit/", data).status_code == 302
    assert not AuditEvent.objects.exists()
    assert "You did not change anything" in text_of(client.get(STAFF))


def test_retiring_and_bringing_back_are_audited(client):
    sign_in(client)
    url = "/resources/staff/mentoring-plus-referral-faqs/retire/"
    assert client.get(url).status_code == 405
    assert client.post(url, {"action": "retire"}).status_code == 302
    resource = Resource.objects.get(slug="mentoring-plus-referral-faqs")
    assert resource.retired and resource.retired_at is not None
    assert client.get("/resources/mentoring-plus-referral-faqs/").status_code == 404
    edit = text_of(client.get("/resources/staff/mentoring-plus-referral-faqs/edit/"))
    assert "This resource is retired" in edit and "Bring back this resource" in edit
    client.post(url, {"action": "unretire"})
    resource.refresh_from_db()
    assert not resource.retired and resource.retired_at is None
    assert list(AuditEvent.objects.order_by("at", "id").values_list("action", flat=True)) == ["retired", "unretired"]
    # Asking again for what is already so changes nothing.
    client.post(url, {"action": "unretire"})
    assert AuditEvent.objects.count() == 2


def test_the_staff_index_links_to_the_resource_library(client):
    sign_in(client)
    from portal.accounts.staff_links import staff_links_for

    user = get_user_model().objects.get(username="editor")
    assert ("Resources", STAFF) in [(link.text, link.href) for link in staff_links_for(user)]
