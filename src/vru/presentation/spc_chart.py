"""The SPC (XmR) chart as SVG, drawn in Python: the monthly values, the mean and the process limits fixed on
the baseline, and each point marked by the "Making Data Count" colours and a shape, so that colour is never
the only cue. No JavaScript and no `style`: presentation attributes only (see vru.presentation.svg). The
portal's monitoring pages and the strategy documents draw it from a measure's chart points
(vru.analysis.monitoring)."""

from __future__ import annotations

import math
from collections.abc import Sequence

from vru.presentation.svg import (
    AXIS,
    SECONDARY_TEXT,
    _open,
    baseline,
    esc,
    fmt,
    month_axis,
    nice_step,
    tick_label,
    y_gridlines,
)

LINE = "#505a5f"
LIMIT = "#505a5f"
MEAN = "#0b0c0c"
# Improvement blue, concern orange-brown, neutral purple: each at least 3:1 against white, and told apart by
# shape too (circle, square, diamond).
POINT_COLOURS = {"improvement": "#2166ac", "concern": "#b35806", "neutral_high": "#5e3c99", "neutral_low": "#5e3c99"}
POINT_WORDS = {
    "common_cause": "common cause",
    "improvement": "special cause, improving",
    "concern": "special cause, concern",
    "neutral_high": "special cause, higher",
    "neutral_low": "special cause, lower",
}


def _marker(x: float, y: float, point_type: str, title: str) -> str:
    colour = POINT_COLOURS.get(point_type)
    if colour is None:
        return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="3" fill="{LINE}"><title>{esc(title)}</title></circle>'
    if point_type == "concern":
        return (
            f'<rect x="{fmt(x - 5)}" y="{fmt(y - 5)}" width="10" height="10" fill="{colour}">'
            f"<title>{esc(title)}</title></rect>"
        )
    if point_type.startswith("neutral"):
        diamond = f"{fmt(x)},{fmt(y - 6)} {fmt(x + 6)},{fmt(y)} {fmt(x)},{fmt(y + 6)} {fmt(x - 6)},{fmt(y)}"
        return f'<polygon points="{diamond}" fill="{colour}"><title>{esc(title)}</title></polygon>'
    return f'<circle cx="{fmt(x)}" cy="{fmt(y)}" r="5.5" fill="{colour}"><title>{esc(title)}</title></circle>'


def spc_chart(points: Sequence[dict], *, id_prefix: str, title: str, desc: str, width: float = 640.0) -> str:
    """`points`: the chart points of a published measure (month, value, mean, lower_limit, upper_limit,
    point_type, baseline). The y axis starts at zero: a lower limit below zero is not drawn."""
    height = 330.0
    left, right, top, bottom = 56.0, 16.0, 24.0, 64.0
    plot_w, plot_h = width - left - right, height - top - bottom
    highest = max(max(point["value"], point["upper_limit"]) for point in points)
    step = nice_step(highest or 1)
    y_max = max(step, math.ceil(highest / step) * step)
    slot = plot_w / max(len(points), 1)

    def x_of(index: int) -> float:
        return left + slot * (index + 0.5)

    def y_of(value: float) -> float:
        return top + plot_h - (max(value, 0.0) / y_max) * plot_h

    parts = _open(width, height, id_prefix, title, desc)
    parts.extend(y_gridlines(y_of, 0.0, y_max, step, left, width - right, font_size=14))
    parts.append(baseline(left, width - right, top + plot_h))
    # The strategy's start: a vertical line between the last baseline month and the first after it.
    after = [index for index, point in enumerate(points) if not point.get("baseline", True)]
    if after:
        x = left + slot * after[0]
        parts.append(
            f'<line x1="{fmt(x)}" y1="{fmt(top)}" x2="{fmt(x)}" y2="{fmt(top + plot_h)}" stroke="{AXIS}" '
            f'stroke-width="1.5" stroke-dasharray="2 3"/><text x="{fmt(x + 4)}" y="{fmt(top - 8)}" font-size="13" '
            f'fill="{SECONDARY_TEXT}">Strategy starts</text>'
        )
    # Mean (solid) and process limits (dashed), fixed on the baseline.
    first, last = x_of(0) - slot / 2, x_of(len(points) - 1) + slot / 2
    mean, lower, upper = points[-1]["mean"], points[-1]["lower_limit"], points[-1]["upper_limit"]
    parts.append(
        f'<line x1="{fmt(first)}" y1="{fmt(y_of(mean))}" x2="{fmt(last)}" y2="{fmt(y_of(mean))}" stroke="{MEAN}" '
        f'stroke-width="1.5"><title>Mean {tick_label(round(mean, 1))}</title></line>'
    )
    for value, name in ((upper, "Upper"), (lower, "Lower")):
        if value > 0:
            parts.append(
                f'<line x1="{fmt(first)}" y1="{fmt(y_of(value))}" x2="{fmt(last)}" y2="{fmt(y_of(value))}" '
                f'stroke="{LIMIT}" stroke-width="1.5" stroke-dasharray="6 4">'
                f"<title>{name} process limit {tick_label(round(value, 1))}</title></line>"
            )
    line = " ".join(f"{fmt(x_of(index))},{fmt(y_of(point['value']))}" for index, point in enumerate(points))
    parts.append(f'<polyline points="{line}" fill="none" stroke="{LINE}" stroke-width="2" stroke-linejoin="round"/>')
    for index, point in enumerate(points):
        words = POINT_WORDS.get(point["point_type"], point["point_type"])
        parts.append(
            _marker(
                x_of(index),
                y_of(point["value"]),
                point["point_type"],
                f"{point['month']}: {tick_label(point['value'])} ({words})",
            )
        )
    parts.extend(
        month_axis(
            [point["month"] for point in points],
            x_of,
            top + plot_h,
            font_size=13,
            tick_marks=False,
            label_gap=22.0,
            year_gap=42.0,
        )
    )
    parts.append("</svg>")
    return "".join(parts)
