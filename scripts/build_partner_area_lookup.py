"""Build src/vru/sources/partner_area_lookup.csv: GSS codes for partner areas published without one.

    .venv/bin/python scripts/build_partner_area_lookup.py [--shared PATH] [--statistical-neighbours XLSX]

Two publishers name areas without a GSS code (docs/partner-data.md, "Areas without a code"):

* DfE's LAIT indicator bank keys each area by its DfE local authority number ("LA Number", e.g. 800).
  DfE's own Explore Education Statistics files in partner_la/children_social_care carry both that number
  (`old_la_code`) and the GSS code (`new_la_code`): the lookup takes the pair from them, the code of the
  latest year where an authority's code changed (North Yorkshire 815, Somerset 933 became unitary in 2023).
  LAIT's England, region and London groups (970-990) are mapped to their ONS codes below.
* The Home Office alcohol licensing tables name each licensing authority. A name equal to a local
  authority district name in the ONS 2022 or 2024 lookups (partner_la's sibling folder geography/) takes
  that code; the Home Office's other spellings and the districts abolished since 2011 are listed below
  with the reason. Each row says how it was matched (`basis`).

Run again after new partner files arrive: a name or number the lookup lacks is an error at load time.

With --statistical-neighbours (DfE's `sn_may_2025.xlsx`, the statistical neighbour groups the LAIT tool
uses, published with it at the same commit as the indicator bank; see docs/partner-data.md), also writes
src/vru/sources/dfe_statistical_neighbours_2025.csv: each authority's ten neighbours by GSS code, in DfE's
order, with DfE's closeness band.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
from pathlib import Path

import pandas as pd

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT = REPO_ROOT / "src" / "vru" / "sources" / "partner_area_lookup.csv"
NEIGHBOURS_OUT = REPO_ROOT / "src" / "vru" / "sources" / "dfe_statistical_neighbours_2025.csv"
NEIGHBOURS_SOURCE = "DfE statistical neighbours, May 2025 (LAIT sn_may_2025.xlsx)"
NEIGHBOURS_HEADER_ROW = 2  # rows 0-1 are column letters and numbers
EES_FILES = [
    "children_social_care/cla_number_and_rate_per_10k_children.csv",
    "children_social_care/la_conviction_health_outcome_cla.csv.gz",
    "children_social_care/la_children_who_were_missing_or_away_from_placement_without_authorisation.csv.gz",
    "children_social_care/permanent_exclusions_and_suspensions_la.csv",
    "children_social_care/c3_factors_identified_at_end_of_assessment_2018_to_2023.csv",
]
# LAIT's aggregate rows (LA Number 970-990): England, the nine regions, and ONS's Inner / Outer London.
DFE_GROUPS = {
    "970": ("E92000001", "England"),
    "980": ("E12000001", "North East"),
    "981": ("E12000002", "North West"),
    "982": ("E12000003", "Yorkshire and The Humber"),
    "983": ("E12000004", "East Midlands"),
    "984": ("E12000005", "West Midlands"),
    "985": ("E12000006", "East of England"),
    "986": ("E12000007", "London"),
    "987": ("E13000001", "Inner London"),
    "988": ("E13000002", "Outer London"),
    "989": ("E12000008", "South East"),
    "990": ("E12000009", "South West"),
}
# Home Office spellings of current districts: publisher name -> ONS name.
LICENSING_SPELLINGS = {
    "BCP": "Bournemouth, Christchurch and Poole",
    "Bedford UA": "Bedford",
    "Cornwall UA": "Cornwall",
    "Durham UA": "County Durham",
    "East Herts": "East Hertfordshire",
    "Herefordshire": "Herefordshire, County of",
    "Hull": "Kingston upon Hull, City of",
    "Northumberland UA": "Northumberland",
    "Rhondda Cynon Taff": "Rhondda Cynon Taf",
    "Shepway": "Folkestone and Hythe",  # renamed 2018, same code
    "Shropshire UA": "Shropshire",
    "Wiltshire UA": "Wiltshire",
}
# Districts abolished since 2011, with the ONS code they had (the orders that abolished them named).
FORMER_DISTRICTS = {
    "Bournemouth": ("E06000028", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018"),
    "Poole": ("E06000029", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018"),
    "Christchurch": ("E07000048", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018"),
    "East Dorset": ("E07000049", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018"),
    "North Dorset": ("E07000050", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018"),
    "Purbeck": ("E07000051", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018"),
    "West Dorset": ("E07000052", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018"),
    "Weymouth and Portland": ("E07000053", "The Bournemouth, Dorset and Poole (Structural Changes) Order 2018"),
    "Suffolk Coastal": ("E07000205", "The East Suffolk (Local Government Changes) Order 2018"),
    "Waveney": ("E07000206", "The East Suffolk (Local Government Changes) Order 2018"),
    "Forest Heath": ("E07000201", "The West Suffolk (Local Government Changes) Order 2018"),
    "St Edmundsbury": ("E07000204", "The West Suffolk (Local Government Changes) Order 2018"),
    "Taunton Deane": ("E07000190", "The Somerset West and Taunton (Local Government Changes) Order 2018"),
    "West Somerset": ("E07000191", "The Somerset West and Taunton (Local Government Changes) Order 2018"),
    "Aylesbury Vale": ("E07000004", "The Buckinghamshire (Structural Changes) Order 2019"),
    "Chiltern": ("E07000005", "The Buckinghamshire (Structural Changes) Order 2019"),
    "South Bucks": ("E07000006", "The Buckinghamshire (Structural Changes) Order 2019"),
    "Wycombe": ("E07000007", "The Buckinghamshire (Structural Changes) Order 2019"),
    "Corby": ("E07000150", "The Northamptonshire (Structural Changes) Order 2020"),
    "Daventry": ("E07000151", "The Northamptonshire (Structural Changes) Order 2020"),
    "East Northamptonshire": ("E07000152", "The Northamptonshire (Structural Changes) Order 2020"),
    "Kettering": ("E07000153", "The Northamptonshire (Structural Changes) Order 2020"),
    "Northampton": ("E07000154", "The Northamptonshire (Structural Changes) Order 2020"),
    "South Northamptonshire": ("E07000155", "The Northamptonshire (Structural Changes) Order 2020"),
    "Wellingborough": ("E07000156", "The Northamptonshire (Structural Changes) Order 2020"),
}
# The Inns of Court are licensing authorities inside the City of London with no ONS code of their own.
NO_CODE = {
    "Inner Temple": "an Inn of Court: a licensing authority inside the City of London without an ONS code",
    "Middle Temple": "an Inn of Court: a licensing authority inside the City of London without an ONS code",
}
LICENSING_TOTAL = "*Total"  # the England and Wales row of every table
FIELDS = ["scheme", "key", "area_code", "area_name", "basis"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    parser.add_argument("--statistical-neighbours", type=Path)
    arguments = parser.parse_args()
    shared = arguments.shared.resolve()
    rows = dfe_rows(shared / "partner_la") + licensing_rows(shared)
    with OUT.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, FIELDS, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {OUT.relative_to(REPO_ROOT)}")
    if arguments.statistical_neighbours:
        codes = {row["key"]: row["area_code"] for row in rows if row["scheme"] == "dfe_la_number"}
        neighbours = neighbour_rows(arguments.statistical_neighbours, codes)
        with NEIGHBOURS_OUT.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.DictWriter(
                handle, ["area_code", "neighbour_code", "rank", "closeness", "source"], lineterminator="\n"
            )
            writer.writeheader()
            writer.writerows(neighbours)
        print(f"wrote {len(neighbours)} rows to {NEIGHBOURS_OUT.relative_to(REPO_ROOT)}")


def neighbour_rows(path: Path, codes: dict[str, str]) -> list[dict[str, str]]:
    frame = pd.read_excel(path, header=None, dtype=str, engine="openpyxl")
    header = [str(cell).strip() for cell in frame.iloc[NEIGHBOURS_HEADER_ROW]]
    rows = []
    for record in frame.iloc[NEIGHBOURS_HEADER_ROW + 1 :].itertuples(index=False):
        cells = [str(cell).strip() for cell in record]
        if cells[0] in ("", "nan"):
            continue
        for position, name in enumerate(header):
            if re.fullmatch(r"SN\d+", name) and cells[position] not in ("", "nan"):
                rows.append({
                    "area_code": codes[cells[0]], "neighbour_code": codes[cells[position]], "rank": name[2:],
                    "closeness": cells[position + 1], "source": NEIGHBOURS_SOURCE,
                })  # fmt: skip
    return rows


def dfe_rows(partner_la: Path) -> list[dict[str, str]]:
    latest: dict[str, tuple[str, str, str]] = {}  # number -> (year, code, name)
    for name in EES_FILES:
        frame = pd.read_csv(partner_la / name, dtype=str, encoding="utf-8-sig", keep_default_na=False)
        frame = frame[frame["geographic_level"] == "Local authority"]
        for year, number, code, la_name in frame[["time_period", "old_la_code", "new_la_code", "la_name"]].itertuples(
            index=False
        ):
            if number not in latest or year > latest[number][0]:
                latest[number] = (year, code, la_name)
    rows = [
        {"scheme": "dfe_la_number", "key": number, "area_code": code, "area_name": la_name,
         "basis": f"DfE Explore Education Statistics files (old_la_code -> new_la_code, {year})"}
        for number, (year, code, la_name) in sorted(latest.items())
    ]  # fmt: skip
    rows += [
        {"scheme": "dfe_la_number", "key": number, "area_code": code, "area_name": name,
         "basis": "LAIT England / region / London group: ONS code"}
        for number, (code, name) in DFE_GROUPS.items()
    ]  # fmt: skip
    return rows


def licensing_rows(shared: Path) -> list[dict[str, str]]:
    names = licensing_authority_names(
        shared / "partner_la" / "licensing" / "alcohol_latr_night_licensing_tables_2022.ods"
    )
    ons = ons_district_names(shared / "geography")
    rows = []
    for name in sorted(names):
        if name == LICENSING_TOTAL:
            code, ons_name, basis = "K04000001", "England and Wales", "the table's England and Wales total row"
        elif name in NO_CODE:
            code, ons_name, basis = "", "", "not loaded: " + NO_CODE[name]
        elif name in FORMER_DISTRICTS:
            code, order = FORMER_DISTRICTS[name]
            ons_name, basis = name, f"former district, abolished by {order}"
        elif comparable(name) in ons:
            ons_name, code = ons[comparable(name)]
            basis = "same name as the ONS local authority district" + (
                "" if name == ons_name else " ('&' for 'and', no full stops)"
            )
        elif name in LICENSING_SPELLINGS:
            ons_name = LICENSING_SPELLINGS[name]
            code, basis = ons[comparable(ons_name)][1], f"Home Office spelling of the ONS district {ons_name!r}"
        else:
            raise SystemExit(f"licensing authority {name!r} has no ONS district of that name: add it to this script")
        rows.append(
            {"scheme": "ho_licensing_authority", "key": name, "area_code": code, "area_name": ons_name, "basis": basis}
        )
    return rows


def licensing_authority_names(path: Path) -> set[str]:
    sheets = pd.read_excel(path, engine="calamine", sheet_name=None, header=None, dtype=str)
    names: set[str] = set()
    for sheet, frame in sheets.items():
        if sheet.startswith("Table_") and sheet != "Table_1":
            names |= {str(value).strip() for value in frame.iloc[8:, 2].dropna()}
    return names


def comparable(name: str) -> str:
    return " ".join(name.replace("&", " and ").replace(".", "").lower().split())


def ons_district_names(geography: Path) -> dict[str, tuple[str, str]]:
    """comparable(name) -> (ONS name, code), from the 2022 and 2024 district lookups."""
    names: dict[str, tuple[str, str]] = {}
    with gzip.open(geography / "lookup_lsoa11_lsoa21_ltla22_EW.csv.gz", "rt", encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            names[comparable(row["ltla22_name"])] = (row["ltla22_name"], row["ltla22_code"])
    with (geography / "lookup_ltla24_csp24_pfa24_EW.csv").open(encoding="utf-8-sig") as handle:
        for row in csv.DictReader(handle):
            names[comparable(row["ltla24_name"])] = (row["ltla24_name"], row["ltla24_code"])
    return names


if __name__ == "__main__":
    main()
