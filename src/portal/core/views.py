"""Public views: the home page, the unit's pages, the privacy notice, the accessibility statement, the health
check, and the 500 and CSRF failure pages."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseForbidden,
    HttpResponseServerError,
    JsonResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.template import loader
from django.templatetags.static import static
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.common.formatting import duration_words
from portal.core.context_processors import layout_context
from portal.core.models import HOME_PAGE_SLUG, OWN_ADDRESSES, Page

logger = logging.getLogger(__name__)

# Retention periods the privacy notice states that no setting enforces: the records of staff sign-ins are
# deleted by a daily `manage.py axes_reset_logs --age 30`, server logs by the host's log rotation (see
# docs/portal.md, "Keeping to the privacy notice").
SIGN_IN_RECORD_DAYS = 30
SERVER_LOG_DAYS = 30
# How long a nightly backup is kept (docs/deployment.md, "Backups": `find ... -mtime +30 -exec rm`): deleted
# feedback and partner uploads stay in backups that long after they are deleted, and the notice says so.
BACKUP_RETENTION_DAYS = 30


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    # Tasks first, then the unit's introduction. How complete the data is belongs with the data, on the
    # dashboard ("About the data"), not here.
    return render(
        request,
        "core/home.html",
        {"introduction": Page.objects.published().filter(slug=HOME_PAGE_SLUG).first()},
    )


@require_safe
def favicon(request: HttpRequest) -> HttpResponse:
    """Browsers ask for /favicon.ico whatever the page says; send them to the icon the layout names."""
    return redirect(static("portal/favicon.svg"), permanent=True)


@require_safe
def about_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/about_index.html",
        {
            "introduction": Page.objects.published().filter(slug=HOME_PAGE_SLUG).first(),
            "about_pages": Page.objects.published().about(),
        },
    )


@require_safe
def about_page(request: HttpRequest, slug: str) -> HttpResponse:
    if slug in OWN_ADDRESSES:
        return redirect(OWN_ADDRESSES[slug])
    page = get_object_or_404(Page, slug=slug)
    # Editors can look at a page they have hidden, with a warning; everyone else gets "Page not found".
    if not page.published and not request.user.has_perm("core.change_page"):
        raise Http404
    others = Page.objects.published().about().exclude(pk=page.pk)
    return render(request, "core/about_page.html", {"page": page, "other_pages": others})


@require_safe
def privacy_notice(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/privacy_notice.html",
        {
            "feedback_retention_days": settings.FEEDBACK_RETENTION_DAYS,
            "account_request_retention_days": settings.ACCOUNT_REQUEST_RETENTION_DAYS,
            "partner_upload_retention_days": settings.PARTNER_UPLOAD_RETENTION_DAYS,
            "session_cookie_name": settings.SESSION_COOKIE_NAME,
            "session_cookie_age": duration_words(timedelta(seconds=settings.SESSION_COOKIE_AGE)),
            "csrf_cookie_name": settings.CSRF_COOKIE_NAME,
            "csrf_cookie_age": duration_words(timedelta(seconds=settings.CSRF_COOKIE_AGE)),
            "lockout_duration": duration_words(settings.AXES_COOLOFF_TIME),
            "sign_in_record_days": SIGN_IN_RECORD_DAYS,
            "server_log_days": SERVER_LOG_DAYS,
            "backup_retention_days": BACKUP_RETENTION_DAYS,
            "feedback_rate_window": duration_words(
                timedelta(seconds=getattr(settings, "FEEDBACK_RATE_WINDOW_SECONDS", 0))
            ),
            "lockout_failures": settings.AXES_FAILURE_LIMIT,
        },
    )


@require_safe
def accessibility_statement(request: HttpRequest) -> HttpResponse:
    return render(request, "core/accessibility_statement.html")


@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and uptime checks: 200 when the database answers and holds every table the pages
    read (a database that was never migrated answers "SELECT 1" while every page fails), 503 otherwise."""
    try:
        missing = sorted(_tables_the_pages_need() - set(connection.introspection.table_names()))
    except Exception:
        # Any failure to query (driver error, refused connection, misconfiguration) means "not healthy";
        # the details go to the log, not to whoever is probing.
        logger.exception("Health check: the database query failed")
        return JsonResponse({"status": "error", "database": "error"}, status=503)
    if missing:
        logger.error("Health check: tables missing (run manage.py migrate): %s", ", ".join(missing))
        return JsonResponse({"status": "error", "database": "ok", "tables": "missing"}, status=503)
    return JsonResponse({"status": "ok", "database": "ok", "tables": "ok"})


def _tables_the_pages_need() -> set[str]:
    """The table of every model of every installed app (the portal's, sessions, auth, axes)."""
    return {model._meta.db_table for model in apps.get_models(include_auto_created=True) if model._meta.managed}


def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 page. Rendered with a plain context built from settings (no context processors), so it
    works when the database, the session or a context processor is what failed."""
    template = loader.get_template("500.html")
    return HttpResponseServerError(template.render(layout_context()))


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form was sent without a valid CSRF token (most often a form left open across signing in or out).
    Django's own page has inline styles, which the Content Security Policy blocks; this one uses the layout."""
    template = loader.get_template("403_csrf.html")
    return HttpResponseForbidden(template.render({}, request))
