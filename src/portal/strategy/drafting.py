"""Drafts a response strategy from the newest published needs assessment (`manage.py draft_strategy`): every
key finding and every gap-register row becomes a need with its golden thread (candidate approaches from the
evidence library, ranked and explained by vru.analysis.golden_thread). Staff then turn candidates into
actions on the strategy's staff pages; each draft is a new version, and actions of the previous version
whose need is still there are carried over.
"""

from __future__ import annotations

import math
from datetime import date

from django.apps import apps
from django.db import transaction
from django.db.models import Max

from portal.insights.evidence import thread_for_finding, thread_for_gap_row
from portal.insights.models import PublishedAssessment
from portal.publication.releases import public_assessment
from portal.strategy.models import Approach, Strategy, StrategyNeed

TOP_SHARE = 0.05  # the needs assessment's concentration rule: the top 5% of LSOAs
MONTHS = "January February March April May June July August September October November December".split()


class StrategyError(ValueError):
    """No strategy can be drafted as asked; nothing has been stored."""


def assessment_label(assessment: PublishedAssessment) -> str:
    def month(text: str) -> str:
        return f"{MONTHS[int(text[5:]) - 1]} {text[:4]}"

    return (
        f"Strategic needs assessment for {assessment.area_name}: police.uk data {month(assessment.period_from)} "
        f"to {month(assessment.period_to)}, generated {assessment.generated_at:%-d %B %Y}"
    )


def finding_with_places(finding: dict, lsoa_rows: list[dict]) -> dict:
    """The finding, naming the wards it is about when it is about places and does not name them itself: the
    wards of the hot-spot LSOAs, or of the top 5% of LSOAs by count (the concentration rule)."""
    if finding.get("places") or finding.get("id") not in ("hotspots", "concentration"):
        return finding
    if finding["id"] == "hotspots":
        chosen = [row for row in lsoa_rows if str(row.get("hotspot", "")).lower().startswith("hot")]
    else:
        ranked = sorted((row for row in lsoa_rows if row.get("rank") is not None), key=lambda row: row["rank"])
        chosen = ranked[: math.ceil(TOP_SHARE * len(ranked))] if ranked else []
    wards = list(dict.fromkeys(str(row["ward_name"]) for row in chosen if row.get("ward_name")))
    return {**finding, "places": wards} if wards else finding


def gap_rows() -> list[dict]:
    """The gap register's rows (portal.gaps, when installed) as vru.analysis.gaps rows: ward, theme, gap. The
    portal serves one unit, so the register holds one area's wards."""
    try:
        entry = apps.get_model("gaps", "GapEntry")
    except LookupError:
        return []
    rows = []
    for gap in entry.objects.filter(in_register=True).order_by("rank", "pk"):
        rows.append(
            {
                "ward_code": gap.area_code,
                "ward_name": gap.area_name,
                "theme": gap.theme,
                "gap": gap.gap,
                "reasons": list(gap.reasons or []),
            }
        )
    return rows


def draft_strategy(area_code: str, start: date, end: date, title: str = "", user=None):
    """A new draft version of the area's strategy, resting on its newest published assessment."""
    if end <= start:
        raise StrategyError(f"the strategy must end after it starts ({start} to {end})")
    assessment = public_assessment(area_code)  # the approved one: a strategy never rests on a draft
    if assessment is None:
        raise StrategyError(
            f"no needs assessment is approved for {area_code}: publish one (publish_insights) and approve it "
            "(/staff/publication/ or approve_assessment) first"
        )
    library = [approach.as_library_row() for approach in Approach.objects.live()]
    if not library:
        raise StrategyError("the evidence library is empty: run load_evidence_library first")
    lsoa_rows = (assessment.tables or {}).get("lsoa") or []
    threads = [
        thread_for_finding(finding_with_places(finding, lsoa_rows), library)
        for finding in assessment.summary.get("findings") or []
    ]
    threads += [thread_for_gap_row(row, library) for row in gap_rows()]
    with transaction.atomic():
        previous = Strategy.objects.filter(area_code=area_code).order_by("-version").first()
        version = (Strategy.objects.filter(area_code=area_code).aggregate(Max("version"))["version__max"] or 0) + 1
        strategy = Strategy.objects.create(
            area_code=area_code,
            area_name=assessment.area_name,
            title=title or f"Serious violence response strategy for {assessment.area_name}",
            version=version,
            assessment=assessment,
            assessment_label=assessment_label(assessment),
            assessment_generated_at=assessment.generated_at,
            start_date=start,
            end_date=end,
            created_by=user,
            updated_by=user,
        )
        needs = StrategyNeed.objects.bulk_create(
            StrategyNeed(
                strategy=strategy,
                position=position,
                need_id=thread["need"]["id"],
                kind=thread["need"]["kind"],
                text=thread["need"]["text"],
                thread=thread,
            )
            for position, thread in enumerate(threads, start=1)
        )
        if previous is not None:
            by_id = {need.need_id: need for need in needs}
            for action in previous.actions.select_related("need"):
                if action.need.need_id in by_id:
                    action.pk = None
                    action.strategy, action.need = strategy, by_id[action.need.need_id]
                    action.save()
    return strategy
