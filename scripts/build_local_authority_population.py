"""Build src/vru/sources/local_authority_population_mid2020.csv: residents per local authority district.

    .venv/bin/python scripts/build_local_authority_population.py [--shared PATH]

The denominators for partner counts published without one (the Home Office licensing tables give numbers
of licences, not rates; docs/partner-data.md). They are the reference population the toolkit already
loads (`vru reference`), summed: ONS mid-2020 small-area estimates on LSOA 2011
(population/population20_lsoa11_single_year_of_age_EW.csv.gz), apportioned to LSOA 2021 exactly as the
warehouse does (vru.sources.population.apportion_to_lsoa21) and summed by the local authority district
2022 of each LSOA 2021 in the ONS LSOA 2011 → 2021 → LAD 2022 lookup
(geography/lookup_lsoa11_lsoa21_ltla22_EW.csv.gz). Every district in England and Wales, one row each.

The file ships with the package (like the statistical neighbours) so the demo extract, which holds the
population of B&NES only, and a full load use the same denominators. Run again when the population
estimate changes.
"""

from __future__ import annotations

import argparse
import csv
from pathlib import Path

import pandas as pd

from vru.sources.population import apportion_to_lsoa21, read_population

REPO_ROOT = Path(__file__).resolve().parents[1]
OUT = REPO_ROOT / "src" / "vru" / "sources" / "local_authority_population_mid2020.csv"
POPULATION = "population/population20_lsoa11_single_year_of_age_EW.csv.gz"
LOOKUP = "geography/lookup_lsoa11_lsoa21_ltla22_EW.csv.gz"
BASIS = (
    "ONS mid-2020 LSOA 2011 population estimates (all ages), apportioned to LSOA 2021 and summed by local "
    "authority district 2022 through the ONS LSOA 2011 to 2021 to LAD 2022 lookup"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=REPO_ROOT.parent / "shared" / "data")
    arguments = parser.parse_args()
    frame = build(arguments.shared)
    with OUT.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["area_code", "area_name", "year", "population", "basis"])
        writer.writerows(frame.itertuples(index=False))
    print(f"wrote {len(frame)} districts to {OUT}")


def build(shared: Path) -> pd.DataFrame:
    """area_code, area_name, year, population (rounded to whole people), basis: one row per LAD 2022, by code."""
    estimate = read_population(shared / POPULATION)
    lookup = pd.read_csv(shared / LOOKUP, dtype=str)
    by_lsoa21 = apportion_to_lsoa21(estimate, lookup, shared / POPULATION)
    districts = lookup.drop_duplicates("lsoa21_code").set_index("lsoa21_code")[["ltla22_code", "ltla22_name"]]
    totals = by_lsoa21.groupby("lsoa21_code")["population"].sum()
    summed = totals.groupby(districts["ltla22_code"].reindex(totals.index)).sum()
    # Three LSOAs 2011 cross a district boundary and are shared equally, as the warehouse shares them: a
    # district's total can then hold a half, rounded to whole people here.
    names = districts.drop_duplicates("ltla22_code").set_index("ltla22_code")["ltla22_name"]
    return pd.DataFrame(
        {
            "area_code": summed.index,
            "area_name": names.reindex(summed.index).to_numpy(),
            "year": estimate.year,
            "population": summed.round().astype("int64").to_numpy(),
            "basis": BASIS,
        }
    ).sort_values("area_code", ignore_index=True)


if __name__ == "__main__":
    main()
