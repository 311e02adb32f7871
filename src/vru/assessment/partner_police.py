"""Partner counts against police counts by neighbourhood (LSOA): where injuries are seen by an emergency
department or an ambulance service but not recorded by the police, the blind spot the Cardiff Model exists to
find (docs/partner-data.md, "What may be public").

`partner_police_section(con, area, categories)` compares every partner source that places its records in an
LSOA of the area AND that staff have marked publishable (`vru partner --publishable KIND=yes`) with police.uk
street crimes of the profile's categories in the same LSOAs and months (vru.analysis.partner_quality's
`partner_police_difference`), and returns plain data for the bundle: the places that differ, with partner
counts from 1 to 4 withheld (`public_counts`). A source that is loaded but not publishable gives nothing but
the fact that it exists. Without any, `{available: false, reason, how_to_provide}`.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from vru.analysis.partner_quality import (
    FALSE_DISCOVERY_RATE,
    SMALL_NUMBER_THRESHOLD,
    partner_police_difference,
    public_counts,
)
from vru.sources.partner_intake import TEMPLATES
from vru.warehouse.partner_intake import (
    located_partner_sources,
    partner_and_police_by_lsoa,
    partner_months,
    police_months,
    publishable_sources,
)

METHOD = (
    "For each neighbourhood (LSOA 2021), the partner's share of the partner's and the police's counts there is "
    "compared with that share over every neighbourhood compared, by an exact binomial test; the places listed "
    "differ after a Benjamini-Hochberg false discovery rate of {rate:.0%} over all of them. Police counts are "
    "police.uk street crimes of the profile's categories ({categories}) in the same neighbourhoods and months. "
    "Partner counts from 1 to {below} are withheld (shown as 'fewer than {threshold}')."
)
HOW_TO_PROVIDE = (
    "An emergency department (assault attendances in the ISTV, Cardiff Model, minimum data set) or an ambulance "
    "service (assault call-outs) fills the partner data template with the LSOA of each record, and sends it "
    "through the portal's partner data page or `vru partner --organisation NAME FILE`; staff then mark the "
    "source publishable (`vru partner --organisation NAME --publishable ed_assault=yes`). The templates are in "
    "the partner data guide that comes with the toolkit."
)
NONE_LOADED = (
    "No partner data with counts by neighbourhood (LSOA) is loaded for this area, so this report cannot show "
    "where partners see violence the police do not."
)


def partner_police_section(con: duckdb.DuckDBPyConnection, area, categories: list[str]) -> dict:
    lsoas = list(area.lsoas)
    located = located_partner_sources(con, lsoas)
    publishable = publishable_sources(con)
    public = [(organisation, kind) for organisation, kind, _ in located if (organisation, kind) in publishable]
    held_back = len(located) - len(public)
    if not public:
        reason = NONE_LOADED
        if held_back:
            reason = (
                f"{held_back} partner source{'s' if held_back > 1 else ''} with counts by neighbourhood "
                f"{'are' if held_back > 1 else 'is'} loaded but not marked publishable by staff, so nothing from "
                f"{'them' if held_back > 1 else 'it'} is shown."
            )
        return {"available": False, "reason": reason, "not_publishable": held_back, "how_to_provide": HOW_TO_PROVIDE}
    loaded_police = police_months(con, area.force)
    names = dict(
        con.execute(
            "SELECT lsoa21_code, lsoa21_name FROM ref_lsoa21_area WHERE lsoa21_code IN (SELECT unnest(?::VARCHAR[]))",
            [lsoas],
        ).fetchall()
    )
    sources = [
        _compare(con, organisation, kind, lsoas, categories, loaded_police, publishable, names)
        for organisation, kind in public
    ]
    return {
        "available": True,
        "sources": sources,
        "not_publishable": held_back,
        "method": METHOD.format(
            rate=FALSE_DISCOVERY_RATE,
            categories=", ".join(categories),
            below=SMALL_NUMBER_THRESHOLD - 1,
            threshold=SMALL_NUMBER_THRESHOLD,
        ),
        "how_to_provide": HOW_TO_PROVIDE,
    }


def _compare(con, organisation, kind, lsoas, categories, loaded_police, publishable, names) -> dict:
    months = [month for month in partner_months(con, organisation, kind) if month in loaded_police]
    partner, police = partner_and_police_by_lsoa(con, organisation, kind, lsoas, categories, months)
    difference = partner_police_difference(partner, police)
    counts = pd.DataFrame(
        {"organisation": organisation, "kind": kind, "count": difference["partner"].to_numpy()},
        index=difference.index,
    )
    shown = public_counts(counts.reset_index(names="lsoa21_code"), publishable).set_index("lsoa21_code")
    places = []
    for code, row in difference.iterrows():
        if not (row["more_than_police"] or row["fewer_than_police"]):
            continue
        withheld = bool(shown.loc[code, "withheld"])
        places.append(
            {
                "lsoa21_code": code,
                "lsoa21_name": names.get(code, code),
                "partner": None if withheld else int(row["partner"]),
                "partner_withheld": withheld,
                "police": int(row["police"]),
                "direction": "more_than_police" if row["more_than_police"] else "fewer_than_police",
                # The test's p-value with the police count would give the withheld count back.
                "p_value": None if withheld else float(row["p_value"]),
            }
        )
    places.sort(key=lambda place: (place["direction"] != "more_than_police", place["lsoa21_code"]))
    return {
        "organisation": organisation,
        "kind": kind,
        "title": TEMPLATES[kind].title,
        "months_from": months[0].strftime("%Y-%m") if months else None,
        "months_to": months[-1].strftime("%Y-%m") if months else None,
        "months": len(months),
        "lsoas_compared": len(difference),
        "places": places,
    }
