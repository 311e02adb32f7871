"""Warning staff before they save a link that another stored item already has (a resource added twice, a
contact entered again under another name).

Addresses count as the same when they differ only in what does not change the page: http or https, a
leading "www.", the case of the host, a trailing slash, or a #fragment. The warning asks, it does not
forbid: two services of one organisation may share a page, so staff can tick "save it anyway".
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django import forms
from django.db import models

CONFIRM_FIELD = "save_anyway"


def address_key(url: str) -> str:
    """The part of `url` that says which page it is: "https://www.Example.org/a/#top" -> "example.org/a"."""
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    port = f":{parts.port}" if parts.port else ""
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{host}{port}{path}{query}"


def same_address(queryset: models.QuerySet, field: str, url: str, exclude_pk=None) -> list[models.Model]:
    """The rows of `queryset` whose `field` is the same address as `url` (see address_key)."""
    if not url:
        return []
    key = address_key(url)
    host = key.split("/", 1)[0].split(":", 1)[0]
    # Narrow down in the database by host, then compare the whole address here.
    candidates = queryset.exclude(pk=exclude_pk).filter(**{f"{field}__icontains": host})
    return [row for row in candidates if address_key(getattr(row, field)) == key]


def unconfirmed_duplicates(form: forms.ModelForm, queryset: models.QuerySet, field: str = "url") -> list:
    """For a valid form: the other rows with the same address in `field`, unless staff ticked "save it
    anyway" (CONFIRM_FIELD) after seeing them. Empty when the form may be saved."""
    if form.data.get(CONFIRM_FIELD) == "on":
        return []
    return same_address(queryset, field, form.cleaned_data.get(field) or "", exclude_pk=form.instance.pk)
