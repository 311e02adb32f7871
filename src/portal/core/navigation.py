"""The service navigation shown under the header on every page."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from django.urls import get_script_prefix, reverse


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
    ("Professionals", "signposting:professional_routes"),
    ("Dashboard", "dashboards:overview"),
    ("Good practice", "strategy:good_practice"),
    ("Feedback", "feedback:form"),
]


@lru_cache(maxsize=8)
def _hrefs(script_prefix: str) -> tuple[tuple[str, str], ...]:
    """(link text, address) of each link: the URL configuration does not change while the process runs, so
    reversing them once per script prefix spares every page request a `reverse()` call per link."""
    return tuple((text, reverse(url_name)) for text, url_name in NAVIGATION)


def navigation_items(current_path: str | None = None) -> list[NavigationItem]:
    """The navigation links, marking the one for `current_path` or its section (none without a request). One
    link at most: the professionals' page is in the "Worried about someone?" section but has its own link,
    which is the one marked there."""
    links = _hrefs(get_script_prefix())
    matching = [
        href
        for _, href in links
        if current_path == href or (current_path is not None and href != "/" and current_path.startswith(href))
    ]
    marked = max(matching, key=len) if matching else None
    return [
        NavigationItem(text=text, href=href, current=href == marked, exact=current_path == href) for text, href in links
    ]
