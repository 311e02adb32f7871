"""Editors add local contacts (with a preview first), and are warned before saving a web address that another
resource or contact already has."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model

from portal.accounts.models import AuditEvent
from portal.accounts.users import assign_role
from portal.resources.models import Resource
from portal.signposting.models import LocalContact

pytestmark = pytest.mark.django_db

CONTACTS = "/worried-about-someone/staff/contacts/"
ADD_CONTACT = CONTACTS + "add/"
# A contact typed into the form; the address is made up for a form test and is never published by it.
NEW_CONTACT = {
    "name": "Example youth drop-in",
    "organisation": "Example Trust",
    "purpose": "Young people aged 13 to 17 who want to talk to a youth worker.",
    "phone": "",
    "email": "",
    "url": "https://www.example.org/drop-in/",
    "hours": "Tuesdays, 4pm to 7pm",
    "area": "banes",
    "kind": "support",
    "source_url": "https://www.example.org/drop-in/",
    "last_checked_0": "1",
    "last_checked_1": "12",
    "last_checked_2": "2026",
    "notes": "",
}


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def sign_in(client, role: str = "editor"):
    user = get_user_model().objects.create_user(f"{role}-user")
    assign_role(user, role)
    client.force_login(user)
    return user


def test_only_editors_may_add_a_contact(client):
    assert client.get(ADD_CONTACT)["Location"].startswith("/staff/sign-in/")
    sign_in(client, "partner")
    assert client.get(ADD_CONTACT).status_code == 403
    assert client.post(ADD_CONTACT, NEW_CONTACT).status_code == 403
    assert not LocalContact.objects.filter(name=NEW_CONTACT["name"]).exists()


def test_the_contact_list_offers_adding_one(client):
    sign_in(client)
    assert f'href="{ADD_CONTACT}"' in client.get(CONTACTS).content.decode()


def test_a_contact_preview_shows_the_public_card_and_saves_nothing(client):
    sign_in(client)
    response = client.post(ADD_CONTACT, NEW_CONTACT | {"published": "on", "preview": "1"})
    assert response.status_code == 200
    html = response.content.decode()
    start = html.index('aria-labelledby="preview-heading"')
    card = text_of(type(response)(html[start : html.index("<form", start)]))
    assert "People who use “Worried about someone?” will see this card." in card
    assert "Example youth drop-in" in card and "Tuesdays, 4pm to 7pm" in card
    assert not LocalContact.objects.filter(name=NEW_CONTACT["name"]).exists()
    assert not AuditEvent.objects.exists()


def test_adding_a_contact_saves_it_and_is_audited(client):
    user = sign_in(client)
    response = client.post(ADD_CONTACT, NEW_CONTACT | {"published": "on"})
    assert response.status_code == 302 and response["Location"] == CONTACTS
    contact = LocalContact.objects.get(name=NEW_CONTACT["name"])
    assert contact.published and contact.filled_in and contact.updated_by == user
    event = AuditEvent.objects.get()
    assert (event.action, event.summary) == ("created", "Added a local contact. Published it.")


def test_a_rejected_contact_keeps_what_was_typed(client):
    sign_in(client)
    response = client.post(ADD_CONTACT, NEW_CONTACT | {"name": "", "published": "on"})
    assert response.status_code == 200
    assert "Enter the name of the contact" in text_of(response)
    assert 'value="Tuesdays, 4pm to 7pm"' in response.content.decode()
    assert not LocalContact.objects.filter(hours=NEW_CONTACT["hours"]).exists()


def test_a_contact_with_an_address_already_held_needs_confirming(client):
    sign_in(client)
    client.post(ADD_CONTACT, NEW_CONTACT)
    # The same page, typed differently: http, no "www.", no trailing slash.
    again = NEW_CONTACT | {"name": "Drop-in (second entry)", "url": "http://example.org/drop-in"}
    warned = client.post(ADD_CONTACT, again)
    assert warned.status_code == 200
    text = text_of(warned)
    assert "Another local contact already has this web address: Example youth drop-in" in text
    assert 'value="Drop-in (second entry)"' in warned.content.decode()
    assert LocalContact.objects.filter(url__icontains="example.org/drop-in").count() == 1

    confirmed = client.post(ADD_CONTACT, again | {"save_anyway": "on"})
    assert confirmed.status_code == 302
    assert LocalContact.objects.filter(url__icontains="example.org/drop-in").count() == 2


def test_a_resource_with_an_address_already_in_the_library_needs_confirming(client):
    sign_in(client)
    existing = Resource.objects.live().order_by("pk").first()
    form = {
        "title": "The same page again",
        "summary": "Added twice by mistake.",
        "organisation": existing.organisation,
        "url": existing.url.replace("https://", "http://"),
        "organisation_url": "",
        "kind": existing.kind,
        "audiences": [str(pk) for pk in existing.audiences.values_list("pk", flat=True)],
        "stages": [str(pk) for pk in existing.stages.values_list("pk", flat=True)],
        "topics": [str(pk) for pk in existing.topics.values_list("pk", flat=True)],
        "local_area": existing.local_area,
        "source_evidence": "Form test.",
        "last_checked_0": "1",
        "last_checked_1": "12",
        "last_checked_2": "2026",
    }
    warned = client.post("/resources/staff/add/", form)
    assert warned.status_code == 200
    assert f"Another resource already has this web address: {existing.title}" in text_of(warned)
    assert not Resource.objects.filter(title="The same page again").exists()
    assert client.post("/resources/staff/add/", form | {"save_anyway": "on"}).status_code == 302
    assert Resource.objects.filter(title="The same page again").exists()
