"""Local contacts for the "Worried about someone?" results, filled in by staff.

National helplines come from the vetted file seed/contacts.csv (see portal.signposting.contacts). Local
ones change more often and must come from a published local source with a "last checked" date, so staff
keep them here. A local service whose details nobody could confirm is shown as "details to be confirmed",
with no number, until staff fill it in from the organisation's own page: a number is never guessed. The
flow itself stores nothing: no model holds anyone's answers.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from portal.signposting.content import ASKER_CHOICES, CONCERN_CHOICES, KIND_CHOICES


class Area(models.TextChoices):
    BANES = "banes", "Bath and North East Somerset"
    AVON_AND_SOMERSET = "avon-and-somerset", "Avon and Somerset"


CONCERN_VALUES = [choice.value for choice in CONCERN_CHOICES]


class LocalContactQuerySet(models.QuerySet):
    def published(self) -> LocalContactQuerySet:
        """Published, and either filled in (a way to get in touch and the page it was checked on) or a
        service shown as "details to be confirmed"."""
        ways_in = models.Q(phone__gt="") | models.Q(url__gt="") | models.Q(email__gt="")
        filled_in = ways_in & models.Q(source_url__gt="")
        return self.filter(filled_in | models.Q(to_be_confirmed=True), published=True)


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
    key = models.SlugField(
        max_length=60, blank=True, help_text="A stable name the signposting code can use. Leave empty for new ones."
    )
    kind = models.CharField(
        max_length=20, choices=[(choice.value, choice.label) for choice in KIND_CHOICES], default="support"
    )
    for_whom = models.JSONField(
        "Ages it is for",
        default=list,
        blank=True,
        help_text="The age of the person at risk. Leave empty to show it whatever their age.",
    )
    asker = models.CharField(
        "Who calls",
        max_length=10,
        blank=True,
        choices=[(choice.value, choice.label) for choice in ASKER_CHOICES],
        help_text="Leave empty if both the person themselves and someone worried about them can use it.",
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
    last_checked = models.DateField(null=True, blank=True, help_text="When staff last checked the details.")
    notes = models.TextField("Notes for staff", blank=True, help_text="Not shown to the public.")
    to_be_confirmed = models.BooleanField(
        default=False, help_text='Shown publicly as "details to be confirmed", with no number or address.'
    )
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

    @property
    def review_due(self) -> bool:
        from portal.resources.checking import review_due

        return review_due(self.last_checked)

    @property
    def about(self) -> tuple[str, ...]:
        return tuple(self.for_whom)
