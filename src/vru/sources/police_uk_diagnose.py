"""Line-by-line reading of one police.uk file, used only when the fast reader reports a problem.

It finds what to tell the person: the file, the line and the column of the first problem, or the lines
of rows set aside by a quarantine rule.
"""

from __future__ import annotations

import csv
import gzip
import io
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from vru.errors import InputError
from vru.sources.police_uk import QUARANTINE_RULES, SourceFile, timestamp_or_none


@dataclass(frozen=True)
class QuarantinedRow:
    line: int
    column: str
    reason: str
    value: str


def _rows(source: SourceFile, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number where the row starts, row by warehouse column name), raising InputError on bad bytes."""
    names = [name for _, name, _ in source.columns]
    columns = [column for column, _, _ in source.columns]
    raw = gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")
    with raw:
        # Decode with surrogateescape so a bad byte is found on its own line and column, not mid-buffer.
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")
        reader = csv.reader(text, strict=True)
        line = 1
        try:
            next(reader)  # header, checked before reading starts
            for values in reader:
                line_started = line + 1
                line = reader.line_num
                for position, value in enumerate(values):
                    if _has_bad_bytes(value):
                        column = columns[position] if position < len(columns) else f"#{position + 1}"
                        raise InputError(source.name, "bytes that are not valid UTF-8", line_started, column)
                if len(values) != len(names):
                    missing = len(values) < len(names)
                    column = columns[len(values)] if missing else f"#{len(names) + 1}"
                    problem = f"row has {len(values)} fields, expected {len(names)}" + (
                        " (missing fields)" if missing else " (extra fields)"
                    )
                    raise InputError(source.name, problem, line_started, column)
                yield line_started, dict(zip(names, values, strict=True))
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise InputError(
                source.name, f"compressed data ends or breaks after this line ({error})", line=line
            ) from None
        except csv.Error as error:
            raise InputError(source.name, f"not valid CSV: {error}", line=reader.line_num) from None


def _has_bad_bytes(value: str) -> bool:
    return any("\udc80" <= character <= "\udcff" for character in value)


def raise_first_problem(source: SourceFile, path: Path) -> None:
    """Read the whole file; raise InputError for the first problem found, or return if there is none."""
    for _ in _rows(source, path):
        pass


def raise_month_mismatch(source: SourceFile, path: Path) -> None:
    """Raise InputError at the first row whose Month (or Date) disagrees with the file name."""
    for line, row in _rows(source, path):
        if source.kind == "stop-and-search":
            month = row["date_text"][:7] if timestamp_or_none(row["date_text"]) else None
        else:
            month = row["month_text"]
        if month and month != source.month:
            column = "Date" if source.kind == "stop-and-search" else "Month"
            raise InputError(
                source.name,
                f"{column} {month!r} disagrees with the file name's month {source.month}",
                line=line,
                column=column,
            )
    raise InputError(source.name, f"a row's month disagrees with the file name's month {source.month}")


def quarantine_rows(source: SourceFile, path: Path) -> list[QuarantinedRow]:
    """Every row a quarantine rule sets aside, with its line; the first rule that applies wins."""
    rules = QUARANTINE_RULES[source.kind]
    found = []
    for line, row in _rows(source, path):
        for rule in rules:
            if rule.applies(row):
                found.append(QuarantinedRow(line, rule.column, rule.reason, rule.shown_value(row)))
                break
    return found
