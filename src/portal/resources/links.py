"""Showing links to other websites."""

from __future__ import annotations

from urllib.parse import urlsplit


def host_of(url: str) -> str:
    """ "https://www.example.org/page" -> "example.org", for link text."""
    host = (urlsplit(url).hostname or url).rstrip(".")
    return host[4:] if host.startswith("www.") else host
