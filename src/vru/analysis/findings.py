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

from vru.analysis.trend import seasonal_pattern
from vru.presentation.formatting import (
    gbp_millions,
    humanise,
    missing_months_text,
    month_name,
    month_of_year,
    number,
    p_value,
    percent,
    percent_value,
    plural,
    ratio,
    signed_percent,
    thousands,
)

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


def _percent(value: float, decimals: int = 0) -> str:
    """A value already in per cent, whole by default: 15.86 → "16%"."""
    return percent_value(value, decimals)


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
        "own-excess": lambda v: (
            plural(v, "neighbourhood") + (" high on its own" if v == 1 else " each high on their own")
        ),
        "national": lambda v: f"{number(v)} a year per {thousands(PER)} residents",
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
    gap = (
        f" ({len(missing)} months missing: {missing_months_text(missing, summary.get('missing_months_checked'))})"
        if missing
        else ""
    )
    population = summary["population"]["total"]
    rate = total / population * 1000 / (period["months_present"] / 12) if population else None
    rate_text = f", about {rate:.1f} a year per 1,000 residents" if rate else ""
    serious = summary.get("serious_share") or {}
    serious_text = ""
    if serious.get("available"):
        serious_text = (
            f" About {_percent(serious['share_serious'] * 100)} of them are likely to be serious violence (homicide "
            f"and violence with injury, from the force's offence mix, plus robbery and possession of weapons; range "
            f"{_percent(serious['share_serious_low'] * 100)} to {_percent(serious['share_serious_high'] * 100)}); "
            "the rest is violence without injury, stalking and harassment and sexual offences."
        )
    text = (
        f"{summary['area']['name']} recorded {thousands(total)} crimes in the serious-violence profile "
        f"between {month_name(period['from'])} and {month_name(period['to'])}{gap}{rate_text}.{serious_text}"
    )
    return _finding("volume", "nature and extent", text, total, None, None)


def change_finding(trend: dict, change: dict | None) -> dict:
    """The trend in words: "rising" only for a change that is the area's own (the level-shift verdict);
    a force-wide shift is named as such; without the rest of the force, the step is described, not judged."""
    if not change or change.get("verdict") == "not tested":
        return trend_finding(trend)
    shift = change["area_shift"]
    test = f"level shift search: {shift['method']}"
    # `significant` is the result of the test named beside the finding (the step); whether the step is the
    # area's own is the verdict, said in the text ("rising" only for the area's own change).
    step_significant = bool(shift.get("significant"))
    if change.get("verdict") in ("force-wide shift", "area's own rise", "area's own fall", "no level shift"):
        return _step_figure(
            _finding("trend", "nature and extent", change["text"], _step_percent(shift), test, step_significant)
        )
    if shift.get("significant"):
        since = " and has been level since" if shift.get("level_since") else ""
        text = (
            f"The monthly count stepped {shift['direction']} by about {_percent(abs(shift['ratio'] - 1) * 100)} from "
            f"{month_name(shift['break_month'])}{since} (95% CI of the step {shift['ratio_lower']:.2f} to "
            f"{shift['ratio_upper']:.2f} times). {change.get('reason', '')}"
        ).strip()
    else:
        text = "The monthly count shows no significant level shift over the period."
    return _step_figure(_finding("trend", "nature and extent", text, _step_percent(shift), test, step_significant))


def _step_figure(finding: dict) -> dict:
    """A trend finding that is a level shift prints its figure as a step, not "a year"."""
    if finding["figure"] is not None:
        finding["figure_text"] = f"step of {signed_percent(finding['figure'])}"
    return finding


def _step_percent(shift: dict) -> float | None:
    """The level shift as a percentage change (the figure of the trend finding when it is a step)."""
    return None if shift.get("ratio") is None else 100 * (shift["ratio"] - 1)


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


def latest_12_finding(comparison: dict, change: dict | None = None) -> dict:
    latest, previous = comparison["latest"], comparison["previous"]
    ratio = comparison["ratio"]
    if ratio is None or not comparison["comparable"]:
        text = f"The latest 12 months cannot be compared with the 12 before: {comparison['reason']}."
        return _finding("latest-12", "nature and extent", text, ratio, comparison["method"], None)
    significant = not (comparison["ratio_lower"] <= 1 <= comparison["ratio_upper"])
    direction = "higher" if ratio > 1 else "lower"
    missing = latest["missing_months"] + previous["missing_months"] + latest.get("unmatched_months", [])
    missing += previous.get("unmatched_months", [])
    note = (
        " Only calendar months with data on both sides are compared (left out: "
        f"{', '.join(month_name(m) for m in sorted(set(missing)))}), and the interval allows for over-dispersion."
        if missing
        else ""
    )
    if significant:
        text = (
            f"The monthly average in the latest 12 months ({month_name(latest['first_month'])} to "
            f"{month_name(latest['last_month'])}) was {_percent(abs(comparison['percent_change']))} {direction} "
            "than in "
            f"the 12 months before (rate ratio {ratio:.2f}, 95% CI {comparison['ratio_lower']:.2f} to "
            f"{comparison['ratio_upper']:.2f}).{note}"
        )
    else:
        text = (
            f"The latest 12 months are not significantly different from the 12 before (rate ratio {ratio:.2f}, "
            f"95% CI {comparison['ratio_lower']:.2f} to {comparison['ratio_upper']:.2f}).{note}"
        )
    step = (change or {}).get("area_shift") or {}
    if step.get("significant") and previous["first_month"] < step["break_month"] <= previous["last_month"]:
        text += (
            f" The previous 12 months straddle the step of {month_name(step['break_month'])}: the difference is that "
            "step, not a continuing rise."
        )
    return _finding("latest-12", "nature and extent", text, ratio, comparison["method"], significant)


