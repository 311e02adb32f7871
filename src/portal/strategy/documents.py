"""What the strategy pages and documents show, built from the portal database: one measure's chart and words
(`measure_view`), and the JSON-safe documents the toolkit renders as HTML and PDF (`strategy_document`,
`board_pack_document`; vru.report.strategy, docs/strategy.md)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from django.utils.safestring import mark_safe

from portal.insights.documents import documents_dir, render_document
from portal.insights.presentation import POINT_WORDS, spc_chart
from portal.strategy.board_pack import BoardPack, build_board_pack
from portal.strategy.models import Action, MonitoringMeasure, Strategy, Term, TermKind

STYLE_SOURCES_FILE = "style-sources.json"
VARIATION_TAGS = {
    "common_cause": "govuk-tag--grey",
    "improvement_high": "govuk-tag--blue",
    "improvement_low": "govuk-tag--blue",
    "concern_high": "govuk-tag--orange",
    "concern_low": "govuk-tag--orange",
    "neutral_high": "govuk-tag--purple",
    "neutral_low": "govuk-tag--purple",
}
NOT_YET_CHECKED = "not yet checked"
RANKING_METHOD = (
    "Each need, a key finding of the needs assessment or a row of the gap register, was matched with the "
    "approaches in the evidence library (the Youth Endowment Fund Toolkit and the College of Policing Crime "
    "Reduction Toolkit). Fit to the need counts for 60% of the score: the share of the need's themes the "
    "approach addresses (weight 0.4), its age groups (0.2; a half where nobody has yet checked them), its "
    "setting (0.2) and, for needs concentrated in named places, whether it is place-based (0.2). Strength of "
    "evidence counts for 40%: the impact band (high 1, moderate two thirds, low one third, anything else 0). "
    "Approaches the evidence finds harmful are never candidates. Ratings nobody has read from the source are "
    "shown as not yet checked."
)


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def measure_view(measure: MonitoringMeasure) -> dict:
    """One measure for a page or a document: the SVG chart, its signal in words, the detectable change."""
    chart = measure.chart or {}
    points = [{**point, "signal": POINT_WORDS.get(point["point_type"], "")} for point in chart.get("points") or []]
    view = {"measure": measure, "points": points, "notes": chart.get("notes", []), "places": chart.get("places", [])}
    if points:
        slug = measure.key.replace(":", "-")
        view["svg"] = mark_safe(  # noqa: S308 - numbers and escaped text, drawn by vru.presentation.spc_chart
            spc_chart(
                points,
                id_prefix=f"spc-{slug}",
                title=f"{measure.name}, {measure.geography}: monthly count with the mean and process limits",
                desc=chart.get("description", ""),
            )
        )
        view["variation_words"] = chart.get("variation_words", "")
        view["variation_tag"] = VARIATION_TAGS.get(chart.get("variation_icon", ""), "govuk-tag--grey")
        view["description"] = chart.get("description", "")
    detectable = measure.detectable or {}
    if detectable:
        view["detectable"] = detectable
        view["months_to_detect"] = [
            {"change": change, "months": months} for change, months in detectable.get("months_to_detect", {}).items()
        ]
    return view


def _measure_document(measure: MonitoringMeasure) -> dict:
    view = measure_view(measure)
    return {
        "name": measure.name,
        "geography": measure.geography,
        "source": measure.source,
        "available": measure.available,
        "missing_reason": measure.missing_reason,
        "baseline_from": measure.baseline_from,
        "baseline_to": measure.baseline_to,
        "svg": str(view.get("svg", "")),
        "variation_words": view.get("variation_words", ""),
        "description": view.get("description", ""),
        "detectable": (measure.detectable or {}).get("description", ""),
        "months_to_detect": view.get("months_to_detect", []),
        "notes": view["notes"],
    }


def _money(value) -> str:
    return "not set" if value is None else f"£{value:,.0f}"


def _evidence(action: Action) -> dict | None:
    approach = action.approach
    if approach is None:
        return None
    bands = Term.names(TermKind.IMPACT_BAND)
    return {
        "name": approach.name,
        "toolkit": approach.toolkit,
        "impact": bands.get(approach.impact_band, approach.impact_band),
        "evidence_rating": f"{approach.evidence_rating} of 5" if approach.evidence_rating else NOT_YET_CHECKED,
        "cost_rating": f"{approach.cost_rating} of 3" if approach.cost_rating else NOT_YET_CHECKED,
        "source_url": approach.source_url,
        "source_title": approach.source_title or approach.source_url,
        "date_read": _day(approach.date_read) if approach.date_read else "date not recorded",
        "checked": "checked against the source" if approach.verified else "not yet checked against the source",
    }


def _thread_words(action: Action) -> str:
    need = action.need
    label = "Gap in provision" if need.kind == "gap" else "Key finding"
    words = f"{label} of the needs assessment: “{need.text}”"
    candidate = need.candidate(action.approach.slug) if action.approach else None
    if candidate:
        return f"{words} → {action.approach.name}. {candidate['explanation']}"
    if action.approach:
        return f"{words} → {action.approach.name} (chosen by staff; not among the ranked candidates)."
    return f"{words} → an action of the partnership's own, not from the evidence library."


def _facts(strategy: Strategy) -> list[dict]:
    return [
        {"label": "Area", "value": f"{strategy.area_name} ({strategy.area_code})"},
        {"label": "Version", "value": f"{strategy.version} ({strategy.get_status_display().lower()})"},
        {"label": "Runs", "value": f"{_day(strategy.start_date)} to {_day(strategy.end_date)}"},
        {"label": "Rests on", "value": strategy.assessment_label},
    ]


def strategy_document(strategy: Strategy, produced_on: date) -> dict:
    measures = {measure.key: measure for measure in MonitoringMeasure.objects.filter(area_code=strategy.area_code)}
    actions = list(strategy.actions.select_related("need", "approach"))
    needs, open_needs, avoid = [], [], {}
    for need in strategy.needs.all():
        label = f"{'Gap' if need.kind == 'gap' else 'Finding'} {need.position}"
        own = [action for action in actions if action.need_id == need.pk]
        for item in need.thread.get("avoid", []):
            avoid[item["slug"]] = item
        if not own:
            best = (need.thread.get("candidates") or [{}])[0].get("name", "")
            open_needs.append({"label": label, "text": need.text, "best": best})
        needs.append(
            {
                "label": label,
                "text": need.text,
                "actions": [
                    {
                        "title": action.title,
                        "owner": action.owner,
                        "partners": [line.strip() for line in action.partners.splitlines() if line.strip()],
                        "start": _day(action.start_date),
                        "end": _day(action.end_date),
                        "budget": _money(action.budget),
                        "status": "Late" if action.is_late(produced_on) else action.get_status_display(),
                        "measure": (
                            f"{measures[action.success_measure].name}: {measures[action.success_measure].geography}"
                            if action.success_measure in measures
                            else action.success_measure
                        ),
                        "thread": _thread_words(action),
                        "evidence": _evidence(action),
                    }
                    for action in own
                ],
            }
        )
    budget = sum(action.budget for action in actions if action.budget is not None)
    used = [measures[key] for key in dict.fromkeys(action.success_measure for action in actions) if key in measures]
    return {
        "kind": "strategy",
        "kicker": "Serious Violence Duty: response strategy",
        "title": strategy.title,
        "subtitle": f"Version {strategy.version}, {_day(strategy.start_date)} to {_day(strategy.end_date)}",
        "facts": [*_facts(strategy), {"label": "Produced", "value": _day(produced_on)}],
        "status_note": (
            "Status: draft for the partnership. Not agreed; not for publication until the partnership has agreed it."
            if strategy.status == "draft"
            else ""
        ),
        "summary": (
            f"This strategy answers the needs assessment it rests on (above). It has {len(actions)} action"
            f"{'' if len(actions) == 1 else 's'} for {sum(1 for need in needs if need['actions'])} of the "
            f"{len(needs)} needs the assessment found, with a budget of {_money(budget)} where one is set. Each "
            "action shows the thread back to the finding it answers and to the evidence for the approach."
        ),
        "needs": needs,
        "needs_without_actions": open_needs,
        "avoid": list(avoid.values()),
        "monitoring_intro": (
            "Each success measure is a statistical process control chart with its baseline fixed at the strategy's "
            "start (NHS Making Data Count rules), and the smallest change it could show."
        ),
        "measures": [_measure_document(measure) for measure in used or measures.values()],
        "method": RANKING_METHOD,
        "footer": "Crime counts: police.uk, Open Government Licence v3.0. Evidence: Youth Endowment Fund and "
        "College of Policing toolkits, described in our own words; see each source.",
    }


def board_pack_document(pack: BoardPack) -> dict:
    strategy = pack.strategy
    counts = pack.counts
    return {
        "kind": "board-pack",
        "kicker": f"Board pack, {pack.quarter}",
        "title": "What changed since the strategy",
        "subtitle": f"{strategy.title}, version {strategy.version}",
        "facts": [*_facts(strategy), {"label": "Prepared", "value": _day(pack.today)}],
        "status_note": "",
        "actions_summary": (
            f"{len(pack.actions)} actions: {counts['late']} late, {counts['on_track']} on track, {counts['planned']} "
            f"planned, {counts['complete']} complete."
        ),
        "actions": [
            {
                "title": action.title,
                "owner": action.owner,
                "end": _day(action.end_date),
                "status": "Late" if action.late else action.get_status_display(),
            }
            for action in pack.actions
        ],
        "measures": [_measure_document(item["measure"]) for item in pack.measures]
        + [_measure_document(measure) for measure in pack.missing_measures],
        "new_findings": [finding["text"] for finding in pack.new_findings],
        "no_new_findings": "No needs assessment newer than the one the strategy rests on has been published, or its "
        "findings are unchanged.",
        "footer": "Crime counts: police.uk, Open Government Licence v3.0.",
    }


def render_strategy_documents(
    strategy: Strategy, produced_on: date, formats: tuple[str, ...] = ("html", "pdf")
) -> dict[str, Path]:
    """Write strategy.html/.pdf and board-pack.html/.pdf for `strategy`, and the style sources each HTML file's
    own Content Security Policy allows (STYLE_SOURCES_FILE); returns the paths by file name."""
    # Here, not at the top: the web process imports this module and must not load the bundle code.
    from portal.insights.assessments import report_style_sources

    out = documents_dir(strategy.pk)
    written = {}
    for document in (
        strategy_document(strategy, produced_on),
        board_pack_document(build_board_pack(strategy, produced_on)),
    ):
        for path in render_document(document, out, formats).values():
            written[path.name] = path
    styles = {
        name: report_style_sources(path.read_text(encoding="utf-8"))
        for name, path in written.items()
        if path.suffix == ".html"
    }
    (out / STYLE_SOURCES_FILE).write_text(json.dumps(styles, indent=1), encoding="utf-8")
    return written
