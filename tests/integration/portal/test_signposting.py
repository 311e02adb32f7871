"""'Worried about someone?': every branch of the flow, 999 first, nothing stored (no session, cookie or
database row), the result page's contacts and resources, and the staff pages for local contacts."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from portal.accounts.models import AuditEvent
from portal.accounts.users import assign_role
from portal.resources.models import Resource
from portal.signposting.models import LocalContact

pytestmark = pytest.mark.django_db

START = "/worried-about-someone/"
DANGER = START + "immediate-danger/"
EMERGENCY = START + "call-999/"
WHO = START + "who/"
CONCERNS = START + "what-worries-you/"
RESULT = START + "help-and-contacts/"
STAFF = START + "staff/contacts/"


def text_of(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"\s+([,.])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))))


def card_titles(response) -> list[str]:
    return [unescape(title) for title in re.findall(r'govuk-summary-card__title">([^<]+)<', response.content.decode())]


def section(response, heading_id: str) -> str:
    """The page's HTML from the h2 with `heading_id` to the next h2."""
    html = response.content.decode()
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start)
    return html[start : end if end > 0 else len(html)]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def follow_the_flow(client, who: str, concerns: list[str]):
    """Answer each question as a browser would (GET forms with hidden fields); return every response."""
    responses = [client.get(START), client.get(DANGER)]
    responses.append(client.get(DANGER, {"step": "danger", "danger": "no"}))
    assert responses[-1].status_code == 302
    responses.append(client.get(responses[-1]["Location"]))
    responses.append(client.get(WHO, {"danger": "no", "step": "who", "who": who}))
    assert responses[-1].status_code == 302
    responses.append(client.get(responses[-1]["Location"]))
    responses.append(client.get(CONCERNS, {"danger": "no", "who": who, "step": "concerns", "concern": concerns}))
    assert responses[-1].status_code == 302
    responses.append(client.get(responses[-1]["Location"]))
    assert responses[-1].status_code == 200
    return responses


# --- The flow ----------------------------------------------------------------------------------------------


def test_the_start_page_says_999_first_and_that_answers_are_not_stored(client):
    response = client.get(START)
    assert response.status_code == 200
    text = text_of(response)
    assert text.index("If anyone is in immediate danger, call 999 now.") < text.index("Start now")
    assert "We do not store your answers" in text
    assert f'href="{DANGER}"' in response.content.decode()


def test_step_one_asks_about_immediate_danger_with_radios(client):
    response = client.get(DANGER)
    html = response.content.decode()
    assert '<h1 class="govuk-fieldset__heading">Is anyone in immediate danger?</h1>' in html
    assert html.count('type="radio"') == 2
    assert '<button type="submit" class="govuk-button" data-module="govuk-button">Continue</button>' in html
    assert f'<a href="{START}" class="govuk-back-link">Back</a>' in html
    assert 'method="get"' in html and "csrfmiddlewaretoken" not in html
    assert "We do not store your answers" in text_of(response)


def test_yes_goes_straight_to_call_999(client):
    response = client.get(DANGER, {"step": "danger", "danger": "yes"})
    assert response.status_code == 302 and response["Location"] == EMERGENCY
    page = client.get(EMERGENCY)
    text = text_of(page)
    assert "Call 999 now" in text
    assert "18000" in text and "press 55" in text and "text REGISTER to 999" in text
    assert text.index("Call 999 now") < text.index("When everyone is safe")
    assert 'href="tel:999"' in page.content.decode()
    # Only then, and only when everyone is safe, the rest of the flow.
    assert f'href="{WHO}?danger=no"' in page.content.decode()


