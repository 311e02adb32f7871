"""Table cells under the small-number rule, applied once per row."""

from vru.presentation import tables
from vru.presentation.suppression import SUPPRESSED, WITHHELD

COLUMNS = [
    tables.text("Area", lambda row: row["name"]),
    tables.count("Crimes"),
    tables.derived("Rate", lambda row: f"{row['rate']:.1f}"),
    tables.count("All crime", "all_crime"),
]


def test_a_small_count_hides_its_rate_and_a_large_one_shows_both():
    cells = tables.table_cells(
        [
            {"name": "A", "count": 3, "rate": 1.5, "all_crime": 1200},
            {"name": "B", "count": 0, "rate": 0.0, "all_crime": 7},
        ],
        COLUMNS,
    )
    assert cells.rows == [["A", SUPPRESSED, WITHHELD, "1,200"], ["B", "0", "0.0", "7"]]
    assert cells.headers == ["Area", "Crimes", "Rate", "All crime"] and cells.numeric == [False, True, True, True]
    assert cells.suppressed


def test_partner_data_hides_zero_and_nothing_hidden_needs_no_note():
    partner = tables.table_cells([{"name": "A", "count": 0, "rate": 0.0, "all_crime": 9}], COLUMNS, partner=True)
    assert partner.rows == [["A", SUPPRESSED, WITHHELD, "9"]]
    police = tables.table_cells([{"name": "A", "count": 12, "rate": 2.0, "all_crime": 40}], COLUMNS)
    assert not police.suppressed


def test_a_count_column_may_say_why_there_is_nothing_to_count():
    cells = tables.table_cells([{"name": "A", "count": None}], [tables.count("Crimes", lambda row: "no areas")])
    assert cells.rows == [["no areas"]] and not cells.suppressed