def seasonal_finding(profile: list[dict]) -> dict | None:
    """Only a pattern every month of the year supports twice or more (a low resting on one observation is
    not a pattern): otherwise no finding."""
    pattern = seasonal_pattern(profile)
    if not pattern["reportable"]:
        return None
    text = (
        f"Counts peak in {month_of_year(pattern['peak_month'])} (about "
        f"{_percent((pattern['peak_index'] - 1) * 100)} above the average month) and are lowest in "
        f"{month_of_year(pattern['low_month'])}, every month of the year observed at least twice."
    )
    return _finding(
        "seasonality", "nature and extent", text, pattern["peak_month"], "mean count by month of year", None
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


def hotspot_finding(where: dict, summary: dict | None = None) -> dict:
    if where.get("available") is False:
        return _finding("hotspots", "where", f"Hot spots were not computed: {where['reason']}", None, None, None)
    hot = where["hot_spots"]
    persistent = where["persistence"].get("persistent", 0)
    text = (
        f"{hot} neighbourhoods are statistically significant hot spots (Getis-Ord Gi*, 5% false discovery rate)"
        + (f"; {persistent} of them were hot spots in every year" if hot and persistent else "")
        + "."
    )
    clusters = (summary or {}).get("hot_spot_clusters", {}).get("clusters") or []
    stability = (summary or {}).get("hot_spot_stability")
    if clusters:
        names = sorted({row["cluster"] for row in clusters})
        below = [row for row in clusters if not row.get("high_on_its_own")]
        text = text[:-1] + f", in {len(names)} cluster{'s' if len(names) > 1 else ''}."
        if below:
            places = ", ".join(f"{row['lsoa21_name']} in {row['ward_name']}" for row in below)
            text += (
                f" {len(below)} of them {'is' if len(below) == 1 else 'are'} not high on its own "
                f"({places}): flagged because its neighbours are busy."
            )
    if stability:
        runs = len(stability["runs"])
        text += (
            f" Across {runs} runs (other seeds and permutation counts), {stability['lsoas_hot_in_every_run']} "
            f"neighbourhoods are hot spots every time and {stability['lsoas_hot_in_some_run']} at least once"
            + (
                ": the hot spots are not stable, so they are not named as priorities on their own."
                if stability["lsoas_hot_in_every_run"] < stability["lsoas_hot_in_some_run"]
                else "."
            )
        )
    significant = hot > 0 and (not stability or stability["lsoas_hot_in_every_run"] > 0)
    return _finding("hotspots", "where", text, hot, where["method"]["p_values"], significant)


def own_excess_finding(summary: dict) -> dict | None:
    places = (summary.get("priority_places") or {}).get("places")
    excess = summary.get("own_excess")
    if excess is None:
        return None
    if not places:
        text = "No neighbourhood has significantly more crimes than its residents and the area's rate would give."
        return _finding("own-excess", "where", text, 0, excess["method"], False)
    described = [
        f"{row['ward_name']} ({row['lsoa21_name']}: {row['count']:,} crimes, {row['excess_ratio']:.1f} times the "
        f"{row['expected']:,.0f} expected)"
        for row in places
    ]
    many = len(places) > 1
    text = (
        f"{len(places)} neighbourhood{'s are each' if many else ' is'} high on {'their' if many else 'its'} own, "
        f"with more crimes than residents at the area's rate would give (5% false discovery rate): "
        f"{'; '.join(described)}."
    )
    return _finding("own-excess", "where", text, len(places), excess["method"], True)


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
    against = summary["comparison"].get("area_against_rest")
    if focus is None or force is None or focus["level"] == "pfa" or not against or against.get("ratio") is None:
        return None
    significant = bool(against["significant"])
    relation = (
        ("lower than" if against["ratio"] < 1 else "higher than") if significant else "not significantly different from"
    )
    text = (
        f"{focus['name']}'s rate, {focus['rate']:.1f} a year per 1,000 residents, is {relation} the rest of "
        f"{force['name']} ({against['rate_b']:.1f}; ratio {against['ratio']:.2f}, 95% CI {against['lower']:.2f} to "
        f"{against['upper']:.2f}, LSOA by LSOA); it ranks {focus['rank']} of {len(partnerships)} partnerships "
        "(1 = highest)."
    )
    return _finding("comparison", "nature and extent", text, focus["rate"], against["method"], significant)


def national_finding(national: dict | None) -> dict | None:
    if not national or not national.get("available"):
        return None
    ew, similar = national["england_and_wales"], national["most_similar"]
    months = f"{month_name(national['months'][0])} to {month_name(national['months'][-1])}"

    def words(result: dict) -> str:
        if result.get("ratio") is None:
            return "cannot be compared"
        interval = f"ratio {result['ratio']:.2f}, 95% CI {result['lower']:.2f} to {result['upper']:.2f}"
        if not result["significant"]:
            return f"is not significantly different ({interval})"
        return f"is {'higher' if result['ratio'] > 1 else 'lower'} ({interval})"

    names = [row["csp_name"] for row in similar["partnerships"][1:4]]
    missing = ", ".join(national["forces_missing"]) or "none"
    text = (
        f"In {months}, the area's rate ({national['area']['rate']['rate']:.1f} a year per 1,000) against the rest of "
        f"England and Wales {words(ew['ratio_to_rest'])}; against its {len(similar['partnerships']) - 1} most similar "
        f"partnerships ({', '.join(names)} and others) it {words(similar['ratio_to_group'])}. Forces not in the "
        f"loaded data: {missing}."
    )
    significant = bool(ew["ratio_to_rest"].get("significant") or similar["ratio_to_group"].get("significant"))
    return _finding(
        "national",
        "nature and extent",
        text,
        national["area"]["rate"]["rate"],
        ew["ratio_to_rest"]["method"],
        significant,
    )


def outcome_finding(outcomes: dict, latest_full_year: str | None, distribution: dict | None = None) -> dict | None:
    if distribution and distribution.get("available") and distribution.get("total"):
        groups = [row for row in distribution["groups"] if row["count"]]
        parts = [
            f"{_percent(row['share'] * 100)} {row['outcome_group']}"
            + (" (a data-quality gap)" if row["data_quality"] else "")
            for row in groups[:4]
        ]
        text = (
            f"Of {distribution['total']:,} crimes in the profile in {distribution['year']}, the last outcomes recorded "
            f"were: {'; '.join(parts)} (outcomes as at the download date)."
        )
        figure = {row["outcome_group"]: row["share"] for row in groups[:4]}
        return _finding("outcomes", "outcomes", text, figure, "share of the year's crimes, exact 95% intervals", None)
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
        f"charge or summons and {_percent(share.get('no suspect identified', 0) * 100)} closed with no suspect "
        "identified (outcomes as at the download date)."
    )
    return _finding("outcomes", "outcomes", text, share, None, None)


