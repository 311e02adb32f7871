"""Template context every page needs for the shared layout."""

from __future__ import annotations

from functools import lru_cache

from django.conf import settings
from django.http import HttpRequest
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

from portal.core.navigation import navigation_items


def is_public_page(path: str | None) -> bool:
    """Every page of the public site (not the staff area or the admin) offers Exit this page. An error
    page with no request counts as public: the person may have come from "Worried about someone?"."""
    if path is None:
        return True
    return not (path.startswith(("/admin/", "/staff/")) or "/staff/" in path)


# The layout's own links and files: {{ layout.<name> }} in core/base.html.
LAYOUT_URL_NAMES = {
    "home": "core:home",
    "staff_area": "accounts:staff_index",
    "sign_out": "accounts:sign_out",
    "feedback": "feedback:form",
    "privacy_notice": "core:privacy_notice",
    "accessibility_statement": "core:accessibility_statement",
}
LAYOUT_STATIC_FILES = {
    "favicon": "portal/favicon.svg",
    "stylesheet": "portal/portal.css",
    "js_enabled": "portal/js-enabled.js",
    "start_govuk_frontend": "portal/start-govuk-frontend.mjs",
    "govuk_frontend": "govuk-frontend/govuk-frontend.min.js",
    "leave_without_a_trace": "portal/leave-without-a-trace.mjs",
}


@lru_cache(maxsize=8)
def layout_links(script_prefix: str, static_url: str) -> dict[str, str]:
    """The addresses every page's layout links to. Neither the URL configuration nor the static files'
    manifest changes while the process runs, so they are worked out once (per script prefix and STATIC_URL)
    rather than by twelve {% url %} and {% static %} tags on every page."""
    links = {name: reverse(url_name) for name, url_name in LAYOUT_URL_NAMES.items()}
    return links | {name: static(path) for name, path in LAYOUT_STATIC_FILES.items()}


def layout_context(current_path: str | None = None) -> dict:
    """What core/base.html needs. Built from settings only, so the 500 page can use it without a request
    or a database."""
    return {
        "site_name": settings.VRU_SITE_NAME,
        "contact_email": settings.VRU_CONTACT_EMAIL,
        "navigation": navigation_items(current_path),
        "layout": layout_links(get_script_prefix(), settings.STATIC_URL),
        "public_page": is_public_page(current_path),
    }


def site(request: HttpRequest) -> dict:
    return layout_context(request.path)
