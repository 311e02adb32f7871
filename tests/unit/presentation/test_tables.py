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


def test_a_grid_of_counts_has_one_column_per_key_and_text_for_an_empty_cell():
    by_month = {"2024-01": 3, "2024-02": 40}
    columns = [
        tables.text("Year", "year"),
        *tables.counts(
            ["2024-01", "2024-02", "2024-03"],
            lambda row, month: row["values"].get(month, "no data"),
            header=lambda month: month[5:],
        ),
    ]
    cells = tables.table_cells([{"year": "2024", "values": by_month}], columns)
    assert cells.headers == ["Year", "01", "02", "03"]
    assert cells.rows == [["2024", SUPPRESSED, "40", "no data"]] and cells.suppressed


def test_a_share_with_its_own_count_is_withheld_with_that_count_not_the_rows():
    share = tables.derived(
        "Charged", lambda row: f"{row['share']:.0%}", count=lambda row: row["charged"], with_count=True
    )
    big, small = (
        tables.table_cells([{"count": 100, "share": share_, "charged": charged}], [share])
        for share_, charged in ((0.3, 30), (0.02, 2))
    )
    assert big.rows == [["30% (30)"]] and not big.suppressed
    assert small.rows == [[f"{WITHHELD} ({SUPPRESSED})"]] and small.suppressed
    none = tables.table_cells([{"count": 100}], [tables.derived("Charged", lambda row: "\u2013", count="charged")])
    assert none.rows == [["\u2013"]] and not none.suppressed


def test_a_range_of_partner_counts_is_one_fewer_than_5_only_when_both_ends_are():
    column = tables.count_range("Range", lambda row: row["low"], lambda row: row["high"], decimals=1)
    cells = tables.table_cells(
        [{"low": 2.5, "high": 3.0}, {"low": 3.2, "high": 1234.5}, {"low": 10, "high": 12}], [column], partner=True
    )
    assert cells.rows == [[SUPPRESSED], [f"{SUPPRESSED} to 1,234.5"], ["10.0 to 12.0"]] and cells.suppressed


def test_named_cells_and_raw_values_hide_the_same_cells_as_the_display_text():
    records = [{"name": "A", "count": 3, "rate": 1.5}, {"name": "B", "count": 1200, "rate": 12.25}]
    rows, hidden = tables.named_cells(
        records,
        {
            "count": tables.count(""),
            "rate": tables.derived("", lambda row: f"{row['rate']:.1f}"),
            "rank": tables.derived("", lambda row: "1", hidden=""),
        },
    )
    assert rows == [
        {"count": SUPPRESSED, "rate": WITHHELD, "rank": ""},
        {"count": "1,200", "rate": "12.2", "rank": "1"},
    ]
    assert hidden
    raw = tables.table_cells(
        records, [tables.text("name", "name"), tables.count("count"), tables.derived("rate", "rate")], raw=True
    )
    assert raw.rows == [["A", SUPPRESSED, WITHHELD], ["B", 1200, 12.25]]
