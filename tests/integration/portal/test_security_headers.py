"""Security headers, the Content Security Policy, cookies and login lockout."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

PAGES = ["/", "/accessibility-statement/", "/no-such-page/"]


def policy(response) -> dict[str, list[str]]:
    """The Content-Security-Policy header as {directive: [sources]}."""
    directives = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        directives[name] = sources
    return directives


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_content_security_policy_is_strict(client, path):
    response = client.get(path)
    directives = policy(response)
    assert directives["default-src"] == ["'self'"]
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["form-action"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]
    header = response["Content-Security-Policy"]
    for loophole in ("'unsafe-inline'", "'unsafe-eval'", "*", "data:", "http:", "https:"):
        assert loophole not in header.split(), f"{loophole} in {header}"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_security_headers(client, path):
    response = client.get(path)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("path", PAGES)
def test_public_pages_set_no_cookies(client, path):
    assert not client.get(path).cookies


def test_the_only_cookies_are_session_and_csrf_and_they_are_secure_and_http_only(client, db):
    get_user_model().objects.create_user("staff", password="a long enough password", is_staff=True)
    login_page = client.get(reverse("admin:login"))
    response = client.post(
        reverse("admin:login"),
        {"username": "staff", "password": "a long enough password", "next": "/admin/"},
    )
    assert response.status_code == 302
    cookies = {**login_page.cookies, **response.cookies}
    assert set(cookies) == {"csrftoken", "sessionid"}
    for cookie in cookies.values():
        # Tests run with DEBUG off, as production does.
        assert cookie["secure"], cookie.key
        assert cookie["httponly"], cookie.key
        assert cookie["samesite"] == "Lax", cookie.key


def test_login_locks_after_five_failures_even_with_the_right_password(client, db):
    get_user_model().objects.create_user("staff", password="a long enough password", is_staff=True)
    login = reverse("admin:login")
    statuses = [
        client.post(login, {"username": "staff", "password": f"wrong {attempt}"}).status_code for attempt in range(5)
    ]
    assert statuses[:4] == [200, 200, 200, 200]  # the form again, with an error
    assert statuses[4] == 429  # the fifth failure locks
    right = client.post(login, {"username": "staff", "password": "a long enough password"})
    assert right.status_code == 429


def test_lockout_lasts_the_configured_time(settings):
    from datetime import timedelta

    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_COOLOFF_TIME == timedelta(minutes=30)  # DJANGO_AXES_COOLOFF_MINUTES unset
