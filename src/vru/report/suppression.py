"""Small-number suppression: the one rule for every count the report prints.

The Serious Violence Duty's data-sharing rule is that partner data counts under 5 are never published.
The report applies it to every count of 1 to 4 it prints in a table or chart label, whatever the source
(see docs/report.md, "Suppression"): partner-sourced counts (Home Office recorded crime, the cost
components estimated from the force's offence mix) because the rule requires it, and police.uk counts
broken down by neighbourhood, ward, location or outcome so that one rule covers every table and a reader
never needs to know which source a small number came from. Zero is shown: it identifies nobody. When a
count is suppressed, a rate or share computed from it in the same row is withheld too (otherwise the
count could be worked back from the rate and the population).
"""

from __future__ import annotations

from vru.report.filters import is_missing, thousands

THRESHOLD = 5
SUPPRESSED = f"fewer than {THRESHOLD}"
WITHHELD = "not shown"
METHOD_NOTE = (
    f"Counts from 1 to {THRESHOLD - 1} are shown as \u201c{SUPPRESSED}\u201d, and a rate or share worked out from "
    f"such a count is {WITHHELD}, so that no small number of people can be picked out. Zero is shown."
)


def is_suppressed(count: object) -> bool:
    """True for a count above 0 and below the threshold (estimates with decimals included)."""
    return not is_missing(count) and 0 < float(count) < THRESHOLD


def suppress(count: object, decimals: int = 0) -> str:
    """The count as the report prints it: "fewer than 5" for 1 to 4, else with thousands separators."""
    if is_suppressed(count):
        return SUPPRESSED
    return thousands(count, decimals)


def withhold(count: object, text: str) -> str:
    """A value worked out from `count` (a rate, a share): withheld when the count is suppressed."""
    return WITHHELD if is_suppressed(count) else text


def any_suppressed(counts) -> bool:
    """Whether a table holding these counts needs the suppression note."""
    return any(is_suppressed(count) for count in counts)
