"""ONS "Crime in England and Wales: Police Force Area data tables" (xlsx): read into one tidy DataFrame.

Each edition is one workbook covering the 12 months ending a quarter (e.g. "year ending March 2019").
Tables read (others, such as P3 rates or the anti-social behaviour tables, are ignored):

* **P1** police recorded offences by offence group and police force area (PFA), the edition's 12 months;
* **P2** percentage change on the previous 12 months. Turned into COUNTS for the previous 12 months:
  ``P1 count / (1 + change / 100)`` (ONS computes the change from whole numbers, so this gives the
  whole number back to within rounding; the note on each row says how it was derived);
* **P4** knife or sharp instrument offences for selected offences (the "Number of offences involving a
  knife" columns; the "% involving a knife" columns are not counts and are skipped);
* **P5** the knife or sharp instrument series by 12-month period since April 2010 (count columns only).

The layout is found, never assumed: sheet names are matched ignoring spaces ("Table P1 "), the header row
is the one holding "Area Code" and "Area Name", a column is named by its header text (the row above for a
column whose header row cell is empty, e.g. "Total recorded crime"), and footnote markers are stripped
from headers and area names ("Avon and Somerset8", "Stalking and harassment5"): the footnote text, read
from the numbered notes under the table (or the Notes sheet), goes into the row's ``note``. ONS markers
for values it does not publish ('..', '-', '[x]', 'N/A'...) become missing counts with the marker and
its meaning in ``note``. The edition comes from the Notes sheet title, the P1 title and the file name;
they must agree.

Output columns (`TIDY_COLUMNS`): ``edition_end`` (YYYY-MM), ``table_id`` (P1, P2, P4, P5),
``period_end`` (YYYY-MM, last month of the 12 months counted: the edition for P1 and P4, a year earlier
for P2, the column's period for P5), ``pfa_code`` (E23..., also region and country codes; missing for
e.g. British Transport Police), ``pfa_name``, ``offence_group`` (snake_case), ``count`` (nullable
integer), ``note``, ``source_file``, ``sheet`` (as named in the workbook).
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from vru.errors import InputError
from vru.offences import offence_key

TIDY_COLUMNS = [
    "edition_end",
    "table_id",
    "period_end",
    "pfa_code",
    "pfa_name",
    "offence_group",
    "count",
    "note",
    "source_file",
    "sheet",
]
TABLE_IDS = ("P1", "P2", "P4", "P5")
HEADER_SEARCH_ROWS = 20
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
MONTH_PATTERN = "|".join(sorted(MONTHS, key=len, reverse=True))
# ONS markers for a value it does not publish, and what each means when the sheet has no note saying so.
MARKERS = {
    "..": "data not available",
    # A lone '.' appears once (Greater Manchester, Table P4, year ending September 2019) among '..' cells.
    ".": "a lone '.', read as ONS's '..' (data not available)",
    "[x]": "data not available",
    "[c]": "confidential",
    "[z]": "not applicable",
    "[low]": "fewer than 50 in the base",
    "-": "not shown (in percentage tables: the base number is fewer than 50)",
    "na": "not available",
    "n/a": "not available",
    "*": "suppressed",
}
# Header texts (lower case, footnote markers and extra spaces removed) read as another header's group.
GROUP_ALIASES = {
    "total recorded crime (excluding fraud)": "total_recorded_crime_excluding_fraud",
    "residental burglary": "residential_burglary",
    "all other theft offences": "other_theft_offences",
    "miscellaneous crimes": "miscellaneous_crimes_against_society",
    "death or serious injury caused by unlawful driving": "death_or_serious_injury_unlawful_driving",
    "total of selected serious offences": "selected_offences",
    "number of selected offences involving a knife": "selected_offences",
}
# P1 must have these columns: they are what the cost analysis reads.
REQUIRED_P1_GROUPS = ("homicide", "violence_with_injury", "violence_without_injury", "sexual_offences")
KNIFE_PREFIX = "knife_"

# A footnote marker: digits (and comma-separated digits) right after a word or a closing bracket, at the
# end of the text or just before a closing bracket: "harassment5", "fraud4)", "Somerset 9", "WALES4,5,6".
FOOTNOTE_MARKER = re.compile(r"(?<=[A-Za-z)])\s?(\d{1,2}(?:\s?,\s?\d{1,2})*)\s*(?=\)|$)")
FOOTNOTE_LINE = re.compile(r"^\s*(\d{1,2})\s*(?:[.)]\s*|\s+)(\S.*)$", re.S)
YEAR_ENDING = re.compile(rf"year\s+ending\s+({MONTH_PATTERN})\w*\s+(\d+)", re.I)
FILENAME_EDITION = re.compile(rf"({MONTH_PATTERN})[a-z]*[-_ ]?((?:20)?\d{{2}})(?!\d)", re.I)
# A P5 period heading: "Apr '10 to Mar '11", "Jul '17 to Jun '18".
PERIOD = re.compile(rf"({MONTH_PATTERN})\w*\s*'?(\d{{2}})\s+to\s+({MONTH_PATTERN})\w*\s*'?(\d{{2}})$", re.I)


@dataclass
class PfaWorkbook:
    """One edition as read: the tidy rows and what was skipped or worth knowing."""

    path: Path
    sha256: str
    edition_end: str
    frame: pd.DataFrame
    tables: list[str] = field(default_factory=list)  # table ids read, e.g. ["P1", "P2", "P4", "P5"]
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Sheet:
    path: Path
    name: str
    rows: list[tuple]

    def where(self) -> str:
        return f"{self.path}, sheet {self.name!r}"

    def fail(self, problem: str, row: int | None = None, column: str | None = None) -> InputError:
        return InputError(self.where(), problem, line=row, column=column)


@dataclass
class _Column:
    index: int  # 0-based
    label: str  # header text with footnote markers removed
    footnotes: list[int]
    group: str  # offence_group
    period_end: str | None = None  # P5 only


# ---------------------------------------------------------------------------------------------------
# Small text helpers (public: the tests and the analysis use them)


def normalise_offence_group(text: str) -> str:
    """Snake_case offence group from a header: 'Stalking and harassment5' -> 'stalking_and_harassment'."""
    label, _ = strip_footnotes(text)
    key = re.sub(r"\s+", " ", label.replace("\u2013", "-").replace("\u2014", "-")).strip().casefold()
    return GROUP_ALIASES.get(key) or offence_key(key)


def strip_footnotes(text: str) -> tuple[str, list[int]]:
    """('Avon and Somerset', [8]) from 'Avon and Somerset8'; whitespace collapsed, ends trimmed."""
    text = re.sub(r"\s+", " ", str(text)).strip()
    markers: list[int] = []

    def take(match: re.Match) -> str:
        markers.extend(int(number) for number in re.split(r"\s?,\s?", match.group(1)))
        return ""

    cleaned = FOOTNOTE_MARKER.sub(take, text)
    return re.sub(r"\s+", " ", cleaned).strip(), markers


def edition_from_text(text: str, filename_year: int | None = None) -> str | None:
    """'YYYY-MM' from the first 'year ending <Month> <year>' in a title; footnote digits may follow.

    ONS titles run footnote markers into the year: 'year ending March 181,2,3' (2018, notes 1-3),
    'year ending December 20191,2' (2019, notes 1 and 2). A digit run starting with '20' and at least four
    long is a four-digit year; otherwise its first two digits are the year in the century.
    """
    match = YEAR_ENDING.search(text or "")
    if not match:
        return None
    month = MONTHS[match.group(1).casefold()]
    digits = match.group(2)
    if len(digits) >= 4 and digits.startswith("20"):
        year = int(digits[:4])
    else:
        year = 2000 + int(digits[:2])
    if filename_year is not None and year != filename_year and len(digits) >= 4:
        # e.g. '20181' could be 2018 + note 1 or 20 + 18...: the file name settles it when it can
        alternative = 2000 + int(digits[:2])
        if alternative == filename_year:
            year = alternative
    return f"{year:04d}-{month:02d}"


def edition_from_filename(name: str) -> str | None:
    """'YYYY-MM' from an ONS file name: '...yearendingmarch2018v2.xlsx', 'pfatablesdec19.xlsx'."""
    matches = list(FILENAME_EDITION.finditer(Path(name).stem))
    if not matches:
        return None
    match = matches[-1]
    year = int(match.group(2))
    year = year + 2000 if year < 100 else year
    return f"{year:04d}-{MONTHS[match.group(1).casefold()]:02d}"


def shift_months(month: str, months: int) -> str:
    """'2019-03' shifted by `months` (negative for earlier)."""
    year, number = (int(part) for part in month.split("-"))
    index = year * 12 + (number - 1) + months
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


# ---------------------------------------------------------------------------------------------------
# Reading


def find_pfa_files(paths: Iterable[str | Path]) -> list[Path]:
    """The .xlsx files among `paths` (folders searched recursively), sorted; a named non-xlsx is an error."""
    found: list[Path] = []
    for item in paths:
        path = Path(item)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.xlsx") if not p.name.startswith("~$")))
        elif not path.exists():
            raise InputError(path, "no such file or folder")
        elif path.suffix.casefold() != ".xlsx":
            raise InputError(path, "not an .xlsx workbook (ONS police force area data tables are .xlsx)")
        else:
            found.append(path)
    return sorted(dict.fromkeys(found))


def read_pfa_tables(path: str | Path) -> pd.DataFrame:
    """The tidy rows of one ONS police force area data tables workbook (see the module docstring)."""
    return read_pfa_workbook(path).frame


def read_pfa_workbook(path: str | Path) -> PfaWorkbook:
    """Read one workbook: edition, tidy rows of P1, P2, P4 and P5, and warnings. InputError if unusable."""
    import openpyxl  # imported here: only this reader needs it

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(path, f"cannot be read: {error.strerror or error}") from None
    sha256 = hashlib.sha256(data).hexdigest()
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise InputError(path, f"not a readable .xlsx workbook ({type(error).__name__}: {error})") from None
    try:
        sheets = {
            name: _Sheet(path, name, list(workbook[name].iter_rows(values_only=True))) for name in workbook.sheetnames
        }
    finally:
        workbook.close()
    by_id = {_table_id(name): sheet for name, sheet in sheets.items() if _table_id(name)}
    if "P1" not in by_id:
        raise InputError(
            path, f"no 'Table P1' sheet (sheets: {', '.join(repr(n) for n in sheets)}): not an ONS PFA table"
        )
    notes = next((sheet for name, sheet in sheets.items() if name.strip().casefold() == "notes"), None)
    edition = _edition(path, by_id["P1"], notes)
    notes_footnotes = _footnotes(notes.rows) if notes else {}

    warnings: list[str] = []
    frames: list[pd.DataFrame] = []
    p1 = _read_group_table(by_id["P1"], "P1", edition, notes_footnotes)
    missing = [group for group in REQUIRED_P1_GROUPS if group not in set(p1["offence_group"])]
    if missing:
        header_row = _find_header(by_id["P1"])[0] + 1
        raise by_id["P1"].fail(
            f"row {header_row}: no column headed {', '.join(repr(_title(g)) for g in missing)} "
            "(looked for in the header row and the row above)",
            row=header_row,
            column=_title(missing[0]),
        )
    frames.append(p1)
    tables = ["P1"]
    if "P2" in by_id:
        frames.append(_read_p2(by_id["P2"], edition, p1, notes_footnotes))
        tables.append("P2")
    for table_id in ("P4", "P5"):
        if table_id not in by_id:
            continue
        try:
            frames.append(_read_knife_table(by_id[table_id], table_id, edition, notes_footnotes))
            tables.append(table_id)
        except _LayoutMismatch as mismatch:
            warnings.append(f"{by_id[table_id].where()}: skipped, {mismatch}")
    frame = pd.concat(frames, ignore_index=True)
    frame["source_file"] = str(path)
    frame["count"] = frame["count"].astype("Int64")
    return PfaWorkbook(path, sha256, edition, frame[TIDY_COLUMNS], tables, warnings)


class _LayoutMismatch(Exception):
    """An optional table whose layout is not the one expected: skipped with a warning."""


def _table_id(sheet_name: str) -> str | None:
    match = re.fullmatch(r"table\s*(p\d+)", sheet_name.strip(), flags=re.I)
    return match.group(1).upper() if match and match.group(1).upper() in TABLE_IDS else None


def _title(group: str) -> str:
    return group.replace("_", " ").capitalize()


def _text(value) -> str:
    return "" if value is None else re.sub(r"\s+", " ", str(value)).strip()


def _edition(path: Path, p1: _Sheet, notes: _Sheet | None) -> str:
    from_name = edition_from_filename(path.name)
    name_year = int(from_name[:4]) if from_name else None
    candidates: dict[str, str] = {}
    if notes and notes.rows:
        title = next((_text(cell) for row in notes.rows[:3] for cell in row if _text(cell)), "")
        if found := edition_from_text(title, name_year):
            candidates["Notes sheet title"] = found
    p1_title = next((_text(cell) for row in p1.rows[:3] for cell in row if _text(cell)), "")
    if found := edition_from_text(p1_title, name_year):
        candidates["Table P1 title"] = found
    if from_name:
        candidates["file name"] = from_name
    if not candidates:
        raise p1.fail(
            "cannot tell the edition: no 'year ending <month> <year>' in the Notes or P1 title, "
            "nor a month and year in the file name",
            row=1,
        )
    if len(set(candidates.values())) > 1:
        found = ", ".join(f"{where}: {value}" for where, value in candidates.items())
        raise p1.fail(f"the edition is ambiguous ({found})", row=1)
    return next(iter(candidates.values()))


def _footnotes(rows: Sequence[tuple]) -> dict[int, str]:
    """Numbered notes ('8. For years ending ...') in rows whose only text is in one cell."""
    notes: dict[int, str] = {}
    for row in rows:
        texts = [_text(cell) for cell in row if _text(cell)]
        if len(texts) != 1:
            continue
        match = FOOTNOTE_LINE.match(texts[0])
        if match and not re.match(r"^\d", match.group(2)):
            number = int(match.group(1))
            text = match.group(2).strip()
            notes[number] = f"{notes[number]} / {text}" if number in notes else text
    return notes


def _find_header(sheet: _Sheet) -> tuple[int, int | None, int]:
    """(row index, area code column, area name column) of the header row, 0-based."""
    for index, row in enumerate(sheet.rows[:HEADER_SEARCH_ROWS]):
        labels = [strip_footnotes(_text(cell))[0].casefold() for cell in row]
        if "area name" in labels:
            code = next((j for j, label in enumerate(labels) if label in ("area code", "area codes")), None)
            return index, code, labels.index("area name")
    raise sheet.fail(
        f"no header row with an 'Area Name' column in rows 1-{min(HEADER_SEARCH_ROWS, len(sheet.rows))}",
        row=None,
        column="Area Name",
    )


def _data_rows(sheet: _Sheet, header: int, code_col: int | None, name_col: int, columns: list[_Column]):
    """(excel row number, code, name, name footnotes, row) for each area row under the header."""
    for index in range(header + 1, len(sheet.rows)):
        row = sheet.rows[index]
        name = _text(row[name_col]) if name_col < len(row) else ""
        if not name:
            continue
        if not any(column.index < len(row) and _text(row[column.index]) for column in columns):
            continue  # a heading or spacer row, not an area
        code = _text(row[code_col]) if code_col is not None and code_col < len(row) else ""
        clean, markers = strip_footnotes(name)
        yield index + 1, code or None, clean, markers, row


def _note_for(footnotes: dict[int, str], fallback: dict[int, str], numbers: Iterable[int], what: str) -> list[str]:
    parts = []
    for number in numbers:
        text = footnotes.get(number) or fallback.get(number)
        if text:
            parts.append(f"{what} [note {number}]: {text}")
    return parts


def _value(sheet: _Sheet, value, row: int, column: _Column, footnotes: dict[int, str]):
    """(number or None, note or None) from a cell: numbers pass, ONS markers become None with a note."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, "blank in the source"
    if isinstance(value, bool):
        raise sheet.fail(f"row {row}: {value!r} is not a number", row=row, column=column.label)
    if isinstance(value, int | float):
        return value, None
    text = str(value).strip()
    number = text.replace(",", "")
    if re.fullmatch(r"-?\d+(\.\d+)?", number):
        return float(number), None
    marker = text.casefold()
    if marker in MARKERS:
        explained = next((note for note in footnotes.values() if f"'{text}'" in note or f'"{text}"' in note), None)
        if marker == ".":
            explained = None  # a note on '..' must not be taken for one on '.'

        meaning = explained or MARKERS[marker]
        return None, f"published as {text!r}: {meaning}"
    raise sheet.fail(
        f"row {row}: {text!r} is neither a number nor a marker ONS uses ({', '.join(MARKERS)})",
        row=row,
        column=column.label,
    )


