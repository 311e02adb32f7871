"""portal.accounts.backends: the permissions of a user, read in one query, are exactly Django's ModelBackend's,
and a permission taken away stops working on the next request (nothing is cached across requests)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission

from portal.accounts.backends import PermissionsInOneQueryBackend
from portal.accounts.users import assign_role

pytestmark = pytest.mark.django_db


def fresh(user):
    """The user as the next request loads it (no permission cache)."""
    return get_user_model().objects.get(pk=user.pk)


def test_the_same_permissions_as_django_reads_in_two_queries(django_assert_num_queries):
    user = get_user_model().objects.create_user("backend-editor")
    assign_role(user, "editor")
    own = Permission.objects.get(codename="export_feedbackmessage")
    user.user_permissions.add(own)
    expected = ModelBackend().get_all_permissions(fresh(user))
    assert "feedback.export_feedbackmessage" in expected and len(expected) > 5  # own and the role group's
    reloaded = fresh(user)
    with django_assert_num_queries(1):
        assert PermissionsInOneQueryBackend().get_all_permissions(reloaded) == expected


def test_superusers_have_every_permission_and_inactive_users_none():
    superuser = get_user_model().objects.create_user("backend-super", is_superuser=True)
    assert len(PermissionsInOneQueryBackend().get_all_permissions(fresh(superuser))) == Permission.objects.count()
    inactive = get_user_model().objects.create_user("backend-inactive", is_active=False)
    assign_role(inactive, "editor")
    assert PermissionsInOneQueryBackend().get_all_permissions(fresh(inactive)) == set()


def test_a_permission_taken_from_a_group_stops_working_on_the_next_request(client):
    user = get_user_model().objects.create_user("backend-revoked")
    assign_role(user, "editor")
    client.force_login(user)
    assert client.get("/feedback/staff/").status_code == 200
    view = Permission.objects.get(codename="view_feedbackmessage")
    for group in Group.objects.filter(user=user):
        group.permissions.remove(view)
    assert client.get("/feedback/staff/").status_code == 403
