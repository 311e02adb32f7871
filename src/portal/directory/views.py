"""The directory's pages: the public list and service pages, the staff pages (edit, approve, import) and
provision mapping for partners (describe their own organisation's services)."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from portal.accounts.audit import changed_field_labels, record_change
from portal.accounts.decorators import staff_permission_required
from portal.common.pagination import govuk_pagination
from portal.directory.forms import (
    LocationFormSet,
    OpeningFormSet,
    ServiceForm,
    location_initial,
    opening_initial,
)
from portal.directory.geography import codes_covering
from portal.directory.models import Organisation, Service
from portal.directory.queries import BadFilter, ServiceFilter, with_related
from portal.directory.themes import THEME_CHOICES

PER_PAGE = 20


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    error = ""
    try:
        service_filter = ServiceFilter.from_params(request.GET)
    except BadFilter as problem:
        error, service_filter = str(problem), ServiceFilter()
    services = service_filter.apply(Service.objects.published(), area_codes=codes_covering(service_filter.area))
    page = Paginator(services.select_related("organisation").order_by("name", "id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "directory/index.html",
        {
            "page": page,
            "pagination": govuk_pagination(page, request),
            "filter": service_filter,
            "themes": THEME_CHOICES,
            "error": error,
        },
    )


@require_safe
def detail(request: HttpRequest, service_id) -> HttpResponse:
    service = with_related(Service.objects.published()).filter(pk=service_id).first()
    if service is None:
        raise Http404("No such service")
    return render(request, "directory/detail.html", {"service": service})


# --- Staff ---------------------------------------------------------------------------------------------


@require_safe
@staff_permission_required("directory.view_service")
def staff_list(request: HttpRequest) -> HttpResponse:
    services = Service.objects.select_related("organisation", "proposed_by").order_by("published", "name")
    return render(
        request,
        "directory/staff/list.html",
        {
            "awaiting": [service for service in services if service.awaiting_approval],
            "services": [service for service in services if not service.awaiting_approval],
        },
    )


def _service_form_page(request: HttpRequest, service: Service | None, *, partner: bool) -> HttpResponse:
    organisations = None
    if partner:
        organisations = directory_organisations_of(request.user)
        if not organisations.exists():
            return render(request, "directory/mapping/no_organisation.html", status=403)
    data = request.POST if request.method == "POST" else None
    form = ServiceForm(data, instance=service, partner_organisations=organisations)
    opening = OpeningFormSet(data, prefix="opening", initial=opening_initial(service) if service else None)
    locations = LocationFormSet(data, prefix="location", initial=location_initial(service) if service else None)
    if request.method == "POST" and form.is_valid() and opening.is_valid() and locations.is_valid():
        changed = changed_field_labels(form) + (["opening times"] if opening.has_changed() else [])
        changed += ["locations"] if locations.has_changed() else []
        with transaction.atomic():
            saved = form.save_with_related(
                request.user,
                [row for row in (item.row() for item in opening) if row],
                [row for row in (item.row() for item in locations) if row],
            )
            if service is None:
                record_change(request, "proposed" if partner else "created", saved, "Added to the directory")
            elif changed:
                record_change(request, "changed", saved, "Changed: " + ", ".join(changed))
        if partner:
            messages.success(
                request, f"“{saved.name}” has been sent to the unit. Staff will check it before it is published."
            )
            return redirect("directory:mapping_list")
        messages.success(request, f"“{saved.name}” has been saved.")
        return redirect("directory:staff_list")
    return render(
        request,
        "directory/staff/form.html",
        {"form": form, "opening": opening, "locations": locations, "service": service, "partner": partner},
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("directory.add_service")
def staff_add(request: HttpRequest) -> HttpResponse:
    return _service_form_page(request, None, partner=False)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("directory.change_service")
def staff_edit(request: HttpRequest, service_id) -> HttpResponse:
    return _service_form_page(request, get_object_or_404(Service, pk=service_id), partner=False)


@require_POST
@staff_permission_required("directory.approve_service")
def staff_approve(request: HttpRequest, service_id) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    with transaction.atomic():
        service.published = True
        service.approved_at = timezone.now()
        service.assured_date = timezone.localdate()
        service.updated_by = request.user
        service.save(update_fields=["published", "approved_at", "assured_date", "updated_by", "updated_at"])
        record_change(request, "approved", service, "Approved and published a service a partner mapped")
    messages.success(request, f"“{service.name}” is now in the public directory.")
    return redirect("directory:staff_list")


# --- Provision mapping (partners) ----------------------------------------------------------------------


def directory_organisations_of(user):
    """The directory organisations the user's partner organisations speak for; a partner organisation that has
    none yet gets one under its own name (so a new partner can start mapping at once)."""
    for partner in user.organisations.filter(directory_organisations__isnull=True):
        Organisation.objects.create(name=partner.name, description=partner.name, partner=partner)
    return Organisation.objects.filter(partner__members=user)


@require_safe
@staff_permission_required("directory.map_service")
def mapping_list(request: HttpRequest) -> HttpResponse:
    organisations = list(directory_organisations_of(request.user))
    services = Service.objects.filter(organisation__in=organisations).order_by("name")
    return render(request, "directory/mapping/list.html", {"organisations": organisations, "services": services})


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("directory.map_service")
def mapping_add(request: HttpRequest) -> HttpResponse:
    return _service_form_page(request, None, partner=True)


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("directory.map_service")
def mapping_edit(request: HttpRequest, service_id) -> HttpResponse:
    service = get_object_or_404(Service, pk=service_id)
    if not Organisation.objects.filter(pk=service.organisation_id, partner__members=request.user).exists():
        raise PermissionDenied
    return _service_form_page(request, service, partner=True)
