"""The public dashboard of the needs assessment, its staff detail page and the published SNA report.

Each page reads one row (the RenderedDashboard built when the assessment was published) and fills a template:
no request reads the bundle folder, the warehouse or the toolkit.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_safe

from portal.accounts.decorators import staff_permission_required
from portal.core.spreadsheets import csv_response
from portal.dashboards.downloads import CATALOGUE
from portal.dashboards.rendering import newest_dashboard
from portal.insights.storage import REPORT_CONTENT_TYPES, published_root

PUBLISH_COMMAND = "python manage.py publish_insights --bundle var/bundle/{area} --report var/report/{area}"

PAGES = [
    ("dashboards:overview", "Overview"),
    ("dashboards:neighbourhoods", "Neighbourhoods"),
    ("dashboards:wards", "Wards"),
    ("dashboards:hot_spots", "Hot spots"),
    ("dashboards:comparison", "Comparison with other areas"),
]


def _page(request: HttpRequest, template: str, fields: tuple[str, ...], current: str, **extra) -> HttpResponse:
    dashboard = newest_dashboard(fields=(*fields, "report", "rendered_at"))
    context = {
        "dashboard": dashboard,
        "downloads": CATALOGUE,
        "publish_command": PUBLISH_COMMAND.format(area=settings.VRU_AREA_CODE),
        "pages": PAGES,
        "current_page": current,
        **extra,
    }
    if dashboard is None:
        return render(request, "dashboards/not_published.html", context)
    # The pages' big fragments are kept in Django's cache (per process) under this key: a new publication
    # or a rebuild changes it.
    context["fragment_key"] = f"{dashboard.pk}-{dashboard.rendered_at.timestamp()}-{dashboard.approved_at.timestamp()}"
    return render(request, template, context)


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    return _page(request, "dashboards/overview.html", ("overview", "trend_svg", "parts"), "dashboards:overview")


@require_safe
def neighbourhoods(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "dashboards/areas.html",
        ("areas", "lsoa_map_svg", "lsoa_close_up_svg"),
        "dashboards:neighbourhoods",
        level="lsoa",
    )


@require_safe
def wards(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "dashboards/areas.html",
        ("areas", "ward_map_svg", "ward_close_up_svg"),
        "dashboards:wards",
        level="ward",
    )


@require_safe
def hot_spots(request: HttpRequest) -> HttpResponse:
    return _page(
        request,
        "dashboards/hot_spots.html",
        ("hot_spots", "hot_spot_map_svg", "hot_spot_close_up_svg"),
        "dashboards:hot_spots",
    )


@require_safe
def comparison(request: HttpRequest) -> HttpResponse:
    return _page(
        request, "dashboards/comparison.html", ("comparison", "comparison_svg", "parts"), "dashboards:comparison"
    )


STAFF_PERMISSION = "dashboards.view_staff_dashboard"


@require_safe
@staff_permission_required(STAFF_PERMISSION)
def staff(request: HttpRequest) -> HttpResponse:
    return _page(request, "dashboards/staff.html", ("staff", "overview"), "")


@require_safe
def table_csv(request: HttpRequest, name: str) -> HttpResponse:
    """The CSV beside a public table or chart (portal.dashboards.downloads): the approved assessment's figures,
    with the small-number rule applied as on the page and every cell safe to open in a spreadsheet."""
    download = CATALOGUE.get(name)
    if download is not None and download.staff and not request.user.has_perm(STAFF_PERMISSION):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise PermissionDenied
    dashboard = newest_dashboard(fields=("downloads",)) if download else None
    stored = (dashboard.downloads or {}).get(name) if dashboard else None
    if stored is None:
        raise Http404("No such table")
    filename = f"{settings.VRU_AREA_CODE}-{name}-version-{dashboard.version}.csv"
    response = csv_response(filename, download.header, stored["rows"])
    if download.staff:
        add_never_cache_headers(response)  # as every staff page
    return response


# --- The published SNA report -----------------------------------------------------------------------------

# The report's own policy: its files only, no scripts, its inline styles by hash (see
# portal.insights.assessments.report_style_sources), images from itself or embedded as data: URLs.
REPORT_POLICY = (
    "default-src 'none'; img-src 'self' data:; font-src 'self'; style-src 'self'{styles}; "
    "script-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


SVG_POLICY = (
    "default-src 'none'; img-src data:; style-src 'unsafe-inline'; font-src 'self'; script-src 'none'; "
    "object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)


def _report_policy(style_sources: list[str]) -> str:
    return REPORT_POLICY.format(styles="".join(f" {source}" for source in style_sources))


@require_safe
def report_file(request: HttpRequest, name: str) -> HttpResponse:
    """A file of the newest published report: only the files recorded at publishing, from its own folder."""
    dashboard = newest_dashboard(fields=("report",))
    report = dashboard.report if dashboard else {}
    relative = PurePosixPath(name)
    # Only names recorded when the report was published are served: no "..", no absolute paths, no
    # hidden files, nothing added to the folder afterwards.
    if (
        not report.get("dir")
        or name not in set(report.get("files") or [])
        or relative.is_absolute()
        or ".." in relative.parts
    ):
        raise Http404("No such report file")
    root = (published_root() / report["dir"]).resolve()
    path = (root / Path(*relative.parts)).resolve()
    if not path.is_relative_to(root) or not path.is_file():
        raise Http404("No such report file")
    content_type = REPORT_CONTENT_TYPES.get(path.suffix.lower()) or mimetypes.guess_type(path.name)[0]
    if content_type is None:
        raise Http404("No such report file")
    response = FileResponse(path.open("rb"), content_type=content_type)
    if path.suffix.lower() == ".pdf":
        response["Content-Disposition"] = f'inline; filename="{path.name}"'
    if path.suffix.lower() == ".svg":
        # A figure: its own styles (reports published before the presentation layer drew them carry matplotlib's
        # inline styles), still no scripts.
        response["Content-Security-Policy"] = SVG_POLICY
    else:
        response["Content-Security-Policy"] = _report_policy(report.get("style_sources") or [])
    # django-csp leaves a policy the view has set in place.
    response["Cache-Control"] = "public, max-age=300"
    return response
