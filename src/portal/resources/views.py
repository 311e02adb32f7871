"""The resource library: the public list (search and filters) and detail pages, and the staff pages."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts.audit import record_change, save_staff_edit
from portal.accounts.decorators import staff_permission_required
from portal.common.escaping import fill
from portal.common.pagination import govuk_pagination
from portal.core.duplicates import unconfirmed_duplicates
from portal.resources.checking import last_checked_words, run_link_check
from portal.resources.forms import ResourceForm
from portal.resources.links import host_of
from portal.resources.models import Kind, LinkCheck, Resource
from portal.resources.search import Filters, apply_filters, filter_choices, search

PER_PAGE = 20
# The query-string names of the filter lists, with the heading each has in the filter panel.
FILTER_LISTS = [
    ("area", "Local or national"),
    ("audience", "Who it is for"),
    ("stage", "Stage"),
    ("topic", "Topic"),
    ("type", "Type"),
]


@dataclass
class Option:
    value: str
    label: str
    checked: bool
    hint: str = ""


@dataclass
class ActiveFilter:
    group: str
    value: str
    remove_url: str


def read_filters(params: QueryDict, choices: dict[str, list]) -> Filters:
    """The filters in the query string, keeping only values that exist (anything else is ignored)."""
    allowed = {name: {value for value, _, _ in options} for name, options in choices.items()}

    def chosen(name: str) -> list[str]:
        return list(dict.fromkeys(value for value in params.getlist(name) if value in allowed[name]))

    return Filters(
        q=params.get("q", "").strip()[:200],
        audiences=chosen("audience"),
        stages=chosen("stage"),
        topics=chosen("topic"),
        kinds=chosen("type"),
        areas=chosen("area"),
    )


def filter_params(filters: Filters) -> list[tuple[str, str]]:
    params = [("q", filters.q)] if filters.q else []
    params += [("audience", value) for value in filters.audiences]
    params += [("stage", value) for value in filters.stages]
    params += [("topic", value) for value in filters.topics]
    params += [("type", value) for value in filters.kinds]
    params += [("area", value) for value in filters.areas]
    return params


def filters_url(params: list[tuple[str, str]]) -> str:
    """The library with these filters (the first page)."""
    return "?" + urlencode(params) if params else reverse("resources:index")


RESULT_FIELDS = (
    "pk", "slug", "title", "summary", "organisation", "url", "kind", "local_area", "last_checked", "retired",
)  # fmt: skip


# One result of the list, filled in Python (`fill` escapes every value) rather than by the template: 20 results
# of a dozen template variables and an include each were most of the page's own time (benchmarks/portal.py;
# issue 11 asks for at most 5 times /healthz).
RESULT_HTML = (
    '<h3 class="govuk-heading-s govuk-!-margin-bottom-1"><a class="govuk-link" href="{url}">{title}</a></h3>'
    '<p class="govuk-body-s govuk-!-margin-bottom-2">{organisation}</p>'
    '<p class="govuk-body govuk-!-margin-bottom-2">{summary}</p>'
    '<p class="govuk-body-s govuk-!-margin-bottom-1">{kind} · Topics: {topics}</p>'
    '<p class="govuk-body-s">Last checked: {last_checked} · <a class="govuk-link" href="{page_url}" '
    'rel="noopener noreferrer">Go to the page<span class="govuk-visually-hidden">: {title}</span></a></p>'
)
KIND_LABELS = {value: str(label) for value, label in Kind.choices}


def result_items(resources: list[Resource]) -> list[SafeString]:
    """The list's results, with each resource's topics read in one query (names only, no Topic objects)."""
    topics: dict[int, list[str]] = {resource.pk: [] for resource in resources}
    rows = (
        Resource.topics.through.objects.filter(resource_id__in=list(topics))
        .order_by("topic__position", "topic__name")
        .values_list("resource_id", "topic__name")
    )
    for resource_id, name in rows:
        topics[resource_id].append(name.lower())
    return [
        fill(
            RESULT_HTML,
            url=resource.get_absolute_url(),
            title=resource.title,
            organisation=resource.organisation,
            summary=resource.summary,
            kind=KIND_LABELS.get(resource.kind, resource.kind),
            topics=", ".join(topics[resource.pk]),
            last_checked=last_checked_words(resource.last_checked),
            page_url=resource.url,
        )
        for resource in resources
    ]


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    choices = filter_choices()
    filters = read_filters(request.GET, choices)
    # Only what a result shows: the staff-only text (source evidence, notes) is never read for the list.
    resources = apply_filters(Resource.objects.live().only(*RESULT_FIELDS), filters)
    resources = search(resources, filters.q) if filters.q else list(resources.order_by("title", "pk"))

    paginator = Paginator(resources, PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    params = filter_params(filters)

    chosen = {
        "audience": filters.audiences,
        "stage": filters.stages,
        "topic": filters.topics,
        "type": filters.kinds,
        "area": filters.areas,
    }
    groups = []
    labels: dict[tuple[str, str], str] = {}
    for name, heading in FILTER_LISTS:
        options = []
        for value, label, hint in choices[name]:
            labels[(name, value)] = label
            options.append(Option(value=value, label=label, hint=hint, checked=value in chosen[name]))
        active = sum(1 for option in options if option.checked)
        groups.append({"name": name, "heading": heading, "options": options, "active": active})

    active_filters = []
    if filters.q:
        remaining = [pair for pair in params if pair[0] != "q"]
        active_filters.append(ActiveFilter(group="Search", value=filters.q, remove_url=filters_url(remaining)))
    headings = dict(FILTER_LISTS)
    for name, value in params:
        if name == "q":
            continue
        remaining = [pair for pair in params if pair != (name, value)]
        active_filters.append(
            ActiveFilter(group=headings[name], value=labels[(name, value)], remove_url=filters_url(remaining))
        )

    # The filter panel is the same for everyone with the same choices ticked: its rendered HTML is cached
    # under the lists' contents and the choices (a changed term changes the key).
    panel_key = hashlib.sha256(repr((choices, sorted(chosen.items()))).encode()).hexdigest()
    context = {
        "panel_key": panel_key,
        "filters": filters,
        "groups": groups,
        "active_filters": active_filters,
        "page": page,
        "results": result_items(page.object_list),
        "count": paginator.count,
        "pagination": govuk_pagination(page, request),
    }
    return render(request, "resources/index.html", context)


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_object_or_404(
        Resource.objects.live().prefetch_related("audiences", "stages", "topics"),
        slug=slug,
    )
    return render(request, "resources/detail.html", {"resource": resource, "host": host_of(resource.url)})


# --- Staff -------------------------------------------------------------------------------------------------


@require_safe
@staff_permission_required("resources.view_resource")
def staff_list(request: HttpRequest) -> HttpResponse:
    resources = Resource.objects.order_by("retired", "title", "pk")
    return render(
        request,
        "resources/staff/list.html",
        {
            "resources": resources,
            "live_count": sum(1 for resource in resources if not resource.retired),
            "retired_count": sum(1 for resource in resources if resource.retired),
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("resources.add_resource")
def staff_add(request: HttpRequest) -> HttpResponse:
    form = ResourceForm(request.POST if request.method == "POST" else None)
    duplicates = unconfirmed_duplicates(form, Resource.objects.all()) if form.is_bound and form.is_valid() else []
    if request.method == "POST" and form.is_valid() and not duplicates:
        resource = form.save(commit=False)
        resource.slug = Resource.unique_slug(resource.title)
        resource.created_by = resource.updated_by = request.user
        resource.save()
        form.save_m2m()
        record_change(request, "created", resource, "Added to the resource library")
        messages.success(request, f"“{resource.title}” has been added to the resource library.")
        return redirect("resources:staff_list")
    return render(request, "resources/staff/form.html", {"form": form, "resource": None, "duplicates": duplicates})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("resources.change_resource")
def staff_edit(request: HttpRequest, slug: str) -> HttpResponse:
    resource = get_object_or_404(Resource, slug=slug)
    form = ResourceForm(request.POST if request.method == "POST" else None, instance=resource)
    duplicates = unconfirmed_duplicates(form, Resource.objects.all()) if form.is_bound and form.is_valid() else []
    if request.method == "POST" and form.is_valid() and not duplicates:
        save_staff_edit(request, form, resource.title)
        return redirect("resources:staff_list")
    return render(request, "resources/staff/form.html", {"form": form, "resource": resource, "duplicates": duplicates})


@require_POST
@staff_permission_required("resources.change_resource")
def staff_retire(request: HttpRequest, slug: str) -> HttpResponse:
    """Retire (hide from the public pages) or bring back a resource: the form says which with `action`."""
    resource = get_object_or_404(Resource, slug=slug)
    action = request.POST.get("action")
    if action == "retire" and not resource.retired:
        resource.retired, resource.retired_at = True, timezone.now()
        resource.updated_by = request.user
        resource.save(update_fields=["retired", "retired_at", "updated_by", "updated_at"])
        record_change(request, "retired", resource, "Retired: no longer shown on the public pages")
        messages.success(request, f"“{resource.title}” has been retired. It is no longer on the public pages.")
    elif action == "unretire" and resource.retired:
        resource.retired, resource.retired_at = False, None
        resource.updated_by = request.user
        resource.save(update_fields=["retired", "retired_at", "updated_by", "updated_at"])
        record_change(request, "unretired", resource, "Brought back: shown on the public pages again")
        messages.success(request, f"“{resource.title}” is back on the public pages.")
    return redirect("resources:staff_list")


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("resources.view_resource")
def staff_links(request: HttpRequest) -> HttpResponse:
    """The last link check's results, broken links first; the button (a POST) runs a new check."""
    if request.method == "POST":
        if not request.user.has_perm("resources.change_resource"):
            raise PermissionDenied
        rows = run_link_check()
        broken = sum(1 for row in rows if not row.ok)
        messages.success(request, f"Checked {len(rows)} links: {broken} broken.")
        return redirect("resources:staff_links")
    rows = list(LinkCheck.objects.all())
    return render(
        request,
        "resources/staff/links.html",
        {
            "rows": rows,
            "broken": [row for row in rows if not row.ok],
            "checked_at": max((row.checked_at for row in rows), default=None),
            "review_due": [resource for resource in Resource.objects.live() if resource.review_due],
            "review_after_days": settings.VRU_REVIEW_AFTER_DAYS,
        },
    )
