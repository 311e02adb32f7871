"""Addresses made from titles: one rule for every kind of stored content that gets a slug."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import models
from django.utils.text import slugify


def unique_slug(
    queryset: models.QuerySet,
    title: str,
    *,
    fallback: str,
    reserved: Iterable[str] = (),
    max_length: int = 90,
    exclude_pk: int | None = None,
) -> str:
    """A slug from `title`, with -2, -3, ... added when a row of `queryset` (or a reserved word) has it."""
    base = slugify(title)[:max_length].strip("-") or fallback
    taken = set(queryset.exclude(pk=exclude_pk).filter(slug__startswith=base).values_list("slug", flat=True))
    taken |= set(reserved)
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug
