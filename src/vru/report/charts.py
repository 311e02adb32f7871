"""Charts as SVG with matplotlib: deterministic (no date in the metadata, fixed ids), accessible colours.

Each function takes plain values read from the bundle and returns SVG text. `svg_document` writes the
figure and puts the chart's title and alternative text into the SVG's own <title> and <desc>, so the file
still describes itself when someone copies it out of the report.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from html import escape

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

from vru.presentation.formatting import month_of_year, month_short, thousands  # noqa: E402

INK = "#0b0c0c"  # near black text: contrast 19:1 on white
MUTED = "#505a5f"  # secondary text: 7:1 on white
SERIES = "#1d4e89"  # dark blue: the observed series
HIGHLIGHT = "#b5152b"  # dark red: the focus area (always with a text label too)
GAP = "#dddddd"
BAND = "#9fb6d3"
FONT_FAMILY = ["Liberation Sans", "Arial", "DejaVu Sans"]
WIDTH = 7.0  # inches: the text width of an A4 page with 2 cm margins is about 6.7 in


def style() -> dict:
    """rcParams for every chart and map (applied with `plt.rc_context`)."""
    return {
        "font.family": "sans-serif",
        "font.sans-serif": FONT_FAMILY,
        "font.size": 9,
        "text.color": INK,
        "axes.labelcolor": INK,
        "axes.edgecolor": MUTED,
        "axes.titlesize": 10,
        "xtick.color": INK,
        "ytick.color": INK,
        "axes.spines.top": False,
        "axes.spines.right": False,
        # Text stays text (selectable, searchable, small files): WeasyPrint embeds the installed font in the PDF
        # (checked with pdffonts), and browsers fall back along the family list.
        "svg.fonttype": "none",
        "svg.hashsalt": "vru-report",  # fixed ids: the same bundle gives the same SVG bytes
        "hatch.linewidth": 0.8,
        "figure.dpi": 100,
    }


def svg_document(figure: Figure, title: str, description: str) -> str:
    """The figure as SVG text with <title> and <desc>, and no creation date."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight", pad_inches=0.05)
    plt.close(figure)
    svg = buffer.getvalue()
    head = f"<title>{escape(title)}</title><desc>{escape(description)}</desc>"
    svg = re.sub(r"(<svg\b[^>]*>)", lambda m: m.group(1) + head, svg, count=1)
    return svg


def _month_axis(axes, months: Sequence[str]) -> None:
    """Label every third month (and the last) with "Jan 2023"."""
    positions = [index for index, month in enumerate(months) if int(month[5:]) in (1, 4, 7, 10)]
    axes.set_xticks(positions, [month_short(months[index]).replace(" ", "\n") for index in positions], rotation=0)
    axes.set_xlim(-0.7, len(months) - 0.3)


def _runs(months: Sequence[str], values: dict[str, float]) -> list[list[int]]:
    """Indexes of consecutive months that have data: the series is drawn one run at a time."""
    runs: list[list[int]] = []
    for index, month in enumerate(months):
        if month in values:
            if runs and runs[-1][-1] == index - 1:
                runs[-1].append(index)
            else:
                runs.append([index])
    return runs


def _gap_bands(axes, months: Sequence[str], values: dict[str, float], label: bool = True) -> None:
    """A hatched band over each run of months with no data, labelled "no data" once per run."""
    missing = [index for index, month in enumerate(months) if month not in values]
    runs: list[list[int]] = []
    for index in missing:
        if runs and runs[-1][-1] == index - 1:
            runs[-1].append(index)
        else:
            runs.append([index])
    for run in runs:
        axes.axvspan(run[0] - 0.5, run[-1] + 0.5, facecolor=GAP, edgecolor=MUTED, hatch="//", linewidth=0, zorder=0)
        if label:
            axes.text(
                (run[0] + run[-1]) / 2,
                0.5,
                "no data",
                rotation=90,
                ha="center",
                va="center",
                transform=axes.get_xaxis_transform(),
                color=INK,
                fontsize=8,
                bbox={"boxstyle": "square,pad=0.2", "facecolor": "white", "edgecolor": "none"},
            )


