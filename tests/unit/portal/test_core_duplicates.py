"""Which web addresses count as the same page for the duplicate-link warning (no database)."""

from __future__ import annotations

import pytest

from portal.core.duplicates import address_key


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://www.nspcc.org.uk/keeping-children-safe/", "http://nspcc.org.uk/keeping-children-safe"),
        ("https://Example.ORG/a", "https://example.org/a/#top"),
        ("https://example.org", "https://example.org/"),
    ],
)
def test_addresses_that_reach_the_same_page_match(one, other):
    assert address_key(one) == address_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("https://example.org/a", "https://example.org/b"),
        ("https://example.org/a?id=1", "https://example.org/a?id=2"),
        ("https://example.org:8443/a", "https://example.org/a"),
        ("https://sub.example.org/a", "https://example.org/a"),
    ],
)
def test_different_pages_do_not_match(one, other):
    assert address_key(one) != address_key(other)
