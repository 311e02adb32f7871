"""The staff area: sign in and out, the index of staff pages, the audit trail, and the lockout page."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.apps import apps
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from portal.accounts.decorators import staff_permission_required
from portal.accounts.forms import SignInForm
from portal.accounts.models import AuditEvent
from portal.accounts.staff_links import staff_links_for
from portal.core.formatting import duration_words
from portal.core.pagination import govuk_pagination

AUDIT_EVENTS_PER_PAGE = 50


@method_decorator(never_cache, name="dispatch")
class SignInView(auth_views.LoginView):
    template_name = "accounts/sign_in.html"
    authentication_form = SignInForm
    redirect_authenticated_user = True
    next_page = "accounts:staff_index"

    def get_context_data(self, **kwargs) -> dict:
        context = super().get_context_data(**kwargs)
        # LoginView sets site_name to the host name, which would replace the unit's name in the layout.
        context["site_name"] = settings.VRU_SITE_NAME
        return context


class SignOutView(auth_views.LogoutView):
    """Signing out is a POST, so no link or image elsewhere can sign staff out. A GET (a bookmarked or typed
    address) answers with a page that has the button, not a blank "405 Method Not Allowed"."""

    http_method_names = ["get", "head", "post", "options"]
    next_page = "accounts:signed_out"

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return render(request, "accounts/signed_out.html")
        return render(request, "accounts/sign_out.html")


@require_safe
def signed_out(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/signed_out.html")


@require_safe
@staff_permission_required("accounts.view_staff_area")
def staff_index(request: HttpRequest) -> HttpResponse:
    roles = list(request.user.groups.order_by("name").values_list("name", flat=True))
    return render(
        request,
        "accounts/staff_index.html",
        {"links": staff_links_for(request.user), "roles": roles},
    )


def _object_label(object_type: str) -> str:
    """ "core.page" -> "page"; the stored name when the model no longer exists."""
    try:
        return str(apps.get_model(object_type)._meta.verbose_name)
    except (LookupError, ValueError):
        return object_type


@require_safe
@staff_permission_required("accounts.view_auditevent")
def audit_trail(request: HttpRequest) -> HttpResponse:
    paginator = Paginator(AuditEvent.objects.order_by("-at", "-id"), AUDIT_EVENTS_PER_PAGE)
    page = paginator.get_page(request.GET.get("page"))
    events = [(event, _object_label(event.object_type)) for event in page.object_list]
    return render(
        request,
        "accounts/audit_trail.html",
        {"page": page, "events": events, "pagination": govuk_pagination(page, request)},
    )


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes calls this (AXES_LOCKOUT_CALLABLE) once a username has failed too often from one address.

    The page says how long to wait, and is the same whether or not the username exists.
    """
    cool_off = get_cool_off(request)
    return render(
        request,
        "accounts/locked_out.html",
        {"cool_off": duration_words(cool_off) if cool_off else ""},
        status=429,
    )
