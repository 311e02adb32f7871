"""Open Referral UK (HSDS 3.0 UK profile) JSON in and out of the directory's tables.

`full_service` and `list_service` write what `/api/services/{id}` and `/api/services` return; `parse_service`
reads one record of a feed into unsaved model instances; `validation_errors` checks a record against the
profile's compiled schema (oruk/service.json) and names the field of each error. Empty values are left out of
what we write (the standard makes them optional), so a record read from a feed is written back unchanged.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema_rs
from django.utils.dateparse import parse_date, parse_datetime, parse_time

from portal.directory.models import (
    Attribute,
    Contact,
    Location,
    Organisation,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    TaxonomyTerm,
    area_code_of,
)

SCHEMA_DIR = Path(__file__).resolve().parent / "oruk"
HSDS_VERSION = "3.0"
PROFILE_URL = "https://github.com/OpenReferralUK/uk-profile"

SERVICE_FIELDS = (
    "name",
    "description",
    "url",
    "email",
    "status",
    "fees",
    "accreditations",
    "minimum_age",
    "maximum_age",
    "assured_date",
    "assurer_email",
    "alert",
    "last_modified",
)
ORGANISATION_FIELDS = ("name", "description", "email", "website", "logo", "uri", "parent_organization_id")
SCHEDULE_FIELDS = (
    "valid_from",
    "valid_to",
    "dtstart",
    "freq",
    "interval",
    "byday",
    "bymonthday",
    "description",
    "opens_at",
    "closes_at",
    "schedule_link",
    "attending_type",
    "notes",
)
SERVICE_AREA_FIELDS = ("name", "extent", "extent_type", "uri", "service_area")
LOCATION_FIELDS = (
    "location_type",
    "name",
    "description",
    "latitude",
    "longitude",
    "external_identifier",
    "external_identifier_type",
)
TERM_FIELDS = ("name", "description", "parent_id", "taxonomy", "taxonomy_id", "term_uri", "term")
CONTACT_FIELDS = ("name", "title")


@cache
def schema(name: str) -> dict:
    return json.loads((SCHEMA_DIR / f"{name}.json").read_text(encoding="utf-8"))


@cache
def validator(name: str = "service"):
    """The profile's schema compiled once (JSON Schema 2020-12, formats such as uuid and email checked).
    jsonschema-rs: a 5,000-service feed is checked in well under a second."""
    return jsonschema_rs.validator_for(schema(name), validate_formats=True)


def field_path(parts) -> str:
    """`service_at_locations[0].location.latitude` from a JSON path's parts."""
    text = ""
    for part in parts:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text or "(the record itself)"


def _message(error) -> tuple[list, str]:
    path, kind = list(error.instance_path), error.kind
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Required):
        # Name the missing field itself, not the object that lacks it.
        return [*path, kind.property], f"'{kind.property}' is a required property"
    if isinstance(kind, jsonschema_rs.ValidationErrorKind.Enum):
        return path, f"{error.instance!r} is not one of {kind.options!r}"
    return path, error.message


def validation_errors(record: Any, schema_name: str = "service") -> list[tuple[str, str]]:
    """(field, message) for every way `record` breaks the schema; empty when it conforms."""
    found = [_message(error) for error in validator(schema_name).iter_errors(record)]
    return [(field_path(path), message) for path, message in sorted(found, key=lambda item: list(map(str, item[0])))]


# --- writing ---------------------------------------------------------------------------------------------


def _value(value: Any) -> Any:
    if isinstance(value, datetime):
        # Milliseconds when that is all it has, as the ORUK examples write them (…T10:30:45.123Z).
        precision = "seconds" if not value.microsecond else "milliseconds" if not value.microsecond % 1000 else "auto"
        text = value.isoformat(timespec=precision)
        return text.replace("+00:00", "Z") if text.endswith("+00:00") else text
    if isinstance(value, date | time):
        return value.isoformat()
    if hasattr(value, "hex") and not isinstance(value, str | bytes | int | float):  # a UUID
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def pick(obj: Any, names: tuple[str, ...]) -> dict:
    out = {}
    for name in names:
        value = getattr(obj, name)
        if value is None or value == "":
            continue
        out[name] = _value(value)
    return out


def organisation_json(organisation: Organisation, *, full: bool = True) -> dict:
    out = {"id": str(organisation.id), **pick(organisation, ORGANISATION_FIELDS)}
    if full and organisation.organization_identifiers:
        out["organization_identifiers"] = organisation.organization_identifiers
    return out


def list_service(service: Service) -> dict:
    """A service as `/api/services` lists it: its own fields and its organisation (service_list.json)."""
    return {
        "id": str(service.id),
        **pick(service, SERVICE_FIELDS),
        "organization": organisation_json(service.organisation, full=False),
    }