def forecast_finding(backtest: dict) -> dict:
    if backtest.get("available") is False:
        text = f"No forecast test could be run ({backtest['reason']}): the forecast is not a guide for planning."
        return _finding("forecast", "nature and extent", text, None, None, None)
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


def cost_finding(cost: dict, current: dict | None = None) -> dict | None:
    if current and current.get("available"):
        total = current["total"]
        millions = {level: f"£{total[level] / 1e6:,.1f}m" for level in ("low", "central", "high")}
        flags = " ".join(flag["flag"] for flag in current["flags"])
        prices = (
            f"In {current['price_year']} prices (Home Office unit costs of {current['base_price_year']} uplifted by "
            "the GDP deflator)"
            if current.get("uplift")
            else f"At Home Office unit costs ({current['price_year']} prices)"
        )
        text = (
            f"{prices}, a year of violence and robbery at the latest 12 months' level costs an estimated "
            f"{millions['low']} to {millions['high']} (central {millions['central']}; robbery "
            f"£{current['robbery']['cost_gbp'] / 1e6:,.1f}m). {flags}"
        )
        return _finding("cost", "cost", text.strip(), total["central"], "unit costs x counts; force offence mix", None)
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
        change_finding(summary["trend"], summary.get("change")),
        latest_12_finding(summary["latest_12_months"], summary.get("change")),
        seasonal_finding(summary["seasonal_profile"]),
        comparison_finding(summary, comparison_rows),
        national_finding(summary.get("national")),
        concentration_finding(summary["concentration"]),
        hotspot_finding(summary["where"], summary),
        own_excess_finding(summary),
        deprivation_finding(summary["deprivation"]),
        outcome_finding(
            summary["outcomes"], full_years[-1] if full_years else None, summary.get("outcome_distribution")
        ),
        night_time_economy_finding(summary.get("night_time_economy")),
        cost_finding(summary.get("cost"), summary.get("cost_current")),
        forecast_finding(summary["backtest"]),
    ]
    found = [finding for finding in candidates if finding is not None]
    for finding in found:
        finding["in_summary"] = in_summary(finding)
    return found


def in_summary(finding: dict) -> bool:
    """Whether a finding belongs in the executive summary: not a test that failed (an interval that includes
    no effect, hot spots that are not stable) nor a forecast that failed its back-test. The trend stays: it
    says what the series did instead of a rise."""
    if finding["id"] == "forecast":
        return forecast_reliable(finding["figure"])
    return not (finding["significant"] is False and finding["id"] != "trend")
