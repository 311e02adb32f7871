"""The unit's pages as the public sees them: seeded from the unit's own page, stored, editable by staff."""

from __future__ import annotations

import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from portal.accounts.users import assign_role
from portal.core.models import Page

REPO_ROOT = Path(__file__).resolve().parents[3]

pytestmark = pytest.mark.django_db

ABOUT_SLUGS = ["why-the-vru-was-set-up", "what-the-unit-does", "contact-the-team"]


def text_of(response) -> str:
    """The page's words: tags removed, entities decoded, white space collapsed."""
    html = response.content.decode()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).replace(" .", ".")


def signed_in(client, role: str):
    user = get_user_model().objects.create_user(role)
    assign_role(user, role)
    client.force_login(user)
    return user


def test_migrate_seeds_the_units_pages_with_the_wording_of_its_own_page():
    # The opening text of the pages for parents and for young people is seeded too (tests/integration/portal/
    # test_guide_pages.py); these are the unit's own pages, from the seed.
    pages = {page.slug: page for page in Page.objects.exclude(slug__in=["parents-and-carers", "young-people"])}
    assert list(pages) == ["introduction", *ABOUT_SLUGS]  # in their order
    assert all(page.published for page in pages.values())
    assert {page.last_reviewed for page in pages.values()} == {date(2026, 11, 26)}
    assert pages["why-the-vru-was-set-up"].title == "Why the Violence Reduction Unit has been set up"
    assert pages["what-the-unit-does"].title == "What the Bath & North East Somerset Violence Reduction Unit does"
    assert pages["contact-the-team"].title == "Contact the team"

    def flat(page):
        return " ".join(page.body.split())

    assert (
        "It is designed to help the work of professionals and community groups who have contact with people "
        "who may be affected by violence." in flat(pages["introduction"])
    )
    assert (
        "We are a multi-agency group of professionals working to set up a specialist Violence Reduction Unit (VRU)."
        in flat(pages["introduction"])
    )
    why = flat(pages["why-the-vru-was-set-up"])
    assert "- alleviate suffering - lead to substantial financial savings, and - improve societal wellbeing" in why
    assert "Sue Mountstevens, Police and Crime Commissioner for Avon and Somerset" in why
    assert "homicide and violence with injury cost Avon and Somerset nearly £765 million" in why
    assert "the Government has allocated £35 million to PCCs in 18 local areas" in why
    # A figure carried from a publication keeps its source.
    assert "Avon and Somerset Serious Violence Strategy 2019, as quoted on the unit's page" in why
    what = flat(pages["what-the-unit-does"])
    assert "We are carrying out a needs assessment that will identify gaps in provision and practice." in what
    assert "advise partners on good practice to enable the prevention of violent crimes." in what
    assert "please email VRU_Project@bathnes.gov.uk" in flat(pages["contact-the-team"])


def test_the_home_page_shows_the_introduction_from_the_database(client):
    text = text_of(client.get(reverse("core:home")))
    assert "offers you an insight into the work of the Bath & North East Somerset Violence Reduction Unit" in text
    Page.objects.filter(slug="introduction").update(body="A new introduction, written by staff.")
    text = text_of(client.get(reverse("core:home")))
    assert "A new introduction, written by staff." in text
    assert "offers you an insight" not in text


def test_the_home_page_leads_to_the_about_pages_and_leaves_data_coverage_to_the_dashboard(client):
    html = client.get(reverse("core:home")).content.decode()
    assert f'href="{reverse("core:about")}"' in html
    assert 'id="data-loaded"' not in html
    assert f'href="{reverse("dashboards:overview")}#about-the-data"' in html


def test_the_home_page_leaves_out_an_unpublished_introduction(client):
    Page.objects.filter(slug="introduction").update(published=False)
    html = client.get(reverse("core:home")).content.decode()
    assert "offers you an insight" not in html
    assert f'href="{reverse("core:about")}"' in html


def test_navigation_has_about_the_vru_marked_as_the_current_section(client):
    html = client.get(reverse("core:about_page", args=["what-the-unit-does"])).content.decode()
    assert re.search(r'<a class="govuk-service-navigation__link" href="/about/" aria-current="true">', html)
    html = client.get(reverse("core:about")).content.decode()
    assert re.search(r'<a class="govuk-service-navigation__link" href="/about/" aria-current="page">', html)


