"""'Worried about someone?': every branch of the flow, 999 first, nothing stored (no session, cookie or
database row), the result page's contacts and resources, and the staff pages for local contacts."""

from __future__ import annotations

import datetime
import re
from html import unescape

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model

from portal.accounts.models import AuditEvent
from portal.accounts.users import assign_role
from portal.resources.models import Resource
from portal.signposting.models import LocalContact
from portal.signposting.views import CONCERN_VALUES

pytestmark = pytest.mark.django_db

START = "/worried-about-someone/"
DANGER = START + "immediate-danger/"
EMERGENCY = START + "call-999/"
ROLE = START + "about-you/"
WHO = START + "who/"
CONCERNS = START + "what-worries-you/"
RESULT = START + "help-and-contacts/"
STAFF = START + "staff/contacts/"


def text_of(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"\s+([,.])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))))


def card_titles(response) -> list[str]:
    return [unescape(title) for title in re.findall(r'govuk-summary-card__title">([^<]+)<', response.content.decode())]


def text_of_html(html: str) -> str:
    return unescape(re.sub(r"\s+([,.:])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))))


def section(response, heading_id: str) -> str:
    """The page's HTML from the h2 with `heading_id` to the next h2."""
    html = response.content.decode()
    start = html.index(f'id="{heading_id}"')
    end = html.find("<h2", start)
    return html[start : end if end > 0 else len(html)]


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


def follow_the_flow(client, role: str, who: str, concerns: list[str]):
    """Answer each question as a browser would (GET forms with hidden fields); return every response."""
    responses = [client.get(START), client.get(DANGER)]
    responses.append(client.get(DANGER, {"step": "danger", "danger": "no"}))
    assert responses[-1].status_code == 302
    responses.append(client.get(responses[-1]["Location"]))
    responses.append(client.get(ROLE, {"danger": "no", "step": "role", "role": role}))
    assert responses[-1].status_code == 302
    responses.append(client.get(responses[-1]["Location"]))
    responses.append(client.get(WHO, {"danger": "no", "role": role, "step": "who", "who": who}))
    assert responses[-1].status_code == 302
    responses.append(client.get(responses[-1]["Location"]))
    answers = {"danger": "no", "role": role, "who": who, "step": "concerns", "concern": concerns}
    responses.append(client.get(CONCERNS, answers))
    assert responses[-1].status_code == 302
    responses.append(client.get(responses[-1]["Location"]))
    assert responses[-1].status_code == 200
    return responses


def result(client, role: str, who: str, *concerns: str):
    return client.get(RESULT, {"danger": "no", "role": role, "who": who, "concern": list(concerns)})


# --- The flow ----------------------------------------------------------------------------------------------


def test_yes_goes_straight_to_call_999(client):
    response = client.get(DANGER, {"step": "danger", "danger": "yes"})
    assert response.status_code == 302 and response["Location"] == EMERGENCY
    page = client.get(EMERGENCY)
    text = text_of(page)
    assert "Call 999 now" in text and "press 55" in text
    # Details that could not be confirmed on a publisher's page are not shown.
    assert "18000" not in text and "REGISTER" not in text
    assert text.index("Call 999 now") < text.index("When everyone is safe")
    assert 'href="tel:999"' in page.content.decode()
    # Only then, and only when everyone is safe, the rest of the flow.
    assert f'href="{ROLE}?danger=no"' in page.content.decode()


def test_later_steps_send_you_back_to_the_first_unanswered_question(client):
    for url in [ROLE, WHO + "?danger=yes", CONCERNS + "?who=child", RESULT + "?who=child&concern=knife"]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(DANGER), url
    assert client.get(WHO + "?danger=no")["Location"] == ROLE + "?danger=no"
    assert client.get(CONCERNS + "?danger=no&role=parent")["Location"] == WHO + "?danger=no&role=parent"
    assert (
        client.get(RESULT + "?danger=no&role=parent&who=adult")["Location"]
        == CONCERNS + "?danger=no&role=parent&who=adult"
    )


@pytest.mark.parametrize(
    ("url", "message", "anchor"),
    [
        (DANGER + "?step=danger", "Select yes if anyone is in immediate danger", "id_danger_0"),
        (ROLE + "?danger=no&step=role", "Select which best describes you", "id_role_0"),
        (WHO + "?danger=no&role=parent&step=who", "Select who you are worried about", "id_who_0"),
        (
            CONCERNS + "?danger=no&role=parent&who=adult&step=concerns",
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
    answers = {"danger": "no", "role": "parent", "who": "young-person", "concern": "knife"}
    html = client.get(CONCERNS, answers).content.decode()
    assert '<input type="hidden" name="danger" value="no">' in html
    assert '<input type="hidden" name="role" value="parent">' in html
    assert '<input type="hidden" name="who" value="young-person">' in html
    assert 'value="knife" checked' in html
    assert (
        f'href="{WHO}?danger=no&amp;role=parent&amp;who=young-person&amp;concern=knife" class="govuk-back-link"' in html
    )
    back = client.get(WHO, answers).content.decode()
    assert 'value="young-person" checked' in back
    assert '<input type="hidden" name="concern" value="knife">' in back


@pytest.mark.parametrize("role", ["professional", "parent", "young-person", "someone-else"])
@pytest.mark.parametrize("who", ["child", "young-person", "adult", "myself"])
def test_every_answer_leads_to_a_result_with_contacts_and_steps(client, role, who):
    for concern in CONCERN_VALUES:
        response = result(client, role, who, concern)
        assert response.status_code == 200
        text = text_of(response)
        assert "If anyone is in immediate danger, call 999." in text
        assert "We do not store your answers" in text
        assert card_titles(response), (role, who, concern)
        assert section(response, "what-to-do").count("<li>") >= 1, (role, who, concern)
        # No internal note and no draft wording on the public page.
        assert "source_excerpt" not in text and "as given on the page" not in text and "draft" not in text.lower()


def test_the_whole_flow_stores_nothing(client):
    before = row_counts()
    responses = follow_the_flow(client, "parent", "child", ["knife", "exploitation"])
    responses += [client.get(DANGER, {"step": "danger"}), client.get(EMERGENCY)]
    assert row_counts() == before
    for response in responses:
        assert response.cookies == {}, response.request["PATH_INFO"]
        assert "Set-Cookie" not in response.headers
        assert "no-store" in response["Cache-Control"]
        assert not response.wsgi_request.session.keys()
        assert not response.wsgi_request.session.modified
    assert not client.cookies  # nothing for the browser to keep either


def test_a_youth_worker_sees_the_local_statutory_route_first(client):
    response = follow_the_flow(client, "professional", "young-person", ["exploitation"])[-1]
    titles = card_titles(response)
    assert titles[:2] == [
        "Children and Families Assessment and Intervention Team (children's social care)",
        "Emergency Duty Team (out of hours social care)",
    ]
    assert "Childline" not in titles  # the young person's own line, not the worker's
    contacts = section(response, "contacts")
    assert 'href="tel:01225396312"' in contacts and 'href="tel:01225396313"' in contacts
    # The professional route: DSL, what to record, the local referral, police, NRM, local guidance.
    steps = text_of_html(section(response, "what-to-do"))
    for words in ["designated safeguarding lead (DSL)", "Write down what you saw and heard",
                  "Refer to B&NES children's social care", "National Referral Mechanism (NRM)"]:  # fmt: skip
        assert words in steps, words
    assert steps.index("designated safeguarding lead") < steps.index("National Referral Mechanism")
    html = section(response, "what-to-do")
    assert 'href="/resources/national-referral-mechanism-guidance-for-child-first-responders/"' in html
    # Signs cite the publishers' own pages.
    signs = section(response, "signs")
    assert "Has more than one phone" in signs
    assert (
        'href="https://www.childrenssociety.org.uk/what-we-do/our-work/child-criminal-exploitation-and-county-lines/spotting-signs"'
        in signs
    )


def test_a_professional_worried_about_domestic_abuse_gets_dash_and_marac(client):
    response = result(client, "professional", "adult", "domestic-abuse")
    steps = text_of_html(section(response, "what-to-do"))
    assert "Dash risk checklist (DASH)" in steps and "MARAC" in steps
    assert "B&NES MARAC referral route: details to be confirmed" in steps  # never a guessed route
    assert card_titles(response)[0] == "Adult safeguarding in B&NES (report a concern about an adult)"


def test_a_parent_gets_their_own_steps_and_no_young_persons_line_as_theirs(client):
    response = follow_the_flow(client, "parent", "child", ["knife"])[-1]
    titles = card_titles(response)
    assert "NSPCC Helpline" in titles and "Childline" not in titles and "Fearless" not in titles
    assert titles.index(
        "Children and Families Assessment and Intervention Team (children's social care)"
    ) < titles.index("NSPCC Helpline")
    steps = text_of_html(section(response, "what-to-do"))
    # What happens after you call; how to talk to your child; where they can go without you.
    assert "When you call B&NES children's social care" in steps
    assert "Talk, calmly and more than once" in steps
    assert "Childline: 0800 1111" in steps and "Fearless" in steps


def test_a_parent_of_a_missing_child_is_told_to_call_the_police_straight_away(client):
    response = result(client, "parent", "young-person", "missing")
    steps = text_of_html(section(response, "what-to-do"))
    assert steps.index("call the police straight away") < steps.index("Missing People")
    assert "You do not have to wait 24 hours" in steps
    assert "Missing People" in card_titles(response)


def test_a_young_person_gets_young_peoples_services_only(client):
    response = follow_the_flow(client, "young-person", "myself", ["knife"])[-1]
    titles = card_titles(response)
    assert titles[0] == "Childline"  # the crisis line comes first
    assert "Fearless (anonymous reporting for young people)" in titles
    for adults_only in ["NSPCC Helpline", "Crimestoppers", "Children and Families Assessment and Intervention Team "
                        "(children's social care)", "Respect Phoneline"]:  # fmt: skip
        assert adults_only not in titles
    steps = text_of_html(section(response, "what-to-do"))
    assert "Carrying a knife does not keep you safe" in steps  # written for them, not for their parents


def test_an_adult_gets_no_childrens_services(client):
    for concern in CONCERN_VALUES:
        titles = card_titles(result(client, "someone-else", "myself", concern))
        assert "Childline" not in titles and "Fearless (anonymous reporting for young people)" not in titles, concern
        assert "NSPCC Helpline" not in titles


def test_sexual_violence_for_an_adult_puts_crisis_help_first_and_local_services_without_numbers(client):
    response = result(client, "someone-else", "myself", "sexual-violence")
    titles = card_titles(response)
    crisis = ["Find your nearest Sexual Assault Referral Centre (SARC)", "24/7 Rape and Sexual Abuse Support Line",
              "The Bridge Sexual Assault Referral Centre", "Samaritans"]  # fmt: skip
    assert set(titles[:4]) == set(crisis)
    assert titles.index("Police non-emergency: 101") > 3
    contacts = section(response, "contacts")
    # The Bridge and SARSAS are shown, marked as to be confirmed, with no number.
    assert "SARSAS (Somerset and Avon Rape and Sexual Abuse Support)" in titles
    for name in [
        "The Bridge Sexual Assault Referral Centre",
        "SARSAS (Somerset and Avon Rape and Sexual Abuse Support)",
    ]:
        card = contacts[contacts.index(name) :]
        card = card[: card.find("govuk-summary-card__title", 10)]
        assert "Details to be confirmed" in card and "tel:" not in card
    assert "(0117) 923 0000" not in contacts and "01179230000" not in contacts  # never a guessed number
    assert 'href="https://www.nhs.uk/sarcs"' in contacts


def test_the_support_line_for_16_and_over_is_not_offered_for_a_child(client):
    child = card_titles(result(client, "parent", "child", "sexual-violence"))
    young = card_titles(result(client, "parent", "young-person", "sexual-violence"))
    assert "24/7 Rape and Sexual Abuse Support Line" not in child
    assert "24/7 Rape and Sexual Abuse Support Line" in young
    assert "Willow Project (child sexual exploitation referrals)" in child


def test_unpublished_local_contacts_are_not_shown(client):
    hate = ("someone-else", "adult", "hate-crime")
    assert "SARI (Stand Against Racism & Inequality)" in card_titles(result(client, *hate))
    LocalContact.objects.filter(key="sari").update(published=False)
    assert "SARI (Stand Against Racism & Inequality)" not in card_titles(result(client, *hate))
    # Published but with nothing to call or visit, and not marked to be confirmed: not shown.
    LocalContact.objects.filter(key="sari").update(published=True, phone="", url="", email="")
    assert "SARI (Stand Against Racism & Inequality)" not in card_titles(result(client, *hate))


def test_matching_resources_follow_the_concerns_and_the_person_asking(client):
    response = result(client, "parent", "young-person", "exploitation")
    listed = re.findall(
        r'<h3 class="govuk-heading-s[^"]*"><a class="govuk-link" href="/resources/([^/]+)/"',
        section(response, "resources"),
    )
    assert listed
    for slug in listed:
        resource = Resource.objects.get(slug=slug)
        assert resource.topics.filter(slug__in=["county-lines", "modern-slavery"]).exists()
        assert resource.audiences.filter(slug="parents-and-carers").exists()
    library = section(response, "resources")
    assert 'href="/resources/?topic=county-lines&amp;topic=modern-slavery&amp;audience=parents-and-carers' in library


def test_result_page_change_links_keep_the_answers(client):
    html = result(client, "someone-else", "myself", "bullying", "other").content.decode()
    query = "danger=no&amp;role=someone-else&amp;who=myself&amp;concern=bullying&amp;concern=other"
    for url in [ROLE, WHO, CONCERNS]:
        assert f'href="{url}?{query}"' in html


def test_every_flow_page_has_exit_this_page_that_works_without_javascript(client):
    for url in [START, DANGER, EMERGENCY, ROLE + "?danger=no", WHO + "?danger=no&role=parent",
                CONCERNS + "?danger=no&role=parent&who=adult",
                RESULT + "?danger=no&role=parent&who=adult&concern=other"]:  # fmt: skip
        html = client.get(url).content.decode()
        assert 'data-module="govuk-exit-this-page"' in html, url
        assert 'href="https://www.bbc.co.uk/weather"' in html and 'rel="nofollow noreferrer"' in html, url
        assert "style=" not in html and "<script>" not in html, url


def test_odd_answers_are_ignored_not_echoed(client):
    response = client.get(RESULT, {"danger": "no", "role": "parent", "who": "adult", "concern": ["other", "<script>"]})
    assert response.status_code == 200
    assert "&lt;script&gt;" not in response.content.decode()


def test_the_development_servers_log_line_has_no_answers(caplog):
    import logging

    logger = logging.getLogger("django.server")
    with caplog.at_level(logging.INFO, logger="django.server"):
        logger.info('"%s" %s %s', f"GET {RESULT}?danger=no&who=child&concern=knife HTTP/1.1", "200", "1")
    assert caplog.messages == [f'"GET {RESULT} HTTP/1.1" 200 1']


def test_the_professional_routes_page_lists_each_route_with_its_number_and_sources(client):
    response = client.get(START + "safeguarding-routes-for-professionals/")
    assert response.status_code == 200
    html = response.content.decode()[response.content.decode().index('id="routes"') :]
    text = text_of_html(html)
    order = ["Designated safeguarding lead (DSL)", "B&NES children's social care", "Police",
             "National Referral Mechanism (NRM)", "Dash risk checklist, then MARAC", "Willow Project",
             "B&NES adult safeguarding", "B&NES Early Help"]  # fmt: skip
    positions = [text.index(name) for name in order]
    assert positions == sorted(positions)
    assert 'href="tel:01225396312"' in html and 'href="tel:01454615165"' in html and 'href="tel:01225395200"' in html
    assert "B&NES MARAC referral route: details to be confirmed" in text
    assert 'href="https://safelives.org.uk/resources-library/quick-start-guidance-for-dash-risk-checklist/"' in html
    assert 'data-module="govuk-exit-this-page"' in response.content.decode()


# --- Seeded local contacts -----------------------------------------------------------------------------------


def test_local_rows_are_seeded_from_the_vetted_lists():
    contacts = {contact.key: contact for contact in LocalContact.objects.all()}
    confirmed = [contact for contact in contacts.values() if not contact.to_be_confirmed]
    placeholders = [contact for contact in contacts.values() if contact.to_be_confirmed]
    assert len(confirmed) == 7 and len(placeholders) == 8
    for contact in confirmed:
        assert contact.published and contact.source_url and contact.last_checked is None
    for contact in placeholders:
        assert contact.published and not (contact.phone or contact.url or contact.email), contact.key
        assert "Next step:" in contact.notes  # the unconfirmed list's advice, for staff
    assert contacts["willow-project"].email == "Willow_CSEReferrals@bathnes.gov.uk"
    assert contacts["banes-childrens-social-care"].phone == "01225 396312 or 01225 396313"


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
        "kind": contact.kind,
        "asker": contact.asker,
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
    if contact.to_be_confirmed:
        data["to_be_confirmed"] = "on"
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
    assert "8 contacts need details confirmed from the organisation's own page" in text
    assert (
        "SARSAS (Somerset and Avon Rape and Sexual Abuse Support) (change) Not known Avon and Somerset "
        "Shown as to be confirmed" in text
    )


def test_filling_in_a_placeholder_publishes_it_and_is_audited(client):
    user = sign_in(client)
    contact = LocalContact.objects.get(key="sarsas")
    # Made-up details (not a real service's): a test of the form, never shown to anyone.
    changes = {"phone": "0000 000 0000", "url": "https://www.example.org/sarsas", "to_be_confirmed": None,
               "source_url": "https://www.example.org/sarsas/contact", "last_checked_0": "1",
               "last_checked_1": "12", "last_checked_2": "2026"}  # fmt: skip
    response = client.post(f"{STAFF}{contact.pk}/", contact_post(contact, **changes))
    assert response.status_code == 302 and response["Location"] == STAFF
    contact.refresh_from_db()
    assert contact.published and contact.phone == "0000 000 0000" and contact.updated_by == user
    assert not contact.to_be_confirmed
    event = AuditEvent.objects.get()
    assert event.action == "changed" and event.object_type == "signposting.localcontact"
    assert "phone number" in event.summary and "0000" not in event.summary
    page = section(result(client, "someone-else", "adult", "sexual-violence"), "contacts")
    assert 'href="tel:00000000000"' in page


def test_publishing_without_a_way_in_or_a_source_is_refused_and_keeps_what_was_typed(client):
    sign_in(client)
    contact = LocalContact.objects.get(key="lighthouse")
    response = client.post(
        f"{STAFF}{contact.pk}/",
        contact_post(contact, source_url="", hours="Typed hours", published="on", to_be_confirmed=None),
    )
    assert response.status_code == 200
    html = unescape(response.content.decode())
    assert '<a href="#id_phone">To publish, enter a phone number, email address or website</a>' in html
    assert '<a href="#id_source_url">To publish, enter the page you checked the details on</a>' in html
    assert '<a href="#id_last_checked_0">To publish, enter the date you checked the details</a>' in html
    assert 'value="Typed hours"' in html
    assert 'name="published" type="checkbox" value="on" checked' in html
    contact.refresh_from_db()
    assert contact.to_be_confirmed and not AuditEvent.objects.exists()


def test_unchanged_save_records_nothing(client):
    sign_in(client)
    LocalContact.objects.filter(key="willow-project").update(last_checked=datetime.date(2026, 12, 1))
    contact = LocalContact.objects.get(key="willow-project")
    assert client.post(f"{STAFF}{contact.pk}/", contact_post(contact)).status_code == 302
    assert not AuditEvent.objects.exists()


def test_the_staff_index_links_to_local_contacts(client):
    sign_in(client)
    from portal.accounts.staff_links import staff_links_for

    user = get_user_model().objects.get(username="editor")
    assert ("Local contacts", STAFF) in [(link.text, link.href) for link in staff_links_for(user)]
