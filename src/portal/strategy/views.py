"""Public pages: "good practice" from the evidence library, and monitoring (the success measures as SPC charts);
the staff pages that keep the evidence library up to date."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts.audit import record_change, save_staff_edit
from portal.accounts.decorators import staff_permission_required
from portal.insights.documents import DOCUMENT_NAMES, documents_dir
from portal.insights.presentation import month_range
from portal.strategy.board_pack import build_board_pack
from portal.strategy.documents import STYLE_SOURCES_FILE, measure_view
from portal.strategy.forms import ActionForm, ApproachForm
from portal.strategy.models import (
    HARMFUL,
    Action,
    ActionEvaluation,
    Approach,
    MonitoringMeasure,
    Strategy,
    StrategyNeed,
    StrategyStatus,
    Term,
    TermKind,
)


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


# --- The strategy (staff) -----------------------------------------------------------------------------------


@require_safe
@staff_permission_required("strategy.view_strategy")
def staff_strategies(request: HttpRequest) -> HttpResponse:
    strategies = Strategy.objects.filter(area_code=settings.VRU_AREA_CODE).order_by("-version")
    return render(request, "strategy/staff/strategies.html", {"strategies": strategies})


def need_views(strategy: Strategy) -> list[dict]:
    """Each need with its thread, its actions and the approaches it leads to (for the staff page and documents)."""
    measures = measure_names(strategy.area_code)
    actions_by_need: dict[int, list[Action]] = {}
    for action in strategy.actions.select_related("approach", "evaluation"):
        action.measure_label = measures.get(action.success_measure, action.success_measure)
        actions_by_need.setdefault(action.need_id, []).append(action)
    views = []
    for need in strategy.needs.all():
        thread = need.thread
        views.append(
            {
                "need": need,
                "candidates": thread.get("candidates", []),
                "avoid": thread.get("avoid", []),
                "summary": thread.get("summary", ""),
                "actions": actions_by_need.get(need.pk, []),
            }
        )
    return views


@require_safe
@staff_permission_required("strategy.view_strategy")
def staff_strategy(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    return render(
        request,
        "strategy/staff/strategy.html",
        {"strategy": strategy, "needs": need_views(strategy)},
    )


def measure_names(area_code: str) -> dict[str, str]:
    return {
        measure.key: f"{measure.name}: {measure.geography}"
        for measure in MonitoringMeasure.objects.filter(area_code=area_code)
    }


def _action_form_page(request, strategy: Strategy, need: StrategyNeed, action: Action | None) -> HttpResponse:
    measures = list(MonitoringMeasure.objects.filter(area_code=strategy.area_code))
    initial = {}
    if action is None:
        slug = request.GET.get("approach", "")
        approach = Approach.objects.live().exclude(impact_band=HARMFUL).filter(slug=slug).first()
        initial = {
            "approach": approach.pk if approach else None,
            "title": approach.name if approach else "",
            "start_date": strategy.start_date,
            "end_date": strategy.end_date,
        }
    form = ActionForm(
        request.POST if request.method == "POST" else None, instance=action, initial=initial, measures=measures
    )
    if request.method == "POST" and form.is_valid():
        if action is None:
            created = form.save(commit=False)
            created.strategy, created.need, created.updated_by = strategy, need, request.user
            created.save()
            record_change(request, "created", created, f"Action added to {strategy} for: {need.text[:80]}")
            messages.success(request, f"“{created.title}” has been added to the strategy.")
        else:
            save_staff_edit(request, form, action.title)
        return redirect("strategy:staff_strategy", pk=strategy.pk)
    slug = action.approach.slug if action and action.approach else request.GET.get("approach", "")
    context = {"form": form, "strategy": strategy, "need": need, "action": action, "candidate": need.candidate(slug)}
    return render(request, "strategy/staff/action_form.html", context)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("strategy.add_action")
def staff_action_add(request: HttpRequest, pk: int, need_pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    need = get_object_or_404(StrategyNeed, pk=need_pk, strategy=strategy)
    return _action_form_page(request, strategy, need, None)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("strategy.change_action")
def staff_action_edit(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    action = get_object_or_404(Action.objects.select_related("need", "approach"), pk=action_pk, strategy=strategy)
    return _action_form_page(request, strategy, action.need, action)


def estimate_in_words(evaluation: ActionEvaluation) -> str:
    """The difference in differences as a sentence: what the stored figures say, rounded as the toolkit does."""
    result = evaluation.result["result"]
    direction = "fewer" if evaluation.effect < 0 else "more"
    crimes = evaluation.crime_type.lower()
    place = "ward" if evaluation.level == "ward" else "neighbourhood (LSOA)"
    confidence = f"{result['confidence']:.0%}"
    lower, upper = evaluation.lower, evaluation.upper
    # The interval in the same words as the estimate, not as signed numbers ("-14.8 to -1.6" reads badly).
    if upper < 0:
        interval = f"between {abs(upper):.1f} and {abs(lower):.1f} fewer"
    elif lower > 0:
        interval = f"between {lower:.1f} and {upper:.1f} more"
    else:
        interval = f"from {abs(lower):.1f} fewer to {upper:.1f} more"
    text = (
        f"From {evaluation.start_month}, about {abs(evaluation.effect):.1f} {direction} crimes of {crimes} a month "
        f"per {place} where the action ran than the comparison places would suggest ({confidence} interval: "
        f"{interval} a month)."
    )
    if evaluation.lower <= 0 <= evaluation.upper:
        text += " The interval includes no change: the difference could be chance."
    return text


def evaluation_view(evaluation: ActionEvaluation) -> dict:
    """What the staff evaluation page shows, read from the stored result (the toolkit's JSON)."""
    table = evaluation.result
    result = table["result"]
    return {
        "evaluation": evaluation,
        "estimate": estimate_in_words(evaluation),
        "treated": table["treated"],
        "comparison": table["comparison"],
        "result": result,
        "assumptions": result["assumptions"],
        "warnings": table["warnings"],
        "monthly": [{**row, "after": row["month"] >= evaluation.start_month} for row in table["monthly"]],
        "months_not_loaded": months_not_loaded(evaluation.first_month, evaluation.last_month, table["months"]),
    }


def months_not_loaded(first: str, last: str, loaded: list[str]) -> list[str]:
    """The months from `first` to `last` (YYYY-MM) that the evaluation left out because they were not loaded."""
    return [month for month in month_range(first, last) if month not in loaded]


@require_safe
@staff_permission_required("strategy.view_strategy")
def staff_action_evaluation(request: HttpRequest, pk: int, action_pk: int) -> HttpResponse:
    """The evaluation aid's result for one action, as published by `manage.py publish_evaluation`; or how to
    produce one."""
    strategy = get_object_or_404(Strategy, pk=pk)
    action = get_object_or_404(Action.objects.select_related("need"), pk=action_pk, strategy=strategy)
    evaluation = ActionEvaluation.objects.filter(action=action).first()
    start = f"{action.start_date:%Y-%m}"
    # The commands to produce (or reproduce) it, filled in with what is known: the places and months of the
    # published evaluation, else two years before the action's start and placeholders.
    command = {
        "treated": "WARD_CODES",
        "start": start,
        "from": f"{action.start_date.year - 2}-{start[5:]}",
        "to": "LAST_MONTH",
    }
    context = {"strategy": strategy, "action": action, "action_start_month": start, "command": command}
    if evaluation is not None:
        context.update(evaluation_view(evaluation))
        command.update(
            treated=",".join(place["code"] for place in evaluation.result["treated"]),
            start=evaluation.start_month,
            to=evaluation.last_month,
            **{"from": evaluation.first_month},
        )
    return render(request, "strategy/staff/action_evaluation.html", context)


@require_POST
@staff_permission_required("strategy.change_strategy")
def staff_strategy_agree(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that the partnership agreed this version: it is then published on the public strategy page."""
    strategy = get_object_or_404(Strategy, pk=pk)
    if strategy.status == StrategyStatus.DRAFT:
        if not strategy.actions.exists():
            messages.error(request, "Add at least one action before recording that the partnership agreed it.")
            return redirect("strategy:staff_strategy", pk=strategy.pk)
        strategy.status, strategy.updated_by = StrategyStatus.AGREED, request.user
        strategy.save(update_fields=["status", "updated_by", "updated_at"])
        record_change(request, "agreed", strategy, "Recorded as agreed by the partnership; now public")
        messages.success(request, f"Version {strategy.version} is recorded as agreed and is now on the public pages.")
    return redirect("strategy:staff_strategy", pk=strategy.pk)


@require_safe
@staff_permission_required("strategy.view_strategy")
def staff_board_pack(request: HttpRequest, pk: int) -> HttpResponse:
    strategy = get_object_or_404(Strategy, pk=pk)
    pack = build_board_pack(strategy, timezone.localdate())
    return render(request, "strategy/staff/board_pack.html", {"pack": pack, "strategy": strategy})


# --- Documents and the public strategy ----------------------------------------------------------------------

DOCUMENT_TYPES = {".html": "text/html; charset=utf-8", ".pdf": "application/pdf"}
DOCUMENT_POLICY = (
    "default-src 'none'; img-src data:; style-src {styles}; script-src 'none'; object-src 'none'; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _document_response(strategy: Strategy, name: str) -> HttpResponse:
    if name not in DOCUMENT_NAMES:
        raise Http404("No such document")
    path = documents_dir(strategy.pk) / name
    if not path.is_file():
        raise Http404("This document has not been produced yet")
    suffix = path.suffix
    response = FileResponse(path.open("rb"), content_type=DOCUMENT_TYPES[suffix])
    if suffix == ".pdf":
        response["Content-Disposition"] = f'inline; filename="{path.name}"'
    else:
        # The document's own <style> (hashed when it was rendered), nothing else inline, no scripts.
        recorded = path.parent / STYLE_SOURCES_FILE
        sources = json.loads(recorded.read_text(encoding="utf-8")).get(name, []) if recorded.is_file() else []
        styles = " ".join(sources) or "'none'"
        response["Content-Security-Policy"] = DOCUMENT_POLICY.format(styles=styles)
    return response


@require_safe
@staff_permission_required("strategy.view_strategy")
def staff_strategy_document(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    return _document_response(get_object_or_404(Strategy, pk=pk), name)


def _agreed_strategy() -> Strategy | None:
    return (
        Strategy.objects.filter(area_code=settings.VRU_AREA_CODE, status=StrategyStatus.AGREED)
        .order_by("-version")
        .first()
    )


@require_safe
def public_strategy(request: HttpRequest) -> HttpResponse:
    """The newest version the partnership agreed: its actions, each with its thread to the evidence."""
    strategy = _agreed_strategy()
    context = {"strategy": strategy}
    if strategy is not None:
        context["needs"] = [item for item in need_views(strategy) if item["actions"]]
        context["has_pdf"] = (documents_dir(strategy.pk) / "strategy.pdf").is_file()
    return render(request, "strategy/public_strategy.html", context)


@require_safe
def public_strategy_document(request: HttpRequest, name: str) -> HttpResponse:
    strategy = _agreed_strategy()
    if strategy is None or not name.startswith("strategy."):
        raise Http404("No agreed strategy")
    return _document_response(strategy, name)
