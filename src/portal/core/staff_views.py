"""Staff pages for the unit's pages: the list, and the edit form (core.change_page)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_safe

from portal.accounts.audit import record_change
from portal.accounts.decorators import staff_permission_required
from portal.core.forms import PageForm
from portal.core.models import Page


@require_safe
@staff_permission_required("core.change_page")
def page_list(request: HttpRequest) -> HttpResponse:
    return render(request, "core/staff/page_list.html", {"pages": Page.objects.all()})


@require_http_methods(["GET", "POST"])
@staff_permission_required("core.change_page")
def edit_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = get_object_or_404(Page, slug=slug)
    if request.method == "POST":
        before = PageForm.snapshot(page)
        form = PageForm(request.POST, instance=page)
        if form.is_valid():
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
    else:
        form = PageForm(instance=page)
    return render(request, "core/staff/edit_page.html", {"page": page, "form": form})
