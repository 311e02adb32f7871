"""The small-number rule: the one rule for every count the report, the dashboard and the bundle show.

The Serious Violence Duty's data-sharing rule is that partner data counts under 5 are never published. Both
outputs apply it to every count of 1 to 4 in a breakdown (neighbourhood, ward, location, outcome), police.uk
ones included, so that one rule covers every table and a reader never needs to know which source a small
number came from. Partner counts (Home Office recorded crime, and the cost components estimated from it) are
withheld under 5 with zero included, as the rule says; a police.uk zero identifies nobody and is shown. When a
count is suppressed, a rate or share worked out from it is withheld too (otherwise the count could be worked back
from the rate and the population). docs/presentation.md states the rule for readers; `vru assess` writes the
verdict (`count_suppressed`) into the bundle's breakdown tables with `is_suppressed`.
"""

from __future__ import annotations

from vru.presentation.formatting import as_number, thousands

THRESHOLD = 5
SUPPRESSED = f"fewer than {THRESHOLD}"
WITHHELD = "not shown"
METHOD_NOTE = (
    f"Counts from 1 to {THRESHOLD - 1} are shown as \u201c{SUPPRESSED}\u201d, and a rate or share worked out from "
    f"such a count is {WITHHELD}, so that no small number of people can be picked out. Zero is shown, except in "
    "partner data, where every count under 5 is withheld."
)


def is_suppressed(count: object, *, partner: bool = False) -> bool:
    """Whether `count` must not be shown. Police.uk breakdowns: 1 to 4 (estimates with decimals included).
    Partner data: anything under 5, zero included. A missing count is not suppressed (it is "not known")."""
    number = as_number(count)
    if number is None:
        return False
    return number < THRESHOLD if partner else 0 < number < THRESHOLD


def suppress(count: object, decimals: int = 0, *, partner: bool = False) -> str:
    """The count as it is shown: "fewer than 5" when suppressed, else with thousands separators."""
    if is_suppressed(count, partner=partner):
        return SUPPRESSED
    return thousands(count, decimals)


def withhold(count: object, text: str, *, partner: bool = False) -> str:
    """A value worked out from `count` (a rate, a share): withheld when the count is suppressed."""
    return WITHHELD if is_suppressed(count, partner=partner) else text


def any_suppressed(counts, *, partner: bool = False) -> bool:
    """Whether a table holding these counts needs the suppression note."""
    return any(is_suppressed(count, partner=partner) for count in counts)