def full_service(service: Service) -> dict:
    """A service with everything related, as `/api/services/{id}` returns it (service.json). Expects the
    related rows prefetched (see `portal.directory.queries.with_related`)."""
    out = {"id": str(service.id), **pick(service, SERVICE_FIELDS)}
    out["schedules"] = [{"id": str(item.id), **pick(item, SCHEDULE_FIELDS)} for item in service.schedules.all()]
    out["service_areas"] = [
        {"id": str(item.id), **pick(item, SERVICE_AREA_FIELDS)} for item in service.service_areas.all()
    ]
    out["service_at_locations"] = [
        {"id": str(link.id), "location": _location_json(link.location)} for link in service.service_at_locations.all()
    ]
    out["languages"] = service.languages
    out["organization"] = organisation_json(service.organisation)
    out["funding"] = service.funding
    out["cost_options"] = service.cost_options
    out["contacts"] = [{"id": str(item.id), **pick(item, CONTACT_FIELDS)} for item in service.contacts.all()]
    out["attributes"] = [
        {
            "id": str(item.id),
            **({"link_type": item.link_type} if item.link_type else {}),
            "taxonomy_term": {"id": str(item.taxonomy_term.id), **pick(item.taxonomy_term, TERM_FIELDS)},
        }
        for item in service.attributes.all()
    ]
    return out


def _location_json(location: Location) -> dict:
    out = {"id": str(location.id), **pick(location, LOCATION_FIELDS)}
    if location.addresses:
        out["addresses"] = location.addresses
    if location.accessibility:
        out["accessibility"] = location.accessibility
    return out


def with_new_ids(record: dict, salt: str) -> dict:
    """A copy of `record` in which every `id` (and every reference to one) is replaced by a UUID made from
    the old id and `salt`: the same service under new ids, for scale tests and benchmarks (said so where
    used)."""

    def renamed(value):
        if isinstance(value, dict):
            return {
                key: (
                    str(uuid.uuid5(uuid.NAMESPACE_URL, f"{salt}:{item}")) if key in ID_KEYS and item else renamed(item)
                )
                for key, item in value.items()
            }
        if isinstance(value, list):
            return [renamed(item) for item in value]
        return value

    return renamed(record)


ID_KEYS = frozenset({"id", "service_id", "location_id", "organization_id", "taxonomy_term_id", "link_id"})


# --- reading ---------------------------------------------------------------------------------------------


@dataclass
class ParsedService:
    """One feed record as unsaved rows (the importer saves a whole feed at once)."""

    service: Service
    organisation: Organisation
    locations: list[Location] = field(default_factory=list)
    links: list[ServiceAtLocation] = field(default_factory=list)
    areas: list[ServiceArea] = field(default_factory=list)
    schedules: list[Schedule] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    terms: list[TaxonomyTerm] = field(default_factory=list)
    attributes: list[Attribute] = field(default_factory=list)


def _converted(model, name: str, value: Any) -> Any:
    """A JSON value as the model field wants it ("" for a missing text, None for a missing number)."""
    model_field = model._meta.get_field(name)
    internal = model_field.get_internal_type()
    if value is None:
        return None if model_field.null else ""
    if internal == "DateField":
        return parse_date(value)
    if internal == "DateTimeField":
        return parse_datetime(value)
    if internal == "TimeField":
        return parse_time(value)
    if internal == "UUIDField":
        return str(value)
    return value


def _build(model, record: dict, names: tuple[str, ...], **extra) -> Any:
    values = {name: _converted(model, name, record.get(name)) for name in names}
    return model(id=record["id"], **values, **extra)


def parse_service(record: dict, *, published: bool = True) -> ParsedService:
    """Rows for one record that `validation_errors` found valid."""
    organisation_record = record.get("organization") or {}
    organisation = _build(
        Organisation,
        organisation_record,
        ORGANISATION_FIELDS,
        organization_identifiers=organisation_record.get("organization_identifiers", []),
    )
    service = _build(
        Service,
        record,
        SERVICE_FIELDS,
        organisation_id=organisation.id,
        languages=record.get("languages", []),
        funding=record.get("funding", []),
        cost_options=record.get("cost_options", []),
        published=published,
    )
    parsed = ParsedService(service=service, organisation=organisation)
    for item in record.get("schedules", []):
        parsed.schedules.append(_build(Schedule, item, SCHEDULE_FIELDS, service_id=service.id))
    for item in record.get("service_areas", []):
        area = _build(ServiceArea, item, SERVICE_AREA_FIELDS, service_id=service.id)
        area.area_code = area_code_of(area.uri)
        parsed.areas.append(area)
    for item in record.get("service_at_locations", []):
        location_record = item.get("location")
        if not location_record:
            continue
        location = _build(
            Location,
            location_record,
            LOCATION_FIELDS,
            addresses=location_record.get("addresses", []),
            accessibility=location_record.get("accessibility", []),
        )
        parsed.locations.append(location)
        parsed.links.append(ServiceAtLocation(id=item["id"], service_id=service.id, location_id=location.id))
    for item in record.get("contacts", []):
        parsed.contacts.append(_build(Contact, item, CONTACT_FIELDS, service_id=service.id))
    for item in record.get("attributes", []):
        term_record = item.get("taxonomy_term")
        if not term_record:
            continue
        term = _build(TaxonomyTerm, term_record, TERM_FIELDS)
        parsed.terms.append(term)
        parsed.attributes.append(
            Attribute(
                id=item["id"], service_id=service.id, taxonomy_term_id=term.id, link_type=item.get("link_type", "")
            )
        )
    return parsed
