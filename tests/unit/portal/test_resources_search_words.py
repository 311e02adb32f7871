"""The resource library's pieces that need no database: search words, link text, the seed file."""

from __future__ import annotations

import csv
import difflib
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


def test_the_seed_file_is_the_vetted_list_with_only_a_summary_added():
    rows = seed_rows()
    assert len(rows) == 56
    assert list(rows[0]) == [
        "title", "organisation", "url", "kind", "audience", "stage", "topic", "local", "facts", "summary",
        "seen_on", "evidence",
    ]  # fmt: skip
    if VETTED.exists():  # ../shared is beside the repository on the team's machines and in CI
        with VETTED.open(newline="", encoding="utf-8") as handle:
            vetted = list(csv.DictReader(handle))
        assert [{k: v for k, v in row.items() if k != "summary"} for row in rows] == vetted


def test_every_seed_row_has_a_link_evidence_a_date_and_its_own_summary():
    for row in seed_rows():
        assert row["url"].startswith(("http://", "https://")), row["title"]
        assert row["evidence"].strip(), row["title"]
        assert row["seen_on"] == "2026-11-26", row["title"]
        summary = row["summary"].strip()
        assert summary and summary != row["facts"].strip(), row["title"]
        # In our own words: not a light edit of the facts (which are themselves notes on the page).
        similarity = difflib.SequenceMatcher(None, summary.lower(), row["facts"].lower()).ratio()
        assert similarity < 0.85, (row["title"], similarity)
        # One or two sentences.
        assert 1 <= summary.count(". ") + 1 <= 2, row["title"]
        assert "%" not in summary and "per cent" not in summary, row["title"]
