"""Template context every page needs for the shared layout."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest

from portal.core.navigation import navigation_items


def is_public_page(path: str | None) -> bool:
    """Every page of the public site (not the staff area or the admin) offers Exit this page. An error
    page with no request counts as public: the person may have come from "Worried about someone?"."""
    if path is None:
        return True
    return not (path.startswith(("/admin/", "/staff/")) or "/staff/" in path)


def layout_context(current_path: str | None = None) -> dict:
    """What core/base.html needs. Built from settings only, so the 500 page can use it without a request
    or a database."""
    return {
        "site_name": settings.VRU_SITE_NAME,
        "contact_email": settings.VRU_CONTACT_EMAIL,
        "navigation": navigation_items(current_path),
        "public_page": is_public_page(current_path),
    }


def site(request: HttpRequest) -> dict:
    return layout_context(request.path)