def test_later_steps_send_you_back_to_the_999_question_first(client):
    for url in [WHO, WHO + "?danger=yes", CONCERNS + "?who=child", RESULT + "?who=child&concern=knife"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(DANGER), url
    assert client.get(CONCERNS + "?danger=no")["Location"] == WHO + "?danger=no"
    assert client.get(RESULT + "?danger=no&who=adult")["Location"] == CONCERNS + "?danger=no&who=adult"


@pytest.mark.parametrize(
    ("url", "message", "anchor"),
    [
        (DANGER + "?step=danger", "Select yes if anyone is in immediate danger", "id_danger_0"),
        (WHO + "?danger=no&step=who", "Select who you are worried about", "id_who_0"),
        (
            CONCERNS + "?danger=no&who=adult&step=concerns",
            "Select what you are worried about, or select ‘Something else’",
            "id_concern_0",
        ),
    ],
)
def test_continuing_without_an_answer_shows_the_error(client, url, message, anchor):
    response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: " in html
    assert f'<a href="#{anchor}">{message}</a>' in unescape(html)
    assert "govuk-form-group--error" in html


def test_answers_are_carried_in_hidden_fields_and_prefilled_when_going_back(client):
    html = client.get(CONCERNS, {"danger": "no", "who": "young-person", "concern": "knife"}).content.decode()
    assert '<input type="hidden" name="danger" value="no">' in html
    assert '<input type="hidden" name="who" value="young-person">' in html
    assert 'value="knife" checked' in html
    assert f'href="{WHO}?danger=no&amp;who=young-person&amp;concern=knife" class="govuk-back-link"' in html
    back = client.get(WHO, {"danger": "no", "who": "young-person", "concern": "knife"}).content.decode()
    assert 'value="young-person" checked' in back
    assert '<input type="hidden" name="concern" value="knife">' in back


@pytest.mark.parametrize("who", ["child", "young-person", "adult", "myself"])
@pytest.mark.parametrize("concern", ["knife", "exploitation", "domestic-abuse", "sexual-violence", "bullying",
                                     "alcohol-drugs", "hate-crime", "other"])  # fmt: skip
def test_every_answer_leads_to_a_result_with_contacts(client, who, concern):
    response = client.get(RESULT, {"danger": "no", "who": who, "concern": concern})
    assert response.status_code == 200
    text = text_of(response)
    assert "If anyone is in immediate danger, call 999." in text
    assert "We do not store your answers" in text
    assert card_titles(response), (who, concern)
    assert "Last checked" in text or "last checked" in text


def test_the_whole_flow_stores_nothing(client):
    before = row_counts()
    responses = follow_the_flow(client, "child", ["knife", "exploitation"])
    responses += [client.get(DANGER, {"step": "danger"}), client.get(EMERGENCY)]
    assert row_counts() == before
    for response in responses:
        assert response.cookies == {}, response.request["PATH_INFO"]
        assert "Set-Cookie" not in response.headers
        assert "no-store" in response["Cache-Control"]
        assert not response.wsgi_request.session.keys()
        assert not response.wsgi_request.session.modified
    assert not client.cookies  # nothing for the browser to keep either


def test_a_worried_parent_of_a_child_carrying_a_knife_gets_the_right_contacts(client):
    response = follow_the_flow(client, "child", ["knife"])[-1]
    national = section(response, "contacts")
    titles = re.findall(r'govuk-summary-card__title">([^<]+)<', national)
    assert titles[:3] == ["NSPCC Helpline", "Childline", "Fearless"]
    assert "Crimestoppers" in titles and "Police non-emergency 101" in titles
    assert "National Domestic Abuse Helpline" not in titles and "Samaritans" not in titles
    assert 'href="tel:08088005000">0808 800 5000</a>' in national
    assert 'href="tel:08001111">0800 1111</a>' in national
    assert 'href="https://www.fearless.org/" rel="noopener noreferrer"' in national
    assert national.count("last checked 26 November 2026") == len(titles)
    # Local: B&NES children's social care, day and night; not the adult ones.
    local = section(response, "local-contacts")
    assert "Children and Families Assessment and Intervention Team" in local
    assert 'href="tel:01225396312"' in local and 'href="tel:01454615165"' in local
    assert "B&amp;NES Community Services" not in local
    # Signs name the resource they come from.
    signs = section(response, "signs")
    assert "Most young people do not carry a knife" in signs
    assert 'href="/resources/knife-crime-advice-to-parents-from-avon-somerset-police/"' in signs


def test_an_adult_does_not_get_childrens_contacts(client):
    response = client.get(RESULT, {"danger": "no", "who": "adult", "concern": ["domestic-abuse"]})
    titles = card_titles(response)
    assert "National Domestic Abuse Helpline" in titles and "Men's Advice Line" in titles
    assert "Clare's Law (Domestic Violence Disclosure Scheme)" in titles
    assert "NSPCC Helpline" not in titles and "Childline" not in titles and "Fearless" not in titles
    assert "Next Link domestic abuse helpline" in titles  # local, for domestic abuse
    assert "Children and Families Assessment and Intervention Team" not in titles


def test_sexual_violence_support_line_is_for_16_and_over(client):
    child = card_titles(client.get(RESULT, {"danger": "no", "who": "child", "concern": "sexual-violence"}))
    young = card_titles(client.get(RESULT, {"danger": "no", "who": "young-person", "concern": "sexual-violence"}))
    assert "24/7 Rape and Sexual Abuse Support Line" not in child
    assert "24/7 Rape and Sexual Abuse Support Line" in young
    assert "Willow Project (child sexual exploitation referrals)" in child


def test_unpublished_or_unfinished_local_contacts_are_not_shown(client):
    hate = {"danger": "no", "who": "adult", "concern": "hate-crime"}
    assert "SARI (Stand Against Racism & Inequality)" in card_titles(client.get(RESULT, hate))
    LocalContact.objects.filter(name__startswith="SARI").update(published=False)
    assert "SARI (Stand Against Racism & Inequality)" not in card_titles(client.get(RESULT, hate))
    # Published but with nothing to call or visit: still not shown.
    LocalContact.objects.filter(name__startswith="SARI").update(published=True, phone="", url="", email="")
    assert "SARI (Stand Against Racism & Inequality)" not in card_titles(client.get(RESULT, hate))
    # The placeholders seeded without a number are never shown.
    sexual = {"danger": "no", "who": "adult", "concern": "sexual-violence"}
    titles = card_titles(client.get(RESULT, sexual))
    assert "SARSAS" not in titles and "The Bridge Sexual Assault Referral Centre" not in titles


def test_matching_resources_follow_the_concerns_and_who(client):
    response = client.get(RESULT, {"danger": "no", "who": "young-person", "concern": "exploitation"})
    listed = re.findall(
        r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="/resources/([^/]+)/"',
        section(response, "resources"),
    )
    assert listed
    for slug in listed:
        resource = Resource.objects.get(slug=slug)
        assert resource.topics.filter(slug__in=["county-lines", "modern-slavery"]).exists()
        assert resource.audiences.filter(slug__in=["parents-and-carers", "young-people", "community-groups"]).exists()
    library = section(response, "resources")
    assert 'href="/resources/?topic=county-lines&amp;topic=modern-slavery&amp;audience=parents-and-carers' in library


def test_result_page_change_links_keep_the_answers(client):
    response = client.get(RESULT, {"danger": "no", "who": "myself", "concern": ["bullying", "other"]})
    html = response.content.decode()
    assert f'href="{CONCERNS}?danger=no&amp;who=myself&amp;concern=bullying&amp;concern=other"' in html
    assert f'href="{WHO}?danger=no&amp;who=myself&amp;concern=bullying&amp;concern=other"' in html


def test_every_flow_page_has_exit_this_page_that_works_without_javascript(client):
    for url in [START, DANGER, EMERGENCY, WHO + "?danger=no", CONCERNS + "?danger=no&who=adult",
                RESULT + "?danger=no&who=adult&concern=other"]:  # fmt: skip
        html = client.get(url).content.decode()
        assert 'data-module="govuk-exit-this-page"' in html, url
        assert 'href="https://www.bbc.co.uk/weather"' in html and 'rel="nofollow noreferrer"' in html, url
        assert "style=" not in html and "<script>" not in html, url


def test_odd_answers_are_ignored_not_echoed(client):
    response = client.get(RESULT, {"danger": "no", "who": "adult", "concern": ["other", "<script>"]})
    assert response.status_code == 200
    assert "&lt;script&gt;" not in response.content.decode()


def test_the_development_servers_log_line_has_no_answers(caplog):
    import logging

    logger = logging.getLogger("django.server")
    with caplog.at_level(logging.INFO, logger="django.server"):
        logger.info('"%s" %s %s', f"GET {RESULT}?danger=no&who=child&concern=knife HTTP/1.1", "200", "1")
    assert caplog.messages == [f'"GET {RESULT} HTTP/1.1" 200 1']


# --- Seeded local contacts -----------------------------------------------------------------------------------


def test_local_rows_are_seeded_published_only_with_a_number():
    contacts = {contact.name: contact for contact in LocalContact.objects.all()}
    assert len(contacts) == 13
    for contact in contacts.values():
        assert contact.published == bool(contact.phone), contact.name
        assert contact.source_url and contact.last_checked.isoformat() == "2026-11-26"
    for placeholder in ["B&NES adult safeguarding referral", "Southside IDVA service", "Lighthouse Victim Care",
                        "The Bridge Sexual Assault Referral Centre", "SARSAS"]:  # fmt: skip
        assert not contacts[placeholder].published and contacts[placeholder].phone == ""
    assert (
        contacts["Willow Project (child sexual exploitation referrals)"].email == "Willow_CSEReferrals@bathnes.gov.uk"
    )
    assert contacts["Next Link domestic abuse helpline"].hours == "10am to 4pm, Monday to Friday"


# --- Staff: local contacts -----------------------------------------------------------------------------------


def sign_in(client, role: str | None = "editor"):
    user = get_user_model().objects.create_user(role or "no-role")
    if role:
        assign_role(user, role)
    client.force_login(user)
    return user


def contact_post(contact: LocalContact, **changes) -> dict:
    data = {
        "name": contact.name,
        "organisation": contact.organisation,
        "purpose": contact.purpose,
        "phone": contact.phone,
        "email": contact.email,
        "url": contact.url,
        "hours": contact.hours,
        "area": contact.area,
        "for_whom": contact.for_whom,
        "concerns": contact.concerns,
        "source_url": contact.source_url,
        "last_checked_0": str(contact.last_checked.day) if contact.last_checked else "",
        "last_checked_1": str(contact.last_checked.month) if contact.last_checked else "",
        "last_checked_2": str(contact.last_checked.year) if contact.last_checked else "",
        "notes": contact.notes,
    }
    if contact.published:
        data["published"] = "on"
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}


