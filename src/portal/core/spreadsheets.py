"""CSV downloads that spreadsheet programs open safely: UTF-8 with a byte order mark (so Excel reads it as
UTF-8), and any cell that a spreadsheet would run as a formula shown as text instead."""

from __future__ import annotations

import csv
from collections.abc import Iterable

from django.http import HttpResponse

# Spreadsheet programs run a cell that starts with one of these as a formula ("CSV injection").
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A value for a CSV cell that a spreadsheet shows as text: a leading = + - @ (or tab, carriage return)
    gets a single quote in front. Numbers are written as they are (a negative number stays a number)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return str(value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def csv_response(filename: str, header: list[str], rows: Iterable[Iterable]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")
    writer = csv.writer(response)
    writer.writerow(header)
    for row in rows:
        writer.writerow([safe_cell(value) for value in row])
    return response
