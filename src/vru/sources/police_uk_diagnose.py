"""Line-by-line reading of one police.uk file, used only when the fast reader reports a problem or its
row count disagrees with the file's lines.

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
from vru.sources.police_uk import MAX_LINE_SIZE, QUARANTINE_RULES, SourceFile, timestamp_or_none


@dataclass(frozen=True)
class QuarantinedRow:
    line: int
    column: str
    reason: str
    value: str


def _rows(source: SourceFile, path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number where the row starts, row by warehouse column name), raising InputError on bad bytes.

    Blank lines are skipped, as DuckDB's reader skips them; a row longer than MAX_LINE_SIZE is refused, as
    DuckDB refuses it (one limit for both readers, so a file one accepts the other accepts)."""
    names = [name for _, name, _ in source.columns]
    columns = [column for column, _, _ in source.columns]
    raw = gzip.open(path, "rb") if path.name.endswith(".gz") else open(path, "rb")
    previous_limit = csv.field_size_limit(MAX_LINE_SIZE)
    with raw:
        # Decode with surrogateescape so a bad byte is found on its own line and column, not mid-buffer.
        text = io.TextIOWrapper(raw, encoding="utf-8", errors="surrogateescape", newline="")
        reader = csv.reader(text, strict=True)
        line_started = 1
        try:
            next(reader)  # header, checked before reading starts
            while True:
                line_started = reader.line_num + 1
                values = next(reader, None)
                if values is None:
                    return
                if not values:
                    continue
                _check_values(source, columns, values, line_started)
                yield line_started, dict(zip(names, values, strict=True))
        except (EOFError, zlib.error, gzip.BadGzipFile) as error:
            raise InputError(
                source.name, f"compressed data ends or breaks after this line ({error})", line=reader.line_num
            ) from None
        except csv.Error as error:
            # Reported where the row starts: an unbalanced quote is noticed only lines later, where the
            # quoted text ends, but the mistake is on the line that opened it.
            if "field larger than field limit" in str(error):
                problem = f"a row longer than {MAX_LINE_SIZE:,} bytes (the most a line may hold)"
            else:
                problem = f"not valid CSV: {error} (an unbalanced quote on this line runs on into the next)"
            raise InputError(source.name, problem, line=line_started) from None
        finally:
            csv.field_size_limit(previous_limit)


def _check_values(source: SourceFile, columns: list[str], values: list[str], line: int) -> None:
    for position, value in enumerate(values):
        column = columns[position] if position < len(columns) else f"#{position + 1}"
        if _has_bad_bytes(value):
            raise InputError(source.name, "bytes that are not valid UTF-8", line, column)
        if "\x00" in value:
            # PostgreSQL cannot store a NUL in text, and no police.uk value holds one.
            raise InputError(source.name, "a NUL byte (0x00), which no police.uk value holds", line, column)
    if len(values) != len(columns):
        missing = len(values) < len(columns)
        column = columns[len(values)] if missing else f"#{len(columns) + 1}"
        problem = f"row has {len(values)} fields, expected {len(columns)}" + (
            " (missing fields)" if missing else " (extra fields)"
        )
        raise InputError(source.name, problem, line, column)
    if sum(len(value) for value in values) > MAX_LINE_SIZE:
        raise InputError(source.name, f"a row longer than {MAX_LINE_SIZE:,} bytes (the most a line may hold)", line)


def _has_bad_bytes(value: str) -> bool:
    return any("\udc80" <= character <= "\udcff" for character in value)


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


def read_rows(source: SourceFile, path: Path) -> tuple[int, list[QuarantinedRow]]:
    """Read the whole file: (its number of rows, the rows a quarantine rule sets aside, with their lines;
    the first rule that applies wins). Raises InputError at the first problem."""
    rules = QUARANTINE_RULES[source.kind]
    rows, found = 0, []
    for line, row in _rows(source, path):
        rows += 1
        for rule in rules:
            if rule.applies(row):
                found.append(QuarantinedRow(line, rule.column, rule.reason, rule.shown_value(row)))
                break
    return rows, found
