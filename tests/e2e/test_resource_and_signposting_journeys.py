"""The resource library and 'Worried about someone?' in a real browser (Debian Chromium, the real Content
Security Policy): the journeys people take, keyboard only and without JavaScript, and axe-core on every page
these apps add, error states included, at desktop (1280 pixels), phone (375) and
small phone (320: reflow) widths.

With E2E_SCREENSHOT_DIR set, a full-page screenshot of each page is kept at each width.
"""

from __future__ import annotations

import importlib
import re

import pytest
from django.apps import apps as django_apps
from django.contrib.auth import get_user_model
from playwright.sync_api import Page, expect

from portal.accounts.users import assign_role
from portal.resources.models import Resource
from portal.signposting.models import LocalContact

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"
START = "/worried-about-someone/"


@pytest.fixture(autouse=True)
def seeded_content(transactional_db):
    """The resources and local contacts the data migrations seed. Browser tests empty the database after
    each test (they cannot run in a transaction), which removes migrated data: put it back when it is gone."""
    if not Resource.objects.exists():
        importlib.import_module("portal.resources.migrations.0002_seed_terms_and_resources").seed(django_apps, None)
        importlib.import_module("portal.resources.migrations.0004_load_revetted_resources").load(django_apps, None)
    if not LocalContact.objects.exists():
        importlib.import_module("portal.signposting.migrations.0004_load_revetted_contacts").load(django_apps, None)


