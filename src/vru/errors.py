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


def read_text(path: Path) -> str:
    """A small text file's contents (UTF-8, a byte-order mark allowed), or an InputError saying why not."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror or error}") from None
    except UnicodeDecodeError as error:
        raise InputError(path, f"not UTF-8 text (byte {error.start})") from None


class WarehouseError(Exception):
    """The warehouse or the disk under it cannot be used (in use by another run, read-only, full). Not the
    input's fault; nothing in the warehouse changes when this is raised."""
