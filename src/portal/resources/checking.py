"""Keeping the library's links honest: "review due" after a set period, and a link checker staff can run.

`review_due(last_checked)`: never checked by staff, or checked more than VRU_REVIEW_AFTER_DAYS ago.

The link checker asks each page the public site links to (resources, their organisations' sites, local and
national contacts, the sources of the signs and steps) whether it still answers: a HEAD request, then a GET
when the server refuses HEAD, following redirects, with a time limit. Results are kept in `LinkCheck`, one
row per address. `manage.py check_links` and the button on the staff page run it; tests point it at a local
fake server (no network).
"""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone

from portal.common.formatting import govuk_date

USER_AGENT = "VRU-portal-link-checker (+https://www.bathnes.gov.uk)"
TIMEOUT_SECONDS = 10
WORKERS = 8


def review_due(last_checked: date | None, today: date | None = None) -> bool:
    if last_checked is None:
        return True
    today = today or timezone.localdate()
    return today - last_checked > timedelta(days=settings.VRU_REVIEW_AFTER_DAYS)


def last_checked_words(last_checked: date | None) -> str:
    """What the public pages say of when staff last checked a resource or contact on its source page."""
    if last_checked is None:
        return "not yet checked by our staff"
    due = " (a new check is due)" if review_due(last_checked) else ""
    return f"{govuk_date(last_checked)}{due}"


@dataclass(frozen=True)
class LinkResult:
    url: str
    ok: bool
    status: int | None  # the HTTP status, None when there was no answer
    detail: str  # "OK", "Not found (404)", "No answer: timed out", ...


def _request(url: str, method: str, timeout: float) -> int:
    # check_url lets through http and https addresses only.
    request = urllib.request.Request(url, method=method, headers={"User-Agent": USER_AGENT})  # noqa: S310
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
        return response.status


def check_url(url: str, timeout: float = TIMEOUT_SECONDS) -> LinkResult:
    if not url.startswith(("http://", "https://")):
        return LinkResult(url, False, None, "Not a web address")
    try:
        try:
            status = _request(url, "HEAD", timeout)
        except urllib.error.HTTPError as error:
            if error.code not in (403, 405, 501):  # some servers refuse HEAD but answer GET
                raise
            status = _request(url, "GET", timeout)
    except urllib.error.HTTPError as error:
        return LinkResult(url, False, error.code, f"{error.reason} ({error.code})")
    except (urllib.error.URLError, TimeoutError, OSError) as error:
        reason = getattr(error, "reason", error)
        return LinkResult(url, False, None, f"No answer: {reason}")
    return LinkResult(url, True, status, "OK")


def check_urls(urls: list[str], timeout: float = TIMEOUT_SECONDS) -> list[LinkResult]:
    with ThreadPoolExecutor(max_workers=WORKERS) as pool:
        return list(pool.map(lambda url: check_url(url, timeout), urls))


# Apps above resources whose public pages show links register a function giving (address, what links to it)
# pairs, from their AppConfig.ready() (portal.signposting: local and national contacts, the sources of signs
# and steps), so the checker covers every link without importing those apps.
LINK_SOURCES: list[Callable[[], Iterable[tuple[str, str]]]] = []


def register_link_source(source: Callable[[], Iterable[tuple[str, str]]]) -> None:
    if source not in LINK_SOURCES:
        LINK_SOURCES.append(source)


def links_in_use() -> dict[str, list[str]]:
    """Every address the public pages link to, with what links to it."""
    from portal.resources.models import Resource

    used: dict[str, list[str]] = defaultdict(list)
    for resource in Resource.objects.live():
        used[resource.url].append(f"Resource: {resource.title}")
        if resource.organisation_url:
            used[resource.organisation_url].append(f"Resource (organisation): {resource.title}")
    for source in LINK_SOURCES:
        for url, what in source():
            used[url].append(what)
    return dict(used)


def run_link_check(timeout: float = TIMEOUT_SECONDS) -> list:
    """Check every link in use and store the results (LinkCheck rows); returns them, broken ones first."""
    from portal.resources.models import LinkCheck

    used = links_in_use()
    checked_at = timezone.now()
    rows = []
    for result in check_urls(sorted(used), timeout):
        row, _ = LinkCheck.objects.update_or_create(
            url=result.url,
            defaults={
                "ok": result.ok,
                "status_code": result.status,
                "detail": result.detail[:200],
                "used_by": "\n".join(used[result.url]),
                "checked_at": checked_at,
            },
        )
        rows.append(row)
    LinkCheck.objects.exclude(url__in=used).delete()  # no longer linked from anywhere
    return sorted(rows, key=lambda row: (row.ok, row.url))
