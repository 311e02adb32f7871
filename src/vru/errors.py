"""Errors the toolkit raises for bad input: each names the file, and where known the line and column."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass
class InputError(Exception):
    """A file that cannot be loaded as it stands. Nothing in the warehouse changes when this is raised."""

    file: str | Path
    problem: str
    line: int | None = None
    column: str | None = None

    def __str__(self) -> str:
        where = str(self.file)
        if self.line is not None:
            where += f", line {self.line}"
        if self.column is not None:
            where += f", column {self.column!r}"
        return f"{where}: {self.problem}"


class WarehouseError(Exception):
    """The warehouse or the disk under it cannot be used (in use by another run, read-only, full). Not the
    input's fault; nothing in the warehouse changes when this is raised."""
