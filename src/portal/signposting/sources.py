"""The named sources of the signs and steps: the [CODE] lines of seed/signs.md.

signs.md (an exact copy of ../shared/reference/signs.md) lists each section's sources as
"- [CS] The Children's Society, *Spotting the signs* (#LookCloser): https://...". The flow's points cite those
codes (portal.signposting.content); this reads who published each page, its title and its address.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

SIGNS_FILE = Path(__file__).resolve().parent / "seed" / "signs.md"
SOURCE_LINE = re.compile(r"^- \[(?P<code>[A-Z0-9]+)\] (?P<label>.+?): (?P<url>https?://\S+)\s*$")


@dataclass(frozen=True)
class Source:
    code: str
    label: str  # "The Children's Society, Spotting the signs (#LookCloser)"
    url: str


def parse_sources(text: str) -> dict[str, Source]:
    """Every "- [CODE] label: url" line; a code listed twice must name the same page."""
    sources: dict[str, Source] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        match = SOURCE_LINE.match(line)
        if not match:
            continue
        source = Source(match["code"], match["label"].replace("*", ""), match["url"])
        if source.code in sources and sources[source.code].url != source.url:
            raise ValueError(f"{SIGNS_FILE.name} line {number}: [{source.code}] names a second address")
        sources.setdefault(source.code, source)
    return sources


@cache
def signs_sources() -> dict[str, Source]:
    return parse_sources(SIGNS_FILE.read_text(encoding="utf-8"))
