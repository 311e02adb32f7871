"""The resource library's pieces that need no database: search words, link text, the seed file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from portal.resources.links import host_of
from portal.resources.search import search_words

SEED = Path(__file__).resolve().parents[3] / "src" / "portal" / "resources" / "seed" / "resources.csv"
VETTED = Path(__file__).resolve().parents[4] / "shared" / "reference" / "resources.csv"


@pytest.mark.parametrize(
    ("query", "words"),
    [
        ("county lines", ["county", "line"]),
        ("  Knife   CRIME ", ["knife", "crime"]),
        ("what is the county lines", ["county", "line"]),
        ("Clare's Law", ["clare", "law"]),
        ("#KnifeFree", ["knifefree"]),
        ("the and of", []),
        ("class", ["class"]),  # a double s is not a plural
        ("bus", ["bus"]),  # nor is a short word
        ("lines lines", ["line"]),
    ],
)
def test_search_words(query, words):
    assert search_words(query) == words


@pytest.mark.parametrize(
    ("url", "host"),
    [
        ("https://www.nspcc.org.uk/what-you-can-do/", "nspcc.org.uk"),
        ("https://learning.nspcc.org.uk/child-abuse-and-neglect/county-lines", "learning.nspcc.org.uk"),
        ("https://issuu.com./crimestoppers/docs/final_pcc", "issuu.com"),
        ("http://www.Modernslaveryhelpline.org", "modernslaveryhelpline.org"),
    ],
)
def test_host_of(url, host):
    assert host_of(url) == host


def seed_rows() -> list[dict]:
    with SEED.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_the_seed_file_is_the_vetted_list():
    rows = seed_rows()
    assert len(rows) == 53
    assert list(rows[0]) == [
        "title", "organisation", "url", "kind", "audience", "stage", "topic", "local", "facts", "seen_on",
        "source_excerpt", "notes",
    ]  # fmt: skip
    if VETTED.exists():  # ../shared is beside the repository on the team's machines and in CI
        assert SEED.read_bytes() == VETTED.read_bytes()


def test_every_seed_row_cites_the_page_and_has_a_summary_with_no_statistics():
    for row in seed_rows():
        assert row["url"].startswith(("http://", "https://")), row["title"]
        assert row["source_excerpt"].strip(), row["title"]
        summary = row["facts"].strip()
        assert summary, row["title"]
        assert "%" not in summary and "per cent" not in summary, row["title"]
