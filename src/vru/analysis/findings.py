"""Key findings: plain-English statements generated from the assessment's numbers.

Each finding carries the figure it rests on and the test behind it; words like "rising" or "higher" are
used only when that test is significant at 95%. Input is the assessment summary (a dict, as written to
summary.json); output is a list of {id, section, text, figure, figure_text, test, significant}: the bundle's
verdicts, with every number in the text already rounded, so readers print them and never decide again.

The other verdicts the readers print are decided here too: whether the forecast is reliable
(`forecast_reliable`) and whether the global Moran's I shows clustering (`with_global_moran_verdict`).
"""

from __future__ import annotations

from typing import Any

from vru.presentation.formatting import (
    gbp_millions,
    humanise,
    month_of_year,
    number,
    p_value,
    percent,
    plural,
    ratio,
    signed_percent,
    thousands,
)

MONTH_NAMES = "January February March April May June July August September October November December".split()
# A back-test whose prediction intervals hold fewer of the actual months than this: the forecast is "not reliable".
RELIABLE_COVERAGE = 0.8
SIGNIFICANCE_LEVEL = 0.05  # global Moran's I: clustered or dispersed when its permutation p is at most this
PER = 1000


def forecast_reliable(coverage: float | None) -> bool:
    """Whether a forecast whose back-test intervals held `coverage` of the actual months can be used."""
    return coverage is not None and coverage >= RELIABLE_COVERAGE


def with_global_moran_verdict(moran: dict) -> dict:
    """The global Moran's I result with its verdict: `significant` (p_sim at most 5%) and `pattern`
    ("clustered", "dispersed" or "no significant clustering")."""
    p, statistic = moran.get("p_sim"), moran.get("I")
    significant = p is not None and statistic is not None and p <= SIGNIFICANCE_LEVEL
    pattern = "no significant clustering"
    if significant:
        pattern = "clustered" if statistic > moran.get("expected_I", 0) else "dispersed"
    return {**moran, "significant": significant, "pattern": pattern}


def _month(month: str) -> str:
    return f"{MONTH_NAMES[int(month[5:]) - 1]} {month[:4]}"


def _number(value: float) -> str:
    return f"{value:,.0f}"


def _percent(value: float, digits: int = 0) -> str:
    return f"{value:.{digits}f}%"


def _finding(id_: str, section: str, text: str, figure: Any, test: str | None, significant: bool | None) -> dict:
    return {
        "id": id_,
        "section": section,
        "text": text,
        "figure": figure,
        "figure_text": figure_text(id_, figure),
        "test": test,
        "significant": significant,
    }


def figure_text(id_: str, figure: Any) -> str:
    """The headline figure of a finding as people read it ("15.9% a year", "£43.7m a year")."""
    if isinstance(figure, dict):
        return "; ".join(f"{humanise(key)} {percent(value)}" for key, value in figure.items())
    if figure is None:
        return "not available"
    formats = {
        "volume": lambda v: f"{thousands(v)} crimes in the profile",
        "trend": lambda v: f"{signed_percent(v)} a year",
        "latest-12": lambda v: f"rate ratio {ratio(v)}",
        "seasonality": lambda v: f"peak in {month_of_year(v)}",
        "comparison": lambda v: f"{number(v)} a year per {thousands(PER)} residents",
        "concentration": lambda v: f"{percent(v)} of crimes in the busiest neighbourhoods",
        "hotspots": lambda v: plural(v, "hot spot"),
        "deprivation": lambda v: f"{number(v)} times the rate",
        "cost": lambda v: f"{gbp_millions(v)} a year",
        "forecast": lambda v: (
            ("forecast reliable" if forecast_reliable(v) else "forecast not reliable")
            + f": {percent(v)} of test months inside its range"
        ),
    }
    if id_ in formats:
        return formats[id_](figure)
    if isinstance(figure, int):
        return thousands(figure)
    return number(figure, 2)


