"""The directory's Open Referral UK API: open (no key, no sign-in), read-only, CORS allowed for everyone.

Paths and parameters follow the profile's OpenAPI (oruk/openapi.json) under `/api/`: `/`, `/services`,
`/services/{id}`, `/taxonomy_terms`, `/taxonomy_terms/{id}`; `/openapi.json` serves the description itself.
`/services` also takes `theme`, `age` and `area` (see docs/directory.md). Only published services appear.
"""

from __future__ import annotations

import copy
import math
import uuid
from collections.abc import Callable
from functools import wraps

from django.http import HttpRequest, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from portal.directory import oruk
from portal.directory.geography import codes_covering
from portal.directory.models import Service, TaxonomyTerm
from portal.directory.queries import BadFilter, ServiceFilter, with_related

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
API_CACHE_SECONDS = 300


def open_api(view: Callable) -> Callable:
    """GET and HEAD only; every answer (errors too) allows any origin, as the ORUK compliance rules ask."""

    @require_safe
    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = f"public, max-age={API_CACHE_SECONDS}"
        return response

    return wrapped


def _problem(status: int, message: str) -> JsonResponse:
    return JsonResponse({"status": status, "error": message}, status=status)


def _page_numbers(request: HttpRequest) -> tuple[int, int]:
    try:
        page = int(request.GET.get("page") or 1)
        per_page = int(request.GET.get("per_page") or DEFAULT_PER_PAGE)
    except ValueError:
        raise BadFilter("page and per_page must be whole numbers") from None
    if page < 1 or per_page < 1:
        raise BadFilter("page and per_page start at 1")
    return page, min(per_page, MAX_PER_PAGE)


def paginated(queryset, request: HttpRequest, item: Callable) -> dict:
    """The ORUK page: total_items, total_pages, page_number, size, first_page, last_page, empty, contents."""
    page, per_page = _page_numbers(request)
    total = queryset.count()
    total_pages = max(1, math.ceil(total / per_page))
    start = (page - 1) * per_page
    contents = [item(row) for row in queryset[start : start + per_page]] if start < total else []
    return {
        "total_items": total,
        "total_pages": total_pages,
        "page_number": page,
        "size": len(contents),
        "first_page": page == 1,
        "last_page": page >= total_pages,
        "empty": total == 0,
        "contents": contents,
    }


@open_api
def root(request: HttpRequest) -> JsonResponse:
    return JsonResponse(
        {
            "version": oruk.HSDS_VERSION,
            "profile": oruk.PROFILE_URL,
            "openapi_url": request.build_absolute_uri(reverse("directory_api:openapi")),
        }
    )


@open_api
def openapi(request: HttpRequest) -> JsonResponse:
    description = copy.deepcopy(oruk.schema("openapi"))
    description["servers"] = [{"url": request.build_absolute_uri(reverse("directory_api:root")).rstrip("/")}]
    return JsonResponse(description)


@open_api
def services(request: HttpRequest) -> JsonResponse:
    try:
        service_filter = ServiceFilter.from_params(request.GET)
        queryset = service_filter.apply(Service.objects.published(), area_codes=codes_covering(service_filter.area))
        page = paginated(queryset.select_related("organisation").order_by("name", "id"), request, oruk.list_service)
    except BadFilter as error:
        return _problem(400, str(error))
    return JsonResponse(page)


@open_api
def service_detail(request: HttpRequest, service_id: str) -> JsonResponse:
    service = _by_uuid(with_related(Service.objects.published()), service_id)
    if service is None:
        return _problem(404, f"No published service has the id {service_id}")
    return JsonResponse(oruk.full_service(service))


def _term_json(term: TaxonomyTerm) -> dict:
    return {"id": str(term.id), **oruk.pick(term, oruk.TERM_FIELDS)}


@open_api
def taxonomy_terms(request: HttpRequest) -> JsonResponse:
    try:
        return JsonResponse(paginated(TaxonomyTerm.objects.order_by("taxonomy", "name", "id"), request, _term_json))
    except BadFilter as error:
        return _problem(400, str(error))


@open_api
def taxonomy_term_detail(request: HttpRequest, term_id: str) -> JsonResponse:
    term = _by_uuid(TaxonomyTerm.objects.all(), term_id)
    if term is None:
        return _problem(404, f"No taxonomy term has the id {term_id}")
    return JsonResponse(_term_json(term))


def _by_uuid(queryset, text: str):
    try:
        return queryset.filter(pk=uuid.UUID(text)).first()
    except ValueError:
        return None
