"""The evidence library of what works (reference data): approaches from the Youth Endowment Fund Toolkit and the
College of Policing Crime Reduction Toolkit, read and checked, keeping every row's source.

The shipped file is ``vru/reference_data/evidence_library.csv`` (its README says where each figure came from).
A rating nobody has read from the source is left EMPTY in the file and comes out as None, shown as "not yet
checked": never a guess. Columns:

``slug``, ``toolkit``, ``name``, ``description`` (our words), ``impact_band`` (`IMPACT_BANDS`),
``impact_statement`` (what the source says, shortened, attributed), ``evidence_rating`` (YEF evidence quality
1-5, or empty), ``cost_rating`` (YEF cost 1-3, or empty), ``settings``, ``age_groups`` and ``themes``
(``;``-separated, from `SETTINGS`, `AGE_GROUPS`, `THEMES`; empty age groups = not yet checked),
``place_based`` and ``harmful`` (true/false), ``source_url``, ``source_title``, ``date_read`` (YYYY-MM-DD or
empty when not recorded), ``fields_read`` (``;``-separated: what was read from the source itself),
``verified`` (true only when someone checked every field against the live page, on ``date_read``).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from vru.errors import InputError, read_text

if TYPE_CHECKING:
    import pandas as pd

LIBRARY_FILE = Path(__file__).resolve().parents[1] / "reference_data" / "evidence_library.csv"

IMPACT_BANDS = {
    "high": "High impact: 30% or more less violence (YEF band)",
    "moderate": "Moderate impact: 10% to 30% less violence (YEF band)",
    "low": "Low impact: 2% to 9% less violence (YEF band)",
    "no-effect": "No effect on violence found",
    "insufficient": "Not enough evidence to estimate the impact",
    "harmful": "Harmful: the evidence finds it can increase offending",
    "not-yet-checked": "Not yet checked",
}
# How strong the impact band makes the case for an approach (for ranking; harmful approaches are never ranked).
BAND_STRENGTH = {"high": 3, "moderate": 2, "low": 1, "no-effect": 0, "insufficient": 0, "not-yet-checked": 0}
SETTINGS = {
    "hospital": "Hospital",
    "school": "School or college",
    "community": "Community",
    "family": "Family and home",
    "criminal-justice": "Police, courts, youth justice and probation",
    "public-space": "Streets and public places",
    "night-time-economy": "Town centre at night",
}
AGE_GROUPS = {"under-10": "Under 10", "10-17": "10 to 17", "18-24": "18 to 24", "25-plus": "25 and over"}
THEMES = {
    "youth-violence": "Youth violence",
    "weapons": "Knife and weapon crime",
    "public-space-violence": "Violence in public places",
    "exploitation": "Exploitation and county lines",
    "domestic-abuse": "Domestic abuse",
    "sexual-violence": "Sexual violence",
    "substance-misuse": "Substance misuse",
    "mental-health": "Mental health",
    "education-employment": "Education and employment",
    "victim-support": "Victim support",
    "family-support": "Family support",
    "youth-support": "Youth support and diversion",
    "night-time-economy": "Night-time economy safety",
    "reoffending": "Reoffending",
}
COLUMNS = [
    "slug",
    "toolkit",
    "name",
    "description",
    "impact_band",
    "impact_statement",
    "evidence_rating",
    "cost_rating",
    "settings",
    "age_groups",
    "themes",
    "place_based",
    "harmful",
    "source_url",
    "source_title",
    "date_read",
    "fields_read",
    "verified",
]
LIST_COLUMNS = {"settings": SETTINGS, "age_groups": AGE_GROUPS, "themes": THEMES}
RATING_RANGES = {"evidence_rating": (1, 5), "cost_rating": (1, 3)}
SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
BOOLEANS = {"true": True, "false": False}


def read_evidence_library(path: str | Path = LIBRARY_FILE) -> pd.DataFrame:
    """The approaches, one row each, lists as tuples, unread ratings as None. Raises InputError naming the
    file, line and column of the first problem."""
    import pandas as pd  # here, so the portal's web process can import the vocabularies without pandas

    path = Path(path)
    text = read_text(path)
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or []]
    missing = [name for name in COLUMNS if name not in header]
    if missing:
        raise InputError(path, f"missing columns: {', '.join(missing)}", line=1)
    rows, seen = [], set()
    for line, raw in enumerate(reader, start=2):
        row = {name: (raw.get(name) or "").strip() for name in COLUMNS}
        rows.append(_check_row(path, line, row, seen))
    if not rows:
        raise InputError(path, "no approaches in the file", line=2)
    return pd.DataFrame(rows, columns=COLUMNS)


def _check_row(path: Path, line: int, row: dict[str, str], seen: set[str]) -> dict:
    def fail(column: str, problem: str) -> InputError:
        return InputError(path, problem, line=line, column=column)

    for name in ("slug", "toolkit", "name", "description", "impact_band", "source_url"):
        if not row[name]:
            raise fail(name, "required")
    if not SLUG.match(row["slug"]):
        raise fail("slug", f"not a slug (lower-case words joined by hyphens): {row['slug']!r}")
    if row["slug"] in seen:
        raise fail("slug", f"duplicate slug {row['slug']!r}")
    seen.add(row["slug"])
    if row["impact_band"] not in IMPACT_BANDS:
        raise fail("impact_band", f"{row['impact_band']!r} is not one of {', '.join(IMPACT_BANDS)}")
    if not row["source_url"].startswith("https://"):
        raise fail("source_url", "must be an https:// address")
    result: dict = dict(row)
    for name, (low, high) in RATING_RANGES.items():
        if not row[name]:
            result[name] = None
            continue
        if not row[name].isdigit() or not low <= int(row[name]) <= high:
            raise fail(name, f"must be a whole number from {low} to {high}, or empty when not read: {row[name]!r}")
        result[name] = int(row[name])
    for name, vocabulary in LIST_COLUMNS.items():
        values = tuple(value.strip() for value in row[name].split(";") if value.strip())
        unknown = [value for value in values if value not in vocabulary]
        if unknown:
            raise fail(name, f"unknown {name.replace('_', ' ')} {unknown}: use {', '.join(vocabulary)}")
        result[name] = values
    for name in ("place_based", "harmful", "verified"):
        if row[name].lower() not in BOOLEANS:
            raise fail(name, f"must be true or false: {row[name]!r}")
        result[name] = BOOLEANS[row[name].lower()]
    if result["harmful"] != (row["impact_band"] == "harmful"):
        raise fail("harmful", "an approach is flagged harmful exactly when its impact band is 'harmful'")
    if row["date_read"]:
        try:
            result["date_read"] = date.fromisoformat(row["date_read"])
        except ValueError:
            raise fail("date_read", f"not a date in YYYY-MM-DD form: {row['date_read']!r}") from None
    else:
        result["date_read"] = None
    result["fields_read"] = tuple(value.strip() for value in row["fields_read"].split(";") if value.strip())
    if result["verified"] and result["date_read"] is None:
        raise fail("verified", "an approach is verified only with the date its source was read")
    return result
