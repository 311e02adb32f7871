"""The service directory in the Open Referral UK model (HSDS 3.0 UK profile).

Tables follow the standard's objects and field names, so a record goes in and out of an ORUK feed unchanged
(portal.directory.oruk). What we query or staff edit is a column (service, organisation, location, service at
location, service area, schedule, contact, taxonomy term and the attribute linking a term to a service);
what we only pass through (languages, funding, cost options, addresses, accessibility, organisation
identifiers) is kept as the standard's JSON. Our own additions for the gap analysis (capacity, when the
funding ends, evaluation, the page the details were checked on) are columns the API does not publish.
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.db import models

from portal.directory.themes import TAXONOMY

ONS_CODE = re.compile(r"\b([EWSN]\d{8})\b")


class TaxonomyTerm(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=200)
    description = models.TextField()
    parent_id = models.UUIDField(null=True, blank=True)
    taxonomy = models.CharField(max_length=200, blank=True)
    taxonomy_id = models.UUIDField(null=True, blank=True)
    term_uri = models.CharField(max_length=500, blank=True)
    term = models.CharField(max_length=200, blank=True, help_text="The term's code; for a theme, its slug.")

    class Meta:
        ordering = ["taxonomy", "name"]

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    name = models.CharField(max_length=300)
    description = models.TextField()
    email = models.CharField(max_length=254, blank=True)
    website = models.CharField(max_length=500, blank=True)
    logo = models.CharField(max_length=500, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    parent_organization_id = models.UUIDField(null=True, blank=True)
    organization_identifiers = models.JSONField(default=list, blank=True)
    partner = models.ForeignKey(
        "accounts.Organisation",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="directory_organisations",
        help_text="The partner organisation whose accounts describe its services.",
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Location(models.Model):
    class Type(models.TextChoices):
        PHYSICAL = "physical", "A place people go to"
        POSTAL = "postal", "A postal address"
        VIRTUAL = "virtual", "Online or by phone"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    location_type = models.CharField(max_length=20, choices=Type.choices, default=Type.PHYSICAL)
    name = models.CharField(max_length=300, blank=True)
    description = models.TextField(blank=True)
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    external_identifier = models.CharField(max_length=100, blank=True)
    external_identifier_type = models.CharField(max_length=100, blank=True)
    addresses = models.JSONField(default=list, blank=True)
    accessibility = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return self.name or str(self.id)


class ServiceQuerySet(models.QuerySet):
    def published(self) -> ServiceQuerySet:
        return self.filter(published=True)


class Service(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        INACTIVE = "inactive", "Inactive"
        DEFUNCT = "defunct", "Defunct"
        TEMPORARILY_CLOSED = "temporarily closed", "Temporarily closed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="services")
    name = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    url = models.CharField("Website", max_length=500, blank=True)
    email = models.CharField("Email address", max_length=254, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    fees = models.TextField(blank=True)
    accreditations = models.TextField(blank=True)
    minimum_age = models.FloatField("Youngest age served", null=True, blank=True)
    maximum_age = models.FloatField("Oldest age served", null=True, blank=True)
    assured_date = models.DateField(
        "Last assured", null=True, blank=True, help_text="When someone last checked these details were right."
    )
    assurer_email = models.CharField(max_length=254, blank=True)
    alert = models.TextField(blank=True)
    last_modified = models.DateTimeField(null=True, blank=True)
    languages = models.JSONField(default=list, blank=True)
    funding = models.JSONField(default=list, blank=True)
    cost_options = models.JSONField(default=list, blank=True)
    taxonomy_terms = models.ManyToManyField(TaxonomyTerm, through="Attribute", blank=True, related_name="services")
    # Our additions, for the gap analysis; not published in the ORUK API.
    capacity_per_week = models.PositiveIntegerField(
        "Places a week", null=True, blank=True, help_text="How many people it can see in a week."
    )
    funding_ends = models.DateField("Funding ends", null=True, blank=True)
    evaluation = models.TextField(blank=True, help_text="How the service knows it works, and any evaluation.")
    source_url = models.CharField(
        "Where the details come from", max_length=500, blank=True, help_text="A published page naming the service."
    )
    last_checked = models.DateField(null=True, blank=True)
    published = models.BooleanField(default=False, help_text="In the public directory and the API.")
    # Provision mapping: a partner proposes a service; it is published once staff approve it.
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="proposed_services"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name", "id"]
        permissions = [
            ("approve_service", "Can approve services that partners mapped"),
            ("map_service", "Can describe their organisation's services (provision mapping)"),
        ]
        indexes = [models.Index(fields=["published", "name"], name="directory_published_name")]

    def __str__(self) -> str:
        return self.name

    @property
    def awaiting_approval(self) -> bool:
        return self.proposed_by_id is not None and self.approved_at is None

    @property
    def theme_slugs(self) -> list[str]:
        return [term.term for term in self.taxonomy_terms.all() if term.taxonomy == TAXONOMY]


class Attribute(models.Model):
    """Links a taxonomy term to a service (HSDS `attribute`, link_type "service")."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="attributes")
    taxonomy_term = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="attributes")
    link_type = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "taxonomy_term"], name="directory_one_term_link")]

    def __str__(self) -> str:
        return f"{self.service_id} is {self.taxonomy_term_id}"


class ServiceAtLocation(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_at_locations")
    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="service_at_locations")

    def __str__(self) -> str:
        return f"{self.service_id} at {self.location_id}"


class ServiceArea(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="service_areas")
    name = models.CharField(max_length=500, blank=True)
    service_area = models.TextField(blank=True)
    extent = models.TextField(blank=True)
    extent_type = models.CharField(max_length=50, blank=True)
    uri = models.CharField(max_length=500, blank=True)
    area_code = models.CharField(
        max_length=9, blank=True, db_index=True, help_text="ONS code of the ward or local authority, from the URI."
    )

    def __str__(self) -> str:
        return self.name or self.area_code

    def save(self, *args, **kwargs) -> None:
        self.area_code = area_code_of(self.uri)
        super().save(*args, **kwargs)


def area_code_of(uri: str) -> str:
    """The ONS code in a service area's URI (statistics.data.gov.uk/id/statistical-geography/E05012471)."""
    found = ONS_CODE.search(uri or "")
    return found.group(1) if found else ""


class Schedule(models.Model):
    class Frequency(models.TextChoices):
        WEEKLY = "WEEKLY", "Weekly"
        MONTHLY = "MONTHLY", "Monthly"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="schedules")
    valid_from = models.DateField(null=True, blank=True)
    valid_to = models.DateField(null=True, blank=True)
    dtstart = models.DateField(null=True, blank=True)
    freq = models.CharField(max_length=10, choices=Frequency.choices, blank=True)
    interval = models.FloatField(null=True, blank=True)
    byday = models.CharField(
        "Days", max_length=100, blank=True, help_text="iCal days, comma-separated: MO,TU,WE,TH,FR,SA,SU."
    )
    bymonthday = models.CharField(max_length=100, blank=True)
    description = models.TextField(blank=True)
    opens_at = models.TimeField("Opens at", null=True, blank=True)
    closes_at = models.TimeField("Closes at", null=True, blank=True)
    schedule_link = models.CharField(max_length=500, blank=True)
    attending_type = models.CharField(max_length=300, blank=True)
    notes = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.byday} {self.opens_at}-{self.closes_at}".strip()


class Contact(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4)
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200, blank=True)

    def __str__(self) -> str:
        return self.name or self.title
