"""Import an Open Referral UK feed: every record checked against the schema first; one bad record and
nothing is loaded, with the record's position, id and field named.

A feed is a JSON file holding one service, a list of services, or a page of them (`{"contents": [...]}`, as
`/services` returns), each a fully nested service (oruk/service.json). A service already in the directory
with the same id is replaced, with everything under it; organisations, locations and taxonomy terms are
matched by id and updated.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from django.db import IntegrityError, transaction

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
)
from portal.directory.oruk import (
    LOCATION_FIELDS,
    ORGANISATION_FIELDS,
    SERVICE_FIELDS,
    TERM_FIELDS,
    parse_service,
    validation_errors,
)

BATCH = 1000
CHILD_PARTS = ("schedules", "service_areas", "service_at_locations", "contacts", "attributes")
MAX_ERRORS_LISTED = 50


class FeedError(ValueError):
    """The feed cannot be loaded; `problems` lists each reason (record number, id, field, message)."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        listed = problems[:MAX_ERRORS_LISTED]
        more = len(problems) - len(listed)
        super().__init__(
            f"{source}: nothing was loaded.\n"
            + "\n".join(listed)
            + (f"\n… and {more} more problems" if more > 0 else "")
        )


@dataclass(frozen=True)
class ImportResult:
    services: int
    organisations: int
    locations: int
    taxonomy_terms: int


def read_feed(path: Path) -> list:
    """The records of a feed file; a file that is not JSON is refused naming its line and column."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except UnicodeDecodeError as error:
        raise FeedError(str(path), [f"the file is not UTF-8 text (byte {error.start})"]) from error
    except json.JSONDecodeError as error:
        raise FeedError(str(path), [f"line {error.lineno}, column {error.colno}: not JSON ({error.msg})"]) from error
    return records_of(data, str(path))


def records_of(data, source: str) -> list:
    if isinstance(data, dict) and "contents" in data:
        data = data["contents"]
    elif isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        raise FeedError(source, ["the feed must be a service, a list of services or a page with 'contents'"])
    return data


def check_feed(records: list, source: str) -> None:
    """Raise FeedError listing every problem: schema errors per record, and a service id used twice."""
    problems = []
    for number, record in enumerate(records, start=1):
        record_id = record.get("id", "(no id)") if isinstance(record, dict) else "(not an object)"
        for field, message in validation_errors(record):
            problems.append(f"record {number} (id {record_id}), field {field}: {message}")
    ids = Counter(record.get("id") for record in records if isinstance(record, dict))
    for record_id, times in ids.items():
        if record_id is not None and times > 1:
            problems.append(f"service id {record_id} appears {times} times: each service needs its own id")
    if not problems:
        problems += _shared_child_ids(records)
    if problems:
        raise FeedError(source, problems)


def _shared_child_ids(records: list) -> list[str]:
    """A schedule, service area, service at location, contact or attribute belongs to one service, so its id
    may appear only once in a feed (organisations, locations and taxonomy terms may be shared)."""
    seen: dict[str, int] = {}
    problems = []
    for number, record in enumerate(records, start=1):
        for part in CHILD_PARTS:
            for index, item in enumerate(record.get(part, [])):
                child_id = item.get("id")
                if child_id in seen and seen[child_id] != number:
                    problems.append(
                        f"record {number} (id {record['id']}), field {part}[{index}].id: {child_id} is already used "
                        f"by record {seen[child_id]}"
                    )
                seen.setdefault(child_id, number)
    return problems


def import_feed(path: Path) -> ImportResult:
    records = read_feed(path)
    return import_records(records, source=str(path))


def import_records(records: list, *, source: str = "feed") -> ImportResult:
    check_feed(records, source)
    parsed = [parse_service(record) for record in records]
    organisations = _unique(item.organisation for item in parsed)
    locations = _unique(location for item in parsed for location in item.locations)
    terms = _unique(term for item in parsed for term in item.terms)
    services = [item.service for item in parsed]
    try:
        _save(parsed, organisations, locations, terms, services)
    except IntegrityError as error:
        raise FeedError(source, [f"an id in the feed belongs to another record in the directory ({error})"]) from error
    return ImportResult(
        services=len(services), organisations=len(organisations), locations=len(locations), taxonomy_terms=len(terms)
    )


def _save(parsed, organisations, locations, terms, services) -> None:
    with transaction.atomic():
        _upsert(Organisation, organisations, [*ORGANISATION_FIELDS, "organization_identifiers"])
        _upsert(Location, locations, [*LOCATION_FIELDS, "addresses", "accessibility"])
        _upsert(TaxonomyTerm, terms, list(TERM_FIELDS))
        service_ids = [service.id for service in services]
        for model in (Attribute, ServiceAtLocation, ServiceArea, Schedule, Contact):
            for start in range(0, len(service_ids), BATCH):
                model.objects.filter(service_id__in=service_ids[start : start + BATCH]).delete()
        _upsert(
            Service,
            services,
            [*SERVICE_FIELDS, "organisation", "languages", "funding", "cost_options", "published"],
        )
        for model, attribute in (
            (Schedule, "schedules"),
            (ServiceArea, "areas"),
            (ServiceAtLocation, "links"),
            (Contact, "contacts"),
            (Attribute, "attributes"),
        ):
            rows = [row for item in parsed for row in getattr(item, attribute)]
            model.objects.bulk_create(rows, batch_size=BATCH)


def _unique(rows) -> list:
    by_id = {}
    for row in rows:
        by_id[str(row.id)] = row
    return list(by_id.values())


def _upsert(model, rows: list, fields: list[str]) -> None:
    if rows:
        model.objects.bulk_create(
            rows, batch_size=BATCH, update_conflicts=True, unique_fields=["id"], update_fields=fields
        )
