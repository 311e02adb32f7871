"""Offence group names as keys: one rule shared by the recorded-crime reader, unit costs and cost analysis."""

from __future__ import annotations

import re


def offence_key(name: str) -> str:
    """'Violence with injury' -> 'violence_with_injury'; en and em dashes count as hyphens."""
    text = str(name).replace("\u2013", "-").replace("\u2014", "-").casefold()
    return re.sub(r"[^a-z0-9]+", "_", text).strip("_")
