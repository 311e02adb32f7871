"""Published local authority indicators from partners (../shared/data/partner_la): read into one tidy frame.

One reader per publication, all giving `INDICATOR_COLUMNS` (one row per area, period and indicator):

* DfE LAIT indicator bank (`bds_long_0.parquet`, with `lait_data_dictionary.csv` for definitions): areas
  by DfE local authority number, matched to GSS codes through `partner_area_lookup.csv`;
* DfE Explore Education Statistics files: children looked after (number and rate per 10,000), their
  convictions and health outcomes, their missing and away-from-placement episodes, exclusions and
  suspensions of children in need, the factors recorded at the end of children's social care assessments
  (table C3), and the NEET local authority scorecard files;
* ONS homicide offences per million population by police force area (3-year periods);
* Home Office alcohol and late night refreshment licensing tables (ODS), by licensing authority name,
  matched to GSS codes through `partner_area_lookup.csv`.

A cell the publisher did not fill with a number keeps the publisher's own marker (`marker`, e.g. DfE's
"c" suppressed, "x" not available, "z" not applicable, LAIT's "-") and its meaning: `value` is then
missing, never zero. A cell that is neither a number nor a marker the publisher documents is an error
naming the file, line and column; so is an area name or number the lookup lacks.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache
from pathlib import Path

import pandas as pd

from vru.errors import InputError

INDICATOR_COLUMNS = [
    "source",  # short id of the publication, e.g. dfe_lait, dfe_cin_factors
    "area_code",  # GSS code (local authority, region, country or police force area)
    "area_name",  # as published
    "area_level",  # country | region | local_authority | police_force_area | licensing_authority
    "period",  # as published, academic years written 2020/21
    "year",  # the calendar year the period ends in (for trends); missing if the label has no year
    "indicator",  # the publisher's code or column, with the breakdown when there is one
    "value",
    "numerator",
    "denominator",
    "unit",
    "marker",  # the publisher's marker where no value is published
    "marker_meaning",
]
DEFINITION_COLUMNS = ["source", "indicator", "name", "definition", "unit", "polarity", "owner", "link", "updated"]
LOOKUP_FILE = Path(__file__).with_name("partner_area_lookup.csv")

# Markers each publisher documents for a cell without a number, and what they mean.
EES_MARKERS = {
    "c": "suppressed (small number)",
    "x": "not available",
    "z": "not applicable",
    "low": "rounds to 0, but is not 0",
    "k": "rounds to 0, but is not 0",
    "u": "low reliability",
    ":": "not available",
}
LAIT_MARKERS = {"-": "not available or suppressed"}
HOMICIDE_MARKERS = {"u": "not published: too few to give a reliable rate (status 'u')"}
LICENSING_MARKERS = {
    "x": "not available",
    "[x]": "not available",
    "z": "not applicable",
    "[z]": "not applicable",
    "": "left blank in the publication",
    ":": "not available (':' is used in a few cells; the notes sheet does not define it)",
    "Don't know": "the licensing authority answered 'Don't know'",
    "Unknown": "the licensing authority answered 'Unknown'",
}


@dataclass(frozen=True)
class Publication:
    source: str
    publisher: str
    title: str
    published: str
    url: str


PUBLICATIONS = {
    publication.source: publication
    for publication in (
        Publication(
            "dfe_lait",
            "Department for Education",
            "Local Authority Interactive Tool (LAIT) indicator bank",
            "2026-04-08",
            "https://www.gov.uk/government/publications/local-authority-interactive-tool-lait",
        ),
        Publication(
            "dfe_cla",
            "Department for Education",
            "Children looked after in England including adoptions: number and rate per 10,000 children",
            "2024-11",
            "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions",
        ),
        Publication(
            "dfe_cla_outcomes",
            "Department for Education",
            "Children looked after in England: convictions, substance misuse and health outcomes",
            "2024-11",
            "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions",
        ),
        Publication(
            "dfe_cla_missing",
            "Department for Education",
            "Children looked after in England: missing or away from placement without authorisation",
            "2024-11",
            "https://explore-education-statistics.service.gov.uk/find-statistics/children-looked-after-in-england-including-adoptions",
        ),
        Publication(
            "dfe_cin_exclusions",
            "Department for Education",
            "Outcomes for children in need, including children looked after: exclusions and suspensions",
            "2022-02",
            "https://explore-education-statistics.service.gov.uk/find-statistics/outcomes-for-children-in-need-including-children-looked-after-by-local-authorities-in-england",
        ),
        Publication(
            "dfe_cin_factors",
            "Department for Education",
            "Characteristics of children in need, table C3: factors identified at the end of assessment",
            "2023-10",
            "https://explore-education-statistics.service.gov.uk/find-statistics/characteristics-of-children-in-need",
        ),
        Publication(
            "dfe_neet",
            "Department for Education",
            "NEET and participation: local authority figures (16 and 17 year olds)",
            "2025-07",
            "https://www.gov.uk/government/publications/neet-and-participation-local-authority-figures",
        ),
        Publication(
            "ons_homicide",
            "Office for National Statistics (Home Office Homicide Index)",
            "Homicide offences per million population, 3-year periods, by police force area",
            "2026-02-05",
            "https://www.ons.gov.uk/peoplepopulationandcommunity/crimeandjustice/articles/homicideinenglandandwales",
        ),
        Publication(
            "ho_licensing",
            "Home Office",
            "Alcohol and late night refreshment licensing, England and Wales, 31 March 2022",
            "2022-10-13",
            "https://www.gov.uk/government/statistics/alcohol-and-late-night-refreshment-licensing-england-and-wales-31-march-2022",
        ),
    )
}


@dataclass
class PartnerLaFile:
    """One publication file read: its rows (INDICATOR_COLUMNS) and the definitions of its indicators."""

    path: Path
    sha256: str
    source: str
    frame: pd.DataFrame
    definitions: pd.DataFrame
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- finding


def partner_la_source(path: Path) -> str | None:
    """Which publication a file is, from its name (as the publisher names it); None if not one of ours."""
    name = path.name.lower()
    for pattern, source in FILE_PATTERNS:
        if re.fullmatch(pattern, name):
            return source
    return None


FILE_PATTERNS = [
    (r"bds_long_\d+\.parquet", "dfe_lait"),
    (r"cla_number_and_rate_per_10k_children\.csv(\.gz)?", "dfe_cla"),
    (r"la_conviction_health_outcome_cla\.csv(\.gz)?", "dfe_cla_outcomes"),
    (r"la_children_who_were_missing_or_away_from_placement_without_authorisation\.csv(\.gz)?", "dfe_cla_missing"),
    (r"permanent_exclusions_and_suspensions_la\.csv(\.gz)?", "dfe_cin_exclusions"),
    (r"c3_factors_identified_at_end_of_assessment.*\.csv(\.gz)?", "dfe_cin_factors"),
    (r"ud_neetnk_la_dashboard.*\.csv(\.gz)?", "dfe_neet"),
    (r"homicide-offences\.csv(\.gz)?", "ons_homicide"),
    (r"alcohol_latr_night_licensing_tables_\d{4}\.ods", "ho_licensing"),
    # One table of the workbook cut to CSV (the demo extract's form; see read_licensing).
    (r"alcohol_latr_night_licensing_tables_\d{4}_table_\d+\.csv(\.gz)?", "ho_licensing"),
]


def read_partner_la_file(path: str | Path) -> PartnerLaFile:
    """Read one publication file (its kind from its name); InputError if it is not one we read or is bad."""
    path = Path(path)
    source = partner_la_source(path)
    if source is None:
        raise InputError(path, "not a partner publication this toolkit reads (docs/partner-data.md lists them)")
    data = path.read_bytes()
    frame, definitions = READERS[source](path)
    frame = frame.assign(source=source)[INDICATOR_COLUMNS].reset_index(drop=True)
    definitions = definitions.assign(source=source)[DEFINITION_COLUMNS].drop_duplicates("indicator")
    _check_unique(path, frame)
    return PartnerLaFile(path, hashlib.sha256(data).hexdigest(), source, frame, definitions.reset_index(drop=True))


def _check_unique(path: Path, frame: pd.DataFrame) -> None:
    keys = ["area_code", "period", "indicator"]
    duplicated = frame[frame.duplicated(keys, keep=False)]
    if not duplicated.empty:
        first = duplicated.iloc[0]
        raise InputError(
            path,
            f"{len(duplicated)} rows share an area, period and indicator, e.g. {first['area_name']} "
            f"({first['area_code']}), {first['period']}, {first['indicator']}",
        )


# ---------------------------------------------------------------------------------------------- cells


def parse_cell(text: object, markers: dict[str, str], path: Path, line: int, column: str):
    """(value, marker, meaning) for one published cell: a number, or one of the publisher's markers."""
    if text is None or (isinstance(text, float) and pd.isna(text)):
        text = ""
    if isinstance(text, int | float):
        return float(text), None, None
    cleaned = str(text).strip()
    if cleaned in markers:
        return None, cleaned, markers[cleaned]
    if not cleaned:
        raise InputError(path, "empty cell where the publisher always gives a number or a marker", line, column)
    try:
        return float(cleaned.replace(",", "")), None, None
    except ValueError:
        known = ", ".join(repr(marker) for marker in markers)
        raise InputError(
            path, f"{cleaned!r} is neither a number nor a marker this publisher uses ({known})", line, column
        ) from None


