"""The resource library's pieces that need no database: search terms and synonyms, link text, the seed file."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from portal.resources.links import host_of
from portal.resources.search import fts5_query, parse_synonyms, query_terms, synonyms

SEED = Path(__file__).resolve().parents[3] / "src" / "portal" / "resources" / "seed" / "resources.csv"
VETTED = Path(__file__).resolve().parents[4] / "shared" / "reference" / "resources.csv"


TABLE = {
    ("county", "lines"): [("county", "lines"), ("child", "criminal", "exploitation")],
    ("dv",): [("domestic", "abuse")],
}


@pytest.mark.parametrize(
    ("query", "terms"),
    [
        ("  Knife   CRIME ", [[("knife",)], [("crime",)]]),
        ("what is the county lines", [[("county", "lines"), ("child", "criminal", "exploitation")]]),
        ("Clare's Law", [[("clare",)], [("law",)]]),
        ("#KnifeFree", [[("knifefree",)]]),
        ("the and of", []),
        ("DV DV", [[("dv",), ("domestic", "abuse")]]),
        ("county", [[("county",)]]),  # only the whole phrase is a synonym term
        ("multi-agency", [[("multi",)], [("agency",)]]),
    ],
)
def test_query_terms(query, terms):
    assert query_terms(query, TABLE) == terms


def test_the_synonym_file_reads_and_bad_lines_name_their_line():
    table = parse_synonyms("# a comment\n\nCSE = child sexual exploitation; sexual exploitation\n")
    assert table == {("cse",): [("child", "sexual", "exploitation"), ("sexual", "exploitation")]}
    with pytest.raises(ValueError, match="line 2"):
        parse_synonyms("dv = domestic abuse\nno equals sign here\n")
    # The maintained list covers the abbreviations the issue names.
    for term in ["dv", "cce", "cse", "nrm", "marac", "stabbing", "teenager"]:
        assert (term,) in synonyms(), term
    assert ("county", "lines") in synonyms()


def test_an_fts5_query_is_every_term_any_phrase():
    assert fts5_query([[("dv",), ("domestic", "abuse")], [("help",)]]) == '("dv" OR "domestic abuse") AND ("help")'


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
