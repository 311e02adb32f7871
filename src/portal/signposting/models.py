"""Local contacts for the "Worried about someone?" results, filled in by staff.

National helplines come from the vetted file seed/contacts.csv (see portal.signposting.contacts). Local
ones change more often and must come from a published local source with a "last checked" date, so staff
keep them here. One nobody could source is kept unpublished, with no number, until staff fill it in: a
number is never guessed. The flow itself stores nothing: no model holds anyone's answers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.signposting.content import CONCERN_CHOICES, WHO_CHOICES


class Area(models.TextChoices):
    BANES = "banes", "Bath and North East Somerset"
    AVON_AND_SOMERSET = "avon-and-somerset", "Avon and Somerset"


WHO_VALUES = [choice.value for choice in WHO_CHOICES]
CONCERN_VALUES = [choice.value for choice in CONCERN_CHOICES]


class LocalContactQuerySet(models.QuerySet):
    def published(self) -> LocalContactQuerySet:
        """Published and filled in: a way to get in touch and the page it was checked on."""
        ways_in = models.Q(phone__gt="") | models.Q(url__gt="") | models.Q(email__gt="")
        return self.filter(ways_in, published=True, source_url__gt="", last_checked__isnull=False)


class LocalContact(models.Model):
    name = models.CharField(max_length=200)
    organisation = models.CharField(max_length=200, blank=True)
    purpose = models.TextField("When to use it", help_text="Who it is for and what it can help with.")
    phone = models.CharField(
        "Phone number", max_length=200, blank=True, help_text="Separate two numbers with a semicolon (;)."
    )
    email = models.EmailField("Email address", blank=True)
    url = models.URLField("Website", max_length=500, blank=True, help_text="The page people should go to.")
    hours = models.CharField("Opening hours", max_length=200, blank=True)
    area = models.CharField(max_length=20, choices=Area.choices)
    for_whom = models.JSONField(
        "Who it is for", default=list, blank=True, help_text="Leave empty to show it whoever someone is worried about."
    )
    concerns = models.JSONField(
        "Worries it helps with", default=list, blank=True, help_text="Leave empty to show it for every worry."
    )
    source_url = models.URLField(
        "Where the details were checked",
        max_length=500,
        blank=True,
        help_text="A published page, for example the organisation's own.",
    )
    last_checked = models.DateField(null=True, blank=True)
    notes = models.TextField("Notes for staff", blank=True, help_text="Not shown to the public.")
    published = models.BooleanField(default=False, help_text="Shown on the public pages.")
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = LocalContactQuerySet.as_manager()

    class Meta:
        ordering = ["area", "name", "pk"]

    def __str__(self) -> str:
        return self.name

    # The same names as a national contact (portal.signposting.contacts), so one template shows both.
    @property
    def numbers(self) -> list:
        from portal.signposting.contacts import phone_numbers

        return phone_numbers(self.phone)

    @property
    def website(self) -> str:
        return self.url

    @property
    def when_to_use(self) -> str:
        return self.purpose

    note = ""  # staff notes are never shown to the public

    @property
    def filled_in(self) -> bool:
        return bool((self.phone or self.url or self.email) and self.source_url and self.last_checked)

    def fits(self, who: str, concerns: list[str]) -> bool:
        """Whether to show this contact to someone worried about `who` because of `concerns`."""
        if self.for_whom and who not in self.for_whom:
            return False
        return not self.concerns or any(concern in self.concerns for concern in concerns)
