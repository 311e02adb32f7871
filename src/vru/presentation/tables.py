"""Table cells under the small-number rule, applied in one place: a table is a list of columns, and each row's
count is judged once (`suppression.is_suppressed`), so a count column shows "fewer than 5" and every value worked
out from that count (a rate, its interval, a share) shows "not shown" in the same row, without each table
calling the rule cell by cell. A grid whose every cell is a count (months by year, categories by year) is a row
of `counts` columns, one per key; a grid whose cells are shares of their own counts (outcomes by year) has
`derived` columns that name their own count. The report's tables (`Table.of`) and the dashboard's and ward
profiles' tables (through portal.insights.presentation) are built here, so both show a table the same way."""

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
    # "text": shown as given; "count": a count under the rule; "range": a (low, high) pair of counts under the
    # rule; "derived": worked out from a count (the row's, or the column's own `count`)
    rule: str = "text"
    numeric: bool = False
    decimals: int = 0  # of a count
    count: Callable[[Row], Any] | None = None  # a derived column's own count, when it is not the row's
    with_count: bool = False  # a derived cell followed by its count in brackets: "12.5% (30)"
    hidden: str = WITHHELD  # what a derived cell shows when its count is suppressed


def _getter(value: Callable[[Row], Any] | str) -> Callable[[Row], Any]:
    return (lambda row: row.get(value)) if isinstance(value, str) else value


def text(header: str, value: Callable[[Row], Any] | str, *, numeric: bool = False) -> Column:
    """Display text, not under the rule (a name, a code, a population)."""
    return Column(header, _getter(value), "text", numeric)


def count(header: str, value: Callable[[Row], Any] | str = "count", *, decimals: int = 0) -> Column:
    """A count, shown as "fewer than 5" when the rule says so. `value` may return text instead of a number for a
    row with nothing to count ("no areas", "no data"): it is shown as given."""
    return Column(header, _getter(value), "count", True, decimals)


def counts(
    keys: Iterable[Any],
    value: Callable[[Row, Any], Any],
    *,
    header: Callable[[Any], str] = str,
    decimals: int = 0,
) -> list[Column]:
    """One count column per key (a month, a year, a category): `value(row, key)` is the row's count for the key,
    or text for a cell with nothing to count."""
    return [count(header(key), lambda row, key=key: value(row, key), decimals=decimals) for key in keys]


def count_range(header: str, low: Callable[[Row], Any], high: Callable[[Row], Any], *, decimals: int = 0) -> Column:
    """A range of two counts ("12 to 30"): one "fewer than 5" when both ends are suppressed; empty without ends."""
    return Column(header, lambda row: (low(row), high(row)), "range", True, decimals)


def derived(
    header: str,
    value: Callable[[Row], Any] | str,
    *,
    count: Callable[[Row], Any] | str | None = None,
    with_count: bool = False,
    hidden: str = WITHHELD,
) -> Column:
    """A value worked out from a count (a rate, an interval, a share): `hidden` ("not shown") when that count is
    suppressed. The count is the row's unless `count` names the column's own; `with_count` prints it after the
    value in brackets. A cell whose count is missing shows the value as given (a dash for "none")."""
    own = None if count is None else _getter(count)
    return Column(header, _getter(value), "derived", True, count=own, with_count=with_count, hidden=hidden)


@dataclass(frozen=True)
class TableCells:
    headers: list[str]
    numeric: list[bool]
    rows: list[list[Any]]  # display text (raw values when asked for)
    suppressed: bool  # some cell was suppressed or withheld: print the method note


def named_cells(
    records: Iterable[Row],
    columns: Mapping[str, Column],
    *,
    row_count: Callable[[Row], Any] | str = "count",
    partner: bool = False,
) -> tuple[list[dict[str, Any]], bool]:
    """Each row's cells by name, for a template that prints them by name (the dashboard), and whether anything
    was hidden."""
    cells = table_cells(records, list(columns.values()), row_count=row_count, partner=partner)
    return [dict(zip(columns, row, strict=True)) for row in cells.rows], cells.suppressed


def table_cells(
    records: Iterable[Row],
    columns: Sequence[Column],
    *,
    row_count: Callable[[Row], Any] | str = "count",
    partner: bool = False,
    raw: bool = False,
) -> TableCells:
    """Every row's cells; `row_count` is the count that the row's derived values come from. `raw`: the values
    unformatted (for a CSV download), with the same cells hidden."""
    get_count = _getter(row_count)
    rows, any_hidden = [], False

    def shown(value: Any, decimals: int) -> tuple[Any, bool]:
        hidden = is_suppressed(value, partner=partner)
        return (SUPPRESSED if hidden else value if raw else thousands(value, decimals)), hidden

    def as_given(value: Any) -> Any:
        return value if raw else "" if value is None else str(value)

    for row in records:
        withheld = is_suppressed(get_count(row), partner=partner)
        cells = []
        for column in columns:
            if column.rule == "derived":
                own = column.count(row) if column.count else None
                hidden = is_suppressed(own, partner=partner) if column.count else withheld
                cell = column.hidden if hidden else as_given(column.value(row))
                if column.with_count and own is not None:
                    cell += f" ({shown(own, column.decimals)[0]})"
                cells.append(cell)
                any_hidden |= hidden
                continue
            value = column.value(row)
            if column.rule == "count" and not isinstance(value, str):
                cell, hidden = shown(value, column.decimals)
                cells.append(cell)
                any_hidden |= hidden
            elif column.rule == "range" and value == (None, None):
                cells.append(as_given(None))
            elif column.rule == "range":
                (low, low_hidden), (high, high_hidden) = (shown(end, column.decimals) for end in value)
                cells.append(SUPPRESSED if low_hidden and high_hidden else f"{low} to {high}")
                any_hidden |= low_hidden or high_hidden
            else:
                cells.append(as_given(value))
        rows.append(cells)
    return TableCells(
        headers=[column.header for column in columns],
        numeric=[column.numeric for column in columns],
        rows=rows,
        suppressed=any_hidden,
    )
