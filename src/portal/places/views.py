"""The area picker and the ward and neighbourhood profiles, with a CSV beside every table. They show the
approved needs assessment only (portal.publication): never a draft."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from portal.core.spreadsheets import csv_response
from portal.insights.models import PublishedAssessment
from portal.places import profiles
from portal.publication.releases import public_release

PROFILES = {"wards": profiles.ward_profile, "neighbourhoods": profiles.neighbourhood_profile}
LEVELS = {"wards": profiles.WARD, "neighbourhoods": profiles.NEIGHBOURHOOD}


def _month(value: str) -> str:
    year, month = value.split("-")
    return date(int(year), int(month), 1).strftime("%B %Y")


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    return date(day.year + month // 12, month % 12 + 1, 1)


def _published() -> dict | None:
    """What the pages need from the approved assessment, read once per process and publication (the stored
    tables are large; the cache key changes when another release is approved)."""
    release = public_release()
    if release is None:
        return None
    key = f"places:{release.pk}:{release.approved_at.timestamp()}"
    data = cache.get(key)
    if data is None:
        assessment = PublishedAssessment.objects.only("tables", "summary", "area_name", "period_from", "period_to").get(
            pk=release.assessment_id
        )
        summary = assessment.summary
        categories = (summary.get("profile") or {}).get("police_uk_categories") or []
        data = {
            "key": key,  # also the pages' fragment-cache key: a new approval changes it
            "tables": {name: assessment.tables.get(name) or [] for name in ("ward", "ward_category", "lsoa")},
            "summary": {"findings": summary.get("findings") or [], "volume": summary.get("volume") or []},
            "area_name": assessment.area_name,
            "period": f"{_month(assessment.period_from)} to {_month(assessment.period_to)}",
            "categories": [category.lower() for category in categories],
            "profile_title": (summary.get("profile") or {}).get("title") or "",
            "population_source": (summary.get("population") or {}).get("source") or "",
            "version": release.version,
            "approved_on": release.approved_at.date(),
            "next_update": _add_months(release.approved_at.date(), settings.VRU_ASSESSMENT_UPDATE_MONTHS),
        }
        cache.set(key, data, timeout=None)
    return data


def _context(data: dict, **extra) -> dict:
    categories = data["categories"]
    label = ", ".join(categories[:-1]) + f" and {categories[-1]}" if len(categories) > 1 else "".join(categories)
    return {"data": data, "profile_label": label, **extra}


@require_safe
def picker(request: HttpRequest) -> HttpResponse:
    """Choose a ward or a neighbourhood. A GET form: it works without JavaScript and can be bookmarked."""
    data = _published()
    if data is None:
        return render(request, "places/not_published.html", status=404)
    found = profiles.places(data["tables"])
    for parameter, level in (("ward", "wards"), ("neighbourhood", "neighbourhoods")):
        code = request.GET.get(parameter)
        if code and any(place.code == code for place in found[LEVELS[level]]):
            return redirect("places:profile", level=level, code=code)
    return render(request, "places/picker.html", _context(data, places=found))


def _profile(level: str, code: str) -> tuple[dict, profiles.Profile]:
    data = _published()
    if data is None or level not in PROFILES:
        raise Http404
    # Pure functions of the approved tables: worked out once per process and approval, like the tables.
    key = f"{data['key']}:{level}:{code}"
    profile = cache.get(key)
    if profile is None:
        profile = PROFILES[level](data["tables"], data["summary"], code, data["period"])
        if profile is None:
            raise Http404
        cache.set(key, profile, timeout=None)
    return data, profile


@require_safe
def profile(request: HttpRequest, level: str, code: str) -> HttpResponse:
    data, found = _profile(level, code)
    return render(request, "places/profile.html", _context(data, profile=found, level=level))


@require_safe
def table_csv(request: HttpRequest, level: str, code: str, table: str) -> HttpResponse:
    _, found = _profile(level, code)
    chosen = next((item for item in found.tables if item.name == table), None)
    if chosen is None:
        raise Http404
    return csv_response(f"{code}-{table}.csv", chosen.csv_header, chosen.csv_rows)
