"""The unit's own pages (introduction, why the unit was set up, what it does, contact), as content staff edit.

The police.uk coverage the home page shows is published into portal.insights.models, not here.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

# The page whose body the home page shows. It has no page of its own: /about/introduction/ redirects home.
HOME_PAGE_SLUG = "introduction"
# The opening text of the pages for parents and carers and for young people ("Worried about someone?"): staff
# edit it here; the advice and contacts below it come from the signposting app's vetted lists.
PARENTS_PAGE_SLUG = "parents-and-carers"
YOUNG_PEOPLE_PAGE_SLUG = "young-people"
# Pages whose text is kept here but which are shown at an address of their own (URL names), not under
# /about/ ("About the VRU" does not list them; /about/<slug>/ redirects there).
OWN_ADDRESSES = {
    HOME_PAGE_SLUG: "core:home",
    PARENTS_PAGE_SLUG: "guides:parents",
    YOUNG_PEOPLE_PAGE_SLUG: "guides:young_people",
}


class PageQuerySet(models.QuerySet):
    def published(self) -> PageQuerySet:
        return self.filter(published=True)

    def about(self) -> PageQuerySet:
        """The pages listed under "About the VRU": every page but those shown at an address of their own."""
        return self.exclude(slug__in=OWN_ADDRESSES)


class Page(models.Model):
    """One of the unit's pages. The body is in the small markup of portal.core.markup, never HTML."""

    slug = models.SlugField(max_length=80, unique=True, help_text="The page's address: /about/<slug>/.")
    title = models.CharField(max_length=120)
    summary = models.CharField(max_length=300, help_text="One sentence, shown where other pages link to this one.")
    body = models.TextField(help_text="Paragraphs, headings, lists, quotations and links: see portal.core.markup.")
    position = models.PositiveSmallIntegerField(default=100, help_text="Order in lists of pages, lowest first.")
    last_reviewed = models.DateField(help_text="When someone last checked the content is still right.")
    published = models.BooleanField(default=True, help_text="Shown on the website.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PageQuerySet.as_manager()

    class Meta:
        ordering = ["position", "slug"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        if self.slug in OWN_ADDRESSES:
            return reverse(OWN_ADDRESSES[self.slug])
        return reverse("core:about_page", args=[self.slug])
