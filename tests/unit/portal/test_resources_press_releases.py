"""Press releases are not resources: the rule (portal.resources.press_releases) and the seed loader."""

from __future__ import annotations

import csv
import importlib
from pathlib import Path

import pytest

from portal.resources.press_releases import SeedListError, kind_problem, news_section, read_seed_rows, url_problem

SEED = Path(__file__).resolve().parents[3] / "src" / "portal" / "resources" / "seed" / "resources.csv"


@pytest.mark.parametrize(
    ("url", "section"),
    [
        # Real news items of police, PCC and charity sites (signs.md and contacts.csv cite them as sources).
        ("https://www.avonandsomerset.police.uk/news/2025/11/knife-crime-falls-as-police-step-up", "/news/"),
        ("https://www.avonandsomerset.police.uk/newsroom/features/celebrating-diversity-our-hate-crime/", "/newsroom/"),
        ("https://www.avonandsomerset-pcc.gov.uk/News-and-Events/News-Archive/2019/April/statement.aspx",
         "/News-and-Events/"),
        ("https://refuge.org.uk/news/refuge-response-to-home-secretary-announcement", "/news/"),
        ("https://www.gov.uk/government/news/new-funding-for-violence-reduction-units", "/news/"),
        ("https://www.bathnes.gov.uk/press-releases/new-youth-hub", "/press-releases/"),
        ("https://www.example.org/media-centre/2024/statement", "/media-centre/"),
        # Resources' own pages.
        ("https://www.knifefree.co.uk/worried-young-person/", ""),
        ("https://www.gov.uk/government/publications/keeping-children-safe-in-education--2", ""),
        ("https://www.example.org/news-and-views-on-knife-crime-guidance/", ""),  # mentions news; not the section
        ("https://news.example.org/guidance/", ""),  # the host is not the path
    ],
)  # fmt: skip
def test_a_link_in_a_news_or_press_section_is_refused_whatever_the_case(url, section):
    assert news_section(url) == section
    assert bool(url_problem(url)) == bool(section)
    if section:
        assert section in url_problem(url)


@pytest.mark.parametrize(("kind", "refused"), [("press release", True), ("Press Release", True), ("news", True),
                                               ("guidance", False), ("service", False), ("", False)])  # fmt: skip
def test_a_press_release_type_is_refused(kind, refused):
    assert bool(kind_problem(kind)) == refused


def test_every_row_of_the_real_seed_list_is_accepted():
    rows = read_seed_rows(SEED)
    with SEED.open(newline="", encoding="utf-8") as handle:
        assert rows == list(csv.DictReader(handle))  # the same rows, none dropped
    assert len(rows) == 53


def test_the_seed_migration_reads_the_list_through_the_rule():
    migration = importlib.import_module("portal.resources.migrations.0004_load_revetted_resources")
    assert migration.read_rows() == read_seed_rows(SEED)


def write_list(path: Path, rows: list[dict]) -> Path:
    with SEED.open(newline="", encoding="utf-8") as handle:
        columns = csv.DictReader(handle).fieldnames
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns)
        writer.writeheader()
        writer.writerows([{column: row.get(column, "") for column in columns} for row in rows])
    return path


def test_a_seed_list_with_a_press_release_is_refused_naming_the_file_line_and_column(tmp_path):
    # Bad-input test: synthetic rows, the second with a multi-line summary so lines and rows differ.
    good = {"title": "A guide", "url": "https://www.example.org/guide", "kind": "guidance"}
    long = {**good, "facts": "First line.\nSecond line."}
    news = {"title": "A statement", "url": "https://www.example.police.uk/news/2024/statement", "kind": "guidance"}
    path = write_list(tmp_path / "synthetic_bad_resources.csv", [good, long, news])
    with pytest.raises(SeedListError, match=r"synthetic_bad_resources.csv line 5, column 3 \(url\): .*/news/"):
        read_seed_rows(path)

    path = write_list(tmp_path / "synthetic_bad_kind.csv", [good, {**good, "kind": "Press release"}])
    with pytest.raises(SeedListError, match=r"synthetic_bad_kind.csv line 3, column 4 \(kind\): A press release"):
        read_seed_rows(path)
