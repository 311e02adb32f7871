"""GOV.UK pagination for a Django Paginator page: numbered links with ellipses, previous and next."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.paginator import Page
from django.http import HttpRequest


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None for an ellipsis
    href: str
    current: bool


@dataclass(frozen=True)
class Pagination:
    items: list[PageLink]
    previous_href: str
    next_href: str


def _href(request: HttpRequest, number: int) -> str:
    query = request.GET.copy()
    query["page"] = str(number)
    return f"?{query.urlencode()}"


def govuk_pagination(page: Page, request: HttpRequest) -> Pagination | None:
    """None when everything fits on one page. Shows the first, last, current and its neighbours."""
    last = page.paginator.num_pages
    if last <= 1:
        return None
    wanted = sorted({1, last, page.number - 1, page.number, page.number + 1} & set(range(1, last + 1)))
    items: list[PageLink] = []
    for number in wanted:
        if items and items[-1].number is not None and number - items[-1].number > 1:
            items.append(PageLink(number=None, href="", current=False))
        items.append(PageLink(number=number, href=_href(request, number), current=number == page.number))
    return Pagination(
        items=items,
        previous_href=_href(request, page.number - 1) if page.has_previous() else "",
        next_href=_href(request, page.number + 1) if page.has_next() else "",
    )