def volume_finding(summary: dict, total: int) -> dict:
    period = summary["period"]
    missing = summary["missing_months"]
    gap = f" ({len(missing)} months had no data: {', '.join(_month(m) for m in missing)})" if missing else ""
    population = summary["population"]["total"]
    rate = total / population * 1000 / (period["months_present"] / 12) if population else None
    rate_text = f", about {rate:.1f} a year per 1,000 residents" if rate else ""
    text = (
        f"{summary['area']['name']} recorded {_number(total)} crimes in the serious-violence profile "
        f"between {_month(period['from'])} and {_month(period['to'])}{gap}{rate_text}."
    )
    return _finding("volume", "nature and extent", text, total, None, None)


def trend_finding(trend: dict) -> dict:
    change, lower, upper = trend["annual_change_percent"], trend["annual_change_lower"], trend["annual_change_upper"]
    if change is None:
        return _finding("trend", "nature and extent", "The trend could not be estimated.", None, trend["family"], None)
    significant = trend["direction"] != "no significant change"
    interval = f"{_percent(lower, 1)} to {_percent(upper, 1)}"
    if significant:
        text = (
            f"The profile is {trend['direction']}: about {_percent(abs(change), 1)} a year "
            f"{'more' if change > 0 else 'less'} (95% CI {interval}), after allowing for the season."
        )
    else:
        text = (
            f"There is no significant trend: the estimated change is {_percent(change, 1)} a year, "
            f"but the 95% CI ({interval}) includes no change."
        )
    test = (
        f"{humanise(trend['family'])} regression on monthly counts with {trend['seasonal_method']}, "
        f"{p_value(trend['p_value'])}"
    )
    return _finding("trend", "nature and extent", text, change, test, significant)


def latest_12_finding(comparison: dict) -> dict:
    latest, previous = comparison["latest"], comparison["previous"]
    ratio = comparison["ratio"]
    if ratio is None or not comparison["comparable"]:
        text = f"The latest 12 months cannot be compared with the 12 before: {comparison['reason']}."
        return _finding("latest-12", "nature and extent", text, ratio, comparison["method"], None)
    significant = not (comparison["ratio_lower"] <= 1 <= comparison["ratio_upper"])
    direction = "higher" if ratio > 1 else "lower"
    missing = latest["missing_months"] + previous["missing_months"]
    note = (
        f" Monthly averages leave out months with no data ({', '.join(_month(m) for m in missing)})." if missing else ""
    )
    if significant:
        text = (
            f"The monthly average in the latest 12 months ({_month(latest['first_month'])} to "
            f"{_month(latest['last_month'])}) was {_percent(abs(comparison['percent_change']))} {direction} than in "
            f"the 12 months before (rate ratio {ratio:.2f}, 95% CI {comparison['ratio_lower']:.2f} to "
            f"{comparison['ratio_upper']:.2f}).{note}"
        )
    else:
        text = (
            f"The latest 12 months are not significantly different from the 12 before (rate ratio {ratio:.2f}, "
            f"95% CI {comparison['ratio_lower']:.2f} to {comparison['ratio_upper']:.2f}).{note}"
        )
    return _finding("latest-12", "nature and extent", text, ratio, comparison["method"], significant)


def seasonal_finding(profile: list[dict]) -> dict | None:
    observed = [month for month in profile if month["index"] is not None]
    if len(observed) < 12:
        return None
    peak = max(observed, key=lambda month: month["index"])
    low = min(observed, key=lambda month: month["index"])
    text = (
        f"Counts peak in {MONTH_NAMES[peak['month_of_year'] - 1]} (about {_percent((peak['index'] - 1) * 100)} above "
        f"the average month) and are lowest in {MONTH_NAMES[low['month_of_year'] - 1]}; "
        "some months of the year are seen only once, so treat the pattern as indicative."
    )
    return _finding(
        "seasonality", "nature and extent", text, peak["month_of_year"], "mean count by month of year", None
    )


