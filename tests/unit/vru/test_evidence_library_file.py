"""The evidence library file: the shipped rows against the project's evidence extract, and bad files refused
with the file, line and column."""

import csv
from pathlib import Path

import pytest

from vru.errors import InputError
from vru.sources.evidence_library import COLUMNS, LIBRARY_FILE, read_evidence_library


def test_every_shipped_statement_keeps_its_source(shared_data: Path):
    library = read_evidence_library()
    assert len(library) == 14
    extract = list(csv.DictReader(open(shared_data / "evidence" / "toolkit_evidence_read.csv", encoding="utf-8")))
    read_urls = {row["source_url"] for row in extract}
    # Every attributed statement cites a page in the extract, except the toolkit's own index.
    with_statement = library[library["impact_statement"] != ""]
    assert set(with_statement["source_url"]) - {"https://youthendowmentfund.org.uk/toolkit/"} <= read_urls | {
        "https://youthendowmentfund.org.uk/toolkit/ae-navigators/"
    }
    mentoring = library.set_index("slug").loc["mentoring"]
    assert "21%" in mentoring["impact_statement"] and mentoring["impact_band"] == "moderate"


def write(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "library.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    return path


def good_row(**changes) -> dict:
    with LIBRARY_FILE.open(encoding="utf-8") as handle:
        row = next(csv.DictReader(handle))
    return {**row, **changes}


@pytest.mark.parametrize(
    ("changes", "column", "message"),
    [
        ({"impact_band": "great"}, "impact_band", "not one of"),
        ({"evidence_rating": "7"}, "evidence_rating", "from 1 to 5"),
        ({"themes": "knives"}, "themes", "unknown themes"),
        ({"harmful": "true"}, "harmful", "exactly when"),
        ({"verified": "true"}, "verified", "date its source was read"),
        ({"source_url": "http://example.org"}, "source_url", "https://"),
        ({"date_read": "2026-13-01"}, "date_read", "YYYY-MM-DD"),
    ],
)
def test_bad_rows_name_the_line_and_column(tmp_path, changes, column, message):
    path = write(tmp_path, [good_row(slug="first"), good_row(slug="second", **changes)])
    with pytest.raises(InputError, match=message) as error:
        read_evidence_library(path)
    assert (error.value.line, error.value.column) == (3, column)


def test_duplicate_slugs_and_missing_columns_are_refused(tmp_path):
    with pytest.raises(InputError, match="duplicate slug"):
        read_evidence_library(write(tmp_path, [good_row(), good_row()]))
    path = tmp_path / "short.csv"
    path.write_text("slug,name\nx,y\n", encoding="utf-8")
    with pytest.raises(InputError, match="missing columns") as error:
        read_evidence_library(path)
    assert error.value.line == 1