def _as_count(sheet: _Sheet, number, row: int, column: _Column) -> int | None:
    if number is None:
        return None
    if float(number) != round(float(number)) or float(number) < 0:
        raise sheet.fail(f"row {row}: {number!r} is not a whole number of offences", row=row, column=column.label)
    return int(round(float(number)))


def _group_columns(sheet: _Sheet, header: int, skip: set[int]) -> list[_Column]:
    """P1/P2 columns: the header row's text, or the row above where the header row cell is empty."""
    columns = []
    row = sheet.rows[header]
    above = sheet.rows[header - 1] if header > 0 else ()
    for index in range(max(len(row), len(above))):
        if index in skip:
            continue
        raw = _text(row[index]) if index < len(row) else ""
        if not raw and index < len(above):
            raw = _text(above[index])
        if not raw:
            continue
        label, markers = strip_footnotes(raw)
        columns.append(_Column(index, label, markers, normalise_offence_group(raw)))
    return columns


def _read_group_table(sheet: _Sheet, table_id: str, edition: str, fallback: dict[int, str]) -> pd.DataFrame:
    header, code_col, name_col = _find_header(sheet)
    columns = _group_columns(sheet, header, {code_col, name_col})
    footnotes = _footnotes(sheet.rows[header + 1 :])
    records = []
    for row_number, code, name, markers, row in _data_rows(sheet, header, code_col, name_col, columns):
        area_notes = _note_for(footnotes, fallback, markers, name)
        for column in columns:
            cell = row[column.index] if column.index < len(row) else None
            number, marker_note = _value(sheet, cell, row_number, column, footnotes)
            notes = area_notes + _note_for(footnotes, fallback, column.footnotes, column.label)
            if marker_note:
                notes.insert(0, marker_note)
            records.append(
                {
                    "edition_end": edition,
                    "table_id": table_id,
                    "period_end": edition,
                    "pfa_code": code,
                    "pfa_name": name,
                    "offence_group": column.group,
                    "count": number if table_id != "P1" else _as_count(sheet, number, row_number, column),
                    "note": "; ".join(notes) or None,
                    "sheet": sheet.name,
                }
            )
    if not records:
        raise sheet.fail(f"no area rows under the header (row {header + 1})", row=header + 1)
    return pd.DataFrame.from_records(records)