def test_staff_contact_pages_need_the_permission(client):
    assert client.get(STAFF)["Location"].startswith("/staff/sign-in/")
    sign_in(client, "partner")
    assert client.get(STAFF).status_code == 403
    assert client.get(f"{STAFF}{LocalContact.objects.first().pk}/").status_code == 403


def test_editors_see_every_contact_and_which_are_unpublished(client):
    sign_in(client)
    response = client.get(STAFF)
    assert response.status_code == 200
    text = text_of(response)
    assert "5 contacts are not published yet" in text
    assert "SARSAS (change) Not known Avon and Somerset Not published" in text


def test_filling_in_a_placeholder_publishes_it_and_is_audited(client):
    user = sign_in(client)
    contact = LocalContact.objects.get(name="SARSAS")
    response = client.post(
        f"{STAFF}{contact.pk}/",
        contact_post(contact, phone="0000 000 0000", url="https://www.example.org/sarsas", published="on"),
    )
    assert response.status_code == 302 and response["Location"] == STAFF
    contact.refresh_from_db()
    assert contact.published and contact.phone == "0000 000 0000" and contact.updated_by == user
    event = AuditEvent.objects.get()
    assert event.action == "changed" and event.object_type == "signposting.localcontact"
    assert "phone number" in event.summary and "0000" not in event.summary
    result = client.get(RESULT, {"danger": "no", "who": "adult", "concern": "sexual-violence"})
    assert "SARSAS" in card_titles(result)