def continue_(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Continue").click()


# --- The resource library ----------------------------------------------------------------------------------


def test_a_youth_worker_finds_a_county_lines_resource_by_filtering(browser_page, live_server, look):
    page = browser_page
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Resources").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Resources")
    expect(page.get_by_role("heading", name="53 resources")).to_be_visible()
    look(page, "resources")

    # Each filter list opens (a details element: no JavaScript needed).
    expect(page.get_by_label("Professionals")).to_be_hidden()
    page.locator("summary", has_text="Who it is for").click()
    page.get_by_label("Professionals").check()
    page.locator("summary", has_text="Topic").click()
    page.get_by_label("County lines and child criminal exploitation").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Apply filters").click()
    assert "topic=county-lines" in page.url and "audience=professionals" in page.url
    # The lists with a choice made stay open, saying how many are chosen.
    expect(page.locator("summary", has_text="Who it is for (1 selected)")).to_be_visible()
    results = page.locator("#resource-list > li")
    count = results.count()
    assert count >= 5
    expect(page.get_by_role("heading", name=f"{count} resources")).to_be_visible()
    for title in results.locator("h3").all_inner_texts():
        resource = Resource.objects.get(title=title)
        assert resource.topics.filter(slug="county-lines").exists()
        assert resource.audiences.filter(slug="professionals").exists()
    expect(page.get_by_label("Professionals")).to_be_checked()
    look(page, "resources-filtered")

    # Removing one filter keeps the other.
    page.get_by_role("link", name="Remove who it is for: Professionals").click()
    assert "audience=" not in page.url and "topic=county-lines" in page.url
    expect(page.get_by_label("County lines and child criminal exploitation")).to_be_checked()

    # A search narrows it further; the resource's page shows its source and when it was checked.
    page.get_by_label("Search resources").fill("NSPCC")
    with page.expect_navigation():
        page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_role("link", name="Protecting children from county lines", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Protecting children from county lines")
    expect(page.get_by_text("Last checked")).to_be_visible()
    link = page.get_by_role("link", name="Go to the page on learning.nspcc.org.uk")
    assert link.get_attribute("rel") == "noopener noreferrer"
    assert link.get_attribute("href") == "https://learning.nspcc.org.uk/child-abuse-and-neglect/county-lines"
    look(page, "resource-detail")


def test_resource_pages_with_no_results_and_on_page_two(browser_page, live_server, look):
    page = browser_page
    page.goto(live_server.url + "/resources/?q=zzzqqq")
    expect(page.get_by_role("heading", name="No resources found")).to_be_visible()
    look(page, "resources-no-results")
    page.goto(live_server.url + "/resources/?page=2")
    expect(page.get_by_role("link", name="Page 2")).to_have_attribute("aria-current", "page")
    look(page, "resources-page-2")


# --- Worried about someone? ------------------------------------------------------------------------------


def test_a_worried_parent_completes_the_flow_and_gets_the_right_contacts(browser_page, live_server, look):
    page = browser_page
    page.goto(live_server.url + "/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Worried about someone?").click()
    expect(page.get_by_text("If anyone is in immediate danger, call 999 now.")).to_be_visible()
    look(page, "flow-start")
    page.get_by_role("button", name="Start now").click()

    # Each question: its error when left unanswered, then the answer.
    expect(page.get_by_role("heading", level=1)).to_have_text("Is anyone in immediate danger?")
    look(page, "flow-danger")
    continue_(page)
    expect(page.get_by_role("link", name="Select yes if anyone is in immediate danger")).to_be_visible()
    assert page.title().startswith("Error: ")
    look(page, "flow-danger-error")
    page.get_by_label("No").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Which best describes you?")
    look(page, "flow-role")
    page.get_by_label("I am a parent or carer").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Who are you worried about?")
    look(page, "flow-who")
    continue_(page)
    expect(page.get_by_role("link", name="Select who you are worried about")).to_be_visible()
    look(page, "flow-who-error")
    page.get_by_label("A child (under 13)").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("What are you worried about?")
    look(page, "flow-concerns")
    continue_(page)
    expect(page.get_by_role("link", name=re.compile("Select what you are worried about"))).to_be_visible()
    look(page, "flow-concerns-error")
    page.get_by_label("Carrying a knife or weapon").check()
    continue_(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("If you are worried about a child")
    cards = page.locator("#contact-list .govuk-summary-card__title").all_inner_texts()
    # The local statutory route first, then the police, then the adults' helpline; no young person's line.
    assert cards[:3] == [
        "Children and Families Assessment and Intervention Team (children's social care)",
        "Emergency Duty Team (out of hours social care)",
        "B&NES Early Help",
    ]
    assert cards.index("Police non-emergency: 101") < cards.index("NSPCC Helpline")
    assert "Childline" not in cards
    expect(page.locator("#contact-list").get_by_role("link", name="0808 800 5000")).to_have_attribute(
        "href", "tel:08088005000"
    )
    expect(page.get_by_text("Talk, calmly and more than once.", exact=False)).to_be_visible()
    look(page, "flow-result-child-knife")

    # Nothing was stored: no cookie at all in the browser.
    assert page.context.cookies() == []


def answer(page: Page, label: str) -> None:
    page.get_by_label(label, exact=True).check()
    continue_(page)


def card_titles(page: Page) -> list[str]:
    return page.locator("#contact-list .govuk-summary-card__title").all_inner_texts()


def test_a_youth_worker_gets_the_local_statutory_route_first_and_the_professional_steps(
    browser_page, live_server, look
):
    page = browser_page
    page.set_viewport_size({"width": 375, "height": 812})
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Worried about someone?").first.click()
    page.get_by_role("button", name="Start now").click()
    answer(page, "No")
    answer(
        page,
        "I work or volunteer with people, for example in a school, youth club, health service, charity or the police",
    )
    answer(page, "A young person (13 to 17)")
    answer(page, "Being exploited, county lines, or involved with older people or gangs")

    expect(page.get_by_role("heading", level=1)).to_have_text("If you are worried about a young person")
    cards = card_titles(page)
    assert cards[:2] == [
        "Children and Families Assessment and Intervention Team (children's social care)",
        "Emergency Duty Team (out of hours social care)",
    ]
    assert "Childline" not in cards
    # On a phone the children's social care number is on the first two screens, above every helpline.
    number = page.locator("#contact-list").get_by_role("link", name="01225 396312").first
    assert number.bounding_box()["y"] < 2 * 812
    steps = page.locator("#what-to-do ~ ol").first.locator("li").all_inner_texts()
    first = " ".join(steps)
    assert first.index("designated safeguarding lead") < first.index("National Referral Mechanism")
    expect(
        page.get_by_role("link", name="National Referral Mechanism: guidance for child first responders").first
    ).to_be_visible()
    look(page, "flow-result-youth-worker")

    # The routes for professionals on one page, in order, checked the same way.
    page.goto(live_server.url + START)
    page.get_by_role("link", name="safeguarding routes for professionals in Bath and North East Somerset").click()
    routes = page.locator("#routes .govuk-summary-list__key").all_inner_texts()
    assert routes[0].startswith("Designated safeguarding lead (DSL)")
    assert routes[1].startswith("B&NES children's social care")
    look(page, "professional-routes")


def test_a_young_person_sees_young_peoples_help_first_and_nothing_for_adults(browser_page, live_server, look):
    page = browser_page
    page.goto(live_server.url + START + "immediate-danger/")
    answer(page, "No")
    answer(page, "I am a young person (under 18)")
    answer(page, "Myself")
    answer(page, "Carrying a knife or weapon")
    expect(page.get_by_role("heading", level=1)).to_have_text("If you are worried about yourself")
    cards = card_titles(page)
    assert cards[0] == "Childline"
    assert cards.index("Childline") < cards.index("Fearless (anonymous reporting for young people)")
    for for_adults in ["NSPCC Helpline", "Crimestoppers", "Respect Phoneline"]:
        assert for_adults not in cards
    expect(page.get_by_text("Carrying a knife does not keep you safe", exact=False)).to_be_visible()
    look(page, "flow-result-young-person")


def test_after_exit_this_page_back_does_not_show_the_answers(browser_page, live_server):
    page = browser_page
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(status=200, body="<title>Weather</title>"))
    page.goto(live_server.url + START)
    page.get_by_role("button", name="Start now").click()
    page.wait_for_selector("[data-govuk-exit-this-page-init]", state="attached")
    answer(page, "No")
    answer(page, "I am a parent or carer")
    answer(page, "A child (under 13)")
    answer(page, "Domestic abuse at home or in a relationship")
    assert "concern=domestic-abuse" in page.url
    page.wait_for_selector("[data-govuk-exit-this-page-init]", state="attached")
    with page.expect_navigation(url="https://www.bbc.co.uk/weather"):
        page.get_by_role("button", name="Emergency Exit this page").click()
    page.go_back()
    # Back goes to the start page: the questions replaced each other in the history, and the result page
    # was replaced by the weather, so no address holding an answer is left to go back to.
    assert page.url == live_server.url + START
    page.go_back()
    assert "?" not in page.url


def test_yes_to_danger_shows_call_999_first(browser_page, live_server, look):
    page = browser_page
    page.goto(live_server.url + START + "immediate-danger/")
    page.get_by_label("Yes").check()
    continue_(page)
    expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")
    expect(page.get_by_text(re.compile("press 55 when you are asked"))).to_be_visible()
    look(page, "flow-call-999")


def test_other_results_pass_axe(browser_page, live_server, look):
    page = browser_page
    page.goto(
        live_server.url
        + START
        + "help-and-contacts/?danger=no&role=someone-else&who=adult&concern=domestic-abuse&concern=hate-crime"
        + "&concern=sexual-violence"
    )
    expect(page.get_by_role("heading", level=1)).to_have_text("If you are worried about an adult")
    look(page, "flow-result-adult")
    page.goto(
        live_server.url
        + START
        + "help-and-contacts/?danger=no&role=young-person&who=myself&concern=bullying&concern=other"
    )
    look(page, "flow-result-myself")


def describe_focus(page: Page) -> str:
    return page.evaluate(
        """() => {
          const e = document.activeElement
          const label = e.labels && e.labels.length ? e.labels[0].innerText : ''
          return `${e.tagName.toLowerCase()}|${e.id}|${(label || e.innerText || e.value || '').trim()}`
        }"""
    )


def tab_until(page: Page, wanted: str, limit: int = 60) -> list[str]:
    """Press Tab until the focused element's description contains `wanted`; return the focus order."""
    order = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        order.append(describe_focus(page))
        if wanted in order[-1]:
            return order
    raise AssertionError(f"Tab never reached {wanted!r}: {order}")


def test_a_keyboard_only_pass_through_the_flow(browser_page, live_server):
    """Only Tab, Space and Enter (never Shift: three presses would trigger Exit this page)."""
    page = browser_page
    page.goto(live_server.url + START)
    order = tab_until(page, "Start now")
    assert order[0].endswith("Skip to main content")
    assert any("Exit this page" in stop for stop in order)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Step 1: Exit this page, the back link, the radios, then Continue.
    order = tab_until(page, "|Continue")
    exit_at = next(i for i, stop in enumerate(order) if "Exit this page" in stop)
    back_at = next(i for i, stop in enumerate(order) if stop.endswith("|Back"))
    radio_at = next(i for i, stop in enumerate(order) if stop.startswith("input|id_danger_0|Yes"))
    assert exit_at < back_at < radio_at < len(order) - 1
    # Back to the radio: Tab cycles round the page, never Shift+Tab.
    tab_until(page, "input|id_danger_0")
    page.keyboard.press("Space")
    assert page.is_checked("#id_danger_0")
    tab_until(page, "|Continue")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # Yes leads to 999 first; from there, when everyone is safe, on to the next question.
    expect(page.get_by_role("heading", level=1)).to_have_text("Call 999 now")
    tab_until(page, "find signs to look out for")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Which best describes you?")
    tab_until(page, "input|id_role_0|I work or volunteer")
    page.keyboard.press("Space")
    tab_until(page, "|Continue")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Who are you worried about?")
    tab_until(page, "input|id_who_0|A child (under 13)")
    page.keyboard.press("Space")
    tab_until(page, "|Continue")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("What are you worried about?")
    tab_until(page, "input|id_concern_0|Carrying a knife or weapon")
    page.keyboard.press("Space")
    order = tab_until(page, "|Continue")
    assert [stop.split("|")[1] for stop in order[:-1]] == [f"id_concern_{i}" for i in range(1, 9)]
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("If you are worried about a child")
    tab_until(page, "01225 396312")
    assert describe_focus(page).startswith("a|")
    assert page.console_errors == []


def test_the_flow_works_without_javascript(chromium_browser, live_server):
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + START)
        assert "js-enabled" not in (page.locator("body").get_attribute("class") or "")
        exit_link = page.get_by_role("button", name="Emergency Exit this page")
        expect(exit_link).to_be_visible()
        assert exit_link.get_attribute("href") == "https://www.bbc.co.uk/weather"
        assert exit_link.get_attribute("rel") == "nofollow noreferrer"
        page.get_by_role("button", name="Start now").click()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("link", name="Select yes if anyone is in immediate danger")).to_be_visible()
        page.get_by_label("No").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Someone else, for example a friend, relative or neighbour").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("A young person (13 to 17)").check()
        page.get_by_role("button", name="Continue").click()
        page.get_by_label("Being exploited, county lines, or involved with older people or gangs").check()
        page.get_by_label("Domestic abuse at home or in a relationship").check()
        page.get_by_role("button", name="Continue").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("If you are worried about a young person")
        cards = page.locator(".govuk-summary-card__title").all_inner_texts()
        assert "Modern Slavery & Exploitation Helpline" in cards and "NSPCC Helpline" in cards
        # The change link goes back with the answers filled in.
        page.get_by_role("link", name="Change what worries you").click()
        expect(page.get_by_label("Domestic abuse at home or in a relationship")).to_be_checked()
        assert context.cookies() == []
    finally:
        context.close()


