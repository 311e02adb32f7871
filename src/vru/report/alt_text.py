"""Alternative text for every chart and map, written from the data drawn (never by hand).

Each function takes plain values (lists, strings, numbers) and returns one or two sentences that say what
kind of picture it is, what it shows and the values a reader would look for: first and last, highest and
lowest, gaps. The full numbers are in the data table that goes with every figure.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from vru.presentation.formatting import is_missing, join_words, month_list, month_name, month_of_year, thousands

Formatter = Callable[[object], str]


def _direction(first: float, last: float) -> str:
    if last > first:
        return "rising"
    if last < first:
        return "falling"
    return "level"


def monthly_series(
    months: Sequence[str],
    counts: Sequence[float],
    missing: Sequence[str],
    first_month: str,
    last_month: str,
    what: str = "monthly counts",
) -> str:
    """Line chart of a monthly series with gaps, e.g. "Line chart of monthly counts from January 2023 to April
    2025, rising from 367 to 493; lowest 367 in January 2023, highest 622 in May 2024; no data for July and
    August 2024 (shown as gaps, not joined)."""
    pairs = [(month, count) for month, count in zip(months, counts, strict=True) if not is_missing(count)]
    text = f"Line chart of {what} from {month_name(first_month)} to {month_name(last_month)}"
    if not pairs:
        return text + ": no months have data."
    first_value, last_value = pairs[0][1], pairs[-1][1]
    low = min(pairs, key=lambda pair: (pair[1], pair[0]))
    high = max(pairs, key=lambda pair: (pair[1], pair[0]))
    direction = _direction(first_value, last_value)
    text += (
        f", {direction} from {thousands(first_value)} to {thousands(last_value)}"
        if direction != "level"
        else f", {thousands(first_value)} at the start and at the end"
    )
    text += (
        f"; lowest {thousands(low[1])} in {month_name(low[0])}, highest {thousands(high[1])} in {month_name(high[0])}"
    )
    if missing:
        text += f"; no data for {month_list(missing)} (shown as a gap, not joined across)"
    return text + "."


def bar_chart(what: str, labels: Sequence[str], values: Sequence[float], fmt: Formatter = thousands) -> str:
    """ "Bar chart of <what> for 12 <labels>: highest <label> (<value>), lowest <label> (<value>)."""
    pairs = [(label, value) for label, value in zip(labels, values, strict=True) if not is_missing(value)]
    text = f"Bar chart of {what}"
    if not pairs:
        return text + ": no values."
    high = max(pairs, key=lambda pair: pair[1])
    low = min(pairs, key=lambda pair: pair[1])
    text += f": highest {high[0]} ({fmt(high[1])}), lowest {low[0]} ({fmt(low[1])})"
    absent = [label for label, value in zip(labels, values, strict=True) if is_missing(value)]
    if absent:
        text += f"; no value for {join_words(absent)}"
    return text + "."


def seasonal_profile(month_numbers: Sequence[int], index: Sequence[float | None]) -> str:
    """Bar chart of the seasonal index by month of year."""
    labels = [month_of_year(month) for month in month_numbers]
    return bar_chart(
        "the seasonal index by month of year (1.00 = an average month)",
        labels,
        index,
        fmt=lambda value: thousands(value, 2),
    )


def rate_by_decile(deciles: Sequence[int], rates: Sequence[float | None], what: str) -> str:
    """Bar chart of rates by deprivation decile (1 = most deprived)."""
    labels = [f"decile {decile}" for decile in deciles]
    return bar_chart(f"{what} by deprivation decile (1 = most deprived)", labels, rates, fmt=_one_decimal)


def _one_decimal(value: object) -> str:
    return thousands(value, 1)


