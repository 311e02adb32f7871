"""The portal under abuse (issue 9): bodies it refuses, NUL characters, and the security headers on
static files and on the 400 for a bad Host."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test import Client
from django.test.client import MULTIPART_CONTENT
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse

from portal.core.middleware import UPLOAD_PAGES, PartnerFileInMemory
from portal.feedback.models import FeedbackMessage

SYNTHETIC = Path(__file__).resolve().parents[2] / "data" / "partner_synthetic"

pytestmark = pytest.mark.django_db

FEEDBACK = "/feedback/"


@pytest.fixture
def multipart_parsed(monkeypatch, tmp_path, settings) -> list:
    """Calls of Django's multipart parser; anything Django or tempfile would spool goes to tmp_path."""
    calls = []
    parse = MultiPartParser.parse

    def recorded(self):
        calls.append(self)
        return parse(self)

    monkeypatch.setattr(MultiPartParser, "parse", recorded)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path)
    return calls


def test_a_file_upload_is_refused_unparsed_and_nothing_is_spooled(client, tmp_path, settings, multipart_parsed):
    big_file = SimpleUploadedFile("a.bin", b"x" * (settings.VRU_MAX_REQUEST_BODY_BYTES // 2))
    response = client.post(FEEDBACK, {"message": "hello", "attachment": big_file})
    assert response.status_code == 415
    assert "This page does not take files" in response.content.decode()
    assert response["Connection"] == "close"
    assert multipart_parsed == [], "refused before Django parses the body"
    assert FeedbackMessage.objects.count() == 0
    assert list(tmp_path.iterdir()) == []


def test_a_multipart_form_without_a_file_is_refused_too(client, multipart_parsed):
    response = client.post(FEEDBACK, {"message": "hello"}, content_type=MULTIPART_CONTENT)
    assert response.status_code == 415 and multipart_parsed == []
    assert FeedbackMessage.objects.count() == 0


def routes_without_arguments() -> list[str]:
    """Every URL name of the portal that needs no argument (the pages a form could post to)."""
    names = []

    def walk(patterns, namespace):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, ":".join(filter(None, [namespace, pattern.namespace])) or None)
            elif pattern.name:
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    found = []
    for name in names:
        try:
            found.append(reverse(name))
        except NoReverseMatch:
            continue
    return sorted(set(found))


def test_every_page_but_the_upload_page_refuses_a_multipart_body(client, multipart_parsed):
    upload_pages = {reverse(name) for name in UPLOAD_PAGES}
    routes = routes_without_arguments()
    assert FEEDBACK in routes and reverse("partners:uploads") in routes and len(routes) > 20
    body = b'--x\r\nContent-Disposition: form-data; name="message"\r\n\r\nhello\r\n--x--\r\n'
    for path in routes:
        if path in upload_pages or path.startswith(settings.STATIC_URL):
            continue
        response = client.generic("POST", path, body, "multipart/form-data; boundary=x")
        assert response.status_code == 415, path
    assert multipart_parsed == []


def test_the_upload_page_still_takes_its_file(client, tmp_path, multipart_parsed):
    from portal.accounts.models import Organisation
    from portal.accounts.users import create_staff_user
    from portal.partners.models import PartnerUpload

    user = create_staff_user("ed", "ed@example.org", "partner", "a long enough pass phrase")
    Organisation.objects.create(name="Synthetic hospital", slug="synthetic-hospital").members.add(user)
    client.force_login(user)
    data = (SYNTHETIC / "synthetic_ed_assault_good.csv").read_bytes()
    response = client.post(reverse("partners:uploads"), {"file": SimpleUploadedFile("a.csv", data, "text/csv")})
    assert response.status_code == 302 and PartnerUpload.objects.get().rows == 6
    # Parsed once, by the in-memory handler alone: the file never touches the disk.
    assert [type(handler) for handler in multipart_parsed[0]._upload_handlers] == [PartnerFileInMemory]
    assert list(tmp_path.iterdir()) == []


def test_a_huge_multipart_upload_is_refused_by_its_length_before_it_is_read(client):
    body = b'--x\r\nContent-Disposition: form-data; name="f"; filename="a"\r\n\r\n' + b"x" * 2**20
    response = client.generic("POST", FEEDBACK, body, "multipart/form-data; boundary=x")
    assert response.status_code == 413
    assert "What you sent is too large" in response.content.decode()


def test_a_body_over_the_limit_is_refused_by_its_length(client):
    body = "message=" + "a" * settings.VRU_MAX_REQUEST_BODY_BYTES
    response = client.post(FEEDBACK, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413


def test_a_body_without_a_length_is_refused(client):
    response = client.generic(
        "POST", FEEDBACK, b"message=hi", "application/x-www-form-urlencoded", HTTP_TRANSFER_ENCODING="chunked"
    )
    assert response.status_code == 411


def test_django_checks_the_same_limit_as_it_reads():
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE == settings.VRU_MAX_REQUEST_BODY_BYTES
    assert settings.FILE_UPLOAD_HANDLERS == ["portal.core.middleware.RefuseFileUploads"]


@pytest.mark.parametrize(
    "path",
    ["/resources/?q=%00", "/resources/?q=knife%00crime", "/resources/?%00=1", "/worried-about-someone/?q=%00"],
)
def test_a_nul_in_the_query_string_is_a_400_not_a_500(client, path):
    assert client.get(path).status_code == 400


def test_a_nul_in_a_form_field_a_cookie_or_a_header_is_a_400(client):
    assert client.post(FEEDBACK, {"message": "hello\x00there"}).status_code == 400
    assert FeedbackMessage.objects.count() == 0
    assert client.get("/", HTTP_USER_AGENT="agent\x00").status_code == 400
    client.cookies["sessionid"] = "abc\x00def"
    assert client.get("/").status_code == 400


def test_an_ordinary_search_still_works(client):
    assert client.get("/resources/?q=knife+crime").status_code == 200


def assert_security_headers(response) -> None:
    assert response["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_static_files_have_the_security_headers(client):
    response = client.get("/static/portal/portal.css")
    assert response.status_code == 200
    assert_security_headers(response)


def test_the_400_for_a_host_not_allowed_has_the_security_headers():
    response = Client(HTTP_HOST="evil.example").get("/")
    assert response.status_code == 400
    assert_security_headers(response)


def test_refusals_have_the_security_headers(client):
    assert_security_headers(client.get("/resources/?q=%00"))
    assert_security_headers(client.generic("POST", FEEDBACK, b"x" * 2**20, "application/x-www-form-urlencoded"))
    assert_security_headers(client.generic("POST", FEEDBACK, b"", "multipart/form-data; boundary=x"))


def test_the_client_address_comes_from_the_trusted_proxy_only(rf, settings):
    from portal.core.middleware import TrustedProxyMiddleware

    seen = {}

    def view(request):
        seen["address"] = request.META["REMOTE_ADDR"]
        return None

    settings.VRU_TRUSTED_PROXY_ADDRESSES = ["127.0.0.1"]
    middleware = TrustedProxyMiddleware(view)
    middleware(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7"))
    assert seen["address"] == "203.0.113.7"
    middleware(rf.get("/", REMOTE_ADDR="198.51.100.9", HTTP_X_REAL_IP="203.0.113.7"))
    assert seen["address"] == "198.51.100.9", "X-Real-IP from anyone but the proxy is not believed"

    settings.VRU_TRUSTED_PROXY_ADDRESSES = []
    TrustedProxyMiddleware(view)(rf.get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_REAL_IP="203.0.113.7"))
    assert seen["address"] == "127.0.0.1", "no proxy configured: the header is never believed"
