"""The service navigation shown under the header on every page."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class NavigationItem:
    text: str
    href: str
    current: bool  # the page itself, or a page in its section (/about/ for /about/what-the-unit-does/)
    exact: bool = False  # the page itself: aria-current="page" rather than "true"


# (link text, URL name). Apps add their main page here as they arrive.
NAVIGATION = [
    ("Home", "core:home"),
    ("About the VRU", "core:about"),
    ("Resources", "resources:index"),
    ("Worried about someone?", "signposting:start"),
    ("Parents and carers", "guides:parents"),
    ("Young people", "guides:young_people"),
    ("Dashboard", "dashboards:overview"),
    ("Good practice", "strategy:good_practice"),
    ("Feedback", "feedback:form"),
]


def navigation_items(current_path: str | None = None) -> list[NavigationItem]:
    """The navigation links, marking the one for `current_path` or its section (none without a request)."""
    items = []
    for text, url_name in NAVIGATION:
        href = reverse(url_name)
        exact = current_path == href
        in_section = current_path is not None and href != "/" and current_path.startswith(href)
        items.append(NavigationItem(text=text, href=href, current=exact or in_section, exact=exact))
    return items
