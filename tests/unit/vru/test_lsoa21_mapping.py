"""LSOA 2011 → 2021 mapping on a tiny hand-made lookup with known answers."""

import duckdb
import pytest

from vru.warehouse.lsoa21 import _choose_child, prepare_code_map, remap_all
from vru.warehouse.schema import ensure_schema


@pytest.fixture
def con():
    con = duckdb.connect()
    ensure_schema(con)
    con.execute(
        """
        INSERT INTO ref_lsoa11_lsoa21 VALUES
            ('A11', 'A', 'U', 'A11', 'A', 'L', 'L'),   -- unchanged: the code stays
            ('B11', 'B', 'S', 'B21', 'B1', 'L', 'L'),  -- split into B21 (west) and C21 (east)
            ('B11', 'B', 'S', 'C21', 'B2', 'L', 'L'),
            ('D11', 'D', 'M', 'M21', 'DE', 'L', 'L'),  -- D and E merged into M21
            ('E11', 'E', 'M', 'M21', 'DE', 'L', 'L')
        """
    )
    # B21 is the unit square at x 0..1, C21 the square at x 1..2.
    con.execute(
        """
        INSERT INTO ref_boundary VALUES
            ('lsoa21', 'B21', 'B1', 'POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))'),
            ('lsoa21', 'C21', 'B2', 'POLYGON ((1 0, 2 0, 2 1, 1 1, 1 0))')
        """
    )
    return con


def insert_street_row(con, lsoa_code, longitude, latitude):
    con.execute(
        "INSERT INTO street_crime (force, month, lsoa_code, longitude, latitude, crime_type) "
        "VALUES ('f', DATE '2023-01-01', ?, ?, ?, 'Drugs')",
        [lsoa_code, longitude, latitude],
    )


def test_codes_map_by_change_type_and_snap_point(con):
    for code, longitude, latitude in [
        ("A11", 0.5, 0.5),
        ("B11", 0.5, 0.5),  # inside B21
        ("B11", 1.5, 0.5),  # inside C21
        ("B11", 3.0, 0.5),  # outside both, nearest is C21
        ("D11", 0.5, 0.5),
        ("M21", 0.5, 0.5),  # already a 2021 code
        ("Z99", 0.5, 0.5),  # in no lookup
        (None, None, None),  # no location
    ]:
        insert_street_row(con, code, longitude, latitude)
    remap_all(con)
    mapped = con.execute(
        "SELECT lsoa_code, longitude, lsoa21_code, lsoa21_method FROM street_crime ORDER BY lsoa_code, longitude"
    ).fetchall()
    assert mapped == [
        ("A11", 0.5, "A11", "published-2021"),
        ("B11", 0.5, "B21", "split-point-in-polygon"),
        ("B11", 1.5, "C21", "split-point-in-polygon"),
        ("B11", 3.0, "C21", "split-nearest-boundary"),
        ("D11", 0.5, "M21", "from-2011-m"),
        ("M21", 0.5, "M21", "published-2021"),
        ("Z99", 0.5, "Z99", "unknown-code"),
        (None, None, None, None),
    ]


def test_without_a_lookup_codes_stay_as_published():
    con = duckdb.connect()
    ensure_schema(con)
    assert prepare_code_map(con) is False
    insert_street_row(con, "X11", 0.0, 0.0)
    remap_all(con)
    assert con.execute("SELECT lsoa21_code, lsoa21_method FROM street_crime").fetchall() == [
        ("X11", "as-published-no-lookup")
    ]


def test_a_split_without_boundaries_goes_to_the_first_child():
    children = [("B21", None), ("C21", None)]
    assert _choose_child(children, 1.5, 0.5) == ("B21", "split-first-child")


def test_a_point_on_the_shared_edge_goes_to_the_first_child_that_covers_it():
    from shapely import box

    children = [("B21", box(0, 0, 1, 1)), ("C21", box(1, 0, 2, 1))]
    assert _choose_child(children, 1.0, 0.5) == ("B21", "split-point-in-polygon")
