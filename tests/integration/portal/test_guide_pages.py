"""The pages for parents and carers and for young people: what each shows and in what order, that every
number on them is a vetted one, that nothing internal reaches them, and that staff edit their opening text."""

from __future__ import annotations

import csv
import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from portal.accounts.users import assign_role
from portal.core.models import Page
from portal.signposting.matching import KIND_ORDER

pytestmark = pytest.mark.django_db

PARENTS = "/parents-and-carers/"
YOUNG_PEOPLE = "/young-people/"
SEED = Path(__file__).resolve().parents[3] / "src" / "portal" / "signposting" / "seed"
CHILDRENS_SOCIAL_CARE = "Children and Families Assessment and Intervention Team (children's social care)"
# Services for adults worried about a child, or for adults only: never on the young people's page.
NOT_FOR_YOUNG_PEOPLE = [
    "NSPCC Helpline",
    "Crimestoppers",
    CHILDRENS_SOCIAL_CARE,
    "Emergency Duty Team (out of hours social care)",
    "National Domestic Abuse Helpline",
    "Respect Phoneline",
    "Adult safeguarding in B&NES (report a concern about an adult)",
]


def main_html(response) -> str:
    html = response.content.decode()
    return html[html.index("<main") :]


def text_of(html: str) -> str:
    return unescape(re.sub(r"\s+([,.:])", r"\1", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))))


def card_titles(html: str) -> list[str]:
    return [unescape(title) for title in re.findall(r'govuk-summary-card__title">([^<]+)<', html)]


def section(html: str, section_id: str) -> str:
    start = html.index(f'<h2 class="govuk-heading-l" id="{section_id}"')
    return html[start : html.index("</section>", start)]


def vetted_rows(name: str) -> list[dict]:
    with (SEED / name).open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def fitted_kinds() -> dict[str, str]:
    """Contact name -> kind, read straight from the files (national rows) and the seeded local rows."""
    from portal.signposting.models import LocalContact

    kinds = {row["name"]: row["kind"] for row in vetted_rows("contacts_fit.csv") if row["list"] == "contacts"}
    kinds.update({row["public_name"]: row["kind"] for row in vetted_rows("contacts_fit.csv") if row["public_name"]})
    kinds.update({contact.name: contact.kind for contact in LocalContact.objects.all()})
    return kinds


def assert_crisis_lines_first_then_the_kind_order(titles: list[str]) -> None:
    kinds = fitted_kinds()
    ranks = [KIND_ORDER.index(kinds[title]) for title in titles]
    assert ranks == sorted(ranks), list(zip(titles, ranks, strict=True))


