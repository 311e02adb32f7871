"""The staff index's registry of links, the navigation's current section, and the access decorator."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from portal.accounts import staff_links
from portal.accounts.decorators import staff_permission_required
from portal.core.navigation import navigation_items


class FakeUser:
    is_authenticated = True

    def __init__(self, *permissions: str) -> None:
        self.permissions = set(permissions)

    def has_perm(self, permission: str) -> bool:
        return permission in self.permissions

    def has_perms(self, permissions) -> bool:
        return all(self.has_perm(permission) for permission in permissions)


def test_links_follow_permissions():
    assert [link.text for link in staff_links.staff_links_for(FakeUser("core.change_page"))] == ["Pages"]
    both = FakeUser("core.change_page", "accounts.view_auditevent")
    assert [(link.text, link.href) for link in staff_links.staff_links_for(both)] == [
        ("Pages", "/staff/pages/"),
        ("Audit trail", "/staff/audit/"),
    ]
    assert staff_links.staff_links_for(FakeUser()) == []


def test_a_link_whose_url_name_does_not_exist_is_left_out(monkeypatch):
    monkeypatch.setattr(staff_links, "STAFF_LINKS", [("x.y", "nowhere:yet", "Later", "Not yet built.")])
    assert staff_links.staff_links_for(FakeUser("x.y")) == []


def test_every_registered_link_names_a_permission_in_app_label_dot_codename_form():
    for permission, url_name, text, description in staff_links.STAFF_LINKS:
        assert permission.count(".") == 1 and ":" in url_name and text and description


def test_navigation_marks_the_page_or_its_section():
    items = {item.text: item for item in navigation_items("/about/contact-the-team/")}
    assert items["About the VRU"].current and not items["About the VRU"].exact
    assert not items["Home"].current  # "/" is not the section of every page
    items = {item.text: item for item in navigation_items("/")}
    assert items["Home"].current and items["Home"].exact
    assert not any(item.current for item in navigation_items(None))


def test_the_professionals_page_has_its_own_link_and_only_it_is_marked():
    path = reverse("signposting:professional_routes")
    marked = [item for item in navigation_items(path) if item.current]
    assert [(item.text, item.exact) for item in marked] == [("Professionals", True)]
    # Elsewhere in "Worried about someone?", that section's link is the one marked.
    marked = [item.text for item in navigation_items(reverse("signposting:start") + "a-child/") if item.current]
    assert marked == ["Worried about someone?"]


def view(request):
    return HttpResponse("secret")


def test_decorator_sends_anonymous_visitors_to_sign_in():
    request = RequestFactory().get("/staff/thing/?a=1")
    request.user = AnonymousUser()
    response = staff_permission_required("core.change_page")(view)(request)
    assert response.status_code == 302
    assert response["Location"] == "/staff/sign-in/?next=/staff/thing/%3Fa%3D1"


def test_decorator_refuses_signed_in_users_without_every_permission():
    request = RequestFactory().get("/staff/thing/")
    request.user = FakeUser("core.change_page")
    with pytest.raises(PermissionDenied):
        staff_permission_required("core.change_page", "accounts.view_auditevent")(view)(request)


def test_decorator_lets_permitted_users_in_and_stops_caching():
    request = RequestFactory().get("/staff/thing/")
    request.user = FakeUser("core.change_page")
    response = staff_permission_required("core.change_page")(view)(request)
    assert response.content == b"secret"
    assert "no-store" in response["Cache-Control"]