def concentration_finding(concentration: dict) -> dict:
    groups = {round(group["share_of_units"], 2): group for group in concentration["lsoa"]["groups"]}
    top5 = groups[0.05]
    text = (
        f"Violence is concentrated: the {top5['units']} neighbourhoods (LSOAs) with the most crimes in the profile "
        f"— the top 5% — account for {_percent(top5['share_of_incidents'] * 100)} of them "
        f"(Gini {concentration['lsoa_gini']:.2f})."
    )
    return _finding("concentration", "where", text, top5["share_of_incidents"], "share in the top 5% of LSOAs", None)


def hotspot_finding(where: dict) -> dict:
    hot = where["hot_spots"]
    persistent = where["persistence"].get("persistent", 0)
    text = (
        f"{hot} neighbourhoods are statistically significant hot spots (Getis-Ord Gi*, 5% false discovery rate)"
        + (f"; {persistent} of them were hot spots in every year" if hot and persistent else "")
        + "."
    )
    return _finding("hotspots", "where", text, hot, where["method"]["p_values"], hot > 0)


def deprivation_finding(deprivation: dict) -> dict | None:
    ratio = deprivation["imd2025"]["quintile_ratio"]
    if ratio.get("ratio") is None:
        reason = ratio.get("note") or "a quintile has no population in the area"
        text = f"The most and least deprived fifths cannot be compared here: {reason}."
        return _finding("deprivation", "population", text, None, None, None)
    significant = not (ratio["lower"] <= 1 <= ratio["upper"])
    if significant:
        text = (
            "The rate in the most deprived fifth of neighbourhoods (IMD 2025 deciles 1-2) is "
            f"{ratio['ratio']:.1f} times "
            f"that in the least deprived fifth (95% CI {ratio['lower']:.1f} to {ratio['upper']:.1f})."
        )
    else:
        text = (
            "The rate in the most deprived fifth of neighbourhoods is not significantly different from the least "
            f"deprived fifth (ratio {ratio['ratio']:.1f}, 95% CI {ratio['lower']:.1f} to {ratio['upper']:.1f})."
        )
    return _finding("deprivation", "population", text, ratio["ratio"], ratio.get("method"), significant)


def comparison_finding(summary: dict, rows: list[dict]) -> dict | None:
    if not summary["comparison"]["complete"]:
        return None
    focus = next((row for row in rows if row["is_focus"]), None)
    force = next((row for row in rows if row["level"] == "pfa"), None)
    partnerships = [row for row in rows if row["level"] != "pfa"]
    if focus is None or force is None or focus["level"] == "pfa":
        return None
    ratio_low, ratio_high = force_ratio_bounds = (focus["lower"] / force["rate"], focus["upper"] / force["rate"])
    significant = not (ratio_low <= 1 <= ratio_high)
    relation = ("lower than" if focus["rate"] < force["rate"] else "higher than") if significant else "similar to"
    text = (
        f"{focus['name']}'s rate, {focus['rate']:.1f} a year per 1,000 residents, is {relation} the force "
        f"as a whole ({force['rate']:.1f}); it ranks {focus['rank']} of {len(partnerships)} partnerships in "
        f"{force['name']} (1 = highest)."
    )
    return _finding(
        "comparison",
        "nature and extent",
        text,
        focus["rate"],
        f"exact 95% interval of the area's rate against the force rate "
        f"({force_ratio_bounds[0]:.3g}, {force_ratio_bounds[1]:.3g})",
        significant,
    )


