"""Risk factors that stand out for the area, as need in the gap register (method: docs/methods-gaps.md).

Pure functions, no I/O. The assessment's factor comparison (vru.analysis.factor_comparison, bundle key
`partner_factors`) says which published partner indicators stand out for the local authority against its
statistical neighbours, and on which side. A factor that stands out on the WORSE side is need for the themes
of work that address it (`FACTOR_THEMES`, e.g. suspensions and exclusions: education and employment): it
becomes a partner indicator of value 1 for every ward of the area and each of those themes, so it joins the
need of those themes only (vru.analysis.gaps scales each indicator by its largest value across wards: an
area-wide flag stays 1 everywhere). A factor that does not stand out, stands out on the better side, or has
no polarity (licensing: context, not judged) adds nothing: the gap register's need is never lowered by a
factor, only raised where a test says the area stands out.

Only the test's verdict crosses over, never a count: published rates, not partner records, and nothing under
5 can appear. The reason sentence names the factor, how many years it was on the worse side and its source.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

# Indicator (the bundle's `indicator`) -> the themes of work that address it (portal.directory.themes slugs).
FACTOR_THEMES: dict[str, tuple[str, ...]] = {
    "FirstYJS": ("youth-support",),
    "ReoffYO": ("youth-support",),
    "TotFixedEx": ("education-employment",),
    "TotPermEx": ("education-employment",),
    "16-17 NEET": ("education-employment",),
    "Hosp_Adm_Alc_<18yrs": ("substance-misuse",),
    "HospAd0-14": ("family-support",),
    "Gangs": ("exploitation", "youth-support"),
    "Child_criminal_exploitation": ("exploitation",),
    "Child_sexual_exploitation": ("exploitation", "sexual-violence"),
    "Going_missing": ("exploitation",),
    "Domestic_Abuse_child": ("domestic-abuse", "family-support"),
    "CIN": ("family-support",),
    "LAC": ("family-support",),
    "LAC_Convictions": ("youth-support",),
    "Children_missing": ("exploitation",),
    "CINFixedExclusion": ("education-employment",),
    "CINPermExclusion": ("education-employment",),
    "Table 2: Total Premises licences": ("night-time-economy",),
    "Table 3: Premises licences with late night refreshment": ("night-time-economy",),
}
COLUMNS = ["ward_code", "theme", "indicator", "value", "reason"]


def factor_need_indicators(partner_factors: Mapping, ward_codes: Iterable[str]) -> pd.DataFrame:
    """Indicators for vru.analysis.gaps.gap_table (ward_code, theme, indicator, value, reason): one row per
    ward and theme for each factor that stands out on the worse side. Empty when none does."""
    rows = []
    codes = list(dict.fromkeys(ward_codes))
    if not partner_factors.get("available"):
        return pd.DataFrame(columns=COLUMNS)
    area_name = partner_factors.get("area_name") or "The area"
    for chapter in (partner_factors.get("chapters") or {}).values():
        for factor in chapter.get("factors", []):
            if not (factor.get("stands_out") and factor.get("worse") is True):
                continue
            reason = _reason(factor, area_name)
            for theme in FACTOR_THEMES.get(factor["indicator"], ()):
                rows += [(code, theme, f"risk factor: {factor['title']}", 1.0, reason) for code in codes]
    return pd.DataFrame(rows, columns=COLUMNS)


def _reason(factor: Mapping, area_name: str) -> str:
    higher = factor["direction"] == "higher"
    years_on_side = factor["years_above"] if higher else factor["years_compared"] - factor["years_above"]
    side = "above" if higher else "below"
    return (
        f"{area_name} stands out on {factor['title'].lower()}: {side} its {factor['comparator']} in "
        f"{years_on_side} of {factor['years_compared']} years, the worse side ({factor['publication']})"
    )
