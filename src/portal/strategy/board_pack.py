"""The quarterly board pack: what changed since the strategy started. Actions on track or late, every
success measure with its SPC signal, and the findings of the newest assessment that are new since the one the
strategy rests on. Built from the portal database only; the page and the PDF show the same content."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from portal.insights.models import PublishedAssessment
from portal.publication.releases import public_assessment
from portal.strategy.models import ActionStatus, MonitoringMeasure, Strategy


def quarter_of(day: date) -> str:
    """The financial quarter, as VRU boards report: April to June is Q1."""
    number = (day.month - 4) % 12 // 3 + 1
    first_year = day.year if day.month >= 4 else day.year - 1
    return f"Q{number} {first_year}/{str(first_year + 1)[-2:]}"


@dataclass
class BoardPack:
    strategy: Strategy
    quarter: str
    today: date
    actions: list = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    measures: list[dict] = field(default_factory=list)
    missing_measures: list[MonitoringMeasure] = field(default_factory=list)
    new_findings: list[dict] = field(default_factory=list)
    newest_assessment: PublishedAssessment | None = None


def measure_summary(measure: MonitoringMeasure, start_month: str) -> dict:
    """A measure's signal in words, and the special-cause points since the strategy started."""
    chart = measure.chart or {}
    points = chart.get("points") or []
    since = [point for point in points if point["month"] >= start_month]
    signals = [point for point in since if point.get("point_type") not in (None, "common_cause")]
    return {
        "measure": measure,
        "variation_words": chart.get("variation_words", ""),
        "variation_icon": chart.get("variation_icon", ""),
        "latest": points[-1] if points else None,
        "months_since_start": len(since),
        "signals_since_start": signals,
        "detectable": (measure.detectable or {}).get("description", ""),
    }


def build_board_pack(strategy: Strategy, today: date) -> BoardPack:
    pack = BoardPack(strategy=strategy, quarter=quarter_of(today), today=today)
    actions = list(strategy.actions.select_related("need", "approach"))
    for action in actions:
        action.late = action.is_late(today)
    pack.actions = sorted(actions, key=lambda action: (not action.late, action.end_date, action.pk))
    pack.counts = {
        "late": sum(1 for action in actions if action.late),
        "on_track": sum(1 for action in actions if not action.late and action.status == ActionStatus.ON_TRACK),
        "planned": sum(1 for action in actions if not action.late and action.status == ActionStatus.PLANNED),
        "complete": sum(1 for action in actions if action.status == ActionStatus.COMPLETE),
        "stopped": sum(1 for action in actions if action.status == ActionStatus.STOPPED),
    }
    used = {action.success_measure for action in actions}
    measures = list(MonitoringMeasure.objects.filter(area_code=strategy.area_code))
    # The measures the actions are judged on first, then the rest.
    measures.sort(key=lambda measure: (measure.key not in used, measure.position))
    pack.measures = [measure_summary(measure, strategy.start_month) for measure in measures if measure.available]
    pack.missing_measures = [measure for measure in measures if not measure.available]
    newest = public_assessment(strategy.area_code)  # the newest approved: the board pack never quotes a draft
    pack.newest_assessment = newest
    if newest is not None and strategy.assessment_id != newest.pk:
        before = {
            finding["id"]: finding["text"]
            for finding in (strategy.assessment.summary if strategy.assessment else {}).get("findings") or []
        }
        pack.new_findings = [
            finding for finding in newest.summary.get("findings") or [] if before.get(finding["id"]) != finding["text"]
        ]
    return pack
