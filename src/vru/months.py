"""Calendar months as 'YYYY-MM' text: the one unit of time police.uk publishes."""

from __future__ import annotations

import re

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def check_month(month: str) -> str:
    if not isinstance(month, str) or not MONTH.match(month):
        raise ValueError(f"not a month in YYYY-MM form: {month!r}")
    return month


def month_index(month: str) -> int:
    """Months since year 0, so that consecutive months differ by one."""
    check_month(month)
    return int(month[:4]) * 12 + int(month[5:]) - 1


def month_from_index(index: int) -> str:
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_range(first: str, last: str) -> list[str]:
    """Every month from first to last inclusive (empty when last is before first)."""
    return [month_from_index(index) for index in range(month_index(first), month_index(last) + 1)]


def missing_months(present: list[str]) -> list[str]:
    """Calendar months inside [first, last] of `present` that are not in it."""
    if not present:
        return []
    have = set(present)
    return [month for month in month_range(min(have), max(have)) if month not in have]
