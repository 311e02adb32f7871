"""The gap register in the staff area: a map and a table, and each row's evidence, owner and status."""

from __future__ import annotations

from django.db.models import F
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.audit import save_staff_edit
from portal.accounts.decorators import staff_permission_required
from portal.directory.themes import THEME_BY_SLUG, THEME_CHOICES
from portal.gaps.export import INDICATOR_PREFIX, indicator_components
from portal.gaps.forms import GapEntryForm
from portal.gaps.models import GapEntry
from portal.gaps.register import THRESHOLD, approved_assessment, ensure_current
from portal.insights.presentation import sequential_colours, svg

COLOURS = sequential_colours(5)
BANDS = [(0.2 * index, COLOURS[index]) for index in range(5)]


def band_colour(gap: float | None) -> str:
    if gap is None:
        return svg.NO_DATA_FILL
    return COLOURS[min(4, int(gap * 5))]


def register_map(entries: list[GapEntry], theme_name: str) -> str:
    assessment = approved_assessment()
    if assessment is None:
        return ""
    features = (assessment.boundaries.get("ward") or {}).get("features", [])
    worst: dict[str, GapEntry] = {}
    for entry in entries:
        if entry.gap is not None and (entry.area_code not in worst or entry.gap > worst[entry.area_code].gap):
            worst[entry.area_code] = entry
    areas = {
        code: svg.MapArea(
            code=code,
            fill=band_colour(entry.gap),
            title=f"{entry.area_name}: gap score {entry.gap:.2f} ({entry.get_theme_display()})",
        )
        for code, entry in worst.items()
    }
    return svg.area_map(
        svg.MapSpec(
            id_prefix="gap-map",
            title=f"Provision gaps by ward: {theme_name}",
            desc=(
                f"Map of the {len(features)} wards of {assessment.area_name}, each shaded by its largest provision "
                "gap score for the themes shown, from light (small) to dark (large). The table below has the figures."
            ),
            features=features,
            areas=areas,
        )
    )


@require_safe
@staff_permission_required("gaps.view_gapentry")
def register(request: HttpRequest) -> HttpResponse:
    build = ensure_current()
    theme = request.GET.get("theme", "")
    theme = theme if theme in THEME_BY_SLUG else ""
    scored = GapEntry.objects.all()
    if theme:
        scored = scored.filter(theme=theme)
    entries = list(
        scored.filter(in_register=True)
        .select_related("owner")
        .order_by(F("gap").desc(nulls_last=True), "area_name", "theme")
    )
    theme_name = THEME_BY_SLUG[theme].name if theme else "all themes"
    return render(
        request,
        "gaps/register.html",
        {
            "entries": entries,
            "map": register_map(list(scored), theme_name),
            "bands": [(f"{low:.1f} to {low + 0.2:.1f}", colour) for low, colour in BANDS],
            "themes": THEME_CHOICES,
            "theme": theme,
            "threshold": THRESHOLD,
            "build": build,
            "assessment": approved_assessment(),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("gaps.view_gapentry")
def entry(request: HttpRequest, pk: int) -> HttpResponse:
    gap = get_object_or_404(GapEntry, pk=pk)
    can_change = request.user.has_perm("gaps.change_gapentry")
    form = GapEntryForm(request.POST if request.method == "POST" and can_change else None, instance=gap)
    if request.method == "POST" and can_change and form.is_valid():
        save_staff_edit(request, form, str(gap))
        return redirect("gaps:register")
    components = [
        (label, gap.components.get(name))
        for name, label in (
            ("excess", "Violence above the area's rate"),
            ("clusters", "Residents in hot spots or clusters"),
            ("deprivation", "Residents in the most deprived fifth"),
            ("young_people", "More young people than the area's share"),
            ("services", "Services serving the ward and ages 10 to 24"),
            ("distance", "Distance to the nearest location"),
            ("hours", "Open when need is highest"),
            ("capacity", "Capacity for young residents"),
            ("funding", "Funding secure for 12 months"),
        )
    ] + [
        (name.removeprefix(INDICATOR_PREFIX).capitalize(), value)
        for name, value in indicator_components(gap.components).items()
    ]
    return render(
        request, "gaps/entry.html", {"gap": gap, "form": form, "components": components, "can_change": can_change}
    )
