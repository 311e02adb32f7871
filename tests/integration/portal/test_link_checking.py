"""The link checker (against a local fake web server: no network) and the "review due" flag."""

from __future__ import annotations

import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from portal.accounts.users import assign_role
from portal.resources import checking
from portal.resources.checking import check_url, review_due, run_link_check
from portal.resources.models import LinkCheck, Resource

pytestmark = pytest.mark.django_db


class FakeSite(BaseHTTPRequestHandler):
    """/ok answers 200, /gone 404, /moved redirects to /ok, /no-head refuses HEAD but answers GET."""

    def answer(self, include_body: bool) -> None:
        if self.path == "/moved":
            self.send_response(301)
            self.send_header("Location", "/ok")
        elif self.path in ("/ok", "/no-head"):
            self.send_response(200)
        else:
            self.send_response(404)
        self.end_headers()
        if include_body:
            self.wfile.write(b"page")

    def do_HEAD(self) -> None:  # noqa: N802 (the http.server name)
        if self.path == "/no-head":
            self.send_response(405)
            self.end_headers()
            return
        self.answer(include_body=False)

    def do_GET(self) -> None:  # noqa: N802
        self.answer(include_body=True)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def fake_site():
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSite)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_check_url_reads_what_the_server_answers(fake_site):
    assert check_url(f"{fake_site}/ok").ok
    assert check_url(f"{fake_site}/moved").ok  # redirects are followed
    assert check_url(f"{fake_site}/no-head").ok  # GET when HEAD is refused
    gone = check_url(f"{fake_site}/gone")
    assert (gone.ok, gone.status) == (False, 404) and "404" in gone.detail
    closed = check_url("http://127.0.0.1:9/")  # nothing listens on the discard port
    assert not closed.ok and closed.status is None and closed.detail.startswith("No answer")
    assert not check_url("ftp://example.org/").ok


def test_run_link_check_keeps_one_row_per_link_with_what_uses_it(fake_site, monkeypatch):
    Resource.objects.filter(slug="what-is-a-marac").update(url=f"{fake_site}/gone")
    Resource.objects.filter(slug="if-your-child-is-missing").update(url=f"{fake_site}/ok")
    used = checking.links_in_use()
    # Only the two fake-site links are asked for real; every other address is "checked" by a stand-in so
    # the test needs no network.
    real_check = checking.check_url
    monkeypatch.setattr(
        checking,
        "check_url",
        lambda url, timeout: (
            real_check(url, timeout) if url.startswith(fake_site) else checking.LinkResult(url, True, 200, "OK")
        ),
    )
    rows = run_link_check(timeout=2)
    assert len(rows) == LinkCheck.objects.count() == len(used)
    broken = [row for row in rows if not row.ok]
    assert [row.url for row in broken] == [f"{fake_site}/gone"]
    assert rows[0].url == f"{fake_site}/gone"  # broken first
    assert "Resource: What is a MARAC?" in broken[0].used_by
    # Every kind of link in use is checked: contacts and the signs' sources too.
    assert any("Local contact:" in row.used_by for row in rows)
    assert any("National contact:" in row.used_by for row in rows)
    assert any("Source of signs and steps:" in row.used_by for row in rows)


def test_the_command_and_the_staff_button(fake_site, monkeypatch, client, capsys):
    monkeypatch.setattr(checking, "links_in_use", lambda: {f"{fake_site}/ok": ["A"], f"{fake_site}/gone": ["B"]})
    call_command("check_links", "--timeout", "2")
    out = capsys.readouterr().out
    assert f"BROKEN {fake_site}/gone: " in out and "Checked 2 links: 1 answer, 1 broken." in out

    user = get_user_model().objects.create_user("editor")
    assign_role(user, "editor")
    client.force_login(user)
    page = client.get("/resources/staff/links/")
    assert page.status_code == 200 and f"{fake_site}/gone" in page.content.decode()
    response = client.post("/resources/staff/links/")
    assert response.status_code == 302
    assert "Checked 2 links: 1 broken." in client.get("/resources/staff/links/").content.decode()


def test_the_link_check_page_needs_the_permission(client):
    assert client.get("/resources/staff/links/")["Location"].startswith("/staff/sign-in/")
    user = get_user_model().objects.create_user("partner")
    assign_role(user, "partner")
    client.force_login(user)
    assert client.post("/resources/staff/links/").status_code == 403


def test_review_due_after_the_set_period(settings):
    settings.VRU_REVIEW_AFTER_DAYS = 30
    today = date(2026, 12, 2)
    assert review_due(None, today)  # never checked by staff
    assert not review_due(today - timedelta(days=30), today)
    assert review_due(today - timedelta(days=31), today)


def test_public_pages_show_the_date_checked_and_when_a_new_check_is_due(client, settings):
    settings.VRU_REVIEW_AFTER_DAYS = 30
    resource = Resource.objects.get(slug="what-is-a-marac")
    assert "not yet checked by our staff" in client.get(resource.get_absolute_url()).content.decode()
    Resource.objects.filter(pk=resource.pk).update(last_checked=date(2020, 1, 1))
    assert "1 January 2020 (a new check is due)" in client.get(resource.get_absolute_url()).content.decode()
