"""What changed in the assessment's statistics and why, with the figure before and after (issue 10).

The "before" figures are recomputed here from the bundle's own counts with the methods the assessment
used to use (crime-level exact tests, counts over residents, means per month present), so the list is
reproducible and stays true to the data it describes. Input: the assessment summary (with findings).
"""

from __future__ import annotations

from vru.analysis.rates import rate_ratio
from vru.months import month_index


def _interval(ratio: float | None, lower: float | None, upper: float | None) -> str:
    if ratio is None or lower is None or upper is None:
        return "no ratio"
    return f"{ratio:.2f} (95% CI {lower:.2f} to {upper:.2f})"


def _change(what: str, before: str, after: str, why: str) -> dict:
    return {"what": what, "before": before, "after": after, "why": why}


def method_changes(summary: dict, profile_by_month: dict[str, int] | None = None) -> list[dict]:
    """The changes, each {what, before, after, why}; `profile_by_month` ({'YYYY-MM': count}) gives the
    latest-12 comparison's old figure."""
    changes = []
    trend = summary.get("trend") or {}
    trend_finding = next((f for f in summary.get("findings", []) if f["id"] == "trend"), None)
    if trend.get("annual_change_percent") is not None and trend_finding and summary.get("change"):
        changes.append(
            _change(
                "Trend",
                f"the profile is {trend['direction']}: {trend['annual_change_percent']:+.1f}% a year "
                "(a straight line through the months)",
                trend_finding["text"],
                "A straight line through a series that stepped once reports a steady rise that is not there; a "
                "step shared by the whole force suggests recording or reporting, not local escalation.",
            )
        )
    months = summary.get("period", {}).get("months_present")
    deciles = (summary.get("deprivation") or {}).get("imd2025", {}).get("rate_by_decile") or []
    worst = next((row for row in deciles if row.get("rate_per_1000") is not None), None)
    if worst and months:
        changes.append(
            _change(
                f"Rate in IMD decile {worst['imd_decile']}",
                f"{worst['count'] / worst['population'] * 1000:.1f} per 1,000 'a year' ({months} months' crimes over "
                "residents)",
                f"{worst['rate_per_1000']:.1f} per 1,000 residents a year (person-years)",
                "A rate a year divides by person-years: residents x months with data / 12.",
            )
        )
    quintile = (summary.get("deprivation") or {}).get("imd2025", {}).get("quintile_ratio") or {}
    if quintile.get("ratio") is not None and quintile.get("population_least_deprived"):
        old = rate_ratio(
            int(quintile["count_most_deprived"]),
            quintile["population_most_deprived"],
            int(quintile["count_least_deprived"]),
            quintile["population_least_deprived"],
        )
        changes.append(
            _change(
                "Most against least deprived fifth",
                _interval(old.ratio, old.lower, old.upper) + ", every crime treated as independent",
                _interval(quintile["ratio"], quintile["lower"], quintile["upper"]) + ", neighbourhood by neighbourhood",
                "Crimes cluster in places: the interval must allow for neighbourhoods differing more than chance.",
            )
        )
    nte = ((summary.get("night_time_economy") or {}).get("rate_ratio_with_vs_without")) or {}
    if nte.get("ratio") is not None:
        old = rate_ratio(int(nte["count_a"]), nte["person_years_a"], int(nte["count_b"]), nte["person_years_b"])
        verdict = "significant" if nte["significant"] else "not significant: not a finding"
        changes.append(
            _change(
                "Night-time economy (LSOAs with licensed premises against none)",
                _interval(old.ratio, old.lower, old.upper)
                + (", significant" if old.lower > 1 or old.upper < 1 else ", not significant"),
                _interval(nte["ratio"], nte["lower"], nte["upper"]) + f", {verdict}",
                "One busy town-centre neighbourhood is one place, not thousands of independent crimes.",
            )
        )
    latest = summary.get("latest_12_months") or {}
    monthly = profile_by_month or {}
    if latest.get("ratio") is not None and monthly:
        last = month_index(latest["latest"]["last_month"])
        windows = [
            [m for m in monthly if last - 11 <= month_index(m) <= last],
            [m for m in monthly if last - 23 <= month_index(m) <= last - 12],
        ]
        if all(windows):
            old = rate_ratio(
                sum(monthly[m] for m in windows[0]),
                len(windows[0]),
                sum(monthly[m] for m in windows[1]),
                len(windows[1]),
            )
            changes.append(
                _change(
                    "Latest 12 months against the previous 12",
                    _interval(old.ratio, old.lower, old.upper) + ", means over each side's own months",
                    _interval(latest["ratio"], latest["ratio_lower"], latest["ratio_upper"])
                    + ", the same calendar months on both sides, over-dispersion allowed",
                    "A month missing on one side only makes the sides unlike; months vary more than Poisson.",
                )
            )
    where = summary.get("where") or {}
    stability = summary.get("hot_spot_stability")
    places = (summary.get("priority_places") or {}).get("places")
    if where.get("hot_spots") is not None and stability is not None and places is not None:
        changes.append(
            _change(
                "Hot spots",
                f"{where['hot_spots']} Gi* hot spots named as places to prioritise",
                f"{stability['lsoas_hot_in_every_run']} hot in every one of {len(stability['runs'])} runs; "
                f"{len(places)} neighbourhoods high on their own named as priorities",
                "Gi* flags a neighbourhood when its neighbours are busy; a priority must be high on its own and "
                "stable across seeds and permutations.",
            )
        )
    cost = summary.get("cost") or {}
    current = summary.get("cost_current") or {}
    if cost.get("available") and current.get("available"):
        old = cost.get("area_estimate") or {}
        # The cost section is now in current prices too: back to the unit costs' own year for "before".
        uplift = (current.get("uplift") or {}).get("ratio") if cost.get("price_year") != "2015/16" else None
        central_2015 = old.get("central", 0) / (uplift or 1)
        changes.append(
            _change(
                "Cost of a year of violence",
                f"£{central_2015 / 1e6:,.1f}m in 2015/16 prices, violence only",
                f"£{current['total']['central'] / 1e6:,.1f}m in {current['price_year']} prices, robbery included",
                "Costs in current prices (GDP deflator), robbery costed at its own count, caveats beside the figure.",
            )
        )
    changes.append(
        _change(
            "Rates per 1,000 aged 10-24",
            "shown beside the all-age rates",
            "not shown",
            "They divide crimes against people of every age by the youth population: police.uk gives no ages.",
        )
    )
    return changes
