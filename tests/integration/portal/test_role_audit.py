"""Role escalation (issue 9): only a superuser may grant superuser, Django admin access, roles or
permissions; every change of a role or permission is in the staff audit trail, whoever made it."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission

from portal.accounts.models import AuditEvent
from portal.accounts.roles import ADMINISTRATOR, EDITOR
from portal.accounts.users import assign_role

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def role_audit_recording():
    """Overrides the conftest fixture of this name: here every role change must be recorded."""


def account(username: str, role: str | None = None, superuser: bool = False):
    User = get_user_model()
    if superuser:
        return User.objects.create_superuser(username, password="not used in these tests")
    user = User.objects.create_user(username)
    if role:
        assign_role(user, role)
    return user


def change_form_data(user, **changes) -> dict:
    """What the admin's change form for `user` posts, with `changes` on top (every field a person could
    send, the privilege ones included)."""
    data = {
        "username": user.username,
        "first_name": "",
        "last_name": "",
        "email": "",
        "is_active": "on",
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "last_login_0": "",
        "last_login_1": "",
        "groups": [group.pk for group in user.groups.all()],
        "_save": "Save",
    }
    if user.is_staff:
        data["is_staff"] = "on"
    data.update(changes)
    return data


def audit_text(client) -> str:
    html = client.get("/staff/audit/").content.decode()
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html)))


def test_an_administrator_cannot_make_themselves_superuser_in_the_admin(client):
    administrator = account("admin-person", "administrator")
    client.force_login(administrator)
    everything = list(Permission.objects.values_list("pk", flat=True))
    response = client.post(
        f"/admin/auth/user/{administrator.pk}/change/",
        change_form_data(
            administrator,
            is_superuser="on",
            groups=[group.pk for group in Group.objects.all()],
            user_permissions=everything,
        ),
    )
    assert response.status_code == 302, "the form saved (the privilege fields were simply not in it)"
    administrator.refresh_from_db()
    assert not administrator.is_superuser
    assert list(administrator.groups.values_list("name", flat=True)) == [ADMINISTRATOR]
    assert administrator.user_permissions.count() == 0


def test_an_administrator_cannot_give_an_editor_admin_access_or_roles(client):
    client.force_login(account("admin-person", "administrator"))
    editor = account("editor-person", "editor")
    form = client.get(f"/admin/auth/user/{editor.pk}/change/").content.decode()
    for field in ("is_superuser", "is_staff", "groups", "user_permissions"):
        assert f'name="{field}"' not in form, f"{field} is shown read-only to a non-superuser"
    client.post(f"/admin/auth/user/{editor.pk}/change/", change_form_data(editor, is_staff="on"))
    editor.refresh_from_db()
    assert not editor.is_staff


def test_an_administrator_cannot_change_a_superuser_or_a_role(client):
    client.force_login(account("admin-person", "administrator"))
    root = account("root", superuser=True)
    assert client.get(f"/admin/auth/user/{root.pk}/password/").status_code == 403
    assert client.post(f"/admin/auth/user/{root.pk}/password/", {"password1": "x", "password2": "x"}).status_code == 403
    role = Group.objects.get(name=EDITOR)
    assert client.post(f"/admin/auth/group/{role.pk}/change/", {"name": EDITOR}).status_code == 403


def test_a_superuser_grant_is_in_the_audit_trail(client):
    root = account("root", superuser=True)
    editor = account("editor-person", "editor")
    client.force_login(root)
    response = client.post(f"/admin/auth/user/{editor.pk}/change/", change_form_data(editor, is_staff="on"))
    assert response.status_code == 302
    editor.refresh_from_db()
    assert editor.is_staff
    event = AuditEvent.objects.filter(action="role changed", object_id=str(editor.pk)).get()
    assert (event.username, event.summary) == ("root", "Django admin access (staff): no → yes")
    assert "Role changed user “editor-person”" in audit_text(client)


def test_roles_and_permissions_changed_anywhere_are_audited(client):
    editor = account("editor-person", "editor")
    by_command_line = AuditEvent.objects.filter(object_id=str(editor.pk)).values_list("username", "action", "summary")
    assert ("command line", "roles changed", f"Roles added: {EDITOR}") in list(by_command_line)

    Group.objects.get(name=ADMINISTRATOR).user_set.add(editor)  # from the other side of the relation
    permission = Permission.objects.get(codename="delete_resource")
    editor.user_permissions.add(permission)
    editor.user_permissions.clear()
    Group.objects.get(name=EDITOR).permissions.remove(permission)  # not in the role: nothing removed
    summaries = list(AuditEvent.objects.filter(object_id=str(editor.pk)).values_list("summary", flat=True))
    assert f"Roles added: {ADMINISTRATOR}" in summaries
    assert f"Permissions added: {permission}" in summaries
    assert f"Permissions removed: {permission}" in summaries

    role = Group.objects.get(name=EDITOR)
    role.permissions.add(permission)
    event = AuditEvent.objects.filter(object_type="auth.group", object_id=str(role.pk)).latest("id")
    assert (event.action, event.summary) == ("permissions changed", f"Permissions added: {permission}")


def test_a_new_superuser_from_the_command_line_is_audited():
    root = account("root", superuser=True)
    event = AuditEvent.objects.get(object_id=str(root.pk), action="account created")
    assert event.username == "command line"
    assert event.summary == "Account created: superuser, Django admin access (staff)"


def test_signing_in_adds_nothing_to_the_audit_trail(client):
    editor = account("editor-person", "editor")
    before = AuditEvent.objects.count()
    editor.set_password("a long password for signing in")
    editor.save()
    client.post("/staff/sign-in/", {"username": "editor-person", "password": "a long password for signing in"})
    assert AuditEvent.objects.count() == before
