"""The staff area: sign in and out, the index of staff pages, the audit trail, the lockout page, and partner
accounts (the public request form, approving requests, setting a password, the partner dashboard)."""

from __future__ import annotations

from axes.helpers import get_cool_off
from django.apps import apps
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.audit import record_change
from portal.accounts.decorators import staff_permission_required
from portal.accounts.forms import REASON_MAX_LENGTH, AccountRequestForm, ApproveAccountForm, SignInForm
from portal.accounts.models import AccountRequest, AuditEvent, Organisation
from portal.accounts.partner_tasks import PARTNER_TASKS
from portal.accounts.partners import approve_request, email_set_password_link, refuse_request
from portal.accounts.staff_links import links_for, staff_links_for
from portal.common.formatting import duration_words
from portal.common.pagination import govuk_pagination
from portal.common.ratelimit import client_address, take_submission, window_minutes

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


# --- Partner accounts: asking for one, deciding, setting the password, the partner's dashboard -----------


def _request_form_page(request: HttpRequest, form: AccountRequestForm, *, status: int = 200, rate_limited=False):
    return render(
        request,
        "accounts/request_account.html",
        {
            "form": form,
            "rate_limited": rate_limited,
            "wait_minutes": window_minutes(),
            "retention_days": settings.ACCOUNT_REQUEST_RETENTION_DAYS,
            "reason_max_length": REASON_MAX_LENGTH,
            "reason_max_length_text": f"{REASON_MAX_LENGTH:,}",
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def account_request(request: HttpRequest) -> HttpResponse:
    """The public form to ask for a partner account: saved, then a website administrator decides."""
    if request.method != "POST":
        return _request_form_page(request, AccountRequestForm())
    form = AccountRequestForm(request.POST)
    if form.is_bot:
        return redirect("accounts:account_request_sent")
    if not form.is_valid():
        return _request_form_page(request, form)
    if not take_submission(client_address(request), form="account-request"):
        return _request_form_page(request, form, status=429, rate_limited=True)
    data = form.cleaned_data
    with transaction.atomic():
        AccountRequest.objects.create(
            name=data["name"].strip(),
            email=data["email"],
            organisation_name=data["organisation_name"].strip(),
            job_title=data["job_title"].strip(),
            reason=data["reason"],
        )
    return redirect("accounts:account_request_sent")


@require_safe
def account_request_sent(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "accounts/request_account_sent.html",
        {"retention_days": settings.ACCOUNT_REQUEST_RETENTION_DAYS},
    )


@require_safe
@staff_permission_required("accounts.view_accountrequest")
def account_requests(request: HttpRequest) -> HttpResponse:
    requests = AccountRequest.objects.select_related("organisation", "user")
    return render(
        request,
        "accounts/account_requests.html",
        {
            "waiting": [item for item in requests if item.status == AccountRequest.Status.WAITING],
            "decided": [item for item in requests if item.status != AccountRequest.Status.WAITING],
            "retention_days": settings.ACCOUNT_REQUEST_RETENTION_DAYS,
        },
    )


@require_http_methods(["GET", "HEAD", "POST"])
@staff_permission_required("accounts.view_accountrequest", "accounts.change_accountrequest")
def account_request_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """One request: approve it (username, organisation) or refuse it. A decided request is read-only."""
    item = get_object_or_404(AccountRequest.objects.select_related("organisation", "user", "decided_by"), pk=pk)
    form = None
    if item.status == AccountRequest.Status.WAITING:
        suggested = item.email.split("@", 1)[0]
        same_name = Organisation.objects.filter(name__iexact=item.organisation_name).first()
        initial = {"username": suggested, "organisation": same_name, "new_organisation_name": item.organisation_name}
        form = ApproveAccountForm(request.POST if request.method == "POST" else None, initial=initial)
        if request.method == "POST" and request.POST.get("decision") == "refuse":
            refuse_request(request, item)
            messages.success(request, f"Request {item.pk} has been refused. Nobody has been emailed.")
            return redirect("accounts:account_requests")
        if request.method == "POST" and form.is_valid():
            user = approve_request(request, item, **form.cleaned_data)
            if email_set_password_link(request, user, item.organisation):
                messages.success(
                    request,
                    f"The account “{user.get_username()}” has been made, and its password link emailed.",
                )
            else:
                messages.warning(
                    request,
                    f"The account “{user.get_username()}” has been made, but the email with its password link "
                    "could not be sent. Send it again from this page.",
                )
            return redirect("accounts:account_request_decide", pk=item.pk)
    elif request.method == "POST" and request.POST.get("decision") == "resend" and item.user:
        if email_set_password_link(request, item.user, item.organisation):
            record_change(request, "emailed", item, "Sent the set-password link again")
            messages.success(request, "The password link has been emailed again.")
        else:
            messages.warning(request, "The email could not be sent. Try again later.")
        return redirect("accounts:account_request_decide", pk=item.pk)
    return render(
        request,
        "accounts/account_request_decide.html",
        {"item": item, "form": form, "organisations": Organisation.objects.all()},
    )


@method_decorator(never_cache, name="dispatch")
class SetPasswordView(auth_views.PasswordResetConfirmView):
    """The link a new partner is emailed: choose a password, then sign in. The link works once."""

    template_name = "accounts/set_password.html"
    success_url = reverse_lazy("accounts:password_set")
    reset_url_token = "choose-password"  # noqa: S105 (the word in the address, not a password)


@require_safe
def password_set(request: HttpRequest) -> HttpResponse:
    return render(request, "accounts/password_set.html")


@require_safe
@staff_permission_required("accounts.view_partner_dashboard")
def partner_dashboard(request: HttpRequest) -> HttpResponse:
    """A partner's own page: their organisation, who else has an account for it, and what they can do."""
    organisations = request.user.organisations.prefetch_related("members").order_by("name")
    return render(
        request,
        "accounts/partner_dashboard.html",
        {"organisations": organisations, "tasks": links_for(request.user, PARTNER_TASKS)},
    )