def monthly_chart(months: Sequence[str], values: dict[str, float], ylabel: str, title: str, alt: str) -> str:
    """Monthly counts over the expected months: present months joined within a run, never across a gap."""
    with plt.rc_context(style()):
        figure, axes = plt.subplots(figsize=(WIDTH, 3.0))
        _gap_bands(axes, months, values)
        for run in _runs(months, values):
            axes.plot(run, [values[months[i]] for i in run], color=SERIES, linewidth=2, marker="o", markersize=3.5)
        axes.set_ylim(bottom=0)
        axes.set_ylabel(ylabel)
        axes.yaxis.set_major_formatter(lambda value, _: thousands(value))
        axes.grid(axis="y", color="#e5e5e5", linewidth=0.8)
        axes.set_axisbelow(True)
        _month_axis(axes, months)
        return svg_document(figure, title, alt)


def seasonal_chart(month_numbers: Sequence[int], index: Sequence[float | None], title: str, alt: str) -> str:
    with plt.rc_context(style()):
        figure, axes = plt.subplots(figsize=(WIDTH, 2.6))
        labels = [month_of_year(month)[:3] for month in month_numbers]
        heights = [value if value is not None else 0 for value in index]
        bars = axes.bar(range(len(labels)), heights, color=SERIES, width=0.7)
        for bar, value in zip(bars, index, strict=True):
            text = thousands(value, 2) if value is not None else "no data"
            axes.text(bar.get_x() + bar.get_width() / 2, bar.get_height(), text, ha="center", va="bottom", fontsize=8)
        axes.axhline(1, color=INK, linewidth=1, linestyle="--")
        axes.text(-0.45, 1.005, "average month", ha="left", va="bottom", fontsize=8, color=INK)
        axes.set_xticks(range(len(labels)), labels)
        present = [value for value in index if value is not None]
        low = min(present) if present else 1
        axes.set_ylim(min(0.8, low - 0.05), max(present + [1]) + 0.08)
        axes.set_ylabel("Index (average month = 1)")
        return svg_document(figure, title, alt)


def rate_bars(
    labels: Sequence[str],
    rates: Sequence[float | None],
    lower: Sequence[float | None],
    upper: Sequence[float | None],
    xlabel: str,
    ylabel: str,
    title: str,
    alt: str,
) -> str:
    """Vertical bars of rates with their confidence intervals as error bars; a missing rate is labelled."""
    with plt.rc_context(style()):
        figure, axes = plt.subplots(figsize=(WIDTH, 2.8))
        for position, (rate, low, high) in enumerate(zip(rates, lower, upper, strict=True)):
            if rate is None:
                axes.text(position, 0, "no areas", rotation=90, ha="center", va="bottom", fontsize=8)
                continue
            axes.bar(position, rate, color=SERIES, width=0.7)
            if low is not None and high is not None:
                axes.errorbar(position, rate, yerr=[[rate - low], [high - rate]], color=INK, capsize=3, linewidth=1)
        axes.set_xticks(range(len(labels)), labels)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.set_ylim(bottom=0)
        axes.grid(axis="y", color="#e5e5e5", linewidth=0.8)
        axes.set_axisbelow(True)
        return svg_document(figure, title, alt)


def comparison_chart(
    names: Sequence[str],
    rates: Sequence[float],
    lower: Sequence[float],
    upper: Sequence[float],
    focus: Sequence[bool],
    force_name: str | None,
    force_rate: float | None,
    xlabel: str,
    title: str,
    alt: str,
) -> str:
    """Horizontal dots with interval whiskers, highest at the top; the focus area in red and bold, labelled."""
    order = sorted(range(len(names)), key=lambda i: rates[i])
    with plt.rc_context(style()):
        figure, axes = plt.subplots(figsize=(WIDTH, 0.45 * len(names) + 1.0))
        for row, index in enumerate(order):
            colour = HIGHLIGHT if focus[index] else SERIES
            axes.errorbar(
                rates[index],
                row,
                xerr=[[rates[index] - lower[index]], [upper[index] - rates[index]]],
                fmt="D" if focus[index] else "o",
                color=colour,
                capsize=3,
                markersize=6,
            )
        labels = [names[i] + (" (this area)" if focus[i] else "") for i in order]
        axes.set_yticks(range(len(order)), labels)
        for tick, index in zip(axes.get_yticklabels(), order, strict=True):
            if focus[index]:
                tick.set_fontweight("bold")
                tick.set_color(HIGHLIGHT)
        if force_rate is not None:
            axes.axvline(force_rate, color=INK, linestyle="--", linewidth=1)
            axes.text(
                force_rate,
                len(order) - 0.4,
                f" {force_name} {thousands(force_rate, 1)}",
                fontsize=8,
                va="bottom",
                ha="left",
            )
        axes.set_ylim(-0.6, len(order) + 0.2)
        axes.set_xlim(0, max(list(upper) + ([force_rate] if force_rate is not None else [])) * 1.12)
        axes.set_xlabel(xlabel)
        axes.grid(axis="x", color="#e5e5e5", linewidth=0.8)
        axes.set_axisbelow(True)
        return svg_document(figure, title, alt)


