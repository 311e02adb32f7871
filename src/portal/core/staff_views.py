"""Staff pages for the unit's pages: the list, adding a page, and the edit form, each with a preview
(core.add_page, core.change_page)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.audit import record_change
from portal.accounts.decorators import staff_permission_required
from portal.common.slugs import unique_slug
from portal.core.forms import PageForm
from portal.core.models import Page

# The name of the form's second button: show the page as it would look, save nothing.
PREVIEW = "preview"


@require_safe
@staff_permission_required("core.change_page")
def page_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/staff/page_list.html", {"pages": Page.objects.all()})


def _form_page(request: HttpRequest, form: PageForm, page: Page | None) -> HttpResponse:
    """The add or edit form; after "Preview", with the page as it would look above it."""
    preview = None
    if PREVIEW in request.POST and form.is_valid():
        preview = form.save(commit=False)
    return render(request, "core/staff/edit_page.html", {"page": page, "form": form, "preview": preview})


@require_http_methods(["GET", "POST"])
@staff_permission_required("core.add_page", "core.change_page")
def add_page(request: HttpRequest) -> HttpResponse:
    form = PageForm(request.POST or None)
    if request.method == "POST" and PREVIEW not in request.POST and form.is_valid():
        with transaction.atomic():
            page = form.save(commit=False)
            page.slug = unique_slug(Page.objects.all(), page.title, fallback="page", max_length=80)
            page.updated_by = request.user
            page.save()
            record_change(request, "created", page, "Added the page." + (" Published it." if page.published else ""))
        messages.success(request, f"“{page.title}” has been added.")
        return redirect("core:staff_pages")
    return _form_page(request, form, None)


@require_http_methods(["GET", "POST"])
@staff_permission_required("core.change_page")
def edit_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    if request.method == "POST":
        before = PageForm.snapshot(page)
        form = PageForm(request.POST, instance=page)
        if PREVIEW not in request.POST and form.is_valid():
            summary = form.change_summary(before)
            if not summary:
                messages.info(request, f"You did not change anything on “{page.title}”.")
                return redirect("core:staff_pages")
            with transaction.atomic():
                page = form.save(commit=False)
                page.updated_by = request.user
                page.save()
                record_change(request, "changed", page, summary=summary)
            messages.success(request, f"“{page.title}” has been saved.")
            return redirect("core:staff_pages")
        # The form's instance takes the typed values while it is checked: show the stored page's own name.
        page = Page.objects.get(pk=page.pk)
    else:
        form = PageForm(instance=page)
    return _form_page(request, form, page)