def test_exit_this_page_leaves_at_once_under_the_content_security_policy(browser_page, live_server):
    page = browser_page
    # The neutral site is not fetched for real: the test only needs to see the browser go there.
    page.route("https://www.bbc.co.uk/**", lambda route: route.fulfill(status=200, body="<title>Weather</title>"))
    page.goto(live_server.url + START + "who/?danger=no&role=parent")
    page.wait_for_selector("[data-govuk-exit-this-page-init]", state="attached")
    with page.expect_navigation(url="https://www.bbc.co.uk/weather"):
        page.get_by_role("button", name="Emergency Exit this page").click()
    assert page.console_errors == []

    # Pressing Shift three times does the same.
    page.goto(live_server.url + START + "who/?danger=no&role=parent")
    page.wait_for_selector("[data-govuk-exit-this-page-init]", state="attached")
    with page.expect_navigation(url="https://www.bbc.co.uk/weather"):
        for _ in range(3):
            page.keyboard.press("Shift")


# --- Staff pages -------------------------------------------------------------------------------------------


def sign_in_as_editor(page: Page, base_url: str) -> None:
    user = get_user_model().objects.create_user("edith", password=PASSWORD)
    assign_role(user, "editor")
    page.goto(base_url + "/staff/sign-in/")
    page.get_by_label("Username").fill("edith")
    page.get_by_label("Password").fill(PASSWORD)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state("networkidle")