def _read_p2(sheet: _Sheet, edition: str, p1: pd.DataFrame, fallback: dict[int, str]) -> pd.DataFrame:
    """P2's percentage changes, as counts for the 12 months before the edition."""
    changes = _read_group_table(sheet, "P2", edition, fallback)
    previous = shift_months(edition, -12)
    current = {(row.pfa_code or row.pfa_name, row.offence_group): row.count for row in p1.itertuples(index=False)}
    counts, notes = [], []
    for row in changes.itertuples(index=False):
        pct = row.count
        base = current.get((row.pfa_code or row.pfa_name, row.offence_group))
        note = [row.note] if isinstance(row.note, str) and row.note else []
        if pct is None or pd.isna(pct):
            counts.append(None)
            note.insert(0, "percentage change not published, so no count for the previous 12 months")
        elif base is None or pd.isna(base):
            counts.append(None)
            note.insert(0, f"no Table P1 count for {edition} to derive the previous 12 months from")
        elif float(pct) <= -100:
            counts.append(None)
            note.insert(0, f"percentage change {float(pct):.4f}% cannot be inverted")
        else:
            value = float(base) / (1 + float(pct) / 100)
            counts.append(int(round(value)))
            rounding = "" if abs(value - round(value)) < 0.01 else f" (exact quotient {value:.2f}, rounded)"
            note.insert(
                0,
                f"derived: Table P1 count {int(base)} for the 12 months ending {edition} / "
                f"(1 + {float(pct):.4f}% / 100) from Table P2{rounding}",
            )
        notes.append("; ".join(note))
    changes["count"] = counts
    changes["note"] = notes
    changes["period_end"] = previous
    return changes


