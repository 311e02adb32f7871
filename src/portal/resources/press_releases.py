"""Press releases are not resources (issue 11): the rule, for the staff form and for loading a seed list.

A resource links to the publisher's own page about the thing itself: the service, the guidance, the helpline.
A press release or news story about it is dated, written for journalists, not kept up to date and often gone
within a few years, so it is refused wherever a resource is made (docs/adr/0017-press-releases-are-not-resources.md):

* its type is a press release or news item (the seed list's `kind` column; the staff form offers only the
  resource types, so there it cannot be chosen), or
* its web address is in a news or press section of any site: a part of the path that is exactly one of
  NEWS_SECTIONS (/news/, /newsroom/, /press/, /press-releases/, /media-centre/, ...), whatever the host.

Police forces, councils and government departments (police.uk, gov.uk) publish their statements under such
sections; so do charities, whose news items are no more the service's own page. A page merely *mentioning*
news (/news-and-views-on-knife-crime-guidance/) is not refused: the part must be the section's name itself.
"""

from __future__ import annotations

import csv
from pathlib import Path
from urllib.parse import urlsplit

# Path parts that name a news or press section, compared without case.
NEWS_SECTIONS = frozenset(
    {
        "news",
        "newsroom",
        "news-room",
        "news-and-events",
        "news-archive",
        "latest-news",
        "press",
        "press-office",
        "press-release",
        "press-releases",
        "pressreleases",
        "media-centre",
        "mediacentre",
        "media-releases",
    }
)
# Types a seed list may give that mean a press release or news item, compared without case.
PRESS_RELEASE_KINDS = frozenset({"press release", "press-release", "news", "news item", "news story", "media release"})

URL_MESSAGE = (
    "This link is a news item or press release (its address is in the site's {section} section). "
    "Link the publisher's own page about the service or guidance instead"
)
KIND_MESSAGE = "A press release or news item is not a resource. Link the publisher's own page about the service instead"


def news_section(url: str) -> str:
    """The news or press section `url` is in ("/news/"), or "" when it is in none."""
    for part in urlsplit(url.strip()).path.split("/"):
        if part.lower() in NEWS_SECTIONS:
            return f"/{part}/"
    return ""


def url_problem(url: str) -> str:
    """Why `url` cannot be a resource's link, or "" when it can."""
    section = news_section(url)
    return URL_MESSAGE.format(section=section) if section else ""


def kind_problem(kind: str) -> str:
    return KIND_MESSAGE if kind.strip().lower() in PRESS_RELEASE_KINDS else ""


class SeedListError(ValueError):
    """A row of a seed list that may not be loaded, named by file, line and column."""


def read_seed_rows(path: Path) -> list[dict]:
    """The rows of a resource seed list (the re-vetted resources.csv's columns), refusing the whole file when a
    row is a press release: loading stops at the first, naming the file, line, column and why, and nothing of
    the file is loaded (the migration that calls this runs in one transaction)."""
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        rows = []
        first_line = reader.line_num + 1
        for row in reader:
            for column, problem in (
                ("kind", kind_problem(row.get("kind") or "")),
                ("url", url_problem(row.get("url") or "")),
            ):
                if problem:
                    raise SeedListError(
                        f"{path.name} line {first_line}, column {columns.index(column) + 1} ({column}): {problem}."
                    )
            rows.append(row)
            first_line = reader.line_num + 1
    return rows
