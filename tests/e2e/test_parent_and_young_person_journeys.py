"""A parent and a young person find their own page from the home page, in a real browser: what each page shows
first and in what order (999, then for a young person the lines open at any time, services for young people
only; for a parent a missing child, then who to contact), checked at every width with `look`."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps as django_apps
from playwright.sync_api import Page, expect

from portal.core.models import Page as StoredPage
from portal.resources.models import Resource
from portal.signposting.matching import KIND_ORDER
from portal.signposting.models import LocalContact
from portal.signposting.views import all_contacts

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def seeded_content(transactional_db):
    """What the data migrations seed (browser tests empty the database after each test): the pages' opening
    text, the resources and the local contacts."""
    if not StoredPage.objects.exists():
        importlib.import_module("portal.core.migrations.0002_seed_pages").seed_pages(django_apps, None)
        importlib.import_module("portal.core.migrations.0003_seed_parents_and_young_people_pages").seed_pages(
            django_apps, None
        )
    if not Resource.objects.exists():
        importlib.import_module("portal.resources.migrations.0002_seed_terms_and_resources").seed(django_apps, None)
        importlib.import_module("portal.resources.migrations.0004_load_revetted_resources").load(django_apps, None)
    if not LocalContact.objects.exists():
        importlib.import_module("portal.signposting.migrations.0004_load_revetted_contacts").load(django_apps, None)


def card_titles(page: Page, within: str = "main") -> list[str]:
    return page.locator(f"{within} .govuk-summary-card__title").all_inner_texts()


def kinds_of(titles: list[str]) -> list[str]:
    kinds = {contact.name: contact.kind for contact in all_contacts().values()}
    return [kinds[title] for title in titles]


def top_of(page: Page, selector: str) -> float:
    return page.locator(selector).first.bounding_box()["y"]


def test_a_young_person_finds_lines_open_at_any_time_first_and_nothing_for_adults(browser_page, live_server, look):
    page = browser_page
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Young people").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Help for young people")
    # What comes first on the screen: 999, then the lines open at any time, then the page's opening text.
    assert top_of(page, "#emergency") < top_of(page, "#talk-now") < top_of(page, "text=This page is for you")
    crisis = card_titles(page, "#talk-now-contacts")
    assert crisis[0] == "Childline"
    assert set(kinds_of(crisis)) == {"crisis"}
    every_card = card_titles(page)
    assert every_card[: len(crisis)] == crisis  # no other service above a crisis line
    ranks = [KIND_ORDER.index(kind) for kind in kinds_of(every_card)]
    assert ranks == sorted(ranks)
    for for_adults in ["NSPCC Helpline", "Crimestoppers", "Respect Phoneline", "National Domestic Abuse Helpline",
                       "Children and Families Assessment and Intervention Team (children's social care)"]:  # fmt: skip
        assert for_adults not in every_card
    assert "Fearless (anonymous reporting for young people)" in every_card
    headings = page.locator("main h2.govuk-heading-l").all_inner_texts()
    assert headings == ["Talk to someone now", "What happens if you tell someone", "Staying safe online",
                        "Knife crime: myths and facts", "More help for young people", "Resources"]  # fmt: skip
    # A number is a link the phone can call; a service nobody could confirm has none.
    expect(page.locator("#talk-now-contacts a[href='tel:08001111']")).to_have_count(1)
    bridge = page.locator(".govuk-summary-card", has_text="The Bridge Sexual Assault Referral Centre")
    expect(bridge).to_contain_text("Details to be confirmed")
    expect(bridge.locator("a[href^='tel:']")).to_have_count(0)
    expect(page.get_by_role("button", name="Emergency Exit this page")).to_be_visible()
    look(page, "young-people")


def test_a_parent_finds_what_to_do_if_their_child_is_missing_then_who_to_call(browser_page, live_server, look):
    page = browser_page
    page.goto(live_server.url + "/")
    page.locator("#tasks").get_by_role("link", name="for parents and carers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("If you are a parent or carer")
    headings = page.locator("main h2.govuk-heading-l").all_inner_texts()
    assert headings == ["If your child is missing", "Who to contact", "How to talk to your child",
                        "Signs to look out for", "What happens after you ask for help", "Resources"]  # fmt: skip
    assert top_of(page, "#emergency") < top_of(page, "#missing") < top_of(page, "#who-to-contact")
    missing = page.locator("#missing-points li").first
    expect(missing).to_contain_text("call the police straight away")
    expect(missing).to_contain_text("You do not have to wait 24 hours")
    expect(missing.get_by_role("link", name="Ivison Trust, If your child is missing")).to_have_attribute(
        "href", "https://ivisontrust.org.uk/infoadvice/if-your-child-is-missing/"
    )
    cards = card_titles(page, "#who-to-contact-contacts")
    ranks = [KIND_ORDER.index(kind) for kind in kinds_of(cards)]
    assert ranks == sorted(ranks)  # open at any time, then the local statutory route, police, helplines...
    social_care = "Children and Families Assessment and Intervention Team (children's social care)"
    assert cards.index(social_care) < cards.index("NSPCC Helpline")
    assert "Childline" not in cards  # their child's line, told about under "How to talk to your child"
    expect(page.locator("#talking-points")).to_contain_text("Childline: 0800 1111")
    # The contents list jumps to a section, without JavaScript too.
    page.get_by_role("navigation", name="On this page").get_by_role("link", name="Signs to look out for").click()
    assert page.url.endswith("#signs")
    look(page, "parents-and-carers")


def test_the_pages_work_without_javascript(chromium_browser, live_server):
    context = chromium_browser.new_context(java_script_enabled=False, viewport={"width": 320, "height": 800})
    page = context.new_page()
    try:
        page.goto(live_server.url + "/young-people/")
        assert card_titles(page, "#talk-now-contacts")[0] == "Childline"
        # Exit this page is a plain link to the weather without JavaScript (role="button" names it a button).
        expect(page.get_by_role("button", name="Emergency Exit this page")).to_have_attribute(
            "href", "https://www.bbc.co.uk/weather"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 320
    finally:
        context.close()
