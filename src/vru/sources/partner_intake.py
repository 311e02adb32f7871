"""Local partner data that is not published: one CSV template per kind, and the validator every file
goes through (the `vru partner` command and the portal's partner uploads alike).

Kinds (docs/partner-data.md has each template, column by column):

* `ed_assault`: emergency department assault attendances in the Information Sharing to Tackle Violence
  (ISTV, "Cardiff Model") minimum data set: date and time band of the assault, its location (and the
  LSOA where the partner geocodes it), the weapon, the patient's age band and sex;
* `ambulance_assault`: ambulance call-outs to assaults;
* `youth_justice_cohort`: youth justice service cohorts, counts by month;
* `school_suspension`: suspensions and permanent exclusions by school and month.

A file's kind is recognised from its header (the template's columns, in any order, nothing more). Every
bad cell is reported with its line (header = line 1), column and why; a file with any error loads
nothing. Record-level kinds carry the partner's own pseudonymous `record_id` (never a name, NHS number
or date of birth): a repeated id is kept and counted as a duplicate in the data-quality scorecard.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from vru.errors import InputError

TIME_BANDS = ("00-03", "03-06", "06-09", "09-12", "12-15", "15-18", "18-21", "21-24", "unknown")
AGE_BANDS = ("0-9", "10-14", "15-17", "18-24", "25-34", "35-44", "45-54", "55-64", "65+", "unknown")
YOUTH_AGE_BANDS = ("10-14", "15-17", "unknown")
SEXES = ("female", "male", "other", "unknown")
WEAPONS = ("none", "body part", "knife or sharp", "glass or bottle", "blunt object", "firearm", "other", "unknown")
LOCATION_TYPES = ("home", "street", "licensed premises", "school or college", "workplace", "public transport",
                  "other", "unknown")  # fmt: skip
INCIDENT_TYPES = ("assault", "stabbing", "shooting", "other violence")
YOUTH_COHORTS = ("first time entrants", "reoffending cohort", "custody", "out of court disposal", "caseload")
LSOA = re.compile(r"[EW]01\d{6}")
URN = re.compile(r"\d{6}")
MAX_TEXT = 200


@dataclass(frozen=True)
class Column:
    name: str
    kind: str  # date | month | choice | lsoa | count | text | id | urn
    required: bool = True
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Template:
    kind: str
    title: str
    columns: tuple[Column, ...]
    date_column: str  # gives the record's month
    key_columns: tuple[str, ...]  # a repeat of these is a duplicate
    record_level: bool  # one row per event (counts 1) or aggregate rows (a `count` column)

    @property
    def names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def has_lsoa(self) -> bool:
        return "lsoa21_code" in self.names


TEMPLATES = {
    template.kind: template
    for template in (
        Template(
            "ed_assault",
            "Emergency department assault attendances (ISTV minimum data set)",
            (
                Column("record_id", "id"),
                Column("attendance_date", "date"),
                Column("assault_date", "date", required=False),
                Column("assault_time_band", "choice", choices=TIME_BANDS),
                Column("assault_location", "text"),
                Column("location_type", "choice", choices=LOCATION_TYPES),
                Column("lsoa21_code", "lsoa", required=False),
                Column("weapon", "choice", choices=WEAPONS),
                Column("age_band", "choice", choices=AGE_BANDS),
                Column("sex", "choice", choices=SEXES),
            ),
            "attendance_date",
            ("record_id",),
            True,
        ),
        Template(
            "ambulance_assault",
            "Ambulance call-outs to assaults",
            (
                Column("record_id", "id"),
                Column("callout_date", "date"),
                Column("time_band", "choice", choices=TIME_BANDS),
                Column("incident_type", "choice", choices=INCIDENT_TYPES),
                Column("lsoa21_code", "lsoa", required=False),
                Column("age_band", "choice", choices=AGE_BANDS),
                Column("sex", "choice", choices=SEXES),
            ),
            "callout_date",
            ("record_id",),
            True,
        ),
        Template(
            "youth_justice_cohort",
            "Youth justice service cohorts",
            (
                Column("month", "month"),
                Column("cohort", "choice", choices=YOUTH_COHORTS),
                Column("age_band", "choice", choices=YOUTH_AGE_BANDS),
                Column("sex", "choice", choices=SEXES),
                Column("count", "count"),
            ),
            "month",
            ("month", "cohort", "age_band", "sex"),
            False,
        ),
        Template(
            "school_suspension",
            "School suspensions and permanent exclusions by school",
            (
                Column("school_urn", "urn"),
                Column("school_name", "text"),
                Column("month", "month"),
                Column("suspensions", "count"),
                Column("permanent_exclusions", "count"),
                Column("pupils_suspended", "count"),
            ),
            "month",
            ("school_urn", "month"),
            False,
        ),
    )
}


@dataclass(frozen=True)
class RowProblem:
    line: int
    column: str | None
    problem: str

    def __str__(self) -> str:
        where = f"line {self.line}" + (f", column {self.column!r}" if self.column else "")
        return f"{where}: {self.problem}"


class IntakeErrors(InputError):
    """A partner file with bad rows: every problem, each with line, column and why. Nothing is loaded."""

    def __init__(self, file: str | Path, problems: list[RowProblem]):
        super().__init__(file, f"{len(problems)} problem(s); nothing was loaded")
        self.problems = problems

    def __str__(self) -> str:
        return "\n".join([f"{self.file}: {self.problem}", *(f"  {problem}" for problem in self.problems)])


@dataclass
class IntakeFile:
    """A valid partner file: its kind and rows (each a dict of the template's columns, plus `line` and
    `month` as YYYY-MM-01)."""

    name: str
    sha256: str
    template: Template
    rows: list[dict] = field(default_factory=list)

    @property
    def months(self) -> list[str]:
        return sorted({row["month"] for row in self.rows})


def template_for_header(header: list[str]) -> Template | None:
    names = {name.strip() for name in header}
    for template in TEMPLATES.values():
        if names == set(template.names):
            return template
    return None


def validate_partner_file(name: str, data: bytes, today: date | None = None) -> IntakeFile:
    """Check one partner CSV (its bytes and the name to report); IntakeErrors listing every problem."""
    today = today or date.today()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise IntakeErrors(name, [RowProblem(1, None, f"not UTF-8 text (byte {error.start})")]) from None
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if not header:
        raise IntakeErrors(
            name, [RowProblem(1, None, "the file is empty: the first line must be the template's header")]
        )
    template = template_for_header(header)
    if template is None:
        return _unknown_header(name, header)
    header = [column.strip() for column in header]
    columns = {column.name: column for column in template.columns}
    problems: list[RowProblem] = []
    rows = []
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue  # a blank line, as spreadsheets add at the end
        if len(cells) != len(header):
            problems.append(RowProblem(line, None, f"{len(cells)} cells where the header has {len(header)}"))
            continue
        row = {"line": line}
        problems_before = len(problems)
        for column_name, cell in zip(header, cells, strict=True):
            value, problem = check_cell(columns[column_name], cell.strip(), today)
            if problem:
                problems.append(RowProblem(line, column_name, problem))
            row[column_name] = value
        if len(problems) == problems_before:
            _check_row(template, row, problems)
            row["month"] = str(row[template.date_column])[:7] + "-01"
            rows.append(row)
    if problems:
        raise IntakeErrors(name, problems)
    if not rows:
        raise IntakeErrors(name, [RowProblem(2, None, "no rows under the header")])
    return IntakeFile(name, hashlib.sha256(data).hexdigest(), template, rows)


def _unknown_header(name: str, header: list[str]):
    names = {cell.strip() for cell in header}
    closest = max(TEMPLATES.values(), key=lambda template: len(names & set(template.names)))
    missing = [column for column in closest.names if column not in names]
    extra = [column for column in header if column.strip() not in closest.names]
    detail = f"closest is {closest.kind}: " + "; ".join(
        part
        for part in (f"missing {missing}" if missing else "", f"not in the template {extra}" if extra else "")
        if part
    )
    raise IntakeErrors(name, [RowProblem(1, None, f"the header matches no partner template ({detail})")])


def check_cell(column: Column, cell: str, today: date) -> tuple[object, str | None]:
    """(value, problem) for one cell of a column."""
    if not cell:
        return (None, None) if not column.required else (None, "empty: this column is required")
    if column.kind == "date":
        try:
            value = date.fromisoformat(cell)
        except ValueError:
            return None, f"{cell!r} is not a date written YYYY-MM-DD"
        return (value, None) if value <= today else (None, f"{cell} is in the future")
    if column.kind == "month":
        if not re.fullmatch(r"\d{4}-\d{2}", cell) or not 1 <= int(cell[5:]) <= 12:
            return None, f"{cell!r} is not a month written YYYY-MM"
        return (cell, None) if cell <= today.isoformat()[:7] else (None, f"{cell} is in the future")
    if column.kind == "choice":
        if cell.lower() not in column.choices:
            return None, f"{cell!r} is not one of: {', '.join(column.choices)}"
        return cell.lower(), None
    if column.kind == "lsoa":
        return (
            (cell, None)
            if LSOA.fullmatch(cell)
            else (None, f"{cell!r} is not an LSOA 2021 code (E01 or W01 and 6 digits)")
        )
    if column.kind == "count":
        if not re.fullmatch(r"\d+", cell):
            return None, f"{cell!r} is not a whole number of 0 or more"
        return int(cell), None
    if column.kind == "urn":
        return (cell, None) if URN.fullmatch(cell) else (None, f"{cell!r} is not a school URN (6 digits)")
    if len(cell) > MAX_TEXT:
        return None, f"longer than {MAX_TEXT} characters"
    if column.kind == "id" and re.fullmatch(r"\d{10}", cell.replace(" ", "")):
        return None, "looks like an NHS number: use the partner's own pseudonymous reference"
    return cell, None


def _check_row(template: Template, row: dict, problems: list[RowProblem]) -> None:
    """Checks across cells of one row."""
    if template.kind == "ed_assault" and row.get("assault_date") and row["assault_date"] > row["attendance_date"]:
        problems.append(RowProblem(row["line"], "assault_date", "after the attendance date"))
    if template.kind == "school_suspension" and row["pupils_suspended"] > row["suspensions"]:
        problems.append(RowProblem(row["line"], "pupils_suspended", "more pupils suspended than suspensions"))


def record_rows(upload: IntakeFile) -> list[dict]:
    """What is stored of each row: month, line, the duplicate key, LSOA, count, completeness, the fields."""
    template = upload.template
    rows = []
    for row in upload.rows:
        fields = {name: _plain(row[name]) for name in template.names}
        rows.append(
            {
                "month": row["month"],
                "line": row["line"],
                "record_key": "|".join(str(fields[name]) for name in template.key_columns),
                "lsoa21_code": fields.get("lsoa21_code"),
                "count": 1 if template.record_level else _aggregate_count(template, fields),
                "completeness": completeness(template, fields),
                "fields": json.dumps(fields, sort_keys=True),
            }
        )
    return rows


def _aggregate_count(template: Template, fields: dict) -> int:
    return int(fields["count"] if "count" in fields else fields["suspensions"])


def completeness(template: Template, fields: dict) -> float:
    """The share of the template's fields given and not "unknown" (the scorecard's completeness)."""
    given = [name for name in template.names if fields.get(name) not in (None, "", "unknown")]
    return len(given) / len(template.names)


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value