def test_publishing_without_a_way_in_or_a_source_is_refused_and_keeps_what_was_typed(client):
    sign_in(client)
    contact = LocalContact.objects.get(name="Lighthouse Victim Care")
    response = client.post(
        f"{STAFF}{contact.pk}/",
        contact_post(contact, source_url="", hours="Typed hours", published="on", last_checked_0="", last_checked_1="",
                     last_checked_2=""),
    )  # fmt: skip
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert '<a href="#id_phone">To publish, enter a phone number, email address or website</a>' in html
    assert '<a href="#id_source_url">To publish, enter the page you checked the details on</a>' in html
    assert '<a href="#id_last_checked_0">To publish, enter the date you checked the details</a>' in html
    assert 'value="Typed hours"' in html
    assert 'name="published" type="checkbox" value="on" checked' in html
    contact.refresh_from_db()
    assert not contact.published and not AuditEvent.objects.exists()


def test_unchanged_save_records_nothing(client):
    sign_in(client)
    contact = LocalContact.objects.get(name="B&NES Community Services")
    assert client.post(f"{STAFF}{contact.pk}/", contact_post(contact)).status_code == 302
    assert not AuditEvent.objects.exists()


def test_the_staff_index_links_to_local_contacts(client):
    sign_in(client)
    from portal.accounts.staff_links import staff_links_for

    user = get_user_model().objects.get(username="editor")
    assert ("Local contacts", STAFF) in [(link.text, link.href) for link in staff_links_for(user)]