def comparison(
    names: Sequence[str],
    rates: Sequence[float],
    focus: str,
    force: str | None,
    force_rate: float | None,
    measure: str = "rates",
) -> str:
    """Dot chart of partnership rates with their intervals, and the force rate as a line."""
    text = bar_chart(f"{measure} for {thousands(len(names))} partnerships", names, rates, _one_decimal)
    text = "Dot chart" + text[len("Bar chart") : -1]
    ranked = sorted(range(len(names)), key=lambda i: -rates[i])
    if focus in names:
        text += f"; {focus} is {_ordinal(ranked.index(names.index(focus)) + 1)} highest"
    if force and not is_missing(force_rate):
        text += f"; the vertical line marks {force} as a whole ({_one_decimal(force_rate)})"
    return text + "."


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def concentration_curve(points: Sequence[tuple[float, float]], units: int, unit_word: str) -> str:
    """Cumulative share of incidents against share of units, highest first. `points` are read off the curve,
    e.g. [(0.1, 0.34), (0.5, 0.85)]."""
    readings = [
        f"the top {thousands(units_share * 100)}% hold {thousands(share * 100)}%" for units_share, share in points
    ]
    text = (
        f"Curve of the share of crimes against the share of the {thousands(units)} {unit_word}, "
        f"taken from the most crimes to the fewest"
    )
    if readings:
        text += ": " + join_words(readings)
    return text + "; the diagonal would mean crimes spread evenly."


def choropleth(
    units: int,
    unit_word: str,
    area_name: str,
    measure: str,
    low: float | None,
    high: float | None,
    classes: int,
    highest: Sequence[str],
    fmt: Formatter = _one_decimal,
) -> str:
    """Map of areas shaded in classes, e.g. "Map of the 118 neighbourhoods (LSOAs) of Bath and North East
    Somerset shaded by rate per 1,000 residents a year in 5 classes from 3.4 to 213.5; highest: 007A
    (Kingsmead), 007B (Bathwick) and 009C (Kingsmead)."""
    text = (
        f"Map of the {thousands(units)} {unit_word} of {area_name} shaded by {measure} in {thousands(classes)} classes"
    )
    if not is_missing(low) and not is_missing(high):
        text += f" from {fmt(low)} to {fmt(high)}"
    if highest:
        text += f"; highest: {join_words(highest)}"
    return text + ". Darker shading means a higher value."


def categorical_map(units: int, unit_word: str, area_name: str, measure: str, counts: Sequence[tuple[str, int]]) -> str:
    """Map of areas in named categories, e.g. IMD deciles: "... by IMD 2025 decile: decile 1, 3 areas; ..."."""
    described = join_words(f"{label}: {thousands(count)}" for label, count in counts if count)
    return f"Map of the {thousands(units)} {unit_word} of {area_name} shaded by {measure} ({described})."


def hotspot_map(units: int, unit_word: str, area_name: str, hot: Sequence[str], cold: Sequence[str]) -> str:
    """Map of Gi* hot and cold spots."""
    text = (
        f"Map of the {thousands(units)} {unit_word} of {area_name} showing statistically significant hot and cold spots"
    )
    if not hot and not cold:
        return text + ": none is significant, so every area is shown as not significant."
    parts = []
    if hot:
        parts.append(
            f"{thousands(len(hot))} hot {'spot' if len(hot) == 1 else 'spots'} ({join_words(hot)}), "
            "red with diagonal hatching"
        )
    else:
        parts.append("no hot spots")
    if cold:
        parts.append(
            f"{thousands(len(cold))} cold {'spot' if len(cold) == 1 else 'spots'} ({join_words(cold)}), blue with dots"
        )
    else:
        parts.append("no cold spots")
    return text + ": " + "; ".join(parts) + "; every other area is pale grey (not significant)."


def forecast_chart(
    last_actual_month: str,
    forecast_months: Sequence[str],
    lower: Sequence[float],
    upper: Sequence[float],
    reliable: bool,
    coverage: float | None,
) -> str:
    """The forecast band after the observed series."""
    if not forecast_months:
        return "Chart of the observed monthly counts; no forecast was made."
    text = (
        f"Chart of the observed monthly counts to {month_name(last_actual_month)} followed by a shaded range for "
        f"{month_name(forecast_months[0])} to {month_name(forecast_months[-1])}, from "
        f"{thousands(min(lower))} to {thousands(max(upper))} a month"
    )
    if not reliable:
        text += (
            f"; the back-test intervals held only {thousands((coverage or 0) * 100)}% of actual months, so the range is"
            " drawn hatched, with no forecast line, and should not be relied on"
        )
    return text + "."
