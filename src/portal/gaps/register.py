"""Building the gap register from the approved assessment (the one the public sees), the directory and the
consultations.

Provision gaps: every ward and theme scored by portal.insights.gaps; a row enters the register when its gap
is at least THRESHOLD. Practice gaps: every answer that staff tagged with a theme and that others may see
(public written answers only once released), under the question's area (a ward, or the whole area). The
register is rebuilt whenever what it is made from has changed (a service published or changed, an answer
tagged or released, a new assessment): `ensure_current` compares a fingerprint of those.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from portal.consultations.models import Answer
from portal.directory.models import Service
from portal.directory.themes import THEME_BY_SLUG, THEMES
from portal.gaps.models import GapEntry, RegisterBuild
from portal.insights.gaps import ServiceFacts, provision_gaps
from portal.insights.models import PublishedAssessment
from portal.publication.releases import public_assessment, public_assessment_id

THRESHOLD = 0.25  # a gap score from 0 to 1: at least a quarter of the need unmet (docs/methods-gaps.md)
EXCERPT = 300


def approved_assessment() -> PublishedAssessment | None:
    """The approved assessment the public sees (portal.publication): a newer draft is never the register's."""
    return public_assessment()


def fingerprint() -> tuple[str, int | None]:
    assessment_id = public_assessment_id()
    services = Service.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
    answers = Answer.objects.aggregate(count=Count("id"), latest=Max("updated_at"))
    text = f"a{assessment_id}|s{services['count']}:{services['latest']}|t{answers['count']}:{answers['latest']}"
    return text, assessment_id


def ensure_current() -> RegisterBuild | None:
    """Rebuild the register when its sources have changed since the last build; the newest build."""
    text, _ = fingerprint()
    last = RegisterBuild.objects.first()
    if last is None or last.fingerprint != text:
        return rebuild()
    return last


def service_facts() -> list[ServiceFacts]:
    services = Service.objects.published().prefetch_related(
        "attributes__taxonomy_term", "service_areas", "schedules", "service_at_locations__location"
    )
    facts = []
    for service in services:
        facts.append(
            ServiceFacts(
                id=str(service.id),
                themes=frozenset(
                    attribute.taxonomy_term.term
                    for attribute in service.attributes.all()
                    if attribute.taxonomy_term.term in THEME_BY_SLUG
                ),
                area_codes=frozenset(area.area_code for area in service.service_areas.all() if area.area_code),
                minimum_age=service.minimum_age,
                maximum_age=service.maximum_age,
                locations=tuple(
                    (link.location.latitude, link.location.longitude)
                    for link in service.service_at_locations.all()
                    if link.location.latitude is not None and link.location.longitude is not None
                ),
                opening=tuple(
                    (schedule.byday, schedule.opens_at, schedule.closes_at) for schedule in service.schedules.all()
                ),
                capacity_per_week=service.capacity_per_week,
                funding_ends=service.funding_ends,
            )
        )
    return facts


def practice_evidence(assessment: PublishedAssessment | None) -> dict[tuple[str, str], list[dict]]:
    ward_names = {}
    if assessment is not None:
        ward_names = {row["ward_code"]: row["ward_name"] for row in assessment.tables.get("ward", [])}
    answers = (
        Answer.objects.filter(
            response__submitted_at__isnull=False,
            moderation__in=[Answer.Moderation.NOT_NEEDED, Answer.Moderation.RELEASED],
        )
        .exclude(themes=[])
        .select_related("question", "response__organisation")
        .order_by("pk")
    )
    evidence: dict[tuple[str, str], list[dict]] = {}
    for answer in answers:
        code = answer.question.area_code or settings.VRU_AREA_CODE
        for theme in answer.themes:
            if theme not in THEME_BY_SLUG:
                continue
            evidence.setdefault((code, theme), []).append(
                {
                    "answer": answer.pk,
                    "consultation": answer.question.consultation_id,
                    "question": answer.question.text,
                    "gap_kind": answer.question.gap_kind,
                    "excerpt": (answer.text or f"Rating {answer.rating} of 5")[:EXCERPT],
                    "from": answer.response.organisation.name if answer.response.organisation_id else "Public",
                    "area_name": ward_names.get(code, ""),
                }
            )
    return evidence


@transaction.atomic
def rebuild(as_of=None) -> RegisterBuild:
    text, assessment_id = fingerprint()
    assessment = approved_assessment()
    as_of = as_of or timezone.localdate()
    rows = []
    if assessment is not None:
        rows = provision_gaps(assessment, service_facts(), [theme.slug for theme in THEMES], as_of=as_of)
    evidence = practice_evidence(assessment)
    area_name = assessment.area_name if assessment else settings.VRU_AREA_CODE
    existing = {(entry.area_code, entry.theme): entry for entry in GapEntry.objects.all()}
    seen = set()
    for row in rows:
        key = (row["ward_code"], row["theme"])
        seen.add(key)
        entry = existing.get(key) or GapEntry(area_code=key[0], theme=key[1])
        entry.area_name = row["ward_name"]
        entry.need, entry.provision, entry.gap, entry.rank = row["need"], row["provision"], row["gap"], row["rank"]
        entry.components = {name: value for name, value in row.items() if name not in ("reasons",)}
        entry.reasons = row["reasons"]
        _set_practice(entry, evidence.get(key, []))
        entry.in_register = (entry.gap or 0) >= THRESHOLD or entry.practice_answers > 0
        entry.save()
    for key, items in evidence.items():
        if key in seen:
            continue
        seen.add(key)
        entry = existing.get(key) or GapEntry(area_code=key[0], theme=key[1])
        entry.area_name = items[0]["area_name"] or (area_name if key[0] == settings.VRU_AREA_CODE else key[0])
        entry.need = entry.provision = entry.gap = entry.rank = None
        entry.components, entry.reasons = {}, []
        _set_practice(entry, items)
        entry.in_register = True
        entry.save()
    # Rows whose sources have gone (a ward no longer in the assessment, answers untagged) leave the register
    # but keep what staff wrote.
    for key, entry in existing.items():
        if key not in seen and (entry.in_register or entry.practice_answers):
            entry.in_register = False
            entry.practice_answers = 0
            entry.practice_evidence = []
            entry.save()
    return RegisterBuild.objects.create(fingerprint=text, assessment_id=assessment_id)


def _set_practice(entry: GapEntry, items: list[dict]) -> None:
    entry.practice_answers = len(items)
    entry.practice_evidence = items
