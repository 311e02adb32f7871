"""Which area codes cover a place: a ward is covered by services for the ward, for its local authority and
for the police force area.

The wards of the area come from the approved assessment (portal.publication: never a newer draft), read once
per approval and kept in Django's cache, so a request costs one small query."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache

from portal.insights.models import PublishedAssessment
from portal.publication.releases import public_assessment_id


def _wards_of_approved_assessment() -> tuple[frozenset[str], frozenset[str]]:
    """(the codes of the local authority and its police force area, the codes of its wards)."""
    newest = public_assessment_id()
    if newest is None:
        return frozenset({settings.VRU_AREA_CODE}), frozenset()
    key = f"directory:wards-of-assessment:{newest}"
    found = cache.get(key)
    if found is None:
        summary, tables = PublishedAssessment.objects.values_list("summary", "tables").get(pk=newest)
        area = summary.get("area") or {}
        covering = frozenset(code for code in (settings.VRU_AREA_CODE, area.get("pfa_code")) if code)
        wards = frozenset(row["ward_code"] for row in tables.get("ward", []) if row.get("ward_code"))
        found = (covering, wards)
        cache.set(key, found, None)
    return found


def codes_covering(code: str) -> set[str]:
    """`code` itself, and the local authority and force area when `code` is one of its wards or the local
    authority itself. Empty for no code."""
    if not code:
        return set()
    covering, wards = _wards_of_approved_assessment()
    return {code, *covering} if code in wards or code in covering else {code}
