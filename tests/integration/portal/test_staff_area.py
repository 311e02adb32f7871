"""The staff area: signing in and out, the lockout after failed sign-ins, the index for each role, the 403
page, the Django admin for administrators only, and `manage.py create_staff_user`."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape
from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from portal.accounts import roles, staff_links
from portal.accounts.users import assign_role

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"
SIGN_IN = "/staff/sign-in/"


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def text_of(response) -> str:
    html = response.content.decode()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def make_user(role: str | None, username: str | None = None, password: str | None = None):
    user = get_user_model().objects.create_user(username or role or "no-role", password=password)
    if role:
        assign_role(user, role)
    return user


def sign_in(client, role: str | None):
    user = make_user(role)
    client.force_login(user)
    return user


# --- Signing in -------------------------------------------------------------------------------------------


def test_sign_in_page(client):
    response = client.get(SIGN_IN)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Sign in to the staff area – Bath &amp; North East Somerset" in html
    assert '<label class="govuk-label govuk-label--s" for="id_username">Username</label>' in html
    assert 'type="password" autocomplete="current-password"' in html
    assert 'name="csrfmiddlewaretoken"' in html
    assert "autofocus" not in html
    assert set(response.cookies) == {"csrftoken"}


def test_signing_in_goes_to_the_staff_area(client):
    make_user("editor", password=PASSWORD)
    response = client.post(SIGN_IN, {"username": "editor", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/staff/"
    assert "Signed in as editor" in text_of(client.get("/staff/"))


def test_signing_in_returns_to_the_page_asked_for_but_never_to_another_site(client):
    make_user("editor", password=PASSWORD)
    response = client.post(SIGN_IN + "?next=/staff/pages/", {"username": "editor", "password": PASSWORD})
    assert response["Location"] == "/staff/pages/"
    client.logout()
    response = client.post(SIGN_IN, {"username": "editor", "password": PASSWORD, "next": "https://evil.example/staff/"})
    assert response["Location"] == "/staff/"


def test_the_sign_in_form_remembers_where_to_go_next(client):
    html = client.get(SIGN_IN + "?next=/staff/audit/").content.decode()
    assert '<input type="hidden" name="next" value="/staff/audit/">' in html


def test_signed_in_staff_skip_the_sign_in_page(client):
    sign_in(client, "partner")
    response = client.get(SIGN_IN)
    assert response.status_code == 302
    assert response["Location"] == "/staff/"


@pytest.mark.parametrize("username", ["editor", "nobody-by-this-name"])
def test_a_wrong_password_and_an_unknown_username_get_the_same_error(client, username):
    make_user("editor", password=PASSWORD)
    response = client.post(SIGN_IN, {"username": username, "password": "wrong password"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<title>Error: Sign in to the staff area" in html
    assert '<li><a href="#id_username">Enter a correct username and password</a></li>' in html
    assert f'value="{username}"' in html  # the username is kept ...
    assert "wrong password" not in html  # ... the password never is


def test_empty_fields(client):
    html = client.post(SIGN_IN, {"username": "", "password": ""}).content.decode()
    assert '<li><a href="#id_username">Enter your username</a></li>' in html
    assert '<li><a href="#id_password">Enter your password</a></li>' in html


def test_inactive_accounts_cannot_sign_in_and_are_not_told_apart(client):
    user = make_user("editor", password=PASSWORD)
    user.is_active = False
    user.save()
    html = client.post(SIGN_IN, {"username": "editor", "password": PASSWORD}).content.decode()
    assert "Enter a correct username and password" in html


# --- Lockout (django-axes) --------------------------------------------------------------------------------


def lockout_text(client, username: str) -> tuple[list[int], object]:
    """Five wrong passwords for `username`: the statuses, and the last response."""
    responses = [client.post(SIGN_IN, {"username": username, "password": f"wrong {n}"}) for n in range(5)]
    return [response.status_code for response in responses], responses[-1]


def test_five_wrong_passwords_lock_signing_in_and_say_for_how_long(client):
    make_user("editor", password=PASSWORD)
    statuses, locked = lockout_text(client, "editor")
    assert statuses == [200, 200, 200, 200, 429]
    text = text_of(locked)
    assert "You cannot sign in at the moment" in text
    assert "You can try again in 30 minutes." in text
    assert '<main class="govuk-main-wrapper" id="main-content">' in locked.content.decode()
    assert "editor" not in locked.content.decode().split("<main", 1)[1]  # the username is not repeated
    # Even the right password is refused now.
    right = client.post(SIGN_IN, {"username": "editor", "password": PASSWORD})
    assert right.status_code == 429
    assert client.get("/staff/").status_code == 302  # not signed in


def test_the_lockout_page_is_the_same_for_a_username_that_does_not_exist(client):
    make_user("editor", password=PASSWORD)
    _, real = lockout_text(client, "editor")
    _, unknown = lockout_text(client, "nobody-by-this-name")
    assert unknown.status_code == 429

    def main(response):
        html = response.content.decode()
        return html[html.index("<main") : html.index("</main>")]

    assert main(real) == main(unknown)


def test_the_lockout_page_tells_the_configured_time(client, settings):
    settings.AXES_COOLOFF_TIME = timedelta(hours=1)
    _, locked = lockout_text(client, "someone")
    assert "You can try again in 1 hour." in text_of(locked)


def test_a_lockout_is_per_username(client):
    make_user("editor", password=PASSWORD)
    lockout_text(client, "someone-else")
    assert client.post(SIGN_IN, {"username": "editor", "password": PASSWORD}).status_code == 302


# --- Signing out ------------------------------------------------------------------------------------------


def test_signing_out_is_a_post_and_a_get_answers_with_the_button(client):
    sign_in(client, "editor")
    page = client.get("/staff/sign-out/")
    assert page.status_code == 200  # not a blank 405
    assert "You are signed in as editor" in text_of(page)
    assert re.search(r'<form method="post" action="/staff/sign-out/"', page.content.decode())
    assert client.get("/staff/").status_code == 200  # still signed in: a GET changes nothing
    response = client.post("/staff/sign-out/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/signed-out/"
    assert "You have signed out" in text_of(client.get("/staff/signed-out/"))
    assert client.get("/staff/")["Location"] == "/staff/sign-in/?next=/staff/"
    assert "You have signed out" in text_of(client.get("/staff/sign-out/"))  # already signed out


def test_signed_in_pages_show_who_is_signed_in_and_a_sign_out_button(client):
    html = client.get("/").content.decode()
    assert "Signed in as" not in html and "/staff/sign-out/" not in html
    sign_in(client, "partner")
    html = client.get("/").content.decode()
    assert "Signed in as <strong>partner</strong>" in html
    assert re.search(r'<form class="portal-staff-bar__item" method="post" action="/staff/sign-out/">', html)
    assert '<button type="submit" class="portal-link-button">Sign out</button>' in html


# --- The staff index --------------------------------------------------------------------------------------


def test_the_staff_area_needs_signing_in(client):
    response = client.get("/staff/")
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/?next=/staff/"


def test_an_account_without_a_role_gets_the_403_page_in_the_site_layout(client):
    sign_in(client, None)
    response = client.get("/staff/")
    assert response.status_code == 403
    html = response.content.decode()
    assert "<title>You do not have permission to see this page – Bath &amp; North East Somerset" in html
    assert '<main class="govuk-main-wrapper" id="main-content">' in html
    assert 'href="/privacy/">Privacy notice</a>' in html
    assert 'href="/">Go to the home page</a>' in html


def test_editor_index_links_pages_and_audit_trail_but_not_the_admin(client):
    sign_in(client, "editor")
    response = client.get("/staff/")
    html = response.content.decode()
    assert "You are signed in as editor (VRU editor)." in text_of(response)
    assert '<a class="govuk-link" href="/staff/pages/">Pages</a>' in html
    assert '<a class="govuk-link" href="/staff/audit/">Audit trail</a>' in html
    assert "/admin/" not in html


def test_partner_index_has_neither_pages_nor_audit_trail(client):
    sign_in(client, "partner")
    response = client.get("/staff/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/staff/pages/" not in html and "/staff/audit/" not in html and "/admin/" not in html


def test_administrator_index_links_everything_and_the_admin(client):
    sign_in(client, "administrator")
    html = client.get("/staff/").content.decode()
    assert 'href="/staff/pages/"' in html and 'href="/staff/audit/"' in html
    assert '<a class="govuk-link" href="/admin/">Django admin</a>' in html


def test_staff_links_skip_pages_that_do_not_exist_yet(client, monkeypatch):
    monkeypatch.setattr(
        staff_links,
        "STAFF_LINKS",
        [
            *staff_links.STAFF_LINKS,
            ("accounts.view_staff_area", "nowhere:yet", "Not built yet", "A page another app has yet to add."),
        ],
    )
    sign_in(client, "editor")
    response = client.get("/staff/")
    assert response.status_code == 200
    assert "Not built yet" not in response.content.decode()


# --- The Django admin: administrators only ------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), [("editor", 302), ("partner", 302), ("administrator", 200)])
def test_only_administrators_can_use_the_django_admin(client, role, status):
    user = sign_in(client, role)
    assert user.is_staff == (role == "administrator")
    assert client.get("/admin/").status_code == status


def test_administrators_manage_accounts_and_can_read_but_not_alter_the_audit_trail(client):
    sign_in(client, "administrator")
    assert client.get("/admin/auth/user/").status_code == 200
    assert client.get("/admin/axes/accessattempt/").status_code == 200
    assert client.get("/admin/accounts/auditevent/").status_code == 200
    assert client.get("/admin/accounts/auditevent/add/").status_code == 403


# --- Roles ---------------------------------------------------------------------------------------------------


def test_the_three_roles_exist_after_migrate_with_their_permissions():
    def codenames(name):
        group = Group.objects.get(name=name)
        return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}

    editor, partner, administrator = codenames("VRU editor"), codenames("Partner"), codenames("Administrator")
    assert {"accounts.view_staff_area", "accounts.view_auditevent", "core.view_page", "core.change_page"} <= editor
    assert "accounts.view_staff_area" in partner
    assert "core.change_page" not in partner and "accounts.view_auditevent" not in partner
    assert editor | partner <= administrator
    assert {"auth.change_user", "axes.delete_accessattempt"} <= administrator - editor
    # Every permission the roles name that exists is given; the rest belong to apps still being built.
    named = set(roles.ROLE_PERMISSIONS[roles.ADMINISTRATOR])
    assert administrator == named - set(roles.missing_permissions())


# --- manage.py create_staff_user ----------------------------------------------------------------------------


def run_create_staff_user(monkeypatch, *args, password=PASSWORD) -> str:
    monkeypatch.setenv("VRU_NEW_USER_PASSWORD", password)
    out = StringIO()
    call_command("create_staff_user", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(
    ("role", "group", "is_staff"),
    [("editor", "VRU editor", False), ("partner", "Partner", False), ("administrator", "Administrator", True)],
)
def test_create_staff_user(monkeypatch, role, group, is_staff):
    output = run_create_staff_user(monkeypatch, "--username", "alice", "--email", "alice@example.org", "--role", role)
    user = get_user_model().objects.get(username="alice")
    assert user.email == "alice@example.org"
    assert list(user.groups.values_list("name", flat=True)) == [group]
    assert user.is_staff is is_staff
    assert not user.is_superuser
    assert user.check_password(PASSWORD)
    assert f"Created the {group} account “alice”" in output
    assert PASSWORD not in output


def test_the_new_user_can_sign_in(client, monkeypatch):
    run_create_staff_user(monkeypatch, "--username", "bob", "--email", "bob@example.org", "--role", "editor")
    assert client.post(SIGN_IN, {"username": "bob", "password": PASSWORD})["Location"] == "/staff/"


def test_create_staff_user_refuses_a_username_that_exists(monkeypatch):
    make_user(None, username="Alice")
    with pytest.raises(CommandError, match="An account with the username “alice” already exists"):
        run_create_staff_user(monkeypatch, "--username", "alice", "--email", "a@example.org", "--role", "editor")


def test_create_staff_user_refuses_a_weak_password_without_repeating_it(monkeypatch):
    with pytest.raises(CommandError) as error:
        run_create_staff_user(
            monkeypatch, "--username", "carol", "--email", "c@example.org", "--role", "partner", password="short1"
        )
    assert "The password is not allowed" in str(error.value)
    assert "short1" not in str(error.value)
    assert not get_user_model().objects.filter(username="carol").exists()


def test_create_staff_user_without_a_password_or_a_terminal(monkeypatch):
    monkeypatch.delenv("VRU_NEW_USER_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin", StringIO(""))
    with pytest.raises(CommandError, match="Set VRU_NEW_USER_PASSWORD"):
        call_command("create_staff_user", "--username", "dan", "--email", "d@example.org", "--role", "editor")


def test_create_staff_user_asks_twice_in_a_terminal(monkeypatch):
    monkeypatch.delenv("VRU_NEW_USER_PASSWORD", raising=False)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True, raising=False)
    answers = iter([PASSWORD, "something else"])
    monkeypatch.setattr("getpass.getpass", lambda prompt: next(answers))
    with pytest.raises(CommandError, match="The two passwords are different"):
        call_command("create_staff_user", "--username", "erin", "--email", "e@example.org", "--role", "editor")
