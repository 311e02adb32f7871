"""Formatting of numbers, money, months, dates and intervals: the one set of formatters for the report (as Jinja
filters), the dashboard (through portal.insights.presentation) and the finding text the bundle carries.

Every function takes a value read from the bundle and returns display text. A missing value (None, NaN or
infinity: the bundle writes NaN and infinity as null) always gives "not available", so "None" or "nan"
never reaches the page.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import datetime
from numbers import Number

NOT_AVAILABLE = "not available"
MINUS = "\u2212"  # a real minus sign: screen readers say "minus", and it does not break across lines
EN_DASH = "\u2013"
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def is_missing(value: object) -> bool:
    """True for None, NaN, infinity and pandas' missing markers."""
    if value is None:
        return True
    if isinstance(value, Number) and not isinstance(value, bool):
        try:
            return not math.isfinite(float(value))
        except (TypeError, ValueError):
            return True
    return type(value).__name__ in {"NAType", "NaTType"}


def as_number(value: object) -> float | None:
    """A finite float, or None for a missing value, a boolean or text that is not a number."""
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def _signed(text: str) -> str:
    return MINUS + text[1:] if text.startswith("-") else text


def _rounded(value: float, decimals: int) -> float:
    # Round half away from zero (what people expect from 2.5 → 3), not Python's banker's rounding.
    factor = 10**decimals
    return math.floor(abs(value) * factor + 0.5) / factor * (1 if value >= 0 else -1)


def thousands(value: object, decimals: int = 0) -> str:
    """12644 → "12,644"; 4801.37 with decimals=1 → "4,801.4"; negative numbers get a minus sign."""
    if is_missing(value):
        return NOT_AVAILABLE
    number = _rounded(float(value), decimals)
    if number == 0:
        number = 0.0  # no "-0"
    return _signed(f"{number:,.{decimals}f}")


def number(value: object, decimals: int = 1) -> str:
    """A number with a fixed number of decimals and thousands separators: 29.7198 → "29.7"."""
    return thousands(value, decimals)


def percent(share: object, decimals: int = 0) -> str:
    """A share (0 to 1) as a percentage: 0.2378 → "24%"."""
    if is_missing(share):
        return NOT_AVAILABLE
    return thousands(float(share) * 100, decimals) + "%"


def percent_value(value: object, decimals: int = 1) -> str:
    """A value already in per cent: 15.8603 → "15.9%"."""
    if is_missing(value):
        return NOT_AVAILABLE
    return thousands(value, decimals) + "%"


def signed_percent(value: object, decimals: int = 1) -> str:
    """A change in per cent with its sign: 15.86 → "+15.9%", -4.2 → "−4.2%"."""
    if is_missing(value):
        return NOT_AVAILABLE
    text = percent_value(value, decimals)
    return text if text.startswith(MINUS) or _rounded(float(value), decimals) == 0 else "+" + text


def ratio(value: object, decimals: int = 2) -> str:
    """A ratio: 1.1556 → "1.16"."""
    return thousands(value, decimals)


def gbp(value: object, decimals: int = 0) -> str:
    """Pounds: 14050 → "£14,050"; -32096053 → "−£32,096,053"."""
    if is_missing(value):
        return NOT_AVAILABLE
    text = thousands(abs(float(value)), decimals)
    return (MINUS if float(value) < 0 and text.strip("0.,") else "") + "£" + text


def gbp_millions(value: object, decimals: int = 1) -> str:
    """Pounds in millions: 43689499 → "£43.7m"; -32096053 → "−£32.1m"."""
    if is_missing(value):
        return NOT_AVAILABLE
    millions = float(value) / 1e6
    text = thousands(abs(millions), decimals)
    return (MINUS if millions < 0 and text.strip("0.,") else "") + "£" + text + "m"


def money(value: object) -> str:
    """Pounds as a headline: millions from £1m (43689499 → "£43.7m"), else whole pounds (14050 → "£14,050")."""
    if is_missing(value):
        return NOT_AVAILABLE
    return gbp_millions(value) if abs(float(value)) >= 1e6 else gbp(value)


def p_value(value: object) -> str:
    """A p-value as people read it: below 0.001 → "p < 0.001", below 0.1 → "p = 0.052", else "p = 0.27".
    Three decimals below 0.1 so that rounding never carries a p-value across the 0.05 line (0.052 printed as
    "p = 0.05" beside "not significant" reads as a contradiction)."""
    if is_missing(value):
        return "p " + NOT_AVAILABLE
    p = float(value)
    if p < 0.001:
        return "p < 0.001"
    if p < 0.1:
        return f"p = {p:.3f}"
    return f"p = {p:.2f}"


def confidence_label(confidence: object) -> str:
    """0.95 → "95% CI"."""
    if is_missing(confidence):
        return "CI"
    return percent(confidence, 0) + " CI"


def interval(lower: object, upper: object, decimals: int = 1, suffix: str = "") -> str:
    """ "25.6 to 27.0" (or "not available" when a bound is missing)."""
    if is_missing(lower) or is_missing(upper):
        return NOT_AVAILABLE
    return f"{number(lower, decimals)}{suffix} to {number(upper, decimals)}{suffix}"


def month_name(month: object) -> str:
    """ "2024-07" → "July 2024"."""
    if is_missing(month) or not isinstance(month, str) or not re.fullmatch(r"\d{4}-\d{2}", month):
        return NOT_AVAILABLE
    return f"{MONTH_NAMES[int(month[5:]) - 1]} {month[:4]}"


