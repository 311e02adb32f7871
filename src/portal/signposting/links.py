"""The links signposting's public pages show, for the link checker (portal.resources.checking)."""

from __future__ import annotations

from collections.abc import Iterator


def links_in_use() -> Iterator[tuple[str, str]]:
    """(address, what links to it) for local and national contacts and the sources of signs and steps."""
    from portal.signposting.contacts import national_contacts
    from portal.signposting.models import LocalContact
    from portal.signposting.sources import signs_sources

    for contact in LocalContact.objects.published():
        for url in (contact.url, contact.source_url):
            if url:
                yield url, f"Local contact: {contact.name}"
    for contact in national_contacts().values():
        for url in (contact.website, contact.source_url):
            if url:
                yield url, f"National contact: {contact.name}"
    for source in signs_sources().values():
        yield source.url, f"Source of signs and steps: {source.label}"
