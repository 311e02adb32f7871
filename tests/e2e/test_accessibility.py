"""axe-core finds no WCAG 2.2 A or AA failures on each kind of page; pages work without JavaScript."""

from __future__ import annotations

import pytest

from tests.e2e.conftest import WIDTHS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def check(look):
    """Open a page and check it at every width (`look`): axe finds nothing, no sideways scroll, no console
    errors."""

    def open_and_check(page, url: str, name: str, status: int = 200) -> None:
        response = page.goto(url)
        assert response.status == status
        look(page, name)

    return open_and_check


def test_home_page_leads_with_999_and_the_tasks(check, browser_page, live_server):
    check(browser_page, live_server.url + "/", "home")
    for width in WIDTHS.values():
        browser_page.set_viewport_size({"width": width, "height": 812})
        tasks = browser_page.locator("#tasks > li > a").all_inner_texts()
        assert tasks == ["Worried about someone?", "Find resources", "What the unit does", "The needs assessment",
                         "Give feedback"]  # fmt: skip
        warning = browser_page.get_by_text("If someone is in immediate danger, call 999")
        assert warning.bounding_box()["y"] < browser_page.locator("#tasks").bounding_box()["y"]


def test_accessibility_statement(check, browser_page, live_server):
    check(browser_page, live_server.url + "/accessibility-statement/", "accessibility-statement")


def test_page_not_found(check, browser_page, live_server):
    check(browser_page, live_server.url + "/no-such-page/", "page-not-found", status=404)


@pytest.mark.urls("tests.e2e.failing_urls")
def test_server_error_page(check, browser_page, live_server):
    check(browser_page, live_server.url + "/test-only-failure/", "server-error", status=500)
    assert browser_page.get_by_role("heading", level=1).inner_text() == "Sorry, there is a problem with the service"


def test_form_sent_without_a_valid_csrf_token(look, browser_page, live_server):
    # A form left open across signing in or out: the cookie holding the token has gone.
    browser_page.goto(live_server.url + "/feedback/")
    browser_page.context.clear_cookies()
    browser_page.get_by_label("Your message").fill("Sent after the cookie went.")
    with browser_page.expect_navigation() as navigation:
        browser_page.get_by_role("button", name="Send message").click()
    assert navigation.value.status == 403
    look(browser_page, "csrf-failure")


def test_gov_uk_frontend_starts_under_the_content_security_policy(browser_page, live_server):
    browser_page.goto(live_server.url + "/")
    classes = browser_page.evaluate("document.body.className")
    assert "js-enabled" in classes and "govuk-frontend-supported" in classes
    # initAll() marks each component it starts.
    browser_page.wait_for_selector("[data-govuk-service-navigation-init]", state="attached")
    assert browser_page.console_errors == []


def test_pages_work_without_javascript(chromium_browser, live_server, published_coverage):
    context = chromium_browser.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(live_server.url + "/")
        assert "js-enabled" not in page.locator("body").get_attribute("class")
        navigation = page.get_by_role("navigation", name="Menu")
        assert navigation.get_by_role("link", name="Resources").is_visible()
        assert not page.get_by_role("button", name="Menu").is_visible()
        # The accessibility statement is linked from the footer on every page.
        page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()
        assert page.get_by_role("heading", level=1).inner_text() == "Accessibility statement"
    finally:
        context.close()


def test_axe_does_report_problems(browser_page, accessibility_problems):
    # Guards the tests above against an axe that silently checks nothing.
    browser_page.set_content("<html><body><img src='chart.png'></body></html>")
    problems = accessibility_problems(browser_page)
    assert "image-alt" in problems and "html-has-lang" in problems
    # The best-practice "region" rule runs too: content outside any landmark is reported.
    browser_page.set_content("<html lang='en'><body><p>Loose</p><main><p>In main</p></main></body></html>")
    assert "region" in accessibility_problems(browser_page)


def test_staff_can_sign_in_to_the_admin_under_the_content_security_policy(browser_page, live_server):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("staff", password="a long enough password", is_staff=True)
    browser_page.goto(live_server.url + "/admin/login/")
    browser_page.get_by_label("Username").fill("staff")
    browser_page.get_by_label("Password").fill("a long enough password")
    browser_page.get_by_role("button", name="Log in").click()
    browser_page.wait_for_url(live_server.url + "/admin/")
    assert browser_page.title().startswith("Administration")
    assert browser_page.console_errors == []
