"""The toolkit's presentation layer (vru.presentation, docs/adr/0010-one-presentation-layer.md) for the portal:
the same formatting and the same small-number rule as the SNA report, so a figure never differs between them.
Tables are built with `tables` (columns under the small-number rule, as the report's `Table.of`). Pure
Python: safe to import in the web process. `month_range` (every month of a period) is the toolkit's own."""

from __future__ import annotations

from vru.months import month_range
from vru.presentation import svg, tables
from vru.presentation.classes import classify, quantile_breaks, sequential_colours
from vru.presentation.formatting import (
    MONTH_NAMES,
    NOT_AVAILABLE,
    gbp,
    gbp_millions,
    interval,
    join_words,
    missing_months_text,
    money,
    month_list,
    month_name,
    number,
    p_value,
    percent,
    percent_value,
    ratio,
    signed_percent,
    thousands,
)
from vru.presentation.spc_chart import POINT_WORDS, spc_chart
from vru.presentation.suppression import METHOD_NOTE, SUPPRESSED, WITHHELD, is_suppressed, suppress, withhold

__all__ = [
    "METHOD_NOTE",
    "MONTH_NAMES",
    "NOT_AVAILABLE",
    "POINT_WORDS",
    "SUPPRESSED",
    "WITHHELD",
    "classify",
    "gbp",
    "gbp_millions",
    "interval",
    "is_suppressed",
    "join_words",
    "missing_months_text",
    "money",
    "month_list",
    "month_name",
    "month_range",
    "number",
    "p_value",
    "percent",
    "percent_value",
    "quantile_breaks",
    "ratio",
    "sequential_colours",
    "signed_percent",
    "spc_chart",
    "suppress",
    "svg",
    "tables",
    "thousands",
    "withhold",
]