def test_an_editor_adds_and_retires_a_resource(browser_page, live_server, look):
    page = browser_page
    sign_in_as_editor(page, live_server.url)
    page.goto(live_server.url + "/resources/staff/")
    look(page, "resources-staff-list")
    page.get_by_role("button", name="Add a resource").click()
    look(page, "resources-staff-add")
    page.get_by_label("Title").fill("A guide for youth workers")
    with page.expect_navigation():
        page.get_by_role("button", name="Add resource").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("A guide for youth workers")
    look(page, "resources-staff-add-errors")

    page.get_by_label("Summary").fill("How youth workers can talk about knives.")
    page.get_by_label("Organisation", exact=True).fill("Example Trust")
    page.get_by_label("Link to the page").fill("https://www.example.org/guide")
    page.get_by_label("Guidance").check()
    page.get_by_label("Professionals").check()
    page.get_by_label("Prevent").check()
    page.get_by_label("Knife crime").check()
    page.get_by_label("Bath and North East Somerset").check()
    page.get_by_label("What the page says (staff only)").fill("Read on the Trust's site.")
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("11")
    page.get_by_label("Year").fill("2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Add resource").click()
    expect(page.get_by_text("“A guide for youth workers” has been added")).to_be_visible()

    page.get_by_role("link", name="A guide for youth workers (change)").click()
    look(page, "resources-staff-edit")
    with page.expect_navigation():
        page.get_by_role("button", name="Retire this resource").click()
    expect(page.get_by_text("has been retired")).to_be_visible()
    assert Resource.objects.get(title="A guide for youth workers").retired


def test_an_editor_fills_in_a_local_contact(browser_page, live_server, look):
    page = browser_page
    sign_in_as_editor(page, live_server.url)
    page.goto(live_server.url + "/worried-about-someone/staff/contacts/")
    look(page, "contacts-staff-list")
    page.get_by_role("link", name="SARSAS (Somerset and Avon Rape and Sexual Abuse Support) (change)").click()
    look(page, "contacts-staff-edit")
    page.get_by_label("To be confirmed").uncheck()
    page.get_by_label("Show this contact on the public pages").check()
    with page.expect_navigation():
        page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("link", name="To publish, enter a phone number, email address or website")).to_be_visible()
    look(page, "contacts-staff-edit-errors")
