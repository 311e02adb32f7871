"""The service navigation shown under the header on every page."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavigationItem:
    text: str
    href: str
    current: bool


# (link text, URL name). Apps add their main page here as they arrive.
NAVIGATION = [
    ("Home", "core:home"),
    ("Accessibility statement", "core:accessibility_statement"),
]


def navigation_items(current_path: str | None = None) -> list[NavigationItem]:
    """The navigation links, marking the one for `current_path` (none when there is no request)."""
    items = []
    for text, url_name in NAVIGATION:
        href = reverse(url_name)
        items.append(NavigationItem(text=text, href=href, current=current_path == href))
    return items
