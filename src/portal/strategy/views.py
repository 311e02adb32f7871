"""Public pages: "good practice" from the evidence library, and monitoring (the success measures as SPC charts);
the staff pages that keep the evidence library up to date."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.audit import record_change, save_staff_edit
from portal.accounts.decorators import staff_permission_required
from portal.strategy.charts import POINT_WORDS, spc_chart
from portal.strategy.forms import ApproachForm
from portal.strategy.models import HARMFUL, Approach, MonitoringMeasure, Term, TermKind


@require_safe
def good_practice(request: HttpRequest) -> HttpResponse:
    themes = Term.names(TermKind.THEME)
    theme = request.GET.get("theme", "")
    theme = theme if theme in themes else ""
    approaches = list(Approach.objects.live())
    if theme:
        approaches = [approach for approach in approaches if theme in approach.themes]
    # In the vocabulary's order (strongest evidence first); harmful approaches get their own section.
    bands = []
    for band, label in Term.names(TermKind.IMPACT_BAND).items():
        members = [approach for approach in approaches if approach.impact_band == band]
        if members and band != HARMFUL:
            bands.append({"label": label, "value": band, "approaches": members})
    context = {
        "bands": bands,
        "harmful": [approach for approach in approaches if approach.harmful],
        "themes": list(themes.items()),
        "theme": theme,
        "theme_name": themes.get(theme, ""),
        "count": len(approaches),
    }
    return render(request, "strategy/good_practice.html", context)


@require_safe
def approach(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Approach.objects.live(), slug=slug)
    return render(request, "strategy/approach.html", {"approach": entry})


# --- Staff -------------------------------------------------------------------------------------------------


@require_safe
@staff_permission_required("strategy.view_approach")
def staff_approaches(request: HttpRequest) -> HttpResponse:
    approaches = Approach.objects.order_by("retired", "name", "pk")
    return render(
        request,
        "strategy/staff/approaches.html",
        {"approaches": approaches, "unchecked": sum(1 for entry in approaches if not entry.verified)},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("strategy.add_approach")
def staff_approach_add(request: HttpRequest) -> HttpResponse:
    form = ApproachForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        entry = form.save(commit=False)
        entry.slug = unique_slug(entry.name)
        entry.created_by = entry.updated_by = request.user
        entry.save()
        record_change(request, "created", entry, "Added to the evidence library")
        messages.success(request, f"“{entry.name}” has been added to the evidence library.")
        return redirect("strategy:staff_approaches")
    return render(request, "strategy/staff/approach_form.html", {"form": form, "approach": None})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("strategy.change_approach")
def staff_approach_edit(request: HttpRequest, slug: str) -> HttpResponse:
    entry = get_object_or_404(Approach, slug=slug)
    form = ApproachForm(request.POST if request.method == "POST" else None, instance=entry)
    if request.method == "POST" and form.is_valid():
        save_staff_edit(request, form, entry.name)
        return redirect("strategy:staff_approaches")
    return render(request, "strategy/staff/approach_form.html", {"form": form, "approach": entry})


def unique_slug(name: str) -> str:
    from django.utils.text import slugify

    base = slugify(name)[:90].strip("-") or "approach"
    taken = set(Approach.objects.filter(slug__startswith=base).values_list("slug", flat=True)) | {"staff"}
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


# --- Monitoring ----------------------------------------------------------------------------------------------

VARIATION_TAGS = {
    "common_cause": "govuk-tag--grey",
    "improvement_high": "govuk-tag--blue",
    "improvement_low": "govuk-tag--blue",
    "concern_high": "govuk-tag--orange",
    "concern_low": "govuk-tag--orange",
    "neutral_high": "govuk-tag--purple",
    "neutral_low": "govuk-tag--purple",
}


def measure_view(measure: MonitoringMeasure) -> dict:
    """What the monitoring page and the board pack show for one measure."""
    chart = measure.chart or {}
    points = [{**point, "signal": POINT_WORDS.get(point["point_type"], "")} for point in chart.get("points") or []]
    view = {"measure": measure, "points": points, "notes": chart.get("notes", []), "places": chart.get("places", [])}
    if points:
        slug = measure.key.replace(":", "-")
        view["svg"] = mark_safe(  # noqa: S308 - built from numbers and escaped text in portal.strategy.charts
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


@require_safe
def monitoring(request: HttpRequest) -> HttpResponse:
    area_code = settings.VRU_AREA_CODE
    measures = list(MonitoringMeasure.objects.filter(area_code=area_code))
    charted = [measure_view(measure) for measure in measures if measure.available]
    groups: dict[str, list[dict]] = {}
    for view in charted:
        groups.setdefault(view["measure"].name, []).append(view)
    context = {
        "groups": [{"name": name, "measures": views} for name, views in groups.items()],
        "missing": [measure for measure in measures if not measure.available],
        "published_at": measures[0].published_at if measures else None,
        "baseline": (charted[0]["measure"].baseline_from, charted[0]["measure"].baseline_to) if charted else None,
    }
    return render(request, "strategy/monitoring.html", context)