def test_the_parents_page_puts_999_first_then_a_missing_child_then_who_to_contact(client):
    response = client.get(PARENTS)
    assert response.status_code == 200
    # The order of the page itself, not of its contents list.
    html = re.sub(r'<nav class="govuk-!-margin-bottom-6".*?</nav>', "", main_html(response), flags=re.S)
    text = text_of(html)
    order = ["call 999", "This page is for parents and carers", "If your child is missing, call the police",
             "Who to contact", "How to talk to your child", "Signs to look out for",
             "What happens after you ask for help", "Resources"]  # fmt: skip
    positions = [text.index(words) for words in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    assert "You do not have to wait 24 hours" in text


def test_the_parents_page_lists_contacts_for_parents_crisis_lines_first_and_local_before_national(client):
    html = section(main_html(client.get(PARENTS)), "who-to-contact")
    titles = card_titles(html)
    assert_crisis_lines_first_then_the_kind_order(titles)
    assert titles.index(CHILDRENS_SOCIAL_CARE) < titles.index("NSPCC Helpline")
    # A young person's own lines are for them to call, not their parents: the page tells parents about them
    # (How to talk to your child) but does not list them as the parent's contacts.
    assert "Childline" not in titles and "Samaritans" not in titles
    assert 'href="tel:01225396312"' in html and 'href="tel:01225396313"' in html
    # A local service nobody could confirm is a placeholder without a number.
    bridge = html[html.index("The Bridge Sexual Assault Referral Centre") :]
    bridge = bridge[: bridge.index("govuk-summary-card__title")]
    assert "Details to be confirmed" in bridge and "tel:" not in bridge


def test_the_parents_page_tells_them_how_to_talk_to_their_child_with_the_sources(client):
    html = main_html(client.get(PARENTS))
    talking = section(html, "talking")
    assert "Talk, calmly and more than once" in text_of(talking)
    # signs.md's sources, linked to the publishers' own pages.
    assert (
        'href="https://www.leics.police.uk/police-forces/leicestershire-police/areas/leicestershire-force-content/c/campaigns/2019/knife-crime/start-the-conversation---10-step-guide/"'
        in talking
    )  # noqa: E501
    assert 'href="https://racetothemoon.nspcc.org.uk/keeping-children-safe/types-of-abuse/county-lines/"' in talking
    signs = text_of(section(html, "signs"))
    for heading in ["Child criminal exploitation (CCE), county lines and gangs", "Carrying a knife or weapon",
                    "Sexual violence, sexual abuse or sexual exploitation", "Domestic abuse"]:  # fmt: skip
        assert heading in signs
    assert "Has more than one phone" in signs
    after = text_of(section(html, "after-you-call"))
    assert "When you call B&NES children's social care" in after
    assert "NSPCC Helpline: 0808 800 5000" in after


def test_the_young_people_page_puts_lines_open_at_any_time_first(client):
    html = main_html(client.get(YOUNG_PEOPLE))
    text = text_of(html)
    order = ["call 999", "Talk to someone now", "This page is for you", "What happens if you tell someone",
             "Staying safe online", "Knife crime: myths and facts", "More help for young people"]  # fmt: skip
    positions = [text.index(words) for words in order]
    assert positions == sorted(positions), list(zip(order, positions, strict=True))
    crisis = card_titles(section(html, "talk-now"))
    assert crisis[0] == "Childline"
    kinds = fitted_kinds()
    assert all(kinds[title] == "crisis" for title in crisis), crisis
    # Every crisis line the page shows is above every other service.
    every_card = card_titles(html)
    assert every_card[: len(crisis)] == crisis
    assert_crisis_lines_first_then_the_kind_order(every_card)


def test_the_young_people_page_shows_services_for_young_people_only(client):
    html = main_html(client.get(YOUNG_PEOPLE))
    titles = card_titles(html)
    assert "Fearless (anonymous reporting for young people)" in titles
    for title in NOT_FOR_YOUNG_PEOPLE:
        assert title not in titles, title
    text = text_of(html)
    assert "your child" not in text
    assert "they must pass it on to the person who leads on keeping children safe" in text
    assert "Report Remove" in text_of(section(html, "online"))
    knives = text_of(section(html, "knives"))
    assert "Carrying a knife does not keep you safe" in knives and "Busting the myth about knives" in knives


@pytest.mark.parametrize("path", [PARENTS, YOUNG_PEOPLE])
def test_every_number_on_the_pages_is_a_vetted_one_and_nothing_internal_is_shown(client, path):
    from portal.signposting.models import LocalContact

    response = client.get(path)
    html = response.content.decode()
    vetted = {
        re.sub(r"\D", "", number) for row in vetted_rows("contacts.csv") for number in re.split(r";| or ", row["phone"])
    }
    vetted |= {
        re.sub(r"\D", "", number) for contact in LocalContact.objects.all() for number in contact.phone.split(";")
    }
    shown = set(re.findall(r'href="tel:(\d+)"', html))
    assert shown and shown <= vetted | {"999"}, shown - vetted
    for row in vetted_rows("contacts.csv"):
        for internal in (row["notes"], row["source_excerpt"]):
            if len(internal) > 30:
                assert internal not in unescape(html), internal[:60]
    for row in vetted_rows("contacts_unconfirmed.csv"):
        assert row["reason"] not in unescape(html)
    assert "shared/reference" not in html and "/srv/" not in html
    assert 'data-module="govuk-exit-this-page"' in html
    # Each contact card names the page it was checked on and when staff last checked it.
    assert html.count("Last checked:") >= len(card_titles(html)) - html.count("Details to be confirmed")


def test_the_home_page_and_the_navigation_link_the_pages(client):
    html = client.get("/").content.decode()
    tasks = html[html.index('id="tasks"') :]
    assert f'href="{PARENTS}"' in tasks[: tasks.index("</li>")] and f'href="{YOUNG_PEOPLE}"' in tasks
    navigation = html[html.index('aria-label="Menu"') :]
    navigation = navigation[: navigation.index("</nav>")]
    assert ">Parents and carers<" in navigation and ">Young people<" in navigation and ">Professionals<" in navigation


def test_staff_edit_the_opening_text_and_the_page_keeps_its_own_address(client):
    assert client.get("/about/parents-and-carers/").url == PARENTS
    assert "If you are a parent or carer" not in main_html(client.get("/about/"))  # not an "About the VRU" page
    page = Page.objects.get(slug="young-people")
    assert page.get_absolute_url() == YOUNG_PEOPLE
    editor = get_user_model().objects.create_user("editor", password="a long enough password")
    assign_role(editor, "editor")
    client.force_login(editor)
    form = client.get(f"/staff/pages/{page.slug}/edit/")
    assert form.status_code == 200
    data = {
        "title": page.title,
        "summary": page.summary,
        "body": "Words an editor wrote for young people.",
        "last_reviewed_day": str(page.last_reviewed.day),
        "last_reviewed_month": str(page.last_reviewed.month),
        "last_reviewed_year": str(page.last_reviewed.year),
        "published": "on",
    }
    assert client.post(f"/staff/pages/{page.slug}/edit/", data).status_code == 302
    client.logout()
    html = main_html(client.get(YOUNG_PEOPLE))
    assert "Words an editor wrote for young people." in html
    # The opening text never comes before the lines open at any time.
    assert html.index("Talk to someone now") < html.index("Words an editor wrote")
    Page.objects.filter(slug="young-people").update(published=False)
    html = main_html(client.get(YOUNG_PEOPLE))
    assert "Words an editor wrote" not in html and "Childline" in html