def test_about_index_lists_the_pages(client):
    response = client.get("/about/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<h1 class="govuk-heading-l">About the Violence Reduction Unit</h1>' in html
    for slug in ABOUT_SLUGS:
        assert f'href="/about/{slug}/"' in html
    assert 'href="/">Introduction</a>' in html


def test_why_page_shows_the_quotation_with_the_source_of_its_figures(client):
    response = client.get("/about/why-the-vru-was-set-up/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Why the Violence Reduction Unit has been set up – Bath &amp; North East Somerset" in html
    assert '<blockquote class="govuk-inset-text">' in html
    quote = html[html.index("<blockquote") : html.index("</blockquote>")]
    assert "nearly £765 million" in quote
    after = html[html.index("</blockquote>") :]
    assert "Avon and Somerset Serious Violence Strategy 2019, as quoted on the unit&#x27;s page" in after
    assert '<a class="govuk-link" href="https://www.avonandsomerset-pcc.gov.uk/">' in html
    assert '<ul class="govuk-list govuk-list--bullet"><li>alleviate suffering</li>' in html
    assert "Page last reviewed on 26 November 2026." in text_of(response)


def test_contact_page_links_the_team_email(client):
    html = client.get("/about/contact-the-team/").content.decode()
    assert '<a class="govuk-link" href="mailto:VRU_Project@bathnes.gov.uk">VRU_Project@bathnes.gov.uk</a>' in html


def test_the_introduction_has_no_page_of_its_own(client):
    response = client.get("/about/introduction/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_unknown_and_unpublished_pages_are_not_found_for_the_public_and_partners(client):
    assert client.get("/about/no-such-page/").status_code == 404
    Page.objects.filter(slug="what-the-unit-does").update(published=False)
    assert client.get("/about/what-the-unit-does/").status_code == 404
    signed_in(client, "partner")
    assert client.get("/about/what-the-unit-does/").status_code == 404


def test_editors_can_see_an_unpublished_page_with_a_warning(client):
    Page.objects.filter(slug="what-the-unit-does").update(published=False)
    signed_in(client, "editor")
    response = client.get("/about/what-the-unit-does/")
    assert response.status_code == 200
    assert "This page is not published. Only staff who edit pages can see it." in text_of(response)
    assert 'href="/staff/pages/what-the-unit-does/edit/"' in response.content.decode()


def test_a_page_body_never_puts_html_from_the_database_on_the_page(client):
    Page.objects.filter(slug="contact-the-team").update(
        body='<script>alert("x")</script> <img src=x onerror=alert(1)> [x](javascript:alert(1))'
    )
    html = client.get("/about/contact-the-team/").content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html and "javascript:" not in html
    assert "&lt;script&gt;" in html


def test_privacy_notice(client, settings):
    settings.FEEDBACK_RETENTION_DAYS = 90
    settings.PARTNER_UPLOAD_RETENTION_DAYS = 400
    response = client.get("/privacy/")
    assert response.status_code == 200
    text = text_of(response)
    assert "<title>Privacy notice – Bath &amp; North East Somerset" in response.content.decode()
    assert "your name and email address, only if you choose to give them – they are optional" in text
    assert "We keep feedback, and our replies to it, for 90 days, then delete it." in text
    assert "We keep each file for 400 days after it is uploaded, then delete it." in text
    # Backups: deleted feedback and uploads stay in them as long as docs/deployment.md keeps a backup.
    kept = int(re.search(r"-mtime \+(\d+) -exec rm", (REPO_ROOT / "docs" / "deployment.md").read_text()).group(1))
    in_backups = f"stays in the website’s backups for up to {kept} days after it is deleted"
    assert f"A copy {in_backups}" in text and f"A deleted file {in_backups}" in text
    assert "We do not use analytics or any other tracking" in text
    assert "It uses 2 cookies" in text
    for cookie in ("csrftoken", "sessionid"):
        assert f'<td class="govuk-table__cell">{cookie}</td>' in response.content.decode()
    assert "signing in is locked for 30 minutes" in text
    assert "records of successful sign-ins are kept for 30 days" in text
    assert "Server logs" in text and "They are deleted after 30 days." in text
    assert 'href="mailto:VRU_Project@bathnes.gov.uk?subject=Personal%20information"' in response.content.decode()
    assert "complain to the Information Commissioner’s Office (ICO)" in text


@pytest.mark.parametrize("path", ["/", "/about/", "/about/why-the-vru-was-set-up/", "/privacy/", "/no-such-page/"])
def test_every_page_links_the_privacy_notice_and_accessibility_statement_in_the_footer(client, path):
    html = client.get(path).content.decode()
    footer = html[html.index("<footer") :]
    assert '<a class="govuk-footer__link" href="/privacy/">Privacy notice</a>' in footer
    assert '<a class="govuk-footer__link" href="/accessibility-statement/">Accessibility statement</a>' in footer


@pytest.mark.parametrize("path", ["/about/", "/about/why-the-vru-was-set-up/", "/privacy/", "/staff/sign-in/"])
def test_new_public_pages_need_no_inline_script_or_style_and_set_no_session(client, path):
    response = client.get(path)
    assert response.status_code == 200
    html = response.content.decode()
    assert re.findall(r"<script(?![^>]*\bsrc=)[^>]*>", html) == []
    assert "<style" not in html and " style=" not in html
    assert "sessionid" not in response.cookies


def test_accessibility_statement_lists_what_is_tested(client):
    text = text_of(client.get(reverse("core:accessibility_statement")))
    assert "the staff sign-in page, its error messages and the lockout page" in text
    assert "a test signs in as a staff editor with the browser, edits a page and checks the change" in text
