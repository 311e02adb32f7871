"""The public version of the gap register, for the SNA report's gaps chapter (`gaps.json` in the bundle
folder; `vru report` reads it when it is there).

Nothing identifying: no owner, no note, no organisation, no answer text; practice gaps only as a count of
answers, and counts under 5 as "fewer than 5" (the partner-data rule of vru.presentation.suppression)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from portal.consultations.models import Consultation, Response
from portal.directory.models import Service
from portal.directory.themes import THEME_BY_SLUG, THEMES
from portal.gaps.models import GapEntry
from portal.gaps.register import THRESHOLD, approved_assessment, ensure_current
from portal.insights.bundle import GAP_REGISTER_SCHEMA
from portal.insights.presentation import SUPPRESSED, is_suppressed

COMPONENTS = (
    "excess",
    "clusters",
    "deprivation",
    "young_people",
    "services",
    "distance",
    "hours",
    "capacity",
    "funding",
)


# Partner indicators that raised a row's need (vru.analysis.gaps names them "indicator:<name>"); only the
# scaled 0-1 score crosses into the export, never a count.
INDICATOR_PREFIX = "indicator:"


def exported_components(components: dict) -> dict:
    """The fixed components, then every partner indicator the row's need was raised by (an indicator of
    another theme is None here, and left out)."""
    return {name: components.get(name) for name in COMPONENTS} | indicator_components(components)


def indicator_components(components: dict) -> dict:
    return {
        name: value for name, value in components.items() if name.startswith(INDICATOR_PREFIX) and value is not None
    }


def shown(count: int) -> int | str:
    return SUPPRESSED if is_suppressed(count, partner=True) else count


def public_register() -> dict:
    build = ensure_current()
    assessment = approved_assessment()
    entries = GapEntry.objects.filter(in_register=True).order_by(F("gap").desc(nulls_last=True), "area_name", "theme")
    published = Service.objects.published()
    responses = Response.objects.filter(submitted_at__isnull=False)
    return {
        "schema": GAP_REGISTER_SCHEMA,
        "area_code": settings.VRU_AREA_CODE,
        "area_name": assessment.area_name if assessment else "",
        "assessment_period": [assessment.period_from, assessment.period_to] if assessment else None,
        "built_at": build.built_at.isoformat() if build else timezone.now().isoformat(),
        "threshold": THRESHOLD,
        "rows": [
            {
                "area_code": entry.area_code,
                "area_name": entry.area_name,
                "theme": entry.theme,
                "theme_name": THEME_BY_SLUG[entry.theme].name,
                "gap": entry.gap,
                "need": entry.need,
                "provision": entry.provision,
                "components": exported_components(entry.components),
                "service_count": entry.components.get("service_count"),
                "reasons": entry.reasons,
                "practice_answers": shown(entry.practice_answers) if entry.practice_answers else 0,
                "status": entry.get_status_display(),
            }
            for entry in entries
        ],
        "directory": {
            "published_services": published.count(),
            "by_theme": {
                theme.name: published.filter(attributes__taxonomy_term_id=theme.id).distinct().count()
                for theme in THEMES
            },
        },
        "consultations": {
            "count": Consultation.objects.count(),
            "partner_responses": shown(responses.filter(channel=Response.Channel.PARTNERS).count()),
            "public_responses": shown(responses.filter(channel=Response.Channel.PUBLIC).count()),
        },
    }
