"""Table cells under the small-number rule, applied in one place: a table is a list of columns, and each row's
count is judged once (`suppression.is_suppressed`), so a count column shows "fewer than 5" and every value worked
out from that count (a rate, its interval, a share) shows "not shown" in the same row, without each table
calling the rule cell by cell. Used by the report's tables; the dashboard's rows use the same rule through
`suppress` and `withhold`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from vru.presentation.formatting import thousands
from vru.presentation.suppression import SUPPRESSED, WITHHELD, is_suppressed

Row = Mapping[str, Any]


@dataclass(frozen=True)
class Column:
    header: str
    value: Callable[[Row], Any]
    rule: str = "text"  # "text": shown as given; "count": a count under the rule; "derived": from the row's count
    numeric: bool = False
    decimals: int = 0  # of a count


def text(header: str, value: Callable[[Row], Any], *, numeric: bool = False) -> Column:
    """Display text, not under the rule (a name, a code, a population)."""
    return Column(header, value, "text", numeric)


def count(header: str, value: Callable[[Row], Any] | str = "count", *, decimals: int = 0) -> Column:
    """A count, shown as "fewer than 5" when the rule says so. `value` may return text instead of a number for a
    row with nothing to count ("no areas"): it is shown as given."""
    getter = (lambda row: row.get(value)) if isinstance(value, str) else value
    return Column(header, getter, "count", True, decimals)


def derived(header: str, value: Callable[[Row], Any]) -> Column:
    """Display text worked out from the row's count (a rate, an interval, a share): "not shown" when that count
    is suppressed."""
    return Column(header, value, "derived", True)


@dataclass(frozen=True)
class TableCells:
    headers: list[str]
    numeric: list[bool]
    rows: list[list[str]]
    suppressed: bool  # some cell was suppressed or withheld: print the method note


def table_cells(
    records: Iterable[Row],
    columns: Sequence[Column],
    *,
    row_count: Callable[[Row], Any] | str = "count",
    partner: bool = False,
) -> TableCells:
    """Every row's cells; `row_count` is the count that the row's derived values come from."""
    get_count = (lambda row: row.get(row_count)) if isinstance(row_count, str) else row_count
    rows, any_hidden = [], False
    for row in records:
        withheld = is_suppressed(get_count(row), partner=partner)
        cells = []
        for column in columns:
            value = column.value(row)
            if column.rule == "count" and not isinstance(value, str):
                hidden = is_suppressed(value, partner=partner)
                cells.append(SUPPRESSED if hidden else thousands(value, column.decimals))
                any_hidden |= hidden
            elif column.rule == "derived" and withheld:
                cells.append(WITHHELD)
                any_hidden = True
            else:
                cells.append("" if value is None else str(value))
        rows.append(cells)
    return TableCells(
        headers=[column.header for column in columns],
        numeric=[column.numeric for column in columns],
        rows=rows,
        suppressed=any_hidden,
    )