def parse_cells(
    cells: pd.Series, markers: dict[str, str], path: Path, lines: pd.Series, columns: pd.Series | str
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """parse_cell for a whole column at once: (values, markers, meanings); the first bad cell is the error."""
    stripped = cells.astype("string").str.strip().fillna("")
    numbers = pd.to_numeric(stripped.str.replace(",", "", regex=False), errors="coerce")
    marked = numbers.isna() & stripped.isin(list(markers))
    bad = numbers.isna() & ~marked
    if bad.any():
        first = bad.to_numpy().nonzero()[0][0]
        column = columns if isinstance(columns, str) else columns.iloc[first]
        parse_cell(stripped.iloc[first], markers, path, int(lines.iloc[first]), column)  # raises, naming the cell
    marker = stripped.astype("object").where(marked, None)
    return numbers.astype("float64"), marker, marker.map(markers, na_action="ignore")


def period_year(label: str) -> int | None:
    """The calendar year a published period ends in: '2023' 2023, '2015/16' 2016, '2013/14-15/16' 2016,
    '2014-16' 2016, '2016-17 (OT)' 2017, 'Apr 2014 to Mar 2017' 2017; None where there is no year."""
    years = re.findall(r"(\d{4}|(?<=[/-])\d{2})", label)
    if not years or years[0] == "0":
        return None
    last = years[-1]
    if len(last) == 2:
        return int(years[0][:2] + last) + (100 if int(last) < int(years[0][2:]) else 0)
    return int(last)


def academic_year(ees_period: str) -> str:
    """EES writes academic years as 202021: shown as 2020/21."""
    return f"{ees_period[:4]}/{ees_period[4:]}" if re.fullmatch(r"\d{6}", ees_period) else ees_period


# ---------------------------------------------------------------------------------------------- lookups


@cache
def area_lookup() -> dict[tuple[str, str], tuple[str, str]]:
    """(scheme, key) -> (GSS code, ONS name); the code is '' for a documented area without one."""
    with LOOKUP_FILE.open(encoding="utf-8") as handle:
        return {(row["scheme"], row["key"]): (row["area_code"], row["area_name"]) for row in csv.DictReader(handle)}


def lookup_area(scheme: str, key: str, path: Path, line: int, column: str) -> str:
    found = area_lookup().get((scheme, key))
    if found is None:
        raise InputError(
            path,
            f"area {key!r} is not in the lookup of areas published without a GSS code "
            "(src/vru/sources/partner_area_lookup.csv; see docs/partner-data.md)",
            line,
            column,
        )
    return found[0]


# ---------------------------------------------------------------------------------------------- readers

EES_GEOGRAPHY = {"time_period", "time_identifier", "geographic_level", "country_code", "country_name", "region_code",
                 "region_name", "old_la_code", "new_la_code", "la_name", "line"}  # fmt: skip
EES_LEVELS = {"National": "country", "Regional": "region", "Local authority": "local_authority"}


def _read_ees(path: Path) -> pd.DataFrame:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8-sig", newline="") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    frame["line"] = frame.index + 2
    unknown = sorted(set(frame["geographic_level"]) - set(EES_LEVELS))
    if unknown:
        raise InputError(path, f"geographic_level {unknown} not read (expected {sorted(EES_LEVELS)})")
    return frame


def _ees_area(frame: pd.DataFrame) -> pd.DataFrame:
    """area_code / area_name / area_level / period / year from the EES geography and time columns."""
    level = frame["geographic_level"].map(EES_LEVELS)
    code = frame["new_la_code"].where(level == "local_authority", frame["region_code"].where(level == "region"))
    code = code.where(level != "country", frame["country_code"])
    name = frame["la_name"].where(level == "local_authority", frame["region_name"].where(level == "region"))
    name = name.where(level != "country", frame["country_name"])
    period = frame["time_period"].map(academic_year)
    return pd.DataFrame(
        {"area_code": code, "area_name": name, "area_level": level, "period": period, "year": period.map(period_year)}
    )


def _melt_cells(
    path: Path,
    frame: pd.DataFrame,
    areas: pd.DataFrame,
    indicators: Iterable[tuple[str, str, str | None, str | None, str]],
    markers: dict[str, str],
    indicator_of: Callable[[pd.Series], str] | None = None,
) -> pd.DataFrame:
    """One output row per input row and indicator: (indicator, value column, numerator column, denominator
    column, unit). `indicator_of(row)` prefixes a breakdown held in the row."""
    rows = []
    records = frame.to_dict("records")
    area_records = areas.to_dict("records")
    for record, area in zip(records, area_records, strict=True):
        prefix = indicator_of(record) if indicator_of else ""
        for indicator, value_column, numerator_column, denominator_column, unit in indicators:
            value, marker, meaning = parse_cell(record[value_column], markers, path, record["line"], value_column)
            numerator = _optional(record, numerator_column, markers, path)
            denominator = _optional(record, denominator_column, markers, path)
            rows.append(
                {
                    **area,
                    "indicator": prefix + indicator,
                    "value": value,
                    "numerator": numerator,
                    "denominator": denominator,
                    "unit": unit,
                    "marker": marker,
                    "marker_meaning": meaning,
                }
            )
    return pd.DataFrame(rows, columns=[c for c in INDICATOR_COLUMNS if c != "source"])


def _optional(record: dict, column: str | None, markers: dict[str, str], path: Path) -> float | None:
    if column is None:
        return None
    value, _, _ = parse_cell(record[column], markers, path, record["line"], column)
    return value


def _definitions(frame: pd.DataFrame, describe: Callable[[str], str], unit_of: Callable[[str], str]) -> pd.DataFrame:
    indicators = frame["indicator"].drop_duplicates()
    return pd.DataFrame(
        {
            "indicator": indicators,
            "name": indicators,
            "definition": indicators.map(describe),
            "unit": indicators.map(unit_of),
            "polarity": None,
            "owner": None,
            "link": None,
            "updated": None,
        }
    )


def read_cla(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_ees(path)
    # The file's header is one column out from the data: `population_count` holds the measure's name,
    # `population_estimate` the population aged under 18, `number` the count, `rate_per_10000` the rate.
    out = _melt_cells(
        path,
        frame,
        _ees_area(frame),
        [("", "rate_per_10000", "number", "population_estimate", "rate per 10,000 children")],
        EES_MARKERS,
        indicator_of=lambda record: record["population_count"],
    )
    return out, _definitions(
        out, lambda name: f"{name}, per 10,000 children aged under 18", lambda _: "rate per 10,000 children"
    )


def read_cla_outcomes(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_ees(path)
    out = _melt_cells(
        path,
        frame,
        _ees_area(frame),
        [("", "percentage", "number", None, "% of the group")],
        EES_MARKERS,
        indicator_of=lambda record: f"{record['cla_group']}: {record['characteristic']}",
    )
    return out, _definitions(
        out,
        lambda name: (
            f"Children looked after continuously for 12 months at 31 March: {name} (percentage; numerator the number)"
        ),
        lambda _: "% of the group",
    )


def read_cla_missing(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_ees(path)
    out = _melt_cells(
        path, frame, _ees_area(frame), [("", "number", None, None, "")], EES_MARKERS, lambda r: r["CLA_group"]
    )
    out["unit"] = out["indicator"].map(_missing_unit)
    return out, _definitions(out, lambda name: f"Children looked after: {name}", _missing_unit)


def _missing_unit(indicator: str) -> str:
    if indicator.startswith("Percentage"):
        return "%"
    if indicator.startswith("Average"):
        return "average incidents per child"
    return "children" if indicator.startswith("Children") else "incidents"


def read_cin_exclusions(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_ees(path)
    out = _melt_cells(
        path,
        frame,
        _ees_area(frame),
        [
            ("permanent exclusion", "pt_perm_excl", "t_perm_excl", "t_pupils", "% of pupils in the group"),
            ("one or more suspensions", "pt_one_plus_sus", "t_one_plus_sus", "t_pupils", "% of pupils in the group"),
        ],
        EES_MARKERS,
        indicator_of=lambda record: f"{record['social_care_group']}: ",
    )
    return out, _definitions(
        out,
        lambda name: f"Pupils in the social care group with {name.split(': ', 1)[1]} in the academic year: {name}",
        lambda _: "% of pupils in the group",
    )


C3_NOT_FACTORS = EES_GEOGRAPHY | {"category", "Episodes_with_assessment_factor"}


def read_cin_factors(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_ees(path)
    factors = [column for column in frame.columns if column not in C3_NOT_FACTORS]
    out = _melt_cells(
        path,
        frame,
        _ees_area(frame),
        [(factor, factor, factor, "Episodes_with_assessment_factor", "episodes") for factor in factors],
        EES_MARKERS,
    )
    return out, _definitions(
        out,
        lambda name: (
            f"Episodes of need in which '{name.replace('_', ' ')}' was identified at the end of a children's social "
            "care assessment (DfE table C3); the denominator is the episodes with any assessment factor"
        ),
        lambda _: "episodes",
    )


NEET_NOT_INDICATORS = EES_GEOGRAPHY | {"Age"}


def read_neet(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = _read_ees(path)
    columns = [column for column in frame.columns if column not in NEET_NOT_INDICATORS]
    out = _melt_cells(path, frame, _ees_area(frame), [(c, c, None, None, _neet_unit(c)) for c in columns], EES_MARKERS)
    return out, _definitions(
        out, lambda name: f"16 and 17 year olds ({name.replace('_', ' ')}), DfE NEET scorecard", _neet_unit
    )


def _neet_unit(column: str) -> str:
    lower = column.lower()
    if "quintile" in lower:
        return "quintile (1 best)"
    if "change" in lower:
        return "percentage points"
    if "percent" in lower or "pt_" in lower or lower.endswith("_percentage"):
        return "%"
    if "cohort" in lower or "population" in lower:
        return "young people"
    return "score"


def read_lait(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.read_parquet(path)
    expected = {"Short Desc", "Data item", "Years", "LA and Regions", "Values", "LA Number"}
    if missing := expected - set(frame.columns):
        raise InputError(path, f"columns missing: {sorted(missing)}")
    frame["line"] = frame.index + 1  # row number in the parquet file
    names = frame.groupby("Short Desc")["Data item"].first()  # the name is on each indicator's first row only
    lookup = {key: code for (scheme, key), (code, _) in area_lookup().items() if scheme == "dfe_la_number"}
    numbers = frame["LA Number"].dropna().unique()
    codes = frame["LA Number"].map({number: lookup.get(str(int(number))) for number in numbers})
    if codes.isna().any():
        first = codes.isna().to_numpy().nonzero()[0][0]
        number = frame["LA Number"].iloc[first]
        key = str(int(number)) if pd.notna(number) else ""
        lookup_area("dfe_la_number", key, path, int(frame["line"].iloc[first]), "LA Number")
    number = frame["LA Number"].fillna(0)
    levels = pd.Series("region", index=frame.index).mask(number < 970, "local_authority").mask(number == 970, "country")
    values, markers, meanings = parse_cells(frame["Values"], LAIT_MARKERS, path, frame["line"], "Values")
    periods = frame["Years"].astype(str)
    out = pd.DataFrame(
        {
            "area_code": codes,
            "area_name": frame["LA and Regions"],
            "area_level": levels,
            "period": periods,
            "year": periods.map(dict((label, period_year(label)) for label in periods.unique())),
            "indicator": frame["Short Desc"],
            "value": values,
            "numerator": None,
            "denominator": None,
            "marker": markers,
            "marker_meaning": meanings,
        }
    )
    dictionary = _lait_dictionary(path.parent)
    out["unit"] = out["indicator"].map(dictionary["unit"]).fillna("")
    definitions = pd.DataFrame({"indicator": out["indicator"].drop_duplicates()})
    definitions["name"] = definitions["indicator"].map(names)
    for column in ("definition", "unit", "polarity", "owner", "link", "updated"):
        definitions[column] = definitions["indicator"].map(dictionary[column])
    definitions["unit"] = definitions["unit"].fillna("")
    return out, definitions


def _lait_dictionary(folder: Path) -> pd.DataFrame:
    """LAIT's data dictionary (lait_data_dictionary.csv, or .csv.gz, beside the indicator bank) by code, the
    first entry where a code repeats; empty if there is none."""
    columns = ["definition", "unit", "polarity", "owner", "link", "updated"]
    found = [folder / name for name in ("lait_data_dictionary.csv", "lait_data_dictionary.csv.gz")]
    path = next((candidate for candidate in found if candidate.exists()), None)
    if path is None:
        return pd.DataFrame(columns=columns)
    frame = pd.read_csv(path, dtype=str, encoding="utf-8").drop_duplicates("Measure_short").set_index("Measure_short")
    updated = pd.to_numeric(frame["Last Update"], errors="coerce").map(
        lambda days: (date(1899, 12, 30) + timedelta(days=int(days))).isoformat() if pd.notna(days) else None
    )
    return pd.DataFrame(
        {
            "definition": frame["Description"],
            "unit": frame["y_axis_name"],
            "polarity": frame["Polarity"].map({"Low": "low is good", "High": "high is good"}),
            "owner": frame["Data Owner (DO) /Supplier and Contact Details"],
            "link": frame["Hyperlink(s)"],
            "updated": updated,
        }
    )


HOMICIDE_LEVELS = {
    "Police Force Area": "police_force_area",
    "Region": "region",
    "Country": "country",
    "Nation": "country",
}


def read_homicide(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    frame["line"] = frame.index + 2
    rows = []
    for record in frame.to_dict("records"):
        start = pd.Timestamp(record["period"].split("/")[0])
        end = start + pd.DateOffset(years=3) - pd.DateOffset(days=1)
        text = record["observation"] or record["status"]
        value, marker, meaning = parse_cell(text, HOMICIDE_MARKERS, path, record["line"], "observation")
        rows.append(
            {
                "area_code": record["areacd"],
                "area_name": record["areanm"],
                "area_level": HOMICIDE_LEVELS.get(record["geography"], record["geography"]),
                "period": f"{start:%b %Y} to {end:%b %Y}",
                "year": end.year,
                "indicator": "homicide_offences_per_million",
                "value": value,
                "numerator": None,
                "denominator": None,
                "unit": "rate per 1,000,000 population",
                "marker": marker,
                "marker_meaning": meaning,
            }
        )
    out = pd.DataFrame(rows)
    definitions = _definitions(
        out,
        lambda _: (
            "Homicide offences recorded by the police per million population over three years "
            "(Home Office Homicide Index; mid-period population estimates)"
        ),
        lambda _: "rate per 1,000,000 population",
    )
    definitions["polarity"] = "low is good"
    return out, definitions


LICENSING_HEADER_ROW = 7
LICENSING_YES_NO = {"Yes": 1.0, "No": 0.0}
YES_NO_UNIT = "yes (1) or no (0)"


def read_licensing(path: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tables 2-19 (Table 1 is the England and Wales headline with imputed figures, not by authority).
    Each column after the authority (and Table 6's Total / CIA split) is one indicator, named
    "Table N: header"; a column answered yes or no holds 1 and 0 (its unit says so).

    The workbook as published (.ods), or one of its tables cut to CSV
    (`alcohol_latr_night_licensing_tables_2022_table_2.csv.gz`: the sheet's rows as they are, from the
    title down, some columns and rows left out, read the same way; line numbers are the CSV's)."""
    if path.suffix == ".ods":
        sheets = pd.read_excel(path, engine="calamine", sheet_name=None, header=None, dtype=object)
    else:
        sheets = {_licensing_csv_sheet(path): _read_licensing_csv(path)}
    tables = [
        _licensing_table(path, sheet, table)
        for sheet, table in sheets.items()
        if re.fullmatch(r"Table_\d+", sheet) and sheet != "Table_1"
    ]
    out = pd.concat(tables, ignore_index=True)
    units = out.groupby("indicator")["unit"].first()
    return out, _definitions(
        out,
        lambda name: f"Home Office alcohol licensing statistics, {name} (as at or year ending 31 March)",
        units.get,
    )


def _licensing_csv_sheet(path: Path) -> str:
    """The workbook sheet a CSV cut holds, from its name: ..._table_2.csv.gz is sheet Table_2."""
    number = re.search(r"_table_(\d+)\.csv", path.name.lower())
    return f"Table_{number[1]}"


def _read_licensing_csv(path: Path) -> pd.DataFrame:
    # Only a blank cell is missing, as in the workbook: "x", "z", ":" and "Unknown" stay the text they are.
    return pd.read_csv(
        path, header=None, dtype=object, keep_default_na=False, na_values=[""], encoding="utf-8", compression="infer"
    )


def _licensing_table(path: Path, sheet: str, table: pd.DataFrame) -> pd.DataFrame:
    header = [" ".join(str(cell).split()) for cell in table.iloc[LICENSING_HEADER_ROW]]
    if header[1:3] != ["Region", "Licensing authority"]:
        raise InputError(path, f"sheet {sheet}: expected Region and Licensing authority headers, found {header[1:3]}")
    split = 4 if header[3] == "Total/CIA" else 3
    body = table.iloc[LICENSING_HEADER_ROW + 1 :].copy()
    body.columns = range(len(header))
    body["line"] = body.index + 1
    body = body[body[2].notna()]
    period = body[0].astype(str).str.strip()
    note = ~period.str.fullmatch(r"\d{4}/\d{2}")
    if note.any():
        notes = body[note]
        filled = notes[list(range(split, len(header)))].notna().any(axis=1)
        if filled.any():  # a row with figures must have a year; an empty one is a note under the table
            row = notes[filled].iloc[0]
            raise InputError(
                path, f"year {row[0]!r} is not a financial year like 2021/22", int(row["line"]), f"{sheet} Year"
            )
        body, period = body[~note], period[~note]
    names = body[2].astype(str).str.strip()
    lookup = {key: code for (scheme, key), (code, _) in area_lookup().items() if scheme == "ho_licensing_authority"}
    codes = names.map(lookup)
    if codes.isna().any():
        first = codes.isna().to_numpy().nonzero()[0][0]
        lookup_area(
            "ho_licensing_authority",
            names.iloc[first],
            path,
            int(body["line"].iloc[first]),
            f"{sheet} Licensing authority",
        )
    keep = codes != ""  # documented in the lookup: an authority without an ONS code, not loaded
    body, period, names, codes = body[keep], period[keep], names[keep], codes[keep]
    breakdown = (" (" + body[3].astype(str) + ")") if split == 4 else ""
    number = sheet.split("_")[1]
    years = period.map({label: period_year(label) for label in period.unique()})
    levels = pd.Series("licensing_authority", index=codes.index).mask(codes.str.startswith("K"), "country")
    parts = []
    for position in range(split, len(header)):
        answers = body[position]
        yes_no = answers.isin(list(LICENSING_YES_NO))
        cells = answers.where(~yes_no, answers.map(LICENSING_YES_NO))
        values, markers, meanings = parse_cells(
            cells, LICENSING_MARKERS, path, body["line"], f"{sheet} {header[position]}"
        )
        parts.append(
            pd.DataFrame(
                {
                    "area_code": codes,
                    "area_name": names,
                    "area_level": levels,
                    "period": period,
                    "year": years,
                    "indicator": f"Table {number}: {header[position]}" + breakdown,
                    "value": values,
                    "numerator": None,
                    "denominator": None,
                    "unit": YES_NO_UNIT if yes_no.any() else "number",
                    "marker": markers,
                    "marker_meaning": meanings,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


READERS: dict[str, Callable[[Path], tuple[pd.DataFrame, pd.DataFrame]]] = {
    "dfe_lait": read_lait,
    "dfe_cla": read_cla,
    "dfe_cla_outcomes": read_cla_outcomes,
    "dfe_cla_missing": read_cla_missing,
    "dfe_cin_exclusions": read_cin_exclusions,
    "dfe_cin_factors": read_cin_factors,
    "dfe_neet": read_neet,
    "ons_homicide": read_homicide,
    "ho_licensing": read_licensing,
}
