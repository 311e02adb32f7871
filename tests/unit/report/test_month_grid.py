"""The month grid under the monthly chart: one count column per month of the year, the small-number rule
applied through the table helper, and the method note printed when it hid a month."""

from vru.presentation.suppression import METHOD_NOTE, SUPPRESSED
from vru.report.sections.nature import _month_grid


def test_a_month_of_1_to_4_is_hidden_and_the_grid_says_why():
    months = ["2024-11", "2024-12", "2025-01"]
    grid = _month_grid(months, {"2024-11": 3, "2025-01": 1234}, "Crimes per month")
    assert grid.columns[:3] == ["Year", "Jan", "Feb"] and len(grid.columns) == 13
    assert grid.rows[0][0] == "2024" and grid.rows[0][11:] == [SUPPRESSED, "no data"]
    assert grid.rows[1][:3] == ["2025", "1,234", "\u2013"]
    assert METHOD_NOTE in grid.notes


def test_a_grid_that_hides_nothing_has_no_method_note():
    grid = _month_grid(["2025-01"], {"2025-01": 0}, "Crimes per month")
    assert grid.rows == [["2025", "0", *["\u2013"] * 11]] and METHOD_NOTE not in grid.notes