def concentration_chart(
    share_of_units: Sequence[float],
    share_of_incidents: Sequence[float],
    marks: Sequence[tuple[float, float]],
    xlabel: str,
    ylabel: str,
    title: str,
    alt: str,
) -> str:
    """Cumulative share of incidents (y) against share of units taken from the most incidents down (x)."""
    with plt.rc_context(style()):
        figure, axes = plt.subplots(figsize=(WIDTH * 0.62, 3.4))
        axes.plot([0, 100], [0, 100], color=MUTED, linestyle="--", linewidth=1)
        axes.text(62, 55, "even spread", rotation=0, color=MUTED, fontsize=8, ha="left")
        axes.plot([x * 100 for x in share_of_units], [y * 100 for y in share_of_incidents], color=SERIES, linewidth=2)
        for x, y in marks:
            axes.plot([x * 100], [y * 100], "o", color=HIGHLIGHT, markersize=5)
            axes.annotate(
                f"top {thousands(x * 100)}%: {thousands(y * 100)}%",
                (x * 100, y * 100),
                xytext=(8, -12),
                textcoords="offset points",
                fontsize=8,
            )
        axes.set_xlim(0, 100)
        axes.set_ylim(0, 100)
        axes.set_xlabel(xlabel)
        axes.set_ylabel(ylabel)
        axes.xaxis.set_major_formatter(lambda value, _: f"{value:.0f}%")
        axes.yaxis.set_major_formatter(lambda value, _: f"{value:.0f}%")
        axes.grid(color="#e5e5e5", linewidth=0.8)
        axes.set_axisbelow(True)
        return svg_document(figure, title, alt)


def forecast_chart(
    months: Sequence[str],
    values: dict[str, float],
    forecast_months: Sequence[str],
    forecast_mean: Sequence[float],
    forecast_lower: Sequence[float],
    forecast_upper: Sequence[float],
    reliable: bool,
    ylabel: str,
    title: str,
    alt: str,
) -> str:
    """Observed counts, then the forecast range. An unreliable forecast is a hatched range with no line."""
    axis_months = list(months) + list(forecast_months)
    with plt.rc_context(style()):
        figure, axes = plt.subplots(figsize=(WIDTH, 2.6))
        _gap_bands(axes, months, values, label=False)
        for run in _runs(months, values):
            axes.plot(run, [values[months[i]] for i in run], color=SERIES, linewidth=2, marker="o", markersize=3)
        start = len(months)
        positions = list(range(start, start + len(forecast_months)))
        if positions:
            if reliable:
                axes.fill_between(positions, forecast_lower, forecast_upper, color=BAND, alpha=0.7, linewidth=0)
                axes.plot(positions, forecast_mean, color=SERIES, linestyle="--", linewidth=1.5)
                label = "forecast range"
            else:
                axes.fill_between(
                    positions,
                    forecast_lower,
                    forecast_upper,
                    facecolor="white",
                    edgecolor=MUTED,
                    hatch="xx",
                    linewidth=0.8,
                )
                label = "forecast range: NOT RELIABLE"
            axes.text(
                (positions[0] + positions[-1]) / 2,
                max(forecast_upper) * 1.02,
                label,
                ha="center",
                va="bottom",
                fontsize=8,
                fontweight="bold",
            )
            axes.axvline(start - 0.5, color=INK, linewidth=0.8)
        axes.set_ylim(0, max(list(values.values()) + list(forecast_upper) + [1]) * 1.15)
        axes.set_ylabel(ylabel)
        axes.yaxis.set_major_formatter(lambda value, _: thousands(value))
        axes.grid(axis="y", color="#e5e5e5", linewidth=0.8)
        axes.set_axisbelow(True)
        _month_axis(axes, axis_months)
        return svg_document(figure, title, alt)
