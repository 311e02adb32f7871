"""The home page, the accessibility statement, the error pages and the health check."""

from __future__ import annotations

import re

import pytest
from django.test import RequestFactory
from django.urls import reverse

from portal.core.views import server_error

SITE_NAME_HTML = "Bath &amp; North East Somerset Violence Reduction Unit"


def text_of(response) -> str:
    """The page's text with tags removed and white space collapsed, for matching sentences."""
    html = response.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.django_db
def test_home_leads_with_999_and_the_tasks_in_order(client):
    response = client.get(reverse("core:home"))
    assert response.status_code == 200
    text = text_of(response)
    tasks = ["Worried about someone?", "Find resources", "What the unit does", "The needs assessment",
             "Give feedback"]  # fmt: skip
    positions = [text.index(task, text.index("What do you want to do?")) for task in tasks]
    assert positions == sorted(positions)
    assert text.index("If someone is in immediate danger, call 999") < positions[0]
    html = response.content.decode()
    for url in ["/worried-about-someone/", "/resources/", "/about/", "/dashboard/", "/feedback/"]:
        assert f'href="{url}"' in html, url
    assert 'href="tel:999"' in html
    # The dashboard's "About the data" tells how complete the data is; the home page only links to it.
    assert 'href="/dashboard/#about-the-data"' in html


def test_home_shows_no_pipeline_status_and_no_server_path(client, published_coverage):
    text = text_of(client.get(reverse("core:home")))
    for internal in ["Rows quarantined", "Rows loaded per month", "manage.py", "var/", "warehouse", "shared/"]:
        assert internal not in text, internal


@pytest.mark.django_db
def test_home_introduces_the_unit(client):
    response = client.get(reverse("core:home"))
    text = text_of(response)
    assert "multi-agency group of professionals" in text
    assert "needs assessment" in text
    # The team's address is in the footer's "Contact the team" (feedback goes to the form).
    assert 'href="mailto:VRU_Project@bathnes.gov.uk"' in response.content.decode()


@pytest.mark.django_db
def test_the_favicon_address_browsers_ask_for_leads_to_the_icon(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("portal/favicon.svg")


def test_the_site_name_comes_from_settings(client, db, settings):
    from portal.core.models import Page

    # The unit's own pages name it in their text (stored content staff edit); this checks the layout.
    Page.objects.update(published=False)
    settings.VRU_SITE_NAME = "Somewhere Violence Reduction Unit"
    html = client.get(reverse("core:home")).content.decode()
    assert "<title>Somewhere Violence Reduction Unit</title>" in html
    assert "Bath &amp; North East Somerset Violence" not in html


@pytest.mark.django_db
def test_accessibility_statement(client):
    response = client.get(reverse("core:accessibility_statement"))
    assert response.status_code == 200
    html = response.content.decode()
    text = text_of(response)
    assert f"<title>Accessibility statement – {SITE_NAME_HTML}</title>" in html
    assert "Web Content Accessibility Guidelines (WCAG) version 2.2 at level AA" in text
    assert "Equality and Human Rights Commission (EHRC)" in text
    assert "Equality Advisory and Support Service (EASS)" in text
    assert 'href="mailto:VRU_Project@bathnes.gov.uk?subject=Accessibility%20problem"' in html


@pytest.mark.django_db
def test_layout_has_skip_link_navigation_phase_banner_and_licence(client):
    html = client.get(reverse("core:home")).content.decode()
    assert '<body class="govuk-template__body">' in html
    assert html.index('class="govuk-skip-link"') < html.index("<header")
    assert '<a href="#main-content" class="govuk-skip-link"' in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert 'aria-current="page"' in html  # Home is the current navigation item
    assert "govuk-phase-banner" in html and ">Beta<" in html
    assert "Contains public sector information licensed under the" in html
    assert "Open Government Licence v3.0" in html
    for gov_uk_branding in ("Crown copyright", "govuk-logo", "govuk-header__logotype", "GDS Transport"):
        assert gov_uk_branding not in html


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["core:home", "core:accessibility_statement"])
def test_pages_need_no_inline_script_or_style(client, url_name):
    # Required by the strict Content Security Policy; it also means every page is plain HTML that works
    # without JavaScript.
    html = client.get(reverse(url_name)).content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html
    assert " style=" not in html


@pytest.mark.django_db
def test_404_page_uses_the_layout(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    html = response.content.decode()
    assert f"<title>Page not found – {SITE_NAME_HTML}</title>" in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert "If you typed the web address, check it is correct." in html


def test_500_page_renders_without_the_database_or_the_request():
    # No `db` fixture: pytest-django makes any database access here fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    html = response.content.decode()
    assert "Sorry, there is a problem with the service" in html
    assert SITE_NAME_HTML in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html


def test_the_project_uses_our_500_view():
    from portal import urls

    assert urls.handler500 == "portal.core.views.server_error"


@pytest.mark.django_db
def test_healthz_reports_ok_when_the_database_answers(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "tables": "ok"}
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_healthz_reports_503_when_a_table_the_pages_need_is_missing(client, caplog):
    """A database that answers but was never migrated (or lost a table): every page would be a 500."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE resources_resource_topics")  # rolled back with the test's transaction
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "tables": "missing"}
    assert "resources_resource_topics" in caplog.text


def test_healthz_reports_503_when_the_database_fails(client, caplog):
    # No `db` fixture: pytest-django's guard makes the query raise, as a dead database would.
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error"}
    assert "Health check: the database query failed" in caplog.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["/", "/about/", "/resources/", "/resources/what-is-a-marac/", "/worried-about-someone/", "/feedback/",
     "/dashboard/", "/privacy/", "/accessibility-statement/", "/no-such-page/"],
)  # fmt: skip
def test_every_public_page_has_exit_this_page_in_a_landmark(client, url):
    html = client.get(url).content.decode()
    assert html.count('data-module="govuk-exit-this-page"') == 1, url
    nav = html[html.index('<nav class="portal-before-content" aria-label="Leave or go back">') :]
    assert nav.index("govuk-exit-this-page") < nav.index("</nav>")
    assert "portal/leave-without-a-trace.mjs" in html
    # The phase banner is inside the header (a landmark), not loose on the page.
    header = html[html.index("<header") : html.index("</header>")]
    assert "govuk-phase-banner" in header


@pytest.mark.django_db
def test_staff_pages_have_no_exit_this_page(client):
    html = client.get("/staff/sign-in/").content.decode()
    assert "govuk-exit-this-page" not in html and "leave-without-a-trace" not in html
