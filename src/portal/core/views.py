"""Views for the home page, the accessibility statement, the health check and the 500 page."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.core.context_processors import layout_context
from portal.insights.coverage import latest_coverage_summary

logger = logging.getLogger(__name__)


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    # Reads what `manage.py publish_coverage` copied into the portal database: a request never opens
    # the DuckDB warehouse.
    area_code = settings.VRU_AREA_CODE
    publish_command = f"python manage.py publish_coverage --warehouse var/warehouse.duckdb --area {area_code}"
    return render(
        request,
        "core/home.html",
        {"coverage": latest_coverage_summary(area_code), "publish_command": publish_command},
    )


@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility_statement.html")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: 200 when the database answers a query, 503 otherwise."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:
        # Any failure to query (driver error, refused connection, misconfiguration) means "not healthy";
        # the details go to the log, not to whoever is probing.
        logger.exception("Health check: the database query failed")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok"})


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page. Rendered with a plain context built from settings (no context processors), so it
    works when the database, the session or a context processor is what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(layout_context()))