def outcome_finding(outcomes: dict, latest_full_year: str | None) -> dict | None:
    rows = [row for row in outcomes["headline"] if row["year"] == latest_full_year]
    if not rows:
        return None
    by_group: dict[str, dict] = {}
    for row in rows:
        entry = by_group.setdefault(row["outcome_group"], {"count": 0, "total": 0})
        entry["count"] += row["count"]
        entry["total"] += row["total"]
    share = {group: value["count"] / value["total"] for group, value in by_group.items() if value["total"]}
    text = (
        f"Of crimes in the profile in {latest_full_year}, "
        f"{_percent(share.get('charged or summonsed', 0) * 100)} led to a "
        f"charge or summons, {_percent(share.get('no suspect identified', 0) * 100)} closed with no suspect identified "
        f"and {_percent(share.get('under investigation', 0) * 100)} were still under investigation "
        "(outcomes as at the download date)."
    )
    return _finding("outcomes", "outcomes", text, share, None, None)


def forecast_finding(backtest: dict) -> dict:
    coverage = backtest.get("coverage")
    reliable = forecast_reliable(coverage)
    verdict = "a reasonable guide" if reliable else "not reliable and should not be used for planning"
    text = (
        f"A 6-month forecast is given with its test on the last 6 months of data: the test's intervals held "
        f"{_percent((coverage or 0) * 100)} of the actual months (mean absolute error {backtest.get('mae') or 0:.0f} "
        f"a month), so the forecast is {verdict}."
    )
    return _finding("forecast", "nature and extent", text, coverage, "back-test on the last 6 months", None)


def night_time_economy_finding(nte: dict | None) -> dict | None:
    ratio = (nte or {}).get("rate_ratio_with_vs_without")
    if not nte or not nte.get("available") or not ratio or ratio.get("ratio") is None:
        return None
    significant = not (ratio["lower"] <= 1 <= ratio["upper"])
    dated = f" (premises list dated {nte['as_of']})" if nte.get("as_of") else " (premises list of unknown date)"
    if significant:
        relation = f"{ratio['ratio']:.2f} times" if ratio["ratio"] > 1 else f"{ratio['ratio']:.2f} of"
        text = (
            f"Neighbourhoods with at least one licensed premises have a rate {relation} that of neighbourhoods with "
            f"none (95% CI {ratio['lower']:.2f} to {ratio['upper']:.2f}){dated}."
        )
    else:
        text = f"Rates do not differ significantly between neighbourhoods with and without licensed premises{dated}."
    return _finding("night-time-economy", "where", text, ratio["ratio"], ratio.get("method"), significant)


def cost_finding(cost: dict) -> dict | None:
    estimate = cost.get("area_estimate") if cost else None
    if not estimate:
        return None
    millions = {level: f"£{estimate[level] / 1e6:,.1f}m" for level in ("low", "central", "high")}
    text = (
        f"At Home Office unit costs ({estimate['price_year']} prices), a year of violence at the latest 12 months' "
        f"level costs an estimated {millions['low']} to {millions['high']} (central {millions['central']}); "
        "police.uk cannot say which offences caused injury, so this is a range from the force's offence mix."
    )
    return _finding("cost", "cost", text, estimate["central"], estimate.get("method"), None)


def key_findings(summary: dict, *, profile_total: int, comparison_rows: list[dict]) -> list[dict]:
    """Every finding the summary supports, in report order (`profile_total`: the profile's count over the
    period; `comparison_rows`: the comparison table)."""
    full_years = [row["year"] for row in summary["volume"] if not row["partial_year"]]
    candidates = [
        volume_finding(summary, profile_total),
        trend_finding(summary["trend"]),
        latest_12_finding(summary["latest_12_months"]),
        seasonal_finding(summary["seasonal_profile"]),
        comparison_finding(summary, comparison_rows),
        concentration_finding(summary["concentration"]),
        hotspot_finding(summary["where"]),
        deprivation_finding(summary["deprivation"]),
        outcome_finding(summary["outcomes"], full_years[-1] if full_years else None),
        night_time_economy_finding(summary.get("night_time_economy")),
        cost_finding(summary.get("cost")),
        forecast_finding(summary["backtest"]),
    ]
    return [finding for finding in candidates if finding is not None]