def _read_knife_table(sheet: _Sheet, table_id: str, edition: str, fallback: dict[int, str]) -> pd.DataFrame:
    """P4 (offence x count/percentage) or P5 (period x count/percentage): the count columns only."""
    header, code_col, name_col = _find_header(sheet)
    if header == 0:
        raise _LayoutMismatch("no heading row above the header row")
    row, above = sheet.rows[header], sheet.rows[header - 1]
    columns: list[_Column] = []
    heading = ""
    for index in range(len(row)):
        if index in (code_col, name_col):
            continue
        if index < len(above) and _text(above[index]):
            heading = _text(above[index])
        measure = strip_footnotes(_text(row[index]))[0].casefold()
        if not measure.startswith("number of") or not heading:
            continue
        label, markers = strip_footnotes(heading)
        if table_id == "P5":
            period = PERIOD.match(label)
            if not period:
                continue  # e.g. the "% change ... compared with:" block
            end = f"{2000 + int(period.group(4)):04d}-{MONTHS[period.group(3).casefold()]:02d}"
            group = KNIFE_PREFIX + normalise_offence_group(_text(row[index]))
            columns.append(_Column(index, label, markers, group, end))
        else:
            if PERIOD.match(label):
                raise _LayoutMismatch("its column headings are periods, not offences (a P5 layout)")
            group = KNIFE_PREFIX + normalise_offence_group(heading)
            columns.append(_Column(index, label, markers, group, edition))
    if not columns:
        raise _LayoutMismatch(f"no 'Number of ... involving a knife' columns in row {header + 1}")
    footnotes = _footnotes(sheet.rows[header + 1 :])
    measure_markers = sorted({m for index in {c.index for c in columns} for m in strip_footnotes(_text(row[index]))[1]})
    records = []
    for row_number, code, name, markers, cells in _data_rows(sheet, header, code_col, name_col, columns):
        area_notes = _note_for(footnotes, fallback, markers, name)
        for column in columns:
            cell = cells[column.index] if column.index < len(cells) else None
            number, marker_note = _value(sheet, cell, row_number, column, footnotes)
            notes = (
                area_notes
                + _note_for(footnotes, fallback, column.footnotes, column.label)
                + _note_for(footnotes, fallback, measure_markers, "count")
            )
            if marker_note:
                notes.insert(0, marker_note)
            records.append(
                {
                    "edition_end": edition,
                    "table_id": table_id,
                    "period_end": column.period_end,
                    "pfa_code": code,
                    "pfa_name": name,
                    "offence_group": column.group,
                    "count": _as_count(sheet, number, row_number, column),
                    "note": "; ".join(notes) or None,
                    "sheet": sheet.name,
                }
            )
    if not records:
        raise _LayoutMismatch(f"no area rows under the header (row {header + 1})")
    return pd.DataFrame.from_records(records)
