"""Public "good practice" pages from the evidence library, and the staff pages that keep it up to date."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.audit import record_change, save_staff_edit
from portal.accounts.decorators import staff_permission_required
from portal.strategy.forms import ApproachForm
from portal.strategy.models import HARMFUL, Approach, Term, TermKind


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
