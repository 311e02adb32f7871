"""What the templates receive: tables and figures as plain text cells, already formatted and suppressed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from vru.presentation.suppression import METHOD_NOTE
from vru.presentation.tables import Column, Row, table_cells


@dataclass
class Table:
    """A data table. Cells are display text; the first cell of a row is a row header when `row_headers`."""

    caption: str
    columns: list[str]
    rows: list[list[str]]
    row_headers: bool = True
    numeric: list[bool] = field(default_factory=list)  # right-align these columns
    notes: list[str] = field(default_factory=list)
    print_rows: int | None = None  # the PDF prints only the first n rows (the HTML has them all)
    id: str = ""
    compact: bool = False  # smaller type in print (wide tables)

    def __post_init__(self) -> None:
        if not self.numeric:
            self.numeric = [False] * len(self.columns)
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ValueError(f"table {self.caption!r}: a row has {len(row)} cells for {len(self.columns)} columns")

    @classmethod
    def of(
        cls,
        caption: str,
        columns: Sequence[Column],
        records: Iterable[Row],
        *,
        notes: Sequence[str] = (),
        row_count: Callable[[Row], Any] | str = "count",
        partner: bool = False,
        **options: Any,
    ) -> Table:
        """A table built from columns (vru.presentation.tables), the small-number rule applied once per row; the
        rule's note is added when it hid anything."""
        cells = table_cells(records, columns, row_count=row_count, partner=partner)
        return cls(
            caption=caption,
            columns=cells.headers,
            rows=cells.rows,
            numeric=cells.numeric,
            notes=[*notes, *([METHOD_NOTE] if cells.suppressed else [])],
            **options,
        )

    @property
    def print_truncated(self) -> bool:
        return self.print_rows is not None and len(self.rows) > self.print_rows


@dataclass
class Figure:
    """A chart or map written as an SVG file beside report.html, with its alternative text and data table."""

    id: str
    title: str
    filename: str
    alt: str
    table: Table
    notes: list[str] = field(default_factory=list)
    kind: str = "chart"  # or "map"
    width_px: int | None = None  # the SVG's size in CSS pixels (its viewBox)
    height_px: int | None = None


@dataclass
class Section:
    id: str
    number: str  # "1" … or "A" for appendices
    title: str
    appendix: bool = False

    @property
    def heading(self) -> str:
        return f"Appendix {self.number}: {self.title}" if self.appendix else f"{self.number}. {self.title}"


class Numbering:
    """Figure and table numbers in the order the template prints them (one instance per rendering, so the
    HTML and the PDF number alike). Asking again for the same figure or table gives the same number."""

    def __init__(self) -> None:
        self._figures: dict[str, int] = {}
        self._tables: dict[int, int] = {}

    def figure(self, figure: Figure) -> int:
        return self._figures.setdefault(figure.id, len(self._figures) + 1)

    def table(self, table: Table) -> int:
        return self._tables.setdefault(id(table), len(self._tables) + 1)
