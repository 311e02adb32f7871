"""The resource library: vetted links for professionals, community groups, parents and carers and young people.

Every resource links to the publisher's own page (`url`) and keeps, for staff only, what the page said when it
was vetted (`source_evidence`) and review notes (`notes`); neither is ever shown publicly. `last_checked` is
the date a member of staff last checked the page, empty until someone has. A resource that is no longer
right is retired, not deleted, so the audit trail and any links to it still make sense.
"""

from __future__ import annotations

import re
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import get_script_prefix, reverse

from portal.accounts.models import StaffEdited
from portal.common.slugs import unique_slug
from portal.resources.press_releases import kind_problem, url_problem

# Slugs that would clash with the app's own URLs (/resources/staff/).
RESERVED_SLUGS = {"staff"}


class Kind(models.TextChoices):
    GUIDANCE = "guidance", "Guidance"
    SERVICE = "service", "Service"
    HELPLINE = "helpline", "Helpline"
    CAMPAIGN = "campaign", "Campaign"
    RESEARCH = "research", "Research"
    TRAINING = "training", "Training"
    TOOLKIT = "toolkit", "Toolkit"


class LocalArea(models.TextChoices):
    BANES = "banes", "Bath and North East Somerset"
    AVON_AND_SOMERSET = "avon-and-somerset", "Avon and Somerset"
    NATIONAL = "national", "National"


class Term(models.Model):
    """A fixed list a resource is tagged with (audiences, stages, topics). Seeded by a migration."""

    slug = models.SlugField(max_length=60, unique=True)
    name = models.CharField(max_length=100)
    hint = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Audience(Term):
    """Who a resource is for: professionals, community groups, parents and carers, young people."""


class Stage(Term):
    """Recognise, prevent or respond."""


class Topic(Term):
    """Knife crime, domestic abuse, ... and "general"."""


class ResourceQuerySet(models.QuerySet):
    def live(self) -> ResourceQuerySet:
        return self.filter(retired=False)


# What the <slug:slug> path converter takes: a slug of these characters stands in the address as it is.
SLUG_IN_ADDRESS = re.compile(r"[-a-zA-Z0-9_]+")
_PLACEHOLDER = "slug-placeholder"


@lru_cache(maxsize=8)
def _detail_address(script_prefix: str) -> tuple[str, str]:
    """A resource page's address before and after its slug. The resource search lists 20 resources a page:
    one reverse() per process rather than one per result (each about as costly as rendering the result)."""
    before, _, after = reverse("resources:detail", args=[_PLACEHOLDER]).partition(_PLACEHOLDER)
    return before, after


class Resource(StaffEdited):
    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=100, unique=True, help_text="Part of the page address. Set once.")
    summary = models.TextField(help_text="One or two sentences in our own words. Do not copy the page's text.")
    organisation = models.CharField(max_length=200, help_text="Who published the page.")
    organisation_url = models.URLField(
        max_length=500,
        blank=True,
        help_text="The organisation's own site, if someone else published the page and names it.",
    )
    url = models.URLField("Link", max_length=500, help_text="The page itself.")
    kind = models.CharField("Type", max_length=20, choices=Kind.choices)
    audiences = models.ManyToManyField(Audience, related_name="resources", verbose_name="who it is for")
    stages = models.ManyToManyField(Stage, related_name="resources")
    topics = models.ManyToManyField(Topic, related_name="resources")
    local_area = models.CharField("Area", max_length=20, choices=LocalArea.choices)
    source_evidence = models.TextField(
        "What the page says (staff only)",
        help_text="A short quote from the page that supports the summary. Never shown publicly.",
    )
    notes = models.TextField("Notes for staff", blank=True, help_text="Never shown publicly.")
    last_checked = models.DateField(
        null=True, blank=True, help_text="When a member of staff last read the page and checked the summary."
    )
    retired = models.BooleanField(default=False)
    retired_at = models.DateTimeField(null=True, blank=True)

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if SLUG_IN_ADDRESS.fullmatch(self.slug):
            before, after = _detail_address(get_script_prefix())
            return f"{before}{self.slug}{after}"
        return reverse("resources:detail", args=[self.slug])  # raises NoReverseMatch, as it always did

    def clean(self) -> None:
        """A press release or news item is not a resource (portal.resources.press_releases): the staff form
        and the admin both refuse it, keeping what was typed."""
        problems = {"url": url_problem(self.url or ""), "kind": kind_problem(self.kind or "")}
        problems = {field: problem for field, problem in problems.items() if problem}
        if problems:
            raise ValidationError(problems)

    @property
    def review_due(self) -> bool:
        from portal.resources.checking import review_due

        return review_due(self.last_checked)

    @classmethod
    def unique_slug(cls, title: str, exclude_pk: int | None = None) -> str:
        """A slug from `title`, with -2, -3, ... added when another resource (or our own URLs) has it."""
        return unique_slug(
            cls.objects.all(), title, fallback="resource", reserved=RESERVED_SLUGS, exclude_pk=exclude_pk
        )


class LinkCheck(models.Model):
    """The last time the link checker asked an address the public pages link to whether it still answers."""

    url = models.URLField(max_length=500, unique=True)
    ok = models.BooleanField()
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    detail = models.CharField(max_length=200)
    used_by = models.TextField(help_text="What links to it, one per line.")
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["ok", "url"]

    def __str__(self) -> str:
        return f"{self.url}: {self.detail}"