def month_short(month: str) -> str:
    """ "2024-07" → "Jul 2024" (for axis labels)."""
    return f"{MONTH_NAMES[int(month[5:]) - 1][:3]} {month[:4]}"


def month_of_year(value: object) -> str:
    """5 → "May"."""
    if is_missing(value):
        return NOT_AVAILABLE
    return MONTH_NAMES[int(value) - 1]


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    """["a", "b", "c"] → "a, b and c"."""
    items = [str(item) for item in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


def month_list(months: Iterable[str]) -> str:
    """Months by name, grouped by year: ["2024-07", "2024-08"] → "July and August 2024";
    ["2023-12", "2024-01"] → "December 2023 and January 2024"; [] → "none"."""
    months = sorted(months)
    if not months:
        return "none"
    by_year: dict[str, list[str]] = {}
    for month in months:
        by_year.setdefault(month[:4], []).append(MONTH_NAMES[int(month[5:]) - 1])
    return join_words(f"{join_words(names)} {year}" for year, names in by_year.items())


NOT_PUBLISHED = "not published by police.uk"
NOT_LOADED = "not in the loaded data"


def missing_months_text(missing: Iterable[str], checked: Iterable[dict] | None = None) -> str:
    """What can be said of the period's missing months: "July and August 2024 are not published by police.uk
    (checked 2 December 2026)" only for months a `vru fetch --check-available` run found police.uk lacks
    (the bundle's `missing_months_checked`), "… not in the loaded data" for the rest; "" when none is missing."""
    status = {row["month"]: row for row in checked or []}
    groups: dict[str, list[str]] = {}
    for month in sorted(missing):
        row = status.get(month)
        groups.setdefault(row["status"] if row and row["status"] == NOT_PUBLISHED else NOT_LOADED, []).append(month)
    parts = []
    for kind in (NOT_PUBLISHED, NOT_LOADED):
        months = groups.get(kind)
        if not months:
            continue
        verb = "is" if len(months) == 1 else "are"
        text = f"{month_list(months)} {verb} {kind}"
        if kind == NOT_PUBLISHED:
            dates = sorted({long_date(status[m].get("checked_at")) for m in months if status[m].get("checked_at")})
            text += f" (checked {join_words(dates)})" if dates else ""
        parts.append(text)
    return "; ".join(parts)


def period(first: str, last: str) -> str:
    """ "2023-01", "2025-04" → "January 2023 to April 2025"."""
    return f"{month_name(first)} to {month_name(last)}"


def long_date(value: object) -> str:
    """An ISO date or timestamp ("2026-11-26T13:52:10Z") → "26 November 2026"."""
    if is_missing(value) or not isinstance(value, str):
        return NOT_AVAILABLE
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return NOT_AVAILABLE
    return f"{moment.day} {MONTH_NAMES[moment.month - 1]} {moment.year}"


_LONG_DECIMAL = re.compile(r"(?<![\w.])(-?\d+\.\d{6,})(?![\d])")  # machine floats, not 1.0149
_SCIENTIFIC = re.compile(r"(?<![\w.])(\d(?:\.\d+)?e-\d+)(?![\w])")


def tidy_numbers(text: object) -> str:
    """Shorten over-long decimals written into bundle text ("(0.7143203807108576, 0.739...)" → "(0.714, 0.740)",
    "p = 2.478e-14" → "p < 0.001"). Other text is left alone."""
    if is_missing(text):
        return NOT_AVAILABLE
    text = str(text)
    text = re.sub(r"p = " + _SCIENTIFIC.pattern, lambda m: p_value(float(m.group(1))), text)
    return _LONG_DECIMAL.sub(lambda m: f"{float(m.group(1)):.3g}", text)


def tidy_text(text: object) -> str:
    """`tidy_numbers`, and identifiers written with underscores ("negative_binomial") as words."""
    return re.sub(r"(?<=[a-z])_(?=[a-z])", " ", tidy_numbers(text))


def humanise(name: object) -> str:
    """ "violence_with_injury" → "violence with injury"."""
    if is_missing(name):
        return NOT_AVAILABLE
    return str(name).replace("_", " ")


def sentence(text: object) -> str:
    """Capitalise the first letter: "violence with injury" → "Violence with injury"."""
    text = humanise(text)
    return text[:1].upper() + text[1:]


def plural(count: object, singular: str, plural_form: str | None = None) -> str:
    """1, "month" → "1 month"; 2 → "2 months" (count formatted with thousands separators)."""
    if is_missing(count):
        return f"{NOT_AVAILABLE} {plural_form or singular + 's'}"
    word = singular if float(count) == 1 else (plural_form or singular + "s")
    return f"{thousands(count)} {word}"


def yes_no(value: object) -> str:
    if is_missing(value):
        return NOT_AVAILABLE
    return "yes" if value else "no"


FILTERS = {
    "thousands": thousands,
    "number": number,
    "percent": percent,
    "percent_value": percent_value,
    "signed_percent": signed_percent,
    "ratio": ratio,
    "gbp": gbp,
    "gbp_millions": gbp_millions,
    "money": money,
    "p_value": p_value,
    "confidence_label": confidence_label,
    "interval": interval,
    "month_name": month_name,
    "month_of_year": month_of_year,
    "month_list": month_list,
    "long_date": long_date,
    "tidy_numbers": tidy_numbers,
    "tidy_text": tidy_text,
    "humanise": humanise,
    "sentence": sentence,
    "plural": plural,
    "yes_no": yes_no,
    "join_words": join_words,
}
