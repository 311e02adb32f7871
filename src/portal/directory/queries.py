"""Finding services: one filter for the API (`/api/services`) and the public directory page."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from portal.directory.models import Attribute, Service, ServiceAtLocation
from portal.directory.themes import THEME_BY_SLUG

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


class BadFilter(ValueError):
    """A query parameter that cannot be used; the message says which and why."""


@dataclass(frozen=True)
class ServiceFilter:
    search: str = ""
    theme: str = ""  # a theme slug
    taxonomy_term_id: str = ""
    taxonomy_id: str = ""
    age: float | None = None  # serves someone of this age
    minimum_age: float | None = None  # ORUK: services whose minimum age is at least this
    maximum_age: float | None = None  # ORUK: services whose maximum age is at most this
    area: str = ""  # ONS code of a ward or local authority the service covers
    day: str = ""  # iCal day (MO..SU) it is open

    @classmethod
    def from_params(cls, params) -> ServiceFilter:
        def number(name: str) -> float | None:
            text = (params.get(name) or "").strip()
            if not text:
                return None
            try:
                return float(text)
            except ValueError:
                raise BadFilter(f"{name} must be a number, not “{text}”") from None

        def uuid_text(name: str) -> str:
            text = (params.get(name) or "").strip()
            if text:
                try:
                    uuid.UUID(text)
                except ValueError:
                    raise BadFilter(f"{name} must be a UUID, not “{text}”") from None
            return text

        theme = (params.get("theme") or "").strip()
        if theme and theme not in THEME_BY_SLUG:
            raise BadFilter(f"theme must be one of {', '.join(THEME_BY_SLUG)}")
        day = (params.get("day") or "").strip().upper()[:2]
        if day and day not in DAYS:
            raise BadFilter("day must be one of MO, TU, WE, TH, FR, SA, SU")
        return cls(
            search=(params.get("search") or params.get("q") or "").strip()[:200],
            theme=theme,
            taxonomy_term_id=uuid_text("taxonomy_term_id"),
            taxonomy_id=uuid_text("taxonomy_id"),
            age=number("age"),
            minimum_age=number("minimum_age"),
            maximum_age=number("maximum_age"),
            area=(params.get("area") or "").strip().upper()[:9],
            day=day,
        )

    def apply(self, services: QuerySet[Service], area_codes: set[str] | None = None) -> QuerySet[Service]:
        """The services that pass every filter. `area_codes`: the codes that cover `area` (the ward and its
        local authority, from `geography.codes_covering`); by default only `area` itself."""
        if self.search:
            for word in self.search.split():
                services = services.filter(
                    Q(name__icontains=word) | Q(description__icontains=word) | Q(organisation__name__icontains=word)
                )
        if self.theme:
            services = services.filter(attributes__taxonomy_term_id=THEME_BY_SLUG[self.theme].id)
        if self.taxonomy_term_id:
            services = services.filter(attributes__taxonomy_term_id=self.taxonomy_term_id)
        if self.taxonomy_id:
            services = services.filter(attributes__taxonomy_term__taxonomy_id=self.taxonomy_id)
        if self.age is not None:
            services = services.filter(Q(minimum_age__isnull=True) | Q(minimum_age__lte=self.age)).filter(
                Q(maximum_age__isnull=True) | Q(maximum_age__gte=self.age)
            )
        if self.minimum_age is not None:
            services = services.filter(minimum_age__gte=self.minimum_age)
        if self.maximum_age is not None:
            services = services.filter(maximum_age__lte=self.maximum_age)
        if self.area:
            # A service with no service area is taken to serve everywhere it is listed.
            codes = area_codes or {self.area}
            services = services.filter(Q(service_areas__area_code__in=codes) | Q(service_areas__isnull=True))
        if self.day:
            services = services.filter(schedules__byday__icontains=self.day)
        return services.distinct() if self.joins else services

    @property
    def joins(self) -> bool:
        return bool(self.search or self.theme or self.taxonomy_term_id or self.taxonomy_id or self.area or self.day)


def with_related(services: QuerySet[Service]) -> QuerySet[Service]:
    """Everything `oruk.full_service` writes, in a fixed number of queries."""
    return services.select_related("organisation").prefetch_related(
        "schedules",
        "service_areas",
        "contacts",
        Prefetch("service_at_locations", queryset=ServiceAtLocation.objects.select_related("location")),
        Prefetch("attributes", queryset=Attribute.objects.select_related("taxonomy_term")),
    )
