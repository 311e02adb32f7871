"""Monitoring the strategy's success measures: each measure's monthly series as an XmR chart with its baseline
fixed at the strategy's start, and the smallest change it could show (vru.analysis.spc,
vru.analysis.detectable_change).

Pure functions, no I/O. Method: docs/methods-monitoring.md.

Police.uk measures now: violence and sexual offences, robbery and possession of weapons, for the whole area,
the priority places (the top 5% of LSOAs by violence and sexual offences in the baseline, the concentration
rule of the needs assessment) and the places with most young people (the top 5% of LSOAs by residents aged
10 to 24). The Home Office VRU measures are listed as missing until a source for them is loaded.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from vru.analysis.concentration import concentration_shares
from vru.analysis.detectable_change import MIN_BASELINE_MONTHS, minimum_detectable_change, months_to_detect
from vru.analysis.records import json_safe
from vru.analysis.spc import SPECIAL_CAUSE_WORDS, VARIATION_ICON_WORDS, xmr_chart

__all__ = ["DETECTION_CHANGES", "HOME_OFFICE_MEASURES", "POLICE_UK_MEASURES", "monitoring_measures", "series_measure"]

POLICE_UK = "police.uk street-level crime"
POLICE_UK_MEASURES = (
    ("violence-and-sexual-offences", "Violence and sexual offences"),
    ("robbery", "Robbery"),
    ("possession-of-weapons", "Possession of weapons"),
)
HOME_OFFICE_MEASURES = (
    (
        "hospital-admissions-sharp-object",
        "Hospital admissions for assault with a knife or sharp object",
        "NHS hospital episode statistics (the Home Office VRU success measure)",
    ),
    (
        "knife-enabled-serious-violence",
        "Knife-enabled serious violence",
        "Home Office police recorded crime (the Home Office VRU success measure)",
    ),
    ("homicide", "Homicide", "Home Office Homicide Index (the Home Office VRU success measure)"),
)
NOT_LOADED = (
    "Not loaded yet: police.uk cannot measure this, and no data for it has been loaded. It will be charted as "
    "soon as it is."
)
# The changes whose time to detect is given for every measure: the YEF impact bands' edges (low from 2%,
# moderate from 10%, high from 30%) and 20% between them.
DETECTION_CHANGES = (0.1, 0.2, 0.3)
TOP_SHARE = 0.05
# Below this many a month, an individuals chart of counts is rough (the limits assume roughly normal noise).
FEW_A_MONTH = 5


def series_measure(
    key: str,
    name: str,
    source: str,
    geography: str,
    series: pd.Series,
    baseline_to: str,
    *,
    places: Sequence[Mapping[str, str]] = (),
    missing_months: Sequence[str] = (),
) -> dict[str, Any]:
    """One measure: `series` is indexed by month ('YYYY-MM', the months with data, in order). The chart's
    limits are fixed on the months up to `baseline_to`; the minimum detectable change uses those months."""
    series = series.sort_index()
    baseline = series[series.index <= baseline_to]
    measure: dict[str, Any] = {
        "key": key,
        "name": name,
        "source": source,
        "geography": geography,
        "places": list(places),
        "available": True,
        "missing_reason": "",
        "baseline_from": str(baseline.index[0]) if len(baseline) else "",
        "baseline_to": str(baseline.index[-1]) if len(baseline) else "",
        "missing_months": list(missing_months),
        "series": [{"month": month, "value": float(value)} for month, value in series.items()],
        "chart": None,
        "detectable": None,
        "notes": [],
    }
    if missing_months:
        measure["notes"].append(
            f"{len(missing_months)} month(s) had no police.uk data ({', '.join(missing_months)}): the chart joins "
            "the months either side, and nothing is filled in."
        )
    if len(baseline) and baseline.mean() < FEW_A_MONTH:
        measure["notes"].append(
            f"Fewer than {FEW_A_MONTH} a month on average: with counts this small the chart's limits are rough and "
            "a single month can look like a signal; read it with the detectable change below."
        )
    if len(baseline) < 2:
        measure["notes"].append("Fewer than two months before the strategy's start: no control limits yet.")
        return json_safe(measure)
    chart = xmr_chart(
        series.to_numpy(dtype=float),
        labels=list(series.index),
        fix_after_n_points=len(baseline),
        improvement_direction="decrease",
    )
    points = chart.points[["label", "value", "mean", "lower_limit", "upper_limit", "special_cause", "point_type"]]
    measure["chart"] = {
        "points": [
            {**row, "month": row.pop("label"), "baseline": index < len(baseline)}
            for index, row in enumerate(points.to_dict("records"))
        ],
        "improvement_direction": chart.improvement_direction,
        "variation_icon": chart.variation_icon,
        "variation_words": VARIATION_ICON_WORDS[chart.variation_icon],
        "latest_special_cause": SPECIAL_CAUSE_WORDS[chart.latest["special_cause"]],
        "description": chart.describe(),
        "trial_limits": chart.trial_limits,
        "warnings": chart.warnings,
        "signals": int(chart.points["special_cause_flag"].sum()),
    }
    if len(baseline) >= MIN_BASELINE_MONTHS and baseline.sum() > 0:
        detectable = minimum_detectable_change(baseline.to_numpy(dtype=float), months_after=12)
        measure["detectable"] = {
            "baseline_mean": detectable.baseline_mean,
            "dispersion": detectable.dispersion,
            "months_after": detectable.months_after,
            "smallest_change": detectable.smallest_change,
            "smallest_change_fraction": detectable.smallest_change_fraction,
            "never_below_fraction": detectable.never_below_fraction,
            "months_to_detect": {
                f"{change:.0%}": months_to_detect(baseline.to_numpy(dtype=float), change)
                for change in DETECTION_CHANGES
            },
            "description": detectable.describe(name),
        }
    else:
        measure["notes"].append(
            f"The baseline has fewer than {MIN_BASELINE_MONTHS} months or no crimes: no detectable change is given."
        )
    return json_safe(measure)


def missing_measure(key: str, name: str, source: str) -> dict[str, Any]:
    return {
        "key": f"home-office:{key}",
        "name": name,
        "source": source,
        "geography": "Whole area",
        "places": [],
        "available": False,
        "missing_reason": NOT_LOADED,
        "baseline_from": "",
        "baseline_to": "",
        "missing_months": [],
        "series": [],
        "chart": None,
        "detectable": None,
        "notes": [],
    }


def monitoring_measures(
    counts: pd.DataFrame,
    lsoas: pd.DataFrame,
    months: Sequence[str],
    baseline_to: str,
    *,
    missing_months: Sequence[str] = (),
    area_name: str = "the area",
) -> dict[str, Any]:
    """Every measure for an area. `counts`: month, lsoa21_code, crime_type (police.uk's name), count;
    `lsoas`: every LSOA of the area with lsoa21_code, lsoa21_name, population_10_24; `months`: the months with
    data, in order (a month absent from `counts` for a place counts zero crimes there)."""
    for frame, columns, label in (
        (counts, {"month", "lsoa21_code", "crime_type", "count"}, "counts"),
        (lsoas, {"lsoa21_code", "lsoa21_name", "population_10_24"}, "lsoas"),
    ):
        missing = columns - set(frame.columns)
        if missing:
            raise ValueError(f"{label} lacks the columns {sorted(missing)}")
    months = sorted(months)
    if not months or baseline_to < months[0]:
        raise ValueError(f"no months with data up to the baseline's end ({baseline_to})")
    names = dict(zip(lsoas["lsoa21_code"], lsoas["lsoa21_name"], strict=True))
    in_baseline = counts[counts["month"] <= baseline_to]
    violence = (
        in_baseline[in_baseline["crime_type"] == "Violence and sexual offences"]
        .groupby("lsoa21_code")["count"]
        .sum()
        .reindex(lsoas["lsoa21_code"], fill_value=0)
    )
    priority = concentration_shares(violence, shares=(TOP_SHARE,))["groups"][0]["codes"]
    young = concentration_shares(lsoas.set_index("lsoa21_code")["population_10_24"], shares=(TOP_SHARE,))["groups"][0][
        "codes"
    ]
    geographies = [
        ("area", f"Whole area ({area_name})", list(lsoas["lsoa21_code"])),
        (
            "priority-places",
            f"Priority places: the {len(priority)} neighbourhoods (LSOAs) with most violence and sexual offences "
            "before the strategy's start (the top 5%)",
            priority,
        ),
        (
            "young-people",
            f"Places with most young people: the {len(young)} neighbourhoods (LSOAs) with most residents aged "
            "10 to 24 (the top 5%)",
            young,
        ),
    ]
    measures = []
    for category_key, category in POLICE_UK_MEASURES:
        of_type = counts[counts["crime_type"] == category]
        for geography_key, geography, codes in geographies:
            monthly = of_type[of_type["lsoa21_code"].isin(codes)].groupby("month")["count"].sum()
            series = monthly.reindex(months, fill_value=0).astype(float)
            places = [] if geography_key == "area" else [{"code": code, "name": names[code]} for code in codes]
            measures.append(
                series_measure(
                    f"police-uk:{category_key}:{geography_key}",
                    category,
                    POLICE_UK,
                    geography,
                    series,
                    baseline_to,
                    places=places,
                    missing_months=missing_months,
                )
            )
    measures.extend(missing_measure(*measure) for measure in HOME_OFFICE_MEASURES)
    return {"baseline_to": baseline_to, "months": months, "missing_months": list(missing_months), "measures": measures}
