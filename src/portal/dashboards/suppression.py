"""Small-number suppression for the public dashboard: the same rule as the SNA report (vru.report.suppression).

Counts from partner data (Home Office recorded crime, and the cost components estimated from it) under 5 are
never published: the Serious Violence Duty's data-sharing rule. The report applies the rule to every count of 1
to 4 in a breakdown (neighbourhood, ward, location, outcome), police.uk ones included, so that one rule
covers every table; the dashboard does the same, so a figure never differs between the two. A rate or share
worked out from a suppressed count is withheld. For partner data, 0 is suppressed too (the rule says "under
5"); a police.uk zero identifies nobody and is shown.
"""

from __future__ import annotations

import math

THRESHOLD = 5
SUPPRESSED = f"fewer than {THRESHOLD}"
WITHHELD = "not shown"
NOTE = (
    f"Counts from 1 to {THRESHOLD - 1} are shown as “{SUPPRESSED}”, and a rate or share worked out from such a "
    f"count is {WITHHELD}, so that no small number of people can be picked out."
)


def _number(value: object) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def is_suppressed(count: object, *, partner: bool = False) -> bool:
    """Whether `count` must not be shown. Police.uk breakdowns: 1 to 4 (estimates with decimals included).
    Partner data: anything under 5, zero included."""
    number = _number(count)
    if number is None:
        return False
    return number < THRESHOLD if partner else 0 < number < THRESHOLD


def count_text(count: object, *, partner: bool = False, decimals: int = 0) -> str:
    """The count as pages show it: "fewer than 5" when suppressed, else with thousands separators."""
    number = _number(count)
    if number is None:
        return "not known"
    if is_suppressed(number, partner=partner):
        return SUPPRESSED
    return f"{number:,.{decimals}f}"


def withhold(count: object, text: str, *, partner: bool = False) -> str:
    """A figure worked out from `count` (a rate, a share): withheld when the count is suppressed."""
    return WITHHELD if is_suppressed(count, partner=partner) else text
